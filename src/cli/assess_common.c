/* assess_common.c - options, loading and --explain shared by assess and compensate. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/assess_common.h"
#include "cli/out.h"

#include "ballast/time.h"

int bl_assess_args_parse(struct bl_cli *cli, const char *cmd, int argc, char **argv,
                         bool allow_explain, struct bl_assess_args *a)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},  {"window", required_argument, NULL, 'w'},
        {"profile", required_argument, NULL, 'p'}, {"shop", required_argument, NULL, 's'},
        {"explain", required_argument, NULL, 'e'}, {"tz", required_argument, NULL, 'z'},
        {"format", required_argument, NULL, 'f'},  {"dry-run", no_argument, NULL, 'n'},
        {"all-shops", no_argument, NULL, 'A'},
        {NULL, 0, NULL, 0},
    };
    memset(a, 0, sizeof(*a));
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'a': a->as_of = optarg; break;
        case 'p': a->profile = optarg; break;
        case 's': a->shop = optarg; break;
        case 'z': a->tz = optarg; break;
        case 'n': a->dry_run = true; break;
        case 'A': a->all_shops = true; break;
        case 'e':
            if (!allow_explain)
                return bl_cli_usage(cli, cmd, "--explain is for 'ballast assess'");
            a->explain = optarg;
            break;
        case 'w': {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (!*optarg || *end || v < 1 || v > 365)
                return bl_cli_usage(cli, cmd, "--window %s: expected whole days, 1 to 365",
                                    optarg);
            a->window = (int)v;
            break;
        }
        case 'f':
            if (bl_cli_set_format(cli, optarg))
                return 2;
            break;
        default:
            return bl_cli_usage(cli, cmd,
                                "unknown option '%s'; usage: %s --as-of T --profile P "
                                "[--window DAYS] [--shop S | --all-shops]%s [--tz ZONE] [--dry-run] "
                                "[--format table|csv|json]",
                                argv[optind - 1], cmd, allow_explain ? " [--explain ORDER]" : "");
        }
    }
    if (optind < argc)
        return bl_cli_usage(cli, cmd, "unexpected argument '%s'", argv[optind]);
    if (!a->as_of)
        return bl_cli_usage(cli, cmd,
                            "--as-of is required: an ISO 8601 instant (2018-06-05T00:00:00Z) "
                            "or a date meaning the end of that day in --tz (default UTC)");
    if (!a->profile)
        return bl_cli_usage(cli, cmd,
                            "--profile is required: kuaishou, douyin, amazon, temu, own-site "
                            "or a profiles/NAME.json of yours");
    return 0;
}

int bl_assess_run_open(struct bl_cli *cli, const struct bl_assess_args *a, struct bl_assess_run *r,
                       struct bl_diag *d)
{
    memset(r, 0, sizeof(*r));
    bl_arena_init(&r->arena, 1u << 16);
    r->profile = &r->prof;
    r->snap = &r->snapshot;
    int rc = bl_profile_load(bl_profile_dir(), a->profile, &r->prof, d);
    if (!rc && (rc = bl_cli_parse_as_of(a->as_of, a->tz, &r->as_of, d)) != BL_OK)
        bl_diag_at(d, NULL, 0, "--as-of");
    if (rc) {
        bl_arena_release(&r->arena);
        return rc;
    }
    r->window = a->window ? a->window : r->prof.window_days;
    if (bl_cli_open(cli, false, &r->st, &r->org)) {
        bl_arena_release(&r->arena);
        return bl_diag_set(d, BL_ESTORE, "cannot open the store (see above)");
    }
    /* Only orders that can be judged: the longest window any rule or the
     * compensation uses, plus the days a carry-over may look back. */
    int span = r->window > r->prof.comp_days ? r->window : r->prof.comp_days;
    for (size_t k = 0; k < r->prof.nrules; k++)
        if (r->prof.rules[k].window_days > span)
            span = r->prof.rules[k].window_days;
    int64_t since = r->as_of - (int64_t)(span + r->prof.carry_days + 1) * 86400;
    rc = bl_snapshot_load(r->st, r->org, since, r->as_of, &r->snapshot, d);
    if (!rc)
        rc = bl_assess_prepare(r->snap->regions, r->snap->dis, r->snap->ndis, r->snap->prot,
                               r->snap->nprot, r->snap->nshops, &r->arena, &r->ctx, d);
    if (!rc && !(r->skip = bl_calloc(r->snap->nshops + 1, sizeof(bool))))
        rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    int64_t only = -1;
    if (!rc && a->shop && (only = bl_snapshot_shop_by_ext(r->snap, a->shop)) < 0)
        rc = bl_diag_set(d, BL_ENOTFOUND, "--shop %s: no shop with that id", a->shop);
    for (size_t s = 0; !rc && s < r->snap->nshops; s++) {
        bool in = only >= 0 ? (int64_t)s == only
                            : a->all_shops || strcmp(r->snap->shops[s].profile, r->prof.name) == 0;
        r->skip[s] = !in;
        r->nscope += in;
    }
    if (!rc && !r->nscope && !a->explain)
        rc = bl_diag_set(d, BL_ENOTFOUND,
                         "no shop uses profile %s (see the profile column of shops.csv): "
                         "name one with --shop, or rate every shop with --all-shops",
                         r->prof.name);
    if (rc)
        bl_assess_run_close(r);
    return rc;
}

