/* cmd_gen.c - `ballast gen`: write a synthetic dataset in the native CSV formats. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ballast/gen.h"
#include "ballast/str.h"
#include "cli.h"
#include "cli/progress.h"

static int parse_seed(struct bl_cli *cli, const char *arg, uint64_t *out)
{
    /* decimal or 0x-hex, all 64 bits */
    const char *p = arg;
    int base = 10;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    char *end = NULL;
    errno = 0;
    unsigned long long v = *p && *p != '-' && *p != '+' ? strtoull(p, &end, base) : 0;
    if (!end || *end || errno)
        return bl_cli_usage(cli, "gen", "--seed '%s': expected a number from 0 to 2^64-1", arg);
    *out = (uint64_t)v;
    return 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int bl_cmd_gen(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'},   {"orders", required_argument, NULL, 'n'},
        {"shops", required_argument, NULL, 's'}, {"skus", required_argument, NULL, 'k'},
        {"seed", required_argument, NULL, 'x'},  {"start", required_argument, NULL, 'b'},
        {"days", required_argument, NULL, 'd'},  {"gzip", no_argument, NULL, 'z'},
        {NULL, 0, NULL, 0},
    };
    struct bl_gen_opts o;
    bl_gen_opts_init(&o);
    const char *out = NULL;
    bool gzip = false;
    struct bl_diag d;
    bl_diag_clear(&d);

#ifdef __GLIBC__
    optind = 0; /* a full reset: getopt may have run before (global options) */
#else
    optind = 1;
#endif
    opterr = 0;
    int c, rc = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'n':
            rc = bl_cli_parse_int(cli, "gen", "--orders", optarg, 0, INT64_MAX, &o.orders);
            break;
        case 's':
            rc = bl_cli_parse_int(cli, "gen", "--shops", optarg, 0, INT64_MAX, &o.shops);
            break;
        case 'k':
            rc = bl_cli_parse_int(cli, "gen", "--skus", optarg, 0, INT64_MAX, &o.skus);
            break;
        case 'd':
            rc = bl_cli_parse_int(cli, "gen", "--days", optarg, 0, INT64_MAX, &o.days);
            break;
        case 'x':
            rc = parse_seed(cli, optarg, &o.seed);
            break;
        case 'b':
            if (bl_gen_parse_date(optarg, &o.start_day, &d) != BL_OK)
                rc = bl_cli_usage(cli, "gen", "--start: %s", d.msg);
            break;
        case 'z':
            gzip = true;
            break;
        default:
            return bl_cli_bad_option(cli, "gen", argv, longopts);
        }
        if (rc)
            return rc;
    }
    if (optind < argc)
        return bl_cli_usage(cli, "gen", "unexpected argument '%s'", argv[optind]);
    if (!out || !*out)
        return bl_cli_usage(cli, "gen", "--out DIR is required: the directory to write into");

    struct bl_gen *g;
    if (bl_gen_new(&g, &o, &d) != BL_OK) {
        if (d.code == BL_ERANGE)
            return bl_cli_usage(cli, "gen", "%s", d.msg);
        return bl_cli_fail(cli, &d);
    }
    struct bl_gen_counts n;
    double t0 = now_s();
    struct bl_progress prog;
    bl_progress_init(&prog, cli, "writing orders.csv", "order lines");
    if (bl_progress_on(&prog))
        bl_gen_set_progress(g, bl_progress_cb, &prog);
    rc = bl_gen_write_dir(g, out, gzip, &n, &d);
    bl_progress_end(&prog);
    double secs = now_s() - t0;
    bl_gen_free(g);
    if (rc)
        return bl_cli_fail(cli, &d);

    uint64_t bytes = 0;
    for (int f = 0; f < BL_GEN_NFILES; f++)
        bytes += n.bytes[f];
    double rate = secs > 0 ? (double)n.rows[BL_GEN_ORDERS] / secs : 0;
    fprintf(cli->err,
            "ballast gen: %s: %lld order lines (%lld orders), %lld shops, %lld SKUs, %lld "
            "warehouses, %lld suppliers, %lld channel rows, %lld stock rows, %lld inbound "
            "lines, %lld disruptions, %lld sales rows; seed %llu; %.1f MB%s in %.2f s "
            "(%.2f M order lines/s)\n",
            out, (long long)n.rows[BL_GEN_ORDERS], (long long)n.orders,
            (long long)n.rows[BL_GEN_SHOPS], (long long)n.rows[BL_GEN_SKUS],
            (long long)n.rows[BL_GEN_WAREHOUSES], (long long)n.rows[BL_GEN_SUPPLIERS],
            (long long)n.rows[BL_GEN_CHANNELS], (long long)n.rows[BL_GEN_STOCK],
            (long long)n.rows[BL_GEN_INBOUND], (long long)n.rows[BL_GEN_DISRUPTIONS],
            (long long)n.rows[BL_GEN_SALES], (unsigned long long)o.seed, (double)bytes / 1e6,
            gzip ? " before gzip" : "", secs, rate / 1e6);
    /* A header-only file would not import: say which files are not there. */
    for (int f = 0; f < BL_GEN_NFILES; f++)
        if (!n.written[f])
            fprintf(cli->err, "ballast gen: no %s.csv%s: it would have no rows%s\n",
                    bl_gen_file_kind((enum bl_gen_file)f), gzip ? ".gz" : "",
                    o.orders == 0 &&
                            (f == BL_GEN_ORDERS || f == BL_GEN_SALES || f == BL_GEN_CUSTOMERS)
                        ? " (--orders 0)"
                        : "");
    return 0;
}
