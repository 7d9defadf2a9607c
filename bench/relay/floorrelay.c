/*
 * floorrelay: the least a userspace RTP relay can do per packet, for the relay benchmark
 * (bench/relay/run.sh, FLOOR=1). It bounds from below what any relay built on kernel UDP
 * sockets costs on this machine: one thread, epoll, one recv and one send per packet, each
 * leg's socket connected to the address its first packet came from, no parsing, no copying
 * beyond the kernel's, no audio work.
 *
 * Usage: floorrelay <sessions> <first_port> <portsfile>
 * Binds 127.0.0.1 ports first_port, first_port+2, ... (two per session), writes
 * "<portA> <portB>" per session to portsfile (through a temporary file and rename), then relays
 * until SIGTERM.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void on_term(int sig) {
    (void) sig;
    stop = 1;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s <sessions> <first_port> <portsfile>\n", argv[0]);
        return 2;
    }
    int n = atoi(argv[1]);
    int first = atoi(argv[2]);
    if (n < 1 || n > 20000 || first < 1024 || first + 4 * n > 65535) {
        fprintf(stderr, "floorrelay: bad sessions or port\n");
        return 2;
    }
    int legs = 2 * n;
    int *fd = calloc(legs, sizeof *fd);
    char *latched = calloc(legs, 1);
    int ep = epoll_create1(0);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[3]);
    FILE *pf = fopen(tmp, "w");
    if (!fd || !latched || ep < 0 || !pf) {
        perror("floorrelay: setup");
        return 1;
    }
    for (int i = 0; i < legs; i++) {
        fd[i] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(first + 2 * i)};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd[i] < 0 || bind(fd[i], (struct sockaddr *) &a, sizeof a) < 0) {
            fprintf(stderr, "floorrelay: bind %d: %s\n", first + 2 * i, strerror(errno));
            return 1;
        }
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t) i};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd[i], &ev);
        if (i % 2 == 1) {
            fprintf(pf, "%d %d\n", first + 2 * (i - 1), first + 2 * i);
        }
    }
    fclose(pf);
    if (rename(tmp, argv[3]) < 0) {
        perror("floorrelay: ports file");
        return 1;
    }
    signal(SIGTERM, on_term);
    signal(SIGINT, on_term);
    struct epoll_event events[256];
    unsigned char buf[2048];
    while (!stop) {
        int k = epoll_wait(ep, events, 256, 200);
        for (int e = 0; e < k; e++) {
            int i = (int) events[e].data.u32;
            struct sockaddr_in src;
            socklen_t sl = sizeof src;
            ssize_t len = latched[i] ? recv(fd[i], buf, sizeof buf, 0)
                                     : recvfrom(fd[i], buf, sizeof buf, 0, (struct sockaddr *) &src, &sl);
            if (len <= 0) {
                continue;
            }
            if (!latched[i]) {
                if (connect(fd[i], (struct sockaddr *) &src, sl) == 0) {
                    latched[i] = 1;
                }
            }
            int peer = i ^ 1;
            if (latched[peer]) {
                send(fd[peer], buf, (size_t) len, 0);
            }
        }
    }
    return 0;
}
