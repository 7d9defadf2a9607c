/*
 * relaygen: RTP load generator for the media relay benchmark (bench/relay/run.sh).
 *
 * For each session listed in the ports file ("<rtpPortA> <rtpPortB>" per line) it opens two
 * UDP sockets on 127.0.0.1, one per leg, and sends 50 packets/s from each (PCMU, 160-byte
 * payload, 20 ms), spread over each 20 ms period in 1 ms batches. The payload carries a magic word, the
 * session and leg, and the CLOCK_MONOTONIC send time; whatever the relay forwards to the other
 * leg's socket is timed on arrival. Paced packets the relay generates itself (announcement
 * mixing) carry no stamp: they count for sequence-gap loss, not for latency.
 *
 * Usage: relaygen <portsfile> <relay_pid> <warmup_s> <measure_s>
 * Prints one line of key=value results for the measurement window. loss_pct counts sequence
 * gaps in what arrived; delivered_pct is arrivals over packets sent in the window, which falls
 * below 100 when the relay falls behind (packets still queued are not gaps yet).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAGIC 0x49434757u /* "ICGW" */
#define PAYLOAD 160
#define PERIOD_NS 20000000LL
#define HIST_US 100000

struct leg {
    int fd;
    struct sockaddr_in relay;
    uint16_t seq;
    uint32_t ts;
    uint32_t ssrc;
    /* receive side: the stream the relay sends to this leg */
    int have_seq;
    uint16_t next_seq;
};

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long last_utime, last_stime;

static long long proc_cpu_ticks(int pid) {
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')'); /* comm may contain spaces */
    if (!p) return -1;
    unsigned long long utime = 0, stime = 0;
    /* after ')': state(3) ... utime is field 14, stime 15 */
    int field = 2;
    for (char *tok = strtok(p + 1, " "); tok; tok = strtok(NULL, " ")) {
        field++;
        if (field == 14) utime = strtoull(tok, NULL, 10);
        if (field == 15) { stime = strtoull(tok, NULL, 10); break; }
    }
    last_utime = (long long) utime;
    last_stime = (long long) stime;
    return (long long) (utime + stime);
}

static long long hist[HIST_US + 1];

