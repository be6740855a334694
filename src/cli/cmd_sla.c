/* cmd_sla.c - `ballast sla --as-of T [--dry-run]`: shipments past their channel's SLA
 * days without delivery; the carrier waives the freight, credited once in the shop's
 * ledger. The shell around bl_app_sla (src/app/logistics.h).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "cli/logistics_load.h"
#include "cli/out.h"

static const char *const sla_cols[] = {"shop",     "order",        "channel",      "shipped_at",
                                       "sla_days", "sla_deadline", "delivered_at", "freight",
                                       "currency", "remedy",       "state"};
static const char *const state_names[] = {"claimed", "due (dry run)", "claimed before"};

static int sla_print(struct bl_cli *cli, const struct bl_app_sla_res *res)
{
    struct bl_out out;
    bl_out_begin(&out, cli, sla_cols, sizeof(sla_cols) / sizeof(sla_cols[0]));
    int rc = BL_OK;
    for (size_t k = 0; !rc && k < res->n; k++) {
        const struct bl_app_sla_claim *x = &res->c[k];
        char t1[BL_ISO_MAX], t2[BL_ISO_MAX], t3[BL_ISO_MAX], fr[40];
        struct bl_val v[] = {
            bl_val_text(bl_str_c(x->shop)),
            bl_val_text(bl_str_c(x->order)),
            bl_val_text(bl_str_c(x->channel)),
            bl_val_text(bl_str_c(bl_time_format(x->shipped, t1))),
            bl_val_int(x->sla_days),
            bl_val_text(bl_str_c(bl_time_format(x->deadline, t2))),
            bl_val_text(bl_str_c(x->delivered ? bl_time_format(x->delivered_at, t3) : "")),
            bl_val_text(
                bl_str_c(x->priced ? bl__lg_money_text(x->freight, x->exp, fr, sizeof(fr)) : "")),
            bl_val_text(bl_str_c(x->currency)),
            bl_val_text(bl_str_c(x->remedy)),
            bl_val_text(bl_str_c(state_names[x->state])),
        };
        rc = bl_out_row(&out, v);
    }
    int rc2 = bl_out_end(&out);
    return rc ? rc : rc2;
}

int bl_cmd_sla(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},
        {"dry-run", no_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct bl_app_sla_req req = {0, false, 0, 0, NULL};
    bool has_as_of = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            if (bl_cli_as_of(cli, "sla", optarg, NULL, &req.as_of))
                return 2;
            has_as_of = true;
            break;
        case 'n':
            req.dry_run = true;
            break;
        case 'f':
            if (bl_cli_set_format(cli, optarg))
                return 2;
            break;
        default:
            return bl_cli_bad_option(cli, "sla", argv, opts);
        }
    }
    if (optind != argc || !has_as_of)
        return bl_cli_usage(cli, "sla", "--as-of is required (an ISO 8601 instant)");
    struct bl_store *st;
    int64_t org;
    struct bl_app_logistics cat;
    if (bl__lg_open(cli, &st, &org, &cat))
        return 1;
    req.cat = &cat;
    req.now = bl_cli_now();
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_sla_res res;
    int rc = bl_app_sla(st, org, &req, &res, &d);
    bl_store_close(st);
    if (!rc)
        rc = sla_print(cli, &res);
    if (!rc && cli->format == BL_FMT_TABLE)
        fprintf(cli->err, "ballast: %zu shipment%s past %s SLA, %zu new claim%s%s\n", res.n,
                res.n == 1 ? "" : "s", res.n == 1 ? "its" : "their", res.added,
                res.added == 1 ? "" : "s", req.dry_run ? " (dry run: nothing stored)" : "");
    bl_app_sla_res_release(&res);
    bl_app_logistics_release(&cat);
    return rc ? bl__lg_fail(cli, &d, rc) : 0;
}
