/* post_client.c - a loopback client for POST /api/v1/orders where wrk is not installed:
 * CONNS keep-alive connections, one thread each, each sending the bodies of
 * bench/api_post.lua (1,000 JSON Lines: 500 new orders of two lines, ids unique per run,
 * connection and request) one after the other for SECONDS. Prints one line:
 *   lines/s requests errors p50_ms p99_ms
 * Build: cc -O2 -pthread -o post_client bench/post_client.c
 * Use:   post_client PORT TOKEN SHOP SKU1 SKU2 RUN CONNS SECONDS [AS_OF]
 * A bench tool, not part of the build (docs/bench.md, "bench/api.sh"). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LINES 1000
#define MAXLAT 200000

static int port, seconds;
static const char *token, *shop, *sku1, *sku2, *run, *as_of = "2024-11-15";
static double t_end;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static long total, errors;
static double lat[MAXLAT];
static long nlat;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dial(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* One answer: its status, or -1. */
static int read_answer(int fd, char *buf, size_t cap)
{
    size_t have = 0;
    char *end = NULL;
    while (!end) {
        if (have + 1 >= cap)
            return -1;
        ssize_t k = recv(fd, buf + have, cap - 1 - have, 0);
        if (k <= 0)
            return -1;
        have += (size_t)k;
        buf[have] = '\0';
        end = strstr(buf, "\r\n\r\n");
    }
    int status = (int)strtol(buf + 9, NULL, 10);
    char *cl = strcasestr(buf, "\r\nContent-Length:");
    size_t len = cl ? (size_t)strtoul(cl + 17, NULL, 10) : 0;
    size_t got = have - (size_t)(end + 4 - buf);
    while (got < len) {
        ssize_t k = recv(fd, buf, cap, 0);
        if (k <= 0)
            return -1;
        got += (size_t)k;
    }
    return status;
}

static void *conn_main(void *arg)
{
    int tid = (int)(intptr_t)arg;
    size_t cap = (size_t)LINES * 256;
    char *body = malloc(cap);
    size_t marks[LINES], n = 0;
    for (int i = 0; i < LINES; i++) {
        int w = snprintf(body + n, cap - n, "{\"order\":\"B%s-%d-", run, tid);
        n += (size_t)w;
        marks[i] = n;
        w = snprintf(body + n, cap - n,
                     "00000000-%d\",\"shop\":\"%s\",\"sku\":\"%s\",\"qty\":%d,\"unit_price\":"
                     "\"9.99\",\"placed_at\":\"%sT08:00:00Z\",\"ship_to\":\"US-CA:94103\","
                     "\"customer\":\"bench-%d\"}\n",
                     i / 2, shop, i % 2 == 0 ? sku1 : sku2, 1 + i % 3, as_of, i / 2);
        n += (size_t)w;
    }
    char head[512];
    int hn = snprintf(head, sizeof(head),
                      "POST /api/v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                      "%s\r\nContent-Type: application/x-ndjson\r\nContent-Length: %zu\r\n\r\n",
                      token, n);
    char *buf = malloc(65536);
    int fd = dial();
    long count = 0, errs = 0;
    double mylat[4096];
    long nmy = 0;
    while (fd >= 0 && now_s() < t_end) {
        count++;
        char num[24];
        snprintf(num, sizeof(num), "%08ld", count);
        for (int i = 0; i < LINES; i++)
            memcpy(body + marks[i], num, 8);
        double t0 = now_s();
        int st = -1;
        if (send_all(fd, head, (size_t)hn) == 0 && send_all(fd, body, n) == 0)
            st = read_answer(fd, buf, 65536);
        double t1 = now_s();
        if (st < 200 || st >= 300) {
            errs++;
            if (st < 0) {
                close(fd);
                fd = dial();
            } else if (errs < 3) {
                fprintf(stderr, "status %d\n", st);
            }
        } else if (t1 <= t_end) {
            if (nmy < 4096)
                mylat[nmy++] = t1 - t0;
        } else {
            count--; /* finished after the end: not counted */
        }
    }
    if (fd >= 0)
        close(fd);
    pthread_mutex_lock(&mu);
    total += count - errs;
    errors += errs;
    for (long i = 0; i < nmy && nlat < MAXLAT; i++)
        lat[nlat++] = mylat[i];
    pthread_mutex_unlock(&mu);
    free(buf);
    free(body);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 9) {
        fprintf(stderr, "usage: post_client PORT TOKEN SHOP SKU1 SKU2 RUN CONNS SECONDS [AS_OF]\n");
        return 2;
    }
    port = (int)strtol(argv[1], NULL, 10);
    token = argv[2];
    shop = argv[3];
    sku1 = argv[4];
    sku2 = argv[5];
    run = argv[6];
    int conns = (int)strtol(argv[7], NULL, 10);
    seconds = (int)strtol(argv[8], NULL, 10);
    if (argc > 9)
        as_of = argv[9];
    pthread_t t[1024];
    if (conns < 1 || conns > 1024)
        return 2;
    double t0 = now_s();
    t_end = t0 + seconds;
    for (int i = 0; i < conns; i++)
        pthread_create(&t[i], NULL, conn_main, (void *)(intptr_t)i);
    for (int i = 0; i < conns; i++)
        pthread_join(t[i], NULL);
    qsort(lat, (size_t)nlat, sizeof(double), cmp);
    double p50 = nlat ? lat[nlat / 2] * 1000 : 0, p99 = nlat ? lat[nlat * 99 / 100] * 1000 : 0;
    printf("%.0f %ld %ld %.1f %.1f\n", (double)total * LINES / seconds, total, errors, p50, p99);
    return 0;
}