void bl_assess_run_close(struct bl_assess_run *r)
{
    bl_free(r->skip);
    r->skip = NULL;
    bl_snapshot_free(&r->snapshot);
    bl_arena_release(&r->arena);
    bl_store_close(r->st);
    r->st = NULL;
}

int64_t bl_assess_order_index(const struct bl_assess_run *r, int64_t id)
{
    return bl_snapshot_order(r->snap, id);
}

/* ---- --explain ---------------------------------------------------------------------- */

struct find_ctx {
    int64_t id, n;
};

static int find_row(void *vctx, const struct bl_row *row)
{
    struct find_ctx *c = vctx;
    c->id = bl_row_int(row, 0);
    c->n++;
    return 0;
}

struct cause_ctx {
    char text[300];
};

static int cause_row(void *vctx, const struct bl_row *row)
{
    struct cause_ctx *c = vctx;
    char s[BL_ISO_MAX], e[BL_ISO_MAX];
    struct bl_str kind = bl_row_text(row, 0), region = bl_row_text(row, 1),
                  scope = bl_row_text(row, 2), note = bl_row_text(row, 6);
    int64_t ends = bl_row_int(row, 4);
    if (!bl_row_isnull(row, 5) && bl_row_int(row, 5) < ends)
        ends = bl_row_int(row, 5);
    snprintf(c->text, sizeof(c->text), "%.*s in %.*s (scope %.*s) from %s to %s%s%.*s",
             (int)kind.len, kind.ptr, (int)region.len, region.ptr, (int)scope.len, scope.ptr,
             bl_time_format(bl_row_int(row, 3), s), bl_time_format(ends, e),
             note.len ? ": " : "", (int)note.len, note.ptr);
    return 0;
}

static int prot_row(void *vctx, const struct bl_row *row)
{
    struct cause_ctx *c = vctx;
    char s[BL_ISO_MAX], e[BL_ISO_MAX];
    struct bl_str reason = bl_row_text(row, 2);
    snprintf(c->text, sizeof(c->text), "protection window from %s to %s: %.*s",
             bl_time_format(bl_row_int(row, 0), s), bl_time_format(bl_row_int(row, 1), e),
             (int)reason.len, reason.ptr);
    return 0;
}

static void why_text(struct bl_assess_run *r, enum bl_why why, int64_t cause, const char *what,
                     char *out, size_t cap)
{
    struct cause_ctx cc = {""};
    struct bl_diag ignore;
    struct bl_val p[2] = {bl_val_int(r->org), bl_val_int(cause)};
    switch (why) {
    case BL_WHY_NOT_DUE:
        snprintf(out, cap, "not due: its %s is not in the window", what);
        return;
    case BL_WHY_CANCELLED:
        snprintf(out, cap, "not due: the order was cancelled");
        return;
    case BL_WHY_COUNTED:
        snprintf(out, cap, "counted: no disruption or protection applies");
        return;
    case BL_WHY_NO_ORIGIN:
        snprintf(out, cap,
                 "counted: the order has no ship-from region, and profile %s gives such "
                 "orders no protection",
                 r->profile->name);
        return;
    case BL_WHY_PROTECTION:
        if (bl_store_query(r->st,
                           "SELECT starts_at, ends_at, reason FROM protection"
                           " WHERE org_id = $1 AND id = $2",
                           p, 2, prot_row, &cc, &ignore)) {
        }
        snprintf(out, cap, "exempt: the shop's approved protection #%lld covers it (%s)",
                 (long long)cause, cc.text);
        return;
    case BL_WHY_DISRUPTION_ORIGIN:
    case BL_WHY_DISRUPTION_DESTINATION:
        if (bl_store_query(r->st,
                           "SELECT kind, region, scope, starts_at, ends_at, lifted_at,"
                           " COALESCE(note, '') FROM disruption WHERE org_id = $1 AND id = $2",
                           p, 2, cause_row, &cc, &ignore)) {
        }
        snprintf(out, cap, "exempt: disruption #%lld, %s, covers its %s region", (long long)cause,
                 cc.text, why == BL_WHY_DISRUPTION_ORIGIN ? "ship-from" : "ship-to");
        return;
    }
    snprintf(out, cap, "?");
}

static struct bl_val tval(int64_t t, char *buf)
{
    return t == BL_NO_TIME ? bl_val_text(BL_STR("")) : bl_val_text(bl_str_c(bl_time_format(t, buf)));
}

