/* cmd_promise.c - `ballast promise`: the delivery window a listing displays, per SKU and
 * destination, as of an instant. The shell around bl_app_promise (src/app/logistics.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/logistics_load.h"
#include "cli/out.h"


static const char *const promise_cols[] = {"sku",      "from",     "to",      "window",
                                           "min_days", "max_days", "channel", "tier",
                                           "earliest", "latest",   "note"};

static int promise_print(struct bl_out *o, const struct bl_lg *lg, const char *from,
                         const struct bl_app_promise_line *l)
{
    const struct bl_lg_promise *r = &l->p;
    char win[64] = "", e[BL_ISO_MAX], la[BL_ISO_MAX], note[600];
    const char *code;
    bl_app_promise_note(lg, from, l, note, sizeof(note), &code);
    if (r->state == BL_LG_ROUTED)
        snprintf(win, sizeof(win), "%lld-%lld days", (long long)r->min_days,
                 (long long)r->max_days);
    const struct bl_lg_channel *ch = r->channel >= 0 ? bl_lg_channel(lg, (size_t)r->channel) : NULL;
    struct bl_val v[11] = {
        bl_val_text(bl_str_c(l->sku)),
        bl_val_text(bl_str_c(from)),
        bl_val_text(bl_str_c(l->to)),
        ch ? bl_val_text(bl_str_c(win)) : bl_val_null(),
        ch ? bl_val_int(r->min_days) : bl_val_null(),
        ch ? bl_val_int(r->max_days) : bl_val_null(),
        ch ? bl_val_text(bl_str_c(ch->id)) : bl_val_null(),
        ch ? bl_val_text(bl_str_c(bl__lg_tier(ch->tier))) : bl_val_null(),
        ch ? bl_val_text(bl_str_c(bl_date_format(r->earliest_day, e))) : bl_val_null(),
        ch ? bl_val_text(bl_str_c(bl_date_format(r->latest_day, la))) : bl_val_null(),
        note[0] ? bl_val_text(bl_str_c(note)) : bl_val_null(),
    };
    return bl_out_row(o, v);
}

static int promise_opts(struct bl_cli *cli, int argc, char **argv, struct bl_app_promise_req *req,
                        char *from, char *to, struct bl_lg_policy *pol)
{
    static const struct option opts[] = {
        {"sku", required_argument, NULL, 'k'},    {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},     {"as-of", required_argument, NULL, 'a'},
        {"shop", required_argument, NULL, 's'},   {"policy", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0},
    };
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int bad = 0;
        switch (c) {
        case 'k':
            req->sku = optarg;
            break;
        case 's':
            req->shop = optarg;
            break;
        case 'F':
            bad = bl__lg_parse_region(cli, "promise", "--from", optarg, from);
            req->from = from;
            break;
        case 'T':
            bad = bl__lg_parse_region(cli, "promise", "--to", optarg, to);
            req->to = to;
            break;
        case 'a':
            bad = bl_cli_as_of(cli, "promise", optarg, NULL, &req->as_of);
            break;
        case 'p':
            bad = bl__lg_parse_policy(cli, "promise", optarg, pol);
            req->policy = pol;
            break;
        case 'f':
            bad = bl_cli_set_format(cli, optarg);
            break;
        default:
            return bl_cli_bad_option(cli, "promise", argv, opts);
        }
        if (bad)
            return 2;
    }
    if (optind != argc)
        return bl_cli_usage(cli, "promise", "takes no arguments besides its options");
    return 0;
}

int bl_cmd_promise(struct bl_cli *cli, int argc, char **argv)
{
    char from[BL_REGION_MAX] = "", to[BL_REGION_MAX] = "";
    struct bl_lg_policy pol;
    struct bl_app_promise_req req = {.as_of = bl_cli_now()};
    int status = promise_opts(cli, argc, argv, &req, from, to, &pol);
    if (status)
        return status;
    struct bl_store *st;
    int64_t org;
    struct bl_app_logistics cat;
    if (bl__lg_open(cli, &st, &org, &cat))
        return 1;
    req.cat = &cat;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_promise_res res;
    int rc = bl_app_promise(st, org, &req, &res, &d);
    bl_store_close(st);
    struct bl_out o;
    bl_out_begin(&o, cli, promise_cols, 11);
    for (size_t i = 0; !rc && i < res.n; i++)
        rc = promise_print(&o, cat.lg, res.from, &res.line[i]);
    int rc2 = bl_out_end(&o);
    rc = rc ? rc : rc2;
    if (!rc && res.ndest == 0)
        fprintf(cli->err, "ballast: no lane starts in %s: nothing to promise\n", res.from);
    bl_app_promise_res_release(&res);
    bl_app_logistics_release(&cat);
    return rc ? bl__lg_fail(cli, &d, rc) : 0;
}
