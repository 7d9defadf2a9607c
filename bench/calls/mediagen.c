/*
 * mediagen: the RTP load of bench/calls/media.sh, one process per batch of bridged calls.
 * A copy of bench/relay/relaygen.c (same packets, stamps and loss accounting) that runs until
 * stopped and measures in windows the driver opens and closes by signal, so that the calls of
 * earlier batches keep their RTP flowing while later batches are added.
 *
 * For each call in the ports file ("<gateway port of the inmate leg> <gateway port of the trunk
 * leg>" per line) it opens two UDP sockets on 127.0.0.1, one per leg, and sends 50 packets/s
 * from each (PCMU, 160-byte payload, 20 ms), the calls spread over each 20 ms period. The
 * gateway latches each socket as its leg's peer (symmetric RTP) on the first packet. The payload
 * carries a magic word and the CLOCK_MONOTONIC send time; whatever the gateway forwards to the
 * other leg's socket is timed on arrival. Packets the gateway generates itself (prompts, paced
 * announcement frames) or whose payload the announcement mixing rewrote carry no stamp: they
 * count for sequence-gap loss, not for latency.
 *
 * Usage: mediagen <portsfile> <max_s> [<base_port>]
 *   (the legs' sockets bind 127.0.0.1:base_port + 2 x line + leg when free, else any port: clear of
 *   the gateway's RTP range, which the kernel's ephemeral ports overlap)
 *   SIGUSR1  opens a window: counters and the latency histogram start from zero;
 *   SIGUSR2  closes it: prints "WIN calls=.. sent=.. received=.. stamped=.. lost=.. late=..
 *            send_errors=.. secs=.." and "HIST <us>:<count> ..." (microseconds, non-zero buckets);
 *   SIGHUP   re-reads the ports file: a call whose line became "0 0" stops sending and counting
 *            (the driver cuts it off);
 *   SIGTERM, or max_s elapsed: exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
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
#define CAP 4096

struct leg {
    int fd;
    struct sockaddr_in peer;
    uint16_t seq;
    uint32_t ts;
    uint32_t ssrc;
    int have_seq;
    uint16_t next_seq;
};

static volatile sig_atomic_t want_open, want_close, want_reload, want_stop;

static void on_signal(int sig) {
    if (sig == SIGUSR1) want_open = 1;
    else if (sig == SIGUSR2) want_close = 1;
    else if (sig == SIGHUP) want_reload = 1;
    else want_stop = 1;
}

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long long hist[HIST_US + 1];

/* reads up to CAP "a b" lines; returns the count */
static int read_ports(const char *path, int (*ports)[2]) {
    FILE *pf = fopen(path, "r");
    if (!pf) return -1;
    int n = 0, a, b;
    while (n < CAP && fscanf(pf, "%d %d", &a, &b) == 2) {
        ports[n][0] = a;
        ports[n][1] = b;
        n++;
    }
    fclose(pf);
    return n;
}