int bl_assess_explain(struct bl_cli *cli, struct bl_assess_run *r, const char *order,
                      int64_t shop, struct bl_diag *d)
{
    struct find_ctx fc = {0, 0};
    struct bl_val p[3] = {bl_val_int(r->org), bl_val_text(bl_str_c(order)),
                          bl_val_int(shop >= 0 ? r->snap->shops[shop].id : 0)};
    int rc = bl_store_query(r->st,
                            shop >= 0 ? "SELECT id FROM orders WHERE org_id = $1 AND ext_id = $2"
                                        " AND shop_id = $3"
                                      : "SELECT id FROM orders WHERE org_id = $1 AND ext_id = $2"
                                        " AND $3 = 0",
                            p, 3, find_row, &fc, d);
    if (rc)
        return rc;
    if (fc.n == 0)
        return bl_diag_set(d, BL_ENOTFOUND, "--explain %s: no such order%s", order,
                           shop >= 0 ? " in that shop" : "");
    if (fc.n > 1)
        return bl_diag_set(d, BL_ECONFLICT,
                           "--explain %s: %lld shops have an order with this id: add --shop",
                           order, (long long)fc.n);
    int64_t i = bl_assess_order_index(r, fc.id);
    if (i < 0)
        return bl_diag_set(d, BL_ENOTFOUND,
                           "--explain %s: placed after the as-of, or too old to count in any "
                           "window of this assessment",
                           order);
    struct bl_verdict v;
    bl_assess_order(r->ctx, &r->snap->orders, (size_t)i, r->profile, r->as_of, r->window, &v);
    const struct bl_assess_orders *o = &r->snap->orders;
    static const char *const cols[] = {"item", "value"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 2);
    char b[12][BL_ISO_MAX], ship[400], dlv[400], tmp[200];
    char win[120];
    snprintf(win, sizeof(win), "(%s, %s], %d days", bl_time_format(r->as_of - (int64_t)r->window * 86400, b[0]),
             bl_time_format(r->as_of, b[1]), r->window);
    why_text(r, v.why, v.cause_id, "promised ship-by", ship, sizeof(ship));
    why_text(r, v.delivery_why, v.delivery_cause_id, "promised delivery", dlv, sizeof(dlv));
    const char *from = bl_regions_name(r->snap->regions, o->from[i]);
    const char *to = bl_regions_name(r->snap->regions, o->to[i]);
    struct {
        const char *k;
        struct bl_val v;
    } rows[24];
    size_t n = 0;
#define ROW(key, val) (rows[n].k = (key), rows[n].v = (val), n++)
    ROW("order", bl_val_text(bl_str_c(order)));
    ROW("shop", bl_val_text(bl_str_c(r->snap->shops[o->shop[i]].ext)));
    ROW("profile", bl_val_text(bl_str_c(r->profile->name)));
    ROW("window", bl_val_text(bl_str_c(win)));
    ROW("placed_at", tval(o->placed[i], b[2]));
    ROW("ship_by", tval(o->ship_by[i], b[3]));
    ROW("shipped_at", tval(o->shipped[i], b[4]));
    ROW("picked_up_at", tval(o->picked_up[i], b[5]));
    ROW("promised_at", tval(o->promised[i], b[6]));
    ROW("delivered_at", tval(o->delivered[i], b[7]));
    ROW("cancelled_at", tval(o->cancelled[i], b[8]));
    ROW("ship_from", bl_val_text(bl_str_c(from && from[0] ? from : "(none)")));
    ROW("ship_to", bl_val_text(bl_str_c(to && to[0] ? to : "(none)")));
    ROW("shipment", bl_val_text(bl_str_c(ship)));
    if (v.counted) {
        snprintf(tmp, sizeof(tmp), "%s",
                 v.on_time ? "on time: shipped at or before the promised ship-by"
                 : v.shipped ? "late: shipped after the promised ship-by"
                             : "late: not shipped by the promised ship-by (as of the as-of)");
        ROW("on_time", bl_val_text(bl_str_c(tmp)));
        ROW("pickup",
            bl_val_text(bl_str_c(!v.shipped          ? "not shipped"
                                 : v.pickup_anomaly ? "anomaly: no carrier pickup within the "
                                                      "profile's hours of shipping"
                                                    : "carrier pickup in time")));
    }
    ROW("delivery", bl_val_text(bl_str_c(dlv)));
    if (v.delivery_counted)
        ROW("delivered_late", bl_val_text(bl_str_c(v.delivered_late ? "yes" : "no")));
    if (v.placed_in_window)
        ROW("seller_cancel", bl_val_text(bl_str_c(v.seller_cancel ? "yes" : "no")));
#undef ROW
    for (size_t k = 0; k < n && !rc; k++) {
        struct bl_val row[2] = {bl_val_text(bl_str_c(rows[k].k)), rows[k].v};
        rc = bl_out_row(&out, row);
    }
    int erc = bl_out_end(&out);
    rc = rc ? rc : erc;
    if (rc)
        bl_diag_set(d, rc, "--explain: cannot print: %s", bl_strerror(rc));
    return rc;
}