static long long percentile(long long total, double q) {
    long long want = (long long) (q * total + 0.5), seen = 0;
    if (want < 1) want = 1;
    for (int i = 0; i <= HIST_US; i++) {
        seen += hist[i];
        if (seen >= want) return i;
    }
    return HIST_US;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s <portsfile> <relay_pid> <warmup_s> <measure_s>\n", argv[0]);
        return 2;
    }
    int relay_pid = atoi(argv[2]);
    long long warmup = atoll(argv[3]) * 1000000000LL, measure = atoll(argv[4]) * 1000000000LL;
    FILE *pf = fopen(argv[1], "r");
    if (!pf) { perror("ports file"); return 2; }
    int cap = 4096, n = 0;
    struct leg *legs = calloc(2 * cap, sizeof *legs);
    int pa, pb;
    while (fscanf(pf, "%d %d", &pa, &pb) == 2 && n < cap) {
        int ports[2] = {pa, pb};
        for (int l = 0; l < 2; l++) {
            struct leg *g = &legs[2 * n + l];
            g->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            if (g->fd < 0) { perror("socket"); return 1; }
            int rb = 1 << 20;
            setsockopt(g->fd, SOL_SOCKET, SO_RCVBUF, &rb, sizeof rb);
            struct sockaddr_in me = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
            if (bind(g->fd, (struct sockaddr *) &me, sizeof me) < 0) { perror("bind"); return 1; }
            g->relay.sin_family = AF_INET;
            g->relay.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            g->relay.sin_port = htons(ports[l]);
            g->seq = (uint16_t) rand();
            g->ts = (uint32_t) rand();
            g->ssrc = 0x10000000u + 2 * n + l;
        }
        n++;
    }
    fclose(pf);
    int ep = epoll_create1(0);
    for (int i = 0; i < 2 * n; i++) {
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
        epoll_ctl(ep, EPOLL_CTL_ADD, legs[i].fd, &ev);
    }

    long long start = now_ns(), mstart = start + warmup, mend = mstart + measure;
    long long cpu0 = -1, cpu1 = -1, user0 = 0;
    long long sent = 0, received = 0, stamped = 0, lost = 0, late = 0, send_err = 0, hist_total = 0;
    unsigned char pkt[12 + PAYLOAD], rbuf[2048];
    memset(pkt + 12, 0xD5, PAYLOAD);
    int next_slot = 0;      /* next session to send for, round robin */
    long long slot_time = start;
    long long slot_ns = PERIOD_NS / (n > 0 ? n : 1);
    struct epoll_event evs[256];
    int measuring = 0;

    for (;;) {
        long long t = now_ns();
        if (!measuring && t >= mstart) {
            measuring = 1;
            cpu0 = proc_cpu_ticks(relay_pid);
            user0 = last_utime;
        }
        if (t >= mend) break;
        /* send every session whose slot has come (both legs) */
        while (slot_time <= t) {
            for (int l = 0; l < 2; l++) {
                struct leg *g = &legs[2 * next_slot + l];
                pkt[0] = 0x80;
                pkt[1] = 0;
                pkt[2] = g->seq >> 8; pkt[3] = g->seq & 0xFF;
                uint32_t ts = htonl(g->ts), ssrc = htonl(g->ssrc), magic = MAGIC;
                memcpy(pkt + 4, &ts, 4);
                memcpy(pkt + 8, &ssrc, 4);
                long long stamp = now_ns();
                uint32_t id = 2 * next_slot + l;
                memcpy(pkt + 12, &magic, 4);
                memcpy(pkt + 16, &id, 4);
                memcpy(pkt + 20, &stamp, 8);
                if (sendto(g->fd, pkt, sizeof pkt, 0, (struct sockaddr *) &g->relay, sizeof g->relay) < 0) {
                    send_err++;
                } else if (measuring) {
                    sent++;
                }
                g->seq++;
                g->ts += 160;
            }
            next_slot++;
            if (next_slot == n) next_slot = 0;
            slot_time += slot_ns;
        }
        /* Sleep until the next millisecond's batch of sends (or a packet): no busy polling, so
         * the generator leaves the CPU to the relay between batches. */
        long long wait_ns = slot_time + 1000000LL - now_ns();
        if (wait_ns < 0) wait_ns = 0;
        struct timespec to = {.tv_sec = wait_ns / 1000000000LL, .tv_nsec = wait_ns % 1000000000LL};
        int k = epoll_pwait2(ep, evs, 256, &to, NULL);
        for (int e = 0; e < k; e++) {
            struct leg *g = &legs[evs[e].data.u32];
            for (;;) {
                ssize_t r = recv(g->fd, rbuf, sizeof rbuf, MSG_DONTWAIT);
                if (r < 0) break;
                long long at = now_ns();
                if (r < 12) continue;
                uint16_t seq = (rbuf[2] << 8) | rbuf[3];
                if (measuring) {
                    received++;
                    if (g->have_seq) {
                        int16_t d = (int16_t) (seq - g->next_seq);
                        if (d > 0) lost += d;
                        else if (d < 0) late++;
                    }
                }
                if ((int16_t) (seq - g->next_seq) >= 0 || !g->have_seq) {
                    g->next_seq = seq + 1;
                    g->have_seq = 1;
                }
                uint32_t magic;
                memcpy(&magic, rbuf + 12, 4);
                if (measuring && r >= 28 && magic == MAGIC) {
                    long long stamp;
                    memcpy(&stamp, rbuf + 20, 8);
                    long long us = (at - stamp) / 1000;
                    if (us < 0) us = 0;
                    if (us > HIST_US) us = HIST_US;
                    hist[us]++;
                    hist_total++;
                    stamped++;
                }
            }
        }
    }
    cpu1 = proc_cpu_ticks(relay_pid);
    long hz = sysconf(_SC_CLK_TCK);
    double cpu_us = (cpu1 - cpu0) * 1e6 / hz;
    double user_us = (last_utime - user0) * 1e6 / hz;
    double secs = measure / 1e9;
    printf("sessions=%d sent=%lld received=%lld stamped=%lld lost=%lld late=%lld send_errors=%lld "
           "loss_pct=%.4f delivered_pct=%.2f relay_cpu_pct=%.1f cpu_us_per_pkt=%.2f user_us_per_pkt=%.2f p50_us=%lld p99_us=%lld p999_us=%lld max_us=%lld\n",
           n, sent, received, stamped, lost, late, send_err,
           received + lost > 0 ? 100.0 * lost / (double) (received + lost) : 0.0,
           sent > 0 ? 100.0 * received / (double) sent : 0.0,
           100.0 * cpu_us / 1e6 / secs, received > 0 ? cpu_us / received : 0.0,
           received > 0 ? user_us / received : 0.0,
           percentile(hist_total, 0.50), percentile(hist_total, 0.99), percentile(hist_total, 0.999),
           percentile(hist_total, 1.0));
    for (int i = 0; i < 2 * n; i++) close(legs[i].fd);
    return 0;
}