int main(int argc, char **argv) {
    if (argc != 3 && argc != 4) {
        fprintf(stderr, "usage: %s <portsfile> <max_s> [<base_port>]\n", argv[0]);
        return 2;
    }
    static int ports[CAP][2];
    int n = read_ports(argv[1], ports);
    if (n < 0) { perror("ports file"); return 2; }
    long long max_ns = atoll(argv[2]) * 1000000000LL;
    int base = argc == 4 ? atoi(argv[3]) : 0;
    struct leg *legs = calloc(2 * (n > 0 ? n : 1), sizeof *legs);
    char *active = calloc(n > 0 ? n : 1, 1);
    srand((unsigned) getpid());
    for (int i = 0; i < n; i++) {
        active[i] = ports[i][0] > 0 && ports[i][1] > 0;
        for (int l = 0; l < 2; l++) {
            struct leg *g = &legs[2 * i + l];
            g->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
            if (g->fd < 0) { perror("socket"); return 1; }
            int rb = 1 << 20;
            setsockopt(g->fd, SOL_SOCKET, SO_RCVBUF, &rb, sizeof rb);
            struct sockaddr_in me = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
            if (base > 0) {
                me.sin_port = htons((uint16_t) (base + 2 * i + l));
                if (bind(g->fd, (struct sockaddr *) &me, sizeof me) == 0) goto bound;
                me.sin_port = 0;
            }
            if (bind(g->fd, (struct sockaddr *) &me, sizeof me) < 0) { perror("bind"); return 1; }
        bound:
            g->peer.sin_family = AF_INET;
            g->peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
            g->peer.sin_port = htons(ports[i][l]);
            g->seq = (uint16_t) rand();
            g->ts = (uint32_t) rand();
            g->ssrc = 0x20000000u + ((uint32_t) getpid() << 13) + 2 * i + l;
        }
    }
    int ep = epoll_create1(0);
    for (int i = 0; i < 2 * n; i++) {
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
        epoll_ctl(ep, EPOLL_CTL_ADD, legs[i].fd, &ev);
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    long long start = now_ns(), wstart = 0;
    long long sent = 0, received = 0, stamped = 0, lost = 0, late = 0, send_err = 0;
    unsigned char pkt[12 + PAYLOAD], rbuf[2048];
    memset(pkt + 12, 0xD5, PAYLOAD);
    int next_slot = 0;
    long long slot_time = start;
    long long slot_ns = PERIOD_NS / (n > 0 ? n : 1);
    struct epoll_event evs[256];
    int measuring = 0;

    while (!want_stop) {
        long long t = now_ns();
        if (t - start >= max_ns) break;
        if (want_open) {
            want_open = 0;
            sent = received = stamped = lost = late = send_err = 0;
            memset(hist, 0, sizeof hist);
            measuring = 1;
            wstart = t;
        }
        if (want_close) {
            want_close = 0;
            printf("WIN calls=%d sent=%lld received=%lld stamped=%lld lost=%lld late=%lld send_errors=%lld secs=%.3f\nHIST",
                   n, sent, received, stamped, lost, late, send_err, measuring ? (t - wstart) / 1e9 : 0.0);
            for (int i = 0; i <= HIST_US; i++) {
                if (hist[i]) printf(" %d:%lld", i, hist[i]);
            }
            printf("\n");
            fflush(stdout);
            measuring = 0;
        }
        if (want_reload) {
            want_reload = 0;
            static int now_ports[CAP][2];
            int m = read_ports(argv[1], now_ports);
            for (int i = 0; i < n && i < m; i++) {
                if (now_ports[i][0] != ports[i][0] || now_ports[i][1] != ports[i][1]) active[i] = 0;
            }
        }
        /* send every call whose slot has come (both legs) */
        while (n > 0 && slot_time <= t) {
            if (active[next_slot]) {
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
                    if (sendto(g->fd, pkt, sizeof pkt, 0, (struct sockaddr *) &g->peer, sizeof g->peer) < 0) {
                        if (measuring) send_err++;
                    } else if (measuring) {
                        sent++;
                    }
                    g->seq++;
                    g->ts += 160;
                }
            }
            next_slot++;
            if (next_slot == n) next_slot = 0;
            slot_time += slot_ns;
        }
        /* sleep until the next millisecond's batch of sends, a packet or a signal */
        long long wait_ns = slot_time + 1000000LL - now_ns();
        if (wait_ns < 0) wait_ns = 0;
        struct timespec to = {.tv_sec = wait_ns / 1000000000LL, .tv_nsec = wait_ns % 1000000000LL};
        int k = epoll_pwait2(ep, evs, 256, &to, NULL);
        for (int e = 0; e < k; e++) {
            int li = evs[e].data.u32;
            struct leg *g = &legs[li];
            for (;;) {
                ssize_t r = recv(g->fd, rbuf, sizeof rbuf, MSG_DONTWAIT);
                if (r < 0) break;
                long long at = now_ns();
                if (r < 12 || !active[li / 2]) continue;
                uint16_t seq = (rbuf[2] << 8) | rbuf[3];
                if (measuring) {
                    received++;
                    if (g->have_seq) {
                        int16_t d = (int16_t) (seq - g->next_seq);
                        if (d > 0) lost += d;
                        else if (d < 0) late++;
                    }
                }
                if (!g->have_seq || (int16_t) (seq - g->next_seq) >= 0) {
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
                    stamped++;
                }
            }
        }
    }
    for (int i = 0; i < 2 * n; i++) close(legs[i].fd);
    return 0;
}
