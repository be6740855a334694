/* cmd_protect.c - `ballast protect` and `ballast protect list`: a shop's approved
 * protection windows (the use cases: src/app/disruption.h).
 *
 * Local times are read in --tz, else in the shop's zone (as `import protections` does),
 * so the shop is looked up before its times are parsed: an unknown shop is exit 1 even
 * when a time is malformed too.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/disrupt_common.h"
#include "cli/out.h"

#include "app/disruption.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const char protect_usage[] =
    "usage: protect --shop S --from T --to T --reason TEXT [--tz ZONE]  or  protect list "
    "[--shop S]";

struct protect_args {
    const char *shop, *from, *to, *reason, *tz;
};

/* The flags of protect into a; 0, or 2 after a usage message. */
static int protect_args(struct bl_cli *cli, const char *cmd, int argc, char **argv,
                        struct protect_args *a)
{
    static const struct option opts[] = {
        {"shop", required_argument, NULL, 's'},
        {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},
        {"reason", required_argument, NULL, 'r'},
        {"tz", required_argument, NULL, 'z'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char **slot[] = {&a->shop, &a->from, &a->to, &a->reason, &a->tz};
    static const char keys[] = "sFTrz";
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        const char *k = c ? strchr(keys, c) : NULL;
        if (k)
            *slot[k - keys] = optarg;
        else if (c != 'f')
            return bl_cli_bad_option(cli, cmd, argv, opts);
        else if (bl_cli_set_format(cli, optarg))
            return 2;
    }
    if (optind != argc)
        return bl_cli_usage(cli, cmd, "unexpected argument '%s': %s", argv[optind], protect_usage);
    if (bl__dis_need(cli, cmd, a->shop, "--shop", "a shop id") ||
        bl__dis_need(cli, cmd, a->from, "--from", "the instant it begins") ||
        bl__dis_need(cli, cmd, a->to, "--to", "the instant it ends (exclusive)") ||
        bl__dis_need(cli, cmd, a->reason, "--reason", "why it was granted") ||
        bl__dis_check_id(cli, cmd, "--shop", a->shop, "a shop id") ||
        bl__dis_check_text(cli, cmd, "--reason", a->reason, "why it was granted"))
        return 2;
    return 0;
}

/* Reads --from and --to in tz, else in zone; 0, or 2 after a usage message. */
static int protect_window(struct bl_cli *cli, const char *cmd, const struct protect_args *a,
                          struct bl_tz *tz, const char *zone, int64_t *from, int64_t *to)
{
    struct bl_tz *shop_tz = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (!tz && bl_tz_load(&shop_tz, zone, &d))
        return bl_cli_fail(cli, &d);
    const struct bl_tz *use = tz ? tz : shop_tz;
    int urc = bl__dis_parse_time(cli, cmd, "--from", a->from, use, from);
    if (!urc)
        urc = bl__dis_parse_time(cli, cmd, "--to", a->to, use, to);
    if (!urc && *to <= *from)
        urc = bl__dis_bad_window(cli, cmd, a->from, *from, a->to, *to);
    bl_tz_free(shop_tz);
    return urc;
}

static int unknown_shop(struct bl_cli *cli, const char *shop, bool hint)
{
    return bl__dis_fail(cli, "--shop %s: unknown shop: expected the id of a shop in the store%s",
                        shop, hint ? " (import shops first)" : "");
}

static int protect_add(struct bl_cli *cli, int argc, char **argv)
{
    static const char cmd[] = "protect";
    struct protect_args a = {0};
    if (protect_args(cli, cmd, argc, argv, &a))
        return 2;
    struct bl_tz *tz;
    if (bl__dis_load_tz(cli, cmd, a.tz, &tz))
        return 2;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, true, &st, &org)) {
        bl_tz_free(tz);
        return 1;
    }
    struct bl_diag d;
    bl_diag_clear(&d);
    char zone[64];
    int rc = bl_app_shop_zone(st, org, a.shop, zone, sizeof(zone), &d);
    int64_t from = 0, to = 0;
    int urc = rc ? 0 : protect_window(cli, cmd, &a, tz, zone, &from, &to);
    bl_tz_free(tz);
    struct bl_app_protect_req req = {a.shop, from, to, a.reason};
    struct bl_app_protect_res res = {0, BL_APP_DIS_OK};
    if (!rc && !urc)
        rc = bl_app_protect(st, org, &req, &res, &d);
    bl_store_close(st);
    if (urc)
        return urc;
    if (rc == BL_ENOTFOUND)
        return unknown_shop(cli, a.shop, true);
    if (rc)
        return bl_cli_fail(cli, &d);
    return bl__dis_print_id(cli, res.id) ? 1 : 0;
}

static const char *const prot_cols[] = {"id", "shop", "starts_at", "ends_at", "reason", "batch"};

static int prot_out(struct bl_out *o, const struct bl_protection *p)
{
    char t[2][BL_ISO_MAX];
    struct bl_val v[NELEM(prot_cols)] = {
        bl_val_int(p->id),
        p->shop ? bl_val_text(bl_str_c(p->shop)) : bl_val_null(),
        bl_val_text(bl_str_c(bl_time_format(p->starts_at, t[0]))),
        bl_val_text(bl_str_c(bl_time_format(p->ends_at, t[1]))),
        p->reason ? bl_val_text(bl_str_c(p->reason)) : bl_val_null(),
        bl_val_int(p->batch_id),
    };
    return bl_out_row(o, v);
}

static int protect_list(struct bl_cli *cli, int argc, char **argv)
{
    const char *shop = NULL;
    if (bl_cli_list_args(cli, "protect list", argc, argv, "shop", &shop))
        return 2;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_protect_list_req req = {shop};
    struct bl_app_protect_list_res res;
    int rc = bl_app_protect_list(st, org, &req, &res, &d);
    bl_store_close(st);
    if (rc) {
        enum bl_app_dis_reason why = res.reason;
        bl_app_protect_list_res_release(&res);
        return why == BL_APP_DIS_UNKNOWN_SHOP ? unknown_shop(cli, shop, false)
                                              : bl_cli_fail(cli, &d);
    }
    struct bl_out o;
    bl_out_begin(&o, cli, prot_cols, NELEM(prot_cols));
    for (size_t i = 0; !rc && i < res.n; i++)
        rc = prot_out(&o, &res.items[i]);
    int rc2 = bl_out_end(&o);
    bl_app_protect_list_res_release(&res);
    if (rc || rc2) {
        if (!d.code)
            bl_diag_set(&d, rc ? rc : rc2, "%s", bl_strerror(rc ? rc : rc2));
        return bl_cli_fail(cli, &d);
    }
    return 0;
}

int bl_cmd_protect(struct bl_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return protect_list(cli, argc - 1, argv + 1);
    return protect_add(cli, argc, argv);
}
