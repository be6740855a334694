/* cmd_retention.c - `ballast retention`: how long the organisation keeps what piles up by
 * itself (src/app/retention.h): `show` each kind's days and what the prunes removed, `set`
 * some of them, `prune` now (the daily cycle's last step does it every day). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/retention.h"
#include "ballast/time.h"
#include "cli/cli.h"
#include "cli/out.h"

/* What each kind is, in words. */
static const char *const about[BL_RETAIN_NKINDS] = {
    "webhook deliveries delivered", "webhook deliveries failed or cancelled",
    "webhook events no delivery names any more", "Idempotency-Keys past the end of their lease",
    "the audit log"};

static int show(struct bl_cli *cli, const struct bl_app_retention *r)
{
    static const char *const cols[] = {"kind",   "days",       "setting",    "what",
                                       "pruned", "last_prune", "last_pruned"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 7);
    int rc = 0;
    for (int k = 0; k < BL_RETAIN_NKINDS && !rc; k++) {
        const struct bl_app_retention_item *x = &r->items[k];
        char at[BL_ISO_MAX] = "";
        struct bl_val v[7] = {bl_val_text(bl_str_c(x->kind)),
                              x->days ? bl_val_int(x->days) : bl_val_text(BL_STR("keep")),
                              bl_val_text(x->is_default ? BL_STR("default") : BL_STR("set")),
                              bl_val_text(bl_str_c(about[k])),
                              bl_val_int(x->pruned),
                              x->last_at ? bl_val_text(bl_str_c(bl_time_format(x->last_at, at)))
                                         : bl_val_null(),
                              bl_val_int(x->last_pruned)};
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    return rc || erc ? 1 : 0;
}

static int retention_show(struct bl_cli *cli)
{
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_app_retention r;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_retention_show(st, org, &r, &d);
    bl_store_close(st);
    return rc ? bl_cli_fail(cli, &d) : show(cli, &r);
}

/* "30", "keep" or "default" into *days. */
static int days_arg(struct bl_cli *cli, const char *opt, const char *text, int64_t *days)
{
    if (strcmp(text, "keep") == 0) {
        *days = BL_RETENTION_KEEP;
        return 0;
    }
    if (strcmp(text, "default") == 0) {
        *days = BL_RETENTION_DEFAULT;
        return 0;
    }
    return bl_cli_parse_int(cli, "retention set", opt, text, 1, BL_APP_RETENTION_MAX_DAYS, days)
               ? 2
               : 0;
}

static int retention_set(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"webhook-delivered", required_argument, NULL, 0},
        {"webhook-failed", required_argument, NULL, 1},
        {"webhook-events", required_argument, NULL, 2},
        {"idempotency", required_argument, NULL, 3},
        {"audit", required_argument, NULL, 4},
        {NULL, 0, NULL, 0},
    };
    struct bl_app_retention_set_req req = {0};
    bool any = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c < 0 || c >= BL_RETAIN_NKINDS)
            return bl_cli_bad_option(cli, "retention set", argv, opts);
        char opt[40];
        snprintf(opt, sizeof(opt), "--%s", opts[c].name);
        if (days_arg(cli, opt, optarg, &req.days[c]))
            return 2;
        req.set[c] = any = true;
    }
    if (!any || optind < argc)
        return bl_cli_usage(cli, "retention set",
                            "give one or more of --webhook-delivered, --webhook-failed, "
                            "--webhook-events, --idempotency, --audit, each DAYS, keep or "
                            "default");
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_app_retention r;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_retention_set(st, org, &req, &r, &d);
    bl_store_close(st);
    return rc ? bl_cli_fail(cli, &d) : show(cli, &r);
}

static int retention_prune(struct bl_cli *cli)
{
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_app_retention_pruned p;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_retention_prune(st, org, 0, &p, &d);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    static const char *const cols[] = {"kind", "removed", "note"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 3);
    for (int k = 0; k < BL_RETAIN_NKINDS && !rc; k++) {
        const char *note = p.kept[k]   ? "kept: every row (retention set ... default to prune)"
                           : p.more[k] ? "more left: the next prune goes on"
                                       : "";
        struct bl_val v[3] = {
            bl_val_text(bl_str_c(bl_retention_kind_name((enum bl_retention_kind)k))),
            bl_val_int(p.removed[k]), note[0] ? bl_val_text(bl_str_c(note)) : bl_val_null()};
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    return rc || erc ? 1 : 0;
}

int bl_cmd_retention(struct bl_cli *cli, int argc, char **argv)
{
    const char *sub = argc >= 2 ? argv[1] : "";
    if (strcmp(sub, "show") == 0 && argc == 2)
        return retention_show(cli);
    if (strcmp(sub, "set") == 0)
        return retention_set(cli, argc - 1, argv + 1);
    if (strcmp(sub, "prune") == 0 && argc == 2)
        return retention_prune(cli);
    return bl_cli_usage(cli, "retention", "expected show, set or prune");
}
