/* cmd_promise.c - `ballast route policy` (per-shop routing policy), `ballast
 * promise` (listing windows per SKU and destination), `ballast refund` (the
 * decision for a refund request, recorded once) and `ballast windows` (the
 * catalogue's windows against real deliveries). The shell around the pure
 * bl_lg_promise / bl_refund_decide (logistics.h).
 */
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/logistics_load.h"
#include "cli/out.h"

#include "ballast/csv.h"
#include "ballast/money.h"
#include "ballast/region.h"

#define DEFAULT_SHARE_BP 5000

static const char *const tier_names[] = {"core", "backup"};

static int fail_rc(struct bl_cli *cli, struct bl_diag *d, int rc)
{
    if (!d->code)
        bl_diag_set(d, rc, "%s", bl_strerror(rc));
    return bl_cli_fail(cli, d);
}

/* "cheapest", "fastest" or "preferred:CARRIER" (the carrier points into text). */
int bl__lg_policy_parse(const char *text, struct bl_lg_policy *p)
{
    if (strcmp(text, "cheapest") == 0)
        *p = (struct bl_lg_policy){BL_LG_CHEAPEST, NULL};
    else if (strcmp(text, "fastest") == 0)
        *p = (struct bl_lg_policy){BL_LG_FASTEST, NULL};
    else if (strncmp(text, "preferred:", 10) == 0 && text[10])
        *p = (struct bl_lg_policy){BL_LG_PREFERRED, text + 10};
    else
        return BL_EINVAL;
    return BL_OK;
}

static int shop_id(struct bl_store *st, int64_t org, const char *ext, int64_t *id,
                   struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(ext))};
    int rc = bl_store_query_int(st, "SELECT id FROM shop WHERE org_id = $1 AND ext_id = $2", p, 2,
                                id, d);
    if (rc == BL_ENOTFOUND)
        return bl_diag_set(d, BL_ENOTFOUND, "no shop '%s'", ext);
    return rc;
}

/* Upserts one shop's policy; NULL leaves that column as it is. */
static int policy_set(struct bl_store *st, int64_t org, int64_t shop, const char *route,
                      const int64_t *share_bp, struct bl_diag *d)
{
    struct bl_val v[5] = {
        bl_val_int(org), bl_val_int(shop), route ? bl_val_text(bl_str_c(route)) : bl_val_null(),
        share_bp ? bl_val_int(*share_bp) : bl_val_null(), bl_val_int(bl_cli_now())};
    return bl_store_exec(st,
                         "INSERT INTO shop_policy (org_id, shop_id, route_policy, refund_share_bp,"
                         " updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, shop_id)"
                         " DO UPDATE SET route_policy = COALESCE(excluded.route_policy,"
                         " shop_policy.route_policy), refund_share_bp ="
                         " COALESCE(excluded.refund_share_bp, shop_policy.refund_share_bp),"
                         " updated_at = excluded.updated_at",
                         v, 5, NULL, d);
}

/* A share "0.5" (0..1, up to 4 decimals) in basis points. */
static int parse_share(const char *text, int64_t *bp)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_money_parse(bl_str_c(text), 4, bp, &d) || *bp < 0 || *bp > 10000)
        return BL_EINVAL;
    return BL_OK;
}

static const char *const pol_cols[] = {"shop", "route_policy", "refund_share"};

static int pol_row(void *ctx, const struct bl_row *r)
{
    char share[40];
    int64_t bp = bl_row_isnull(r, 2) ? DEFAULT_SHARE_BP : bl_row_int(r, 2);
    bl__lg_money_text(bp, 4, share, sizeof(share));
    struct bl_val v[3] = {bl_val_text(bl_row_text(r, 0)),
                          bl_val_text(bl_row_isnull(r, 1) ? BL_STR("cheapest") : bl_row_text(r, 1)),
                          bl_val_text(bl_str_c(share))};
    return bl_out_row(ctx, v);
}

/* `route policy import FILE`: columns shop, and route_policy and/or refund_share. */
static int policy_import(struct bl_store *st, int64_t org, const char *path, size_t *n,
                         struct bl_diag *d)
{
    struct bl_csv *csv;
    int rc = bl_csv_open(&csv, path, d);
    if (rc)
        return rc;
    struct bl_csv_record *rec = bl_malloc(sizeof(*rec));
    if (!rec) {
        bl_csv_close(csv);
        return BL_ENOMEM;
    }
    int col_shop = -1, col_pol = -1, col_share = -1;
    rc = bl_csv_next(csv, rec, d);
    if (rc == 1) {
        for (size_t i = 0; i < rec->nfields; i++) {
            if (bl_str_eq_c(rec->field[i], "shop"))
                col_shop = (int)i;
            else if (bl_str_eq_c(rec->field[i], "route_policy"))
                col_pol = (int)i;
            else if (bl_str_eq_c(rec->field[i], "refund_share"))
                col_share = (int)i;
        }
        rc = col_shop < 0 ? bl_diag_set(d, BL_EPARSE, "%s: no column 'shop'", path) : BL_OK;
    } else if (rc == 0) {
        rc = bl_diag_set(d, BL_EPARSE, "%s: empty file", path);
    }
    if (!rc)
        rc = bl_store_begin(st, d);
    int more = 0;
    while (!rc && (more = bl_csv_next(csv, rec, d)) == 1) {
        char shop[256], pol[256];
        struct bl_str f[3] = {{"", 0}, {"", 0}, {"", 0}};
        int cols[3] = {col_shop, col_pol, col_share};
        for (int k = 0; k < 3; k++)
            if (cols[k] >= 0 && (size_t)cols[k] < rec->nfields)
                f[k] = rec->field[cols[k]];
        if (f[0].len == 0 || f[0].len >= sizeof(shop) || f[1].len >= sizeof(pol)) {
            rc = bl_diag_set(d, BL_EPARSE, "%s:%lld: column 'shop': missing or too long", path,
                             (long long)rec->line);
            break;
        }
        memcpy(shop, f[0].ptr, f[0].len);
        shop[f[0].len] = 0;
        memcpy(pol, f[1].ptr, f[1].len);
        pol[f[1].len] = 0;
        struct bl_lg_policy p;
        if (pol[0] && bl__lg_policy_parse(pol, &p)) {
            rc = bl_diag_set(d, BL_EPARSE,
                             "%s:%lld: column 'route_policy': '%s': expected cheapest, fastest "
                             "or preferred:CARRIER",
                             path, (long long)rec->line, pol);
            break;
        }
        int64_t bp = 0;
        char sh[64];
        if (f[2].len) {
            if (f[2].len >= sizeof(sh))
                f[2].len = sizeof(sh) - 1;
            memcpy(sh, f[2].ptr, f[2].len);
            sh[f[2].len] = 0;
            if (parse_share(sh, &bp)) {
                rc =
                    bl_diag_set(d, BL_EPARSE, "%s:%lld: column 'refund_share': '%s': expected 0..1",
                                path, (long long)rec->line, sh);
                break;
            }
        }
        int64_t id;
        rc = shop_id(st, org, shop, &id, d);
        if (rc) {
            d->line = rec->line;
            break;
        }
        rc = policy_set(st, org, id, pol[0] ? pol : NULL, f[2].len ? &bp : NULL, d);
        (*n)++;
    }
    if (!rc && more < 0)
        rc = more;
    if (!rc)
        rc = bl_store_commit(st, d);
    if (rc) {
        struct bl_diag ignore;
        if (bl_store_rollback(st, &ignore)) {
        }
    }
    bl_free(rec);
    bl_csv_close(csv);
    return rc;
}

/* `ballast route policy list | import FILE | --shop S POLICY` and
 * `ballast refund policy --shop S SHARE` (which = "route" or "refund"). */
static int cmd_policy(struct bl_cli *cli, const char *which, int argc, char **argv)
{
    bool route = strcmp(which, "route") == 0;
    const char *usage = route ? "usage: route policy list | import FILE | --shop SHOP "
                                "cheapest|fastest|preferred:CARRIER"
                              : "usage: refund policy list | --shop SHOP SHARE (0..1, default 0.5)";
    static const struct option opts[] = {{"shop", required_argument, NULL, 's'},
                                         {"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    const char *shop = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 's')
            shop = optarg;
        else if (c != 'f' || bl_cli_set_format(cli, optarg))
            return bl_cli_usage(cli, which, "%s", usage);
    }
    int nargs = argc - optind;
    char **args = argv + optind;
    bool list = !shop && nargs == 1 && strcmp(args[0], "list") == 0;
    bool import = route && !shop && nargs == 2 && strcmp(args[0], "import") == 0;
    if (!list && !import && !(shop && nargs == 1))
        return bl_cli_usage(cli, which, "%s", usage);
    struct bl_lg_policy p;
    int64_t bp = 0;
    if (shop && route && bl__lg_policy_parse(args[0], &p))
        return bl_cli_usage(cli, which, "%s: expected cheapest, fastest or preferred:CARRIER",
                            args[0]);
    if (shop && !route && parse_share(args[0], &bp))
        return bl_cli_usage(cli, which, "%s: expected a share from 0 to 1, e.g. 0.5", args[0]);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = BL_OK;
    if (list) {
        struct bl_out o;
        bl_out_begin(&o, cli, pol_cols, 3);
        struct bl_val v = bl_val_int(org);
        rc = bl_store_query(st,
                            "SELECT s.ext_id, p.route_policy, p.refund_share_bp FROM shop s"
                            " LEFT JOIN shop_policy p ON p.org_id = s.org_id AND p.shop_id = s.id"
                            " WHERE s.org_id = $1 ORDER BY s.ext_id",
                            &v, 1, pol_row, &o, &d);
        int rc2 = bl_out_end(&o);
        rc = rc ? rc : rc2;
    } else if (import) {
        size_t n = 0;
        rc = policy_import(st, org, args[1], &n, &d);
        if (!rc)
            fprintf(cli->err, "ballast: %zu shop polic%s set\n", n, n == 1 ? "y" : "ies");
    } else {
        int64_t id;
        rc = shop_id(st, org, shop, &id, &d);
        if (!rc)
            rc = policy_set(st, org, id, route ? args[0] : NULL, route ? NULL : &bp, &d);
    }
    bl_store_close(st);
    return rc ? fail_rc(cli, &d, rc) : 0;
}

int bl__lg_route_policy(struct bl_cli *cli, int argc, char **argv)
{
    return cmd_policy(cli, "route", argc, argv);
}

/* ---------------------------------------------------------------- promise */

struct sku {
    const char *ext;
    int64_t weight_g, dims[3];
    int32_t hmin, hmax;
    bool has_weight;
};

struct promise_load {
    struct bl__lg_loader *L;
    struct sku *sk;
    size_t nsk, skcap;
    char (*dest)[BL_REGION_MAX];
    size_t ndest, destcap;
    const char *from;
    const char *shop_from, *shop_policy;
};

static int sku_row(void *ctx, const struct bl_row *r)
{
    struct promise_load *c = ctx;
    if (bl_grow((void **)&c->sk, &c->skcap, c->nsk + 1, sizeof(*c->sk)))
        return BL_ENOMEM;
    struct sku *k = &c->sk[c->nsk++];
    k->ext = bl__lg_keep(c->L, r, 0);
    k->has_weight = !bl_row_isnull(r, 1);
    k->weight_g = bl_row_int(r, 1);
    for (size_t i = 0; i < 3; i++)
        k->dims[i] = bl_row_int(r, 2 + i);
    if (!k->dims[0] || !k->dims[1] || !k->dims[2])
        k->dims[0] = k->dims[1] = k->dims[2] = 0;
    k->hmin = (int32_t)bl_row_int(r, 5);
    k->hmax = (int32_t)bl_row_int(r, 6);
    return 0;
}

static int dest_row(void *ctx, const struct bl_row *r)
{
    struct promise_load *c = ctx;
    struct bl_str o = bl_row_text(r, 0), to = bl_row_text(r, 1);
    if (!bl_region_contains(o, bl_str_c(c->from)) || to.len >= BL_REGION_MAX)
        return 0;
    for (size_t i = 0; i < c->ndest; i++)
        if (bl_str_eq_c(to, c->dest[i]))
            return 0;
    if (bl_grow((void **)&c->dest, &c->destcap, c->ndest + 1, sizeof(*c->dest)))
        return BL_ENOMEM;
    memcpy(c->dest[c->ndest], to.ptr, to.len);
    c->dest[c->ndest++][to.len] = 0;
    return 0;
}

static int shop_row(void *ctx, const struct bl_row *r)
{
    struct promise_load *c = ctx;
    c->shop_from = bl__lg_keep(c->L, r, 0);
    c->shop_policy = bl_row_isnull(r, 1) ? NULL : bl__lg_keep(c->L, r, 1);
    return 1; /* first row only */
}

static int from_row(void *ctx, const struct bl_row *r)
{
    struct promise_load *c = ctx;
    c->shop_from = bl__lg_keep(c->L, r, 0);
    return 1;
}

static const char *const promise_cols[] = {"sku",      "from",     "to",      "window",
                                           "min_days", "max_days", "channel", "tier",
                                           "earliest", "latest",   "note"};

static void dis_short(const struct bl_lg *lg, int32_t i, char *buf, size_t cap)
{
    const struct bl_lg_disruption *x = bl_lg_disruption(lg, (size_t)i);
    snprintf(buf, cap, "%s (%s in %s)", x->id[0] ? x->id : "(no id)", x->kind, x->region);
}

static int promise_print(struct bl_out *o, const struct bl_lg *lg, const struct sku *k,
                         const char *from, const char *to, const struct bl_lg_promise *r)
{
    char win[64] = "", e[BL_ISO_MAX], l[BL_ISO_MAX], note[600] = "", dx[300];
    size_t nl = 0;
#define NOTE(...)                                                                                  \
    do {                                                                                           \
        if (nl < sizeof(note)) {                                                                   \
            int w_ = snprintf(note + nl, sizeof(note) - nl, __VA_ARGS__);                          \
            nl += w_ > 0 ? (size_t)w_ : 0;                                                         \
        }                                                                                          \
    } while (0)
    if (!k->has_weight)
        NOTE("no weight: quoted at 0 g; ");
    if (r->hold_disruption >= 0 && r->state == BL_LG_ROUTED) {
        dis_short(lg, r->hold_disruption, dx, sizeof(dx));
        NOTE("handling extended %lld day(s): ship-from disrupted by %s; ", (long long)r->hold_days,
             dx);
    }
    if (r->state == BL_LG_ROUTED) {
        if (r->fallback) {
            dis_short(lg, r->fail_disruption, dx, sizeof(dx));
            NOTE("backup tier: core channel suspended by %s; ", dx);
        } else if (r->fail_disruption >= 0) {
            dis_short(lg, r->fail_disruption, dx, sizeof(dx));
            NOTE("waits for %s to end; ", dx);
        }
        snprintf(win, sizeof(win), "%lld-%lld days", (long long)r->min_days,
                 (long long)r->max_days);
    } else if (r->state == BL_LG_SUSPENDED) {
        dis_short(lg, r->fail_disruption, dx, sizeof(dx));
        if (r->fail_disruption == r->hold_disruption)
            NOTE("unavailable: ship-from held by %s for over a year", dx);
        else
            NOTE("unavailable: every channel suspended by %s for over a year", dx);
    } else {
        NOTE("no channel serves %s -> %s at %lld g", from, to, (long long)k->weight_g);
    }
#undef NOTE
    while (nl > 0 && nl < sizeof(note) && (note[nl - 1] == ' ' || note[nl - 1] == ';'))
        note[--nl] = 0;
    const struct bl_lg_channel *ch = r->channel >= 0 ? bl_lg_channel(lg, (size_t)r->channel) : NULL;
    struct bl_val v[11] = {
        bl_val_text(bl_str_c(k->ext)),
        bl_val_text(bl_str_c(from)),
        bl_val_text(bl_str_c(to)),
        ch ? bl_val_text(bl_str_c(win)) : bl_val_null(),
        ch ? bl_val_int(r->min_days) : bl_val_null(),
        ch ? bl_val_int(r->max_days) : bl_val_null(),
        ch ? bl_val_text(bl_str_c(ch->id)) : bl_val_null(),
        ch ? bl_val_text(bl_str_c(tier_names[ch->tier])) : bl_val_null(),
        ch ? bl_val_text(bl_str_c(bl_date_format(r->earliest_day, e))) : bl_val_null(),
        ch ? bl_val_text(bl_str_c(bl_date_format(r->latest_day, l))) : bl_val_null(),
        note[0] ? bl_val_text(bl_str_c(note)) : bl_val_null(),
    };
    return bl_out_row(o, v);
}

int bl_cmd_promise(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"sku", required_argument, NULL, 'k'},    {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},     {"as-of", required_argument, NULL, 'a'},
        {"shop", required_argument, NULL, 's'},   {"policy", required_argument, NULL, 'p'},
        {"format", required_argument, NULL, 'f'}, {NULL, 0, NULL, 0},
    };
    const char *sku = NULL, *shop = NULL, *policy = NULL;
    char from[BL_REGION_MAX] = "", to[BL_REGION_MAX] = "";
    int64_t as_of = bl_cli_now();
    struct bl_lg_policy pol = {BL_LG_CHEAPEST, NULL};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'k':
            sku = optarg;
            break;
        case 's':
            shop = optarg;
            break;
        case 'F':
            if (bl__lg_parse_region(cli, "promise", "--from", optarg, from))
                return 2;
            break;
        case 'T':
            if (bl__lg_parse_region(cli, "promise", "--to", optarg, to))
                return 2;
            break;
        case 'a':
            if (bl_cli_parse_instant(cli, "promise", "--as-of", optarg, &as_of))
                return 2;
            break;
        case 'p':
            policy = optarg;
            if (bl__lg_policy_parse(optarg, &pol))
                return bl_cli_usage(cli, "promise",
                                    "--policy %s: expected cheapest, fastest or preferred:CARRIER",
                                    optarg);
            break;
        case 'f':
            if (bl_cli_set_format(cli, optarg))
                return 2;
            break;
        default:
            return bl_cli_usage(cli, "promise",
                                "usage: promise [--sku SKU] [--shop SHOP | --from REGION] "
                                "[--to REGION] [--as-of T] [--policy P]");
        }
    }
    if (optind != argc)
        return bl_cli_usage(cli, "promise", "takes no arguments besides its options");
    struct bl_store *st;
    int64_t org;
    struct bl__lg_loader L;
    if (bl__lg_open(cli, &st, &org, &L))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct promise_load pl = {.L = &L};
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(shop ? shop : ""))};
    int rc = BL_OK;
    if (shop) {
        rc = bl_store_query(st,
                            "SELECT COALESCE(s.ship_from, ''), p.route_policy FROM shop s LEFT JOIN"
                            " shop_policy p ON p.org_id = s.org_id AND p.shop_id = s.id"
                            " WHERE s.org_id = $1 AND s.ext_id = $2",
                            p, 2, shop_row, &pl, &d);
        if (rc == 1)
            rc = BL_OK;
        else if (!rc)
            rc = bl_diag_set(&d, BL_ENOTFOUND, "no shop '%s'", shop);
        if (!rc && !policy && pl.shop_policy && bl__lg_policy_parse(pl.shop_policy, &pol))
            pol = (struct bl_lg_policy){BL_LG_CHEAPEST, NULL};
    } else if (!from[0]) {
        /* the ship-from most shops use */
        rc = bl_store_query(st,
                            "SELECT ship_from FROM shop WHERE org_id = $1 AND ship_from IS NOT"
                            " NULL GROUP BY ship_from ORDER BY COUNT(*) DESC, ship_from LIMIT 1",
                            p, 1, from_row, &pl, &d);
        rc = rc == 1 ? BL_OK : rc;
    }
    if (!rc && !from[0]) {
        if (!pl.shop_from || !pl.shop_from[0] ||
            bl_region_parse(bl_str_c(pl.shop_from), from, NULL))
            rc = bl_diag_set(&d, BL_EINVAL, "no ship-from region: give --from REGION");
    }
    pl.from = from;
    if (!rc)
        rc = bl_store_query(st,
                            "SELECT ext_id, weight_g, length_mm, width_mm, height_mm,"
                            " handling_min, handling_max FROM sku WHERE org_id = $1"
                            " AND ($2 = '' OR ext_id = $2) ORDER BY ext_id",
                            (struct bl_val[]){p[0], bl_val_text(bl_str_c(sku ? sku : ""))}, 2,
                            sku_row, &pl, &d);
    if (!rc && sku && pl.nsk == 0)
        rc = bl_diag_set(&d, BL_ENOTFOUND, "no sku '%s'", sku);
    if (!rc && to[0]) {
        if (bl_grow((void **)&pl.dest, &pl.destcap, 1, sizeof(*pl.dest)))
            rc = BL_ENOMEM;
        else
            memcpy(pl.dest[pl.ndest++], to, sizeof(to));
    } else if (!rc) {
        rc = bl_store_query(st,
                            "SELECT DISTINCT origin, destination FROM channel_rate WHERE"
                            " org_id = $1 ORDER BY destination, origin",
                            p, 1, dest_row, &pl, &d);
    }
    bl_store_close(st);
    struct bl_out o;
    bl_out_begin(&o, cli, promise_cols, 11);
    uint32_t fnode = rc ? 0 : bl_lg_locate(L.lg, bl_str_c(from));
    for (size_t i = 0; !rc && i < pl.nsk; i++) {
        const struct sku *k = &pl.sk[i];
        for (size_t j = 0; !rc && j < pl.ndest; j++) {
            struct bl_lg_promise_in in = {fnode,
                                          bl_lg_locate(L.lg, bl_str_c(pl.dest[j])),
                                          k->weight_g < 0 ? 0 : k->weight_g,
                                          {k->dims[0], k->dims[1], k->dims[2]},
                                          as_of,
                                          k->hmin,
                                          k->hmax};
            struct bl_lg_promise r;
            rc = bl_lg_promise(L.lg, &pol, &in, &r, &d);
            if (!rc)
                rc = promise_print(&o, L.lg, k, from, pl.dest[j], &r);
        }
    }
    int rc2 = bl_out_end(&o);
    rc = rc ? rc : rc2;
    if (!rc && pl.ndest == 0)
        fprintf(cli->err, "ballast: no lane starts in %s: nothing to promise\n", from);
    bl_free(pl.sk);
    bl_free(pl.dest);
    bl__lg_loader_release(&L);
    return rc ? fail_rc(cli, &d, rc) : 0;
}

/* ---------------------------------------------------------------- refund */

struct refund_order {
    struct bl__lg_loader *L;
    int64_t id, shop_id, placed, shipped, picked, delivered, cancelled, amount, weight, share_bp;
    const char *ext, *shop, *from, *to, *currency;
    size_t n;
    /* a decision made before */
    bool decided;
    const char *decision, *warehouse, *note;
    int64_t refund, return_cost, threshold;
    bool has_return_cost;
};

#define NT INT64_MIN

static int64_t opt_int(const struct bl_row *r, size_t col)
{
    return bl_row_isnull(r, col) ? NT : bl_row_int(r, col);
}

static int refund_order_row(void *ctx, const struct bl_row *r)
{
    struct refund_order *o = ctx;
    if (o->n++)
        return 0;
    struct bl__lg_loader *L = o->L;
    o->id = bl_row_int(r, 0);
    o->shop_id = bl_row_int(r, 1);
    o->ext = bl__lg_keep(L, r, 2);
    o->shop = bl__lg_keep(L, r, 3);
    o->from = bl__lg_keep(L, r, 4);
    o->to = bl__lg_keep(L, r, 5);
    o->placed = bl_row_int(r, 6);
    o->shipped = opt_int(r, 7);
    o->picked = opt_int(r, 8);
    o->delivered = opt_int(r, 9);
    o->cancelled = opt_int(r, 10);
    o->amount = bl_row_int(r, 11);
    o->currency = bl__lg_keep(L, r, 12);
    o->weight = bl_row_int(r, 13);
    o->share_bp = bl_row_isnull(r, 14) ? DEFAULT_SHARE_BP : bl_row_int(r, 14);
    o->decided = !bl_row_isnull(r, 15);
    if (o->decided) {
        o->decision = bl__lg_keep(L, r, 15);
        o->refund = bl_row_int(r, 16);
        o->warehouse = bl__lg_keep(L, r, 17);
        o->has_return_cost = !bl_row_isnull(r, 18);
        o->return_cost = bl_row_int(r, 18);
        o->threshold = bl_row_int(r, 19);
        o->note = bl__lg_keep(L, r, 20);
    }
    return 0;
}

struct wh_pick {
    struct bl__lg_loader *L;
    const char *to;
    const char *best, *best_region;
    int score;
};

/* Overseas warehouses: one whose region contains the buyer's beats one in the
 * buyer's country; the more specific region wins, then the lower ext_id. */
static int wh_row(void *ctx, const struct bl_row *r)
{
    struct wh_pick *w = ctx;
    struct bl_str region = bl_row_text(r, 1);
    int score = 0;
    if (bl_region_contains(region, bl_str_c(w->to)))
        score = 1000 + (int)region.len;
    else if (region.len >= 2 && strlen(w->to) >= 2 && memcmp(region.ptr, w->to, 2) == 0)
        score = 1;
    if (score > w->score) {
        w->score = score;
        w->best = bl__lg_keep(w->L, r, 0);
        w->best_region = bl__lg_keep(w->L, r, 1);
    }
    return 0;
}

static const char *const refund_cols[] = {"order",    "shop",      "decision",    "refund",
                                          "currency", "warehouse", "return_cost", "threshold",
                                          "note",     "state"};
static const char *const kind_names[] = {"full_refund", "return_to_warehouse",
                                         "partial_refund_keep", "return_to_origin"};

int bl_cmd_refund(struct bl_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "policy") == 0)
        return cmd_policy(cli, "refund", argc - 1, argv + 1);
    static const struct option opts[] = {
        {"reason", required_argument, NULL, 'r'},
        {"as-of", required_argument, NULL, 'a'},
        {"shop", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *reason = NULL, *shop = NULL;
    int64_t as_of = bl_cli_now();
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            reason = optarg;
            break;
        case 's':
            shop = optarg;
            break;
        case 'a':
            if (bl_cli_parse_instant(cli, "refund", "--as-of", optarg, &as_of))
                return 2;
            break;
        case 'f':
            if (bl_cli_set_format(cli, optarg))
                return 2;
            break;
        default:
            return bl_cli_usage(cli, "refund",
                                "usage: refund ORDER [--shop SHOP] [--reason TEXT] [--as-of T] | "
                                "refund policy --shop SHOP SHARE");
        }
    }
    if (optind + 1 != argc)
        return bl_cli_usage(cli, "refund", "expected one order id");
    const char *order = argv[optind];
    struct bl_store *st;
    int64_t org;
    struct bl__lg_loader L;
    if (bl__lg_open(cli, &st, &org, &L))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct refund_order ro = {.L = &L};
    struct bl_val p[3] = {bl_val_int(org), bl_val_text(bl_str_c(order)),
                          bl_val_text(bl_str_c(shop ? shop : ""))};
    int rc = bl_store_query(
        st,
        "SELECT o.id, o.shop_id, o.ext_id, s.ext_id, COALESCE(o.ship_from, s.ship_from, ''),"
        " COALESCE(o.ship_to, ''), o.placed_at, o.shipped_at, o.picked_up_at, o.delivered_at,"
        " o.cancelled_at, o.amount, o.currency," BL__ORDER_WEIGHT_SQL ", p.refund_share_bp,"
        " f.decision, f.refund, f.warehouse, f.return_cost, f.threshold, f.note"
        " FROM orders o JOIN shop s ON s.org_id = o.org_id AND s.id = o.shop_id"
        " LEFT JOIN shop_policy p ON p.org_id = o.org_id AND p.shop_id = o.shop_id"
        " LEFT JOIN refund f ON f.org_id = o.org_id AND f.order_id = o.id"
        " WHERE o.org_id = $1 AND o.ext_id = $2 AND ($3 = '' OR s.ext_id = $3)"
        " ORDER BY s.ext_id",
        p, 3, refund_order_row, &ro, &d);
    if (!rc && ro.n == 0)
        rc = bl_diag_set(&d, BL_ENOTFOUND, "no order '%s'%s%s", order, shop ? " in shop " : "",
                         shop ? shop : "");
    else if (!rc && ro.n > 1)
        rc = bl_diag_set(&d, BL_EINVAL, "order '%s' exists in %zu shops: give --shop", order, ro.n);
    else if (!rc && !ro.decided && ro.placed > as_of)
        rc = bl_diag_set(&d, BL_EINVAL, "order '%s' was placed after the --as-of instant", order);
    char note[700] = "", amt[40], thr[40], cost[40] = "";
    const char *state = "decided before";
    struct bl_refund res = {0};
    const char *warehouse = NULL;
    bool cost_known = false;
    int64_t return_cost = 0;
    int exp = 2;
    struct bl_currency cur;
    if (!bl_currency_lookup(bl_str_c(ro.currency ? ro.currency : "USD"), &cur, NULL))
        exp = cur.exponent;
    if (!rc && !ro.decided) {
        bool shipped = (ro.shipped != NT && ro.shipped <= as_of) ||
                       (ro.picked != NT && ro.picked <= as_of) ||
                       (ro.delivered != NT && ro.delivered <= as_of);
        bool delivered = ro.delivered != NT && ro.delivered <= as_of;
        struct wh_pick w = {&L, ro.to, NULL, NULL, 0};
        if (shipped && ro.to[0]) {
            struct bl_val q = bl_val_int(org);
            rc = bl_store_query(st,
                                "SELECT ext_id, region FROM warehouse WHERE org_id = $1 AND"
                                " kind = 'overseas' ORDER BY ext_id",
                                &q, 1, wh_row, &w, &d);
            warehouse = w.best;
        }
        const char *via = NULL;
        if (!rc && shipped && !warehouse && ro.to[0] && ro.from[0]) {
            /* the reverse lane, buyer -> ship-from, cheapest available in the order's currency */
            size_t cap = bl_lg_nchannels(L.lg) ? bl_lg_nchannels(L.lg) : 1, n = 0;
            struct bl_lg_option *opt = bl_calloc(cap, sizeof(*opt));
            struct bl_lg_shipment s = {bl_lg_locate(L.lg, bl_str_c(ro.to)),
                                       bl_lg_locate(L.lg, bl_str_c(ro.from)),
                                       ro.weight,
                                       {0, 0, 0},
                                       as_of,
                                       BL_LG_NO_PROMISE};
            rc = opt ? bl_lg_quote(L.lg, &s, opt, cap, &n, &d) : BL_ENOMEM;
            for (size_t i = 0; !rc && i < n && i < cap; i++) {
                const struct bl_lg_channel *ch = bl_lg_channel(L.lg, (size_t)opt[i].channel);
                if (opt[i].disruption >= 0 || strcmp(ch->currency, ro.currency) != 0)
                    continue;
                if (!cost_known || opt[i].price < return_cost) {
                    cost_known = true;
                    return_cost = opt[i].price;
                    via = ch->id;
                }
            }
            bl_free(opt);
        }
        struct bl_refund_case rcase = {shipped,    ro.amount,   warehouse != NULL,
                                       cost_known, return_cost, (int32_t)ro.share_bp};
        if (!rc)
            rc = bl_refund_decide(&rcase, &res, &d);
        if (!rc) {
            char share[40];
            bl__lg_money_text(res.threshold, exp, thr, sizeof(thr));
            bl__lg_money_text(res.refund, exp, amt, sizeof(amt));
            bl__lg_money_text(ro.share_bp, 2, share, sizeof(share));
            size_t sl = strlen(share);
            if (sl > 3 && strcmp(share + sl - 3, ".00") == 0)
                share[sl - 3] = 0;
            if (cost_known)
                bl__lg_money_text(return_cost, exp, cost, sizeof(cost));
            const char *stage = delivered ? "delivered" : "in transit";
            switch (res.kind) {
            case BL_REFUND_FULL:
                snprintf(note, sizeof(note), "not shipped%s: cancel and refund %s %s in full",
                         ro.cancelled != NT && ro.cancelled <= as_of ? " (already cancelled)" : "",
                         amt, ro.currency);
                break;
            case BL_REFUND_WAREHOUSE:
                snprintf(note, sizeof(note),
                         "%s; overseas warehouse %s (%s) serves %s: return there, refund %s %s "
                         "in full on receipt",
                         stage, w.best, w.best_region, ro.to, amt, ro.currency);
                break;
            case BL_REFUND_PARTIAL_KEEP:
                if (cost_known)
                    snprintf(note, sizeof(note),
                             "%s; no overseas warehouse in %s; return shipping %s -> %s costs %s "
                             "%s (%s), more than %s%% of the order (%s): refund %s and the buyer "
                             "keeps the item",
                             stage, ro.to, ro.to, ro.from, cost, ro.currency, via, share, thr, amt);
                else
                    snprintf(note, sizeof(note),
                             "%s; no overseas warehouse in %s; no available channel quotes the "
                             "return %s -> %s in %s: refund %s%% (%s) and the buyer keeps the "
                             "item",
                             stage, ro.to[0] ? ro.to : "(no ship-to)", ro.to, ro.from, ro.currency,
                             share, amt);
                break;
            case BL_REFUND_RETURN_ORIGIN:
                snprintf(note, sizeof(note),
                         "%s; no overseas warehouse in %s; return shipping %s -> %s costs %s %s "
                         "(%s), within %s%% of the order (%s): return to %s, refund %s in full "
                         "on receipt",
                         stage, ro.to, ro.to, ro.from, cost, ro.currency, via, share, thr, ro.from,
                         amt);
                break;
            }
            if (reason && strlen(note) + strlen(reason) + 20 < sizeof(note)) {
                size_t nl = strlen(note);
                snprintf(note + nl, sizeof(note) - nl, "; request: %s", reason);
            }
            int64_t next = 0;
            struct bl_val o1 = bl_val_int(org);
            rc = bl_store_begin(st, &d);
            if (!rc)
                rc = bl_store_query_int(st,
                                        "SELECT COALESCE(MAX(id), 0) + 1 FROM refund WHERE"
                                        " org_id = $1",
                                        &o1, 1, &next, &d);
            struct bl_val v[] = {o1,
                                 bl_val_int(next),
                                 bl_val_int(ro.id),
                                 bl_val_int(ro.shop_id),
                                 bl_val_text(bl_str_c(kind_names[res.kind])),
                                 bl_val_int(res.refund),
                                 bl_val_text(bl_str_c(ro.currency)),
                                 warehouse ? bl_val_text(bl_str_c(warehouse)) : bl_val_null(),
                                 cost_known ? bl_val_int(return_cost) : bl_val_null(),
                                 bl_val_int(res.threshold),
                                 reason ? bl_val_text(bl_str_c(reason)) : bl_val_null(),
                                 bl_val_text(bl_str_c(note)),
                                 bl_val_int(as_of),
                                 bl_val_int(bl_cli_now())};
            int64_t changed = 0;
            if (!rc)
                rc = bl_store_exec(st,
                                   "INSERT INTO refund (org_id, id, order_id, shop_id, decision,"
                                   " refund, currency, warehouse, return_cost, threshold, request,"
                                   " note, as_of, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
                                   " $10, $11, $12, $13, $14) ON CONFLICT (org_id, order_id)"
                                   " DO NOTHING",
                                   v, 14, &changed, &d);
            if (!rc)
                rc = bl_store_commit(st, &d);
            if (rc) {
                struct bl_diag ignore;
                if (bl_store_rollback(st, &ignore)) {
                }
            }
            state = changed ? "recorded" : "decided before";
        }
    }
    bl_store_close(st);
    if (!rc) {
        struct bl_out o;
        bl_out_begin(&o, cli, refund_cols, 10);
        if (ro.decided) {
            bl__lg_money_text(ro.refund, exp, amt, sizeof(amt));
            bl__lg_money_text(ro.threshold, exp, thr, sizeof(thr));
            if (ro.has_return_cost)
                bl__lg_money_text(ro.return_cost, exp, cost, sizeof(cost));
            warehouse = ro.warehouse[0] ? ro.warehouse : NULL;
            snprintf(note, sizeof(note), "%s", ro.note);
            cost_known = ro.has_return_cost;
        }
        struct bl_val v[10] = {
            bl_val_text(bl_str_c(ro.ext)),
            bl_val_text(bl_str_c(ro.shop)),
            bl_val_text(bl_str_c(ro.decided ? ro.decision : kind_names[res.kind])),
            bl_val_text(bl_str_c(amt)),
            bl_val_text(bl_str_c(ro.currency)),
            warehouse ? bl_val_text(bl_str_c(warehouse)) : bl_val_null(),
            cost_known ? bl_val_text(bl_str_c(cost)) : bl_val_null(),
            bl_val_text(bl_str_c(thr)),
            bl_val_text(bl_str_c(note)),
            bl_val_text(bl_str_c(state)),
        };
        rc = bl_out_row(&o, v);
        int rc2 = bl_out_end(&o);
        rc = rc ? rc : rc2;
    }
    bl__lg_loader_release(&L);
    return rc ? fail_rc(cli, &d, rc) : 0;
}

/* ---------------------------------------------------------------- windows */

/* `ballast windows`: every delivered order's real hand-over-to-delivery against the
 * window the catalogue gives for its lane and weight at its hand-over instant
 * (the channel routing would choose under --policy, no promise; or --channel C).
 * Delivered before the window's first day: early; after its last: late. */
struct win_group {
    char to[BL_REGION_MAX];
    int64_t orders, early, inside, late, nochan;
    int32_t *bd; /* real business days, for the median */
    size_t nbd, bdcap;
};

struct win_load {
    struct bl__lg_loader *L;
    char from[BL_REGION_MAX];
    struct bl_lg_shipment *s;
    int64_t *delivered;
    char (*to)[BL_REGION_MAX];
    size_t n, cap, dcap, tcap;
    int64_t skipped;
};

static int win_row(void *ctx, const struct bl_row *r)
{
    struct win_load *c = ctx;
    struct bl_str from = bl_row_text(r, 0), to = bl_row_text(r, 1);
    int64_t handed = bl_row_int(r, 2), delivered = bl_row_int(r, 3);
    if (c->from[0] && !bl_region_contains(bl_str_c(c->from), from))
        return 0;
    if (!from.len || !to.len || to.len >= BL_REGION_MAX || delivered < handed) {
        c->skipped++;
        return 0;
    }
    if (bl_grow((void **)&c->s, &c->cap, c->n + 1, sizeof(*c->s)) ||
        bl_grow((void **)&c->delivered, &c->dcap, c->n + 1, sizeof(*c->delivered)) ||
        bl_grow((void **)&c->to, &c->tcap, c->n + 1, sizeof(*c->to)))
        return BL_ENOMEM;
    /* the destination's subdivision ("BR-RJ" of "BR-RJ:20031") names the group */
    size_t k = 0;
    while (k < to.len && to.ptr[k] != ':')
        k++;
    memcpy(c->to[c->n], to.ptr, k);
    c->to[c->n][k] = 0;
    struct bl_lg_shipment *s = &c->s[c->n];
    memset(s, 0, sizeof(*s));
    s->from = bl_lg_locate(c->L->lg, from);
    s->to = bl_lg_locate(c->L->lg, to);
    s->weight_g = bl_row_int(r, 4);
    s->ship_at = handed;
    s->by_day = BL_LG_NO_PROMISE;
    c->delivered[c->n++] = delivered;
    return 0;
}

static int64_t floor_day(int64_t t)
{
    return t / BL_DAY_SECS - (t % BL_DAY_SECS < 0);
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static struct bl_val pct(int64_t part, int64_t whole, char *buf, size_t cap)
{
    if (!whole)
        return bl_val_null();
    int64_t x = 0;
    if (bl_money_scale(part, 1000, whole, &x))
        return bl_val_null();
    bl__lg_money_text(x, 1, buf, cap);
    return bl_val_text(bl_str_c(buf));
}

static const char *const win_cols[] = {"to",       "orders",           "early",     "inside",
                                       "late",     "no_channel",       "early_pct", "inside_pct",
                                       "late_pct", "median_real_bdays"};

static int win_print(struct bl_out *o, struct win_group *g)
{
    char a[32], b[32], c[32];
    int64_t n = g->early + g->inside + g->late;
    if (g->nbd > 1)
        qsort(g->bd, g->nbd, sizeof(*g->bd), cmp_i32);
    struct bl_val v[10] = {bl_val_text(bl_str_c(g->to)),
                           bl_val_int(g->orders),
                           bl_val_int(g->early),
                           bl_val_int(g->inside),
                           bl_val_int(g->late),
                           bl_val_int(g->nochan),
                           pct(g->early, n, a, sizeof(a)),
                           pct(g->inside, n, b, sizeof(b)),
                           pct(g->late, n, c, sizeof(c)),
                           g->nbd ? bl_val_int(g->bd[g->nbd / 2]) : bl_val_null()};
    return bl_out_row(o, v);
}

static int group_add(struct win_group *g, int64_t cls, int32_t bdays)
{
    g->orders++;
    if (cls == 2) {
        g->nochan++;
        return BL_OK;
    }
    if (cls < 0)
        g->early++;
    else if (cls > 2)
        g->late++;
    else
        g->inside++;
    if (bl_grow((void **)&g->bd, &g->bdcap, g->nbd + 1, sizeof(*g->bd)))
        return BL_ENOMEM;
    g->bd[g->nbd++] = bdays;
    return BL_OK;
}

int bl_cmd_windows(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"policy", required_argument, NULL, 'p'},
        {"channel", required_argument, NULL, 'c'},
        {"from", required_argument, NULL, 'F'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct bl_lg_policy pol = {BL_LG_CHEAPEST, NULL};
    const char *channel = NULL;
    struct bl__lg_loader L;
    struct win_load wl;
    memset(&wl, 0, sizeof(wl));
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p':
            if (bl__lg_policy_parse(optarg, &pol))
                return bl_cli_usage(cli, "windows",
                                    "--policy %s: expected cheapest, fastest or preferred:CARRIER",
                                    optarg);
            break;
        case 'c':
            channel = optarg;
            break;
        case 'F':
            if (bl__lg_parse_region(cli, "windows", "--from", optarg, wl.from))
                return 2;
            break;
        case 'f':
            if (bl_cli_set_format(cli, optarg))
                return 2;
            break;
        default:
            return bl_cli_usage(cli, "windows",
                                "usage: windows [--policy P | --channel C] [--from REGION]");
        }
    }
    if (optind != argc)
        return bl_cli_usage(cli, "windows", "takes no arguments besides its options");
    struct bl_store *st;
    int64_t org;
    if (bl__lg_open(cli, &st, &org, &L))
        return 1;
    wl.L = &L;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = BL_OK;
    int32_t want = -1;
    if (channel) {
        for (size_t i = 0; i < bl_lg_nchannels(L.lg); i++)
            if (strcmp(bl_lg_channel(L.lg, i)->id, channel) == 0)
                want = (int32_t)i;
        if (want < 0)
            rc = bl_diag_set(&d, BL_ENOTFOUND, "no channel '%s'", channel);
    }
    struct bl_val p = bl_val_int(org);
    if (!rc)
        rc = bl_store_query(
            st,
            "SELECT COALESCE(o.ship_from, s.ship_from, ''), COALESCE(o.ship_to, ''),"
            " COALESCE(o.picked_up_at, o.shipped_at), o.delivered_at," BL__ORDER_WEIGHT_SQL
            " FROM orders o JOIN shop s ON s.org_id = o.org_id AND s.id = o.shop_id"
            " WHERE o.org_id = $1 AND o.delivered_at IS NOT NULL AND o.cancelled_at IS NULL"
            " AND o.cancelled_by IS NULL AND COALESCE(o.picked_up_at, o.shipped_at) IS NOT NULL"
            " ORDER BY o.id",
            &p, 1, win_row, &wl, &d);
    bl_store_close(st);
    struct bl_lg_route *res = NULL;
    struct bl_lg_option *opt = NULL;
    size_t cap = bl_lg_nchannels(L.lg) ? bl_lg_nchannels(L.lg) : 1;
    if (!rc) {
        res = bl_calloc(wl.n ? wl.n : 1, sizeof(*res));
        opt = bl_calloc(cap, sizeof(*opt));
        if (!res || !opt)
            rc = BL_ENOMEM;
    }
    if (!rc && !channel)
        rc = bl_lg_route(L.lg, &pol, wl.s, wl.n, res, &d);
    for (size_t i = 0; !rc && channel && i < wl.n; i++) {
        size_t n = 0;
        res[i].state = BL_LG_NO_CHANNEL;
        res[i].channel = -1;
        rc = bl_lg_quote(L.lg, &wl.s[i], opt, cap, &n, &d);
        for (size_t k = 0; !rc && k < n && k < cap; k++)
            if (opt[k].channel == want) {
                res[i].state = BL_LG_ROUTED;
                res[i].channel = want;
                res[i].earliest_day = opt[k].earliest_day;
                res[i].latest_day = opt[k].latest_day;
            }
    }
    struct win_group *g = NULL, all;
    memset(&all, 0, sizeof(all));
    snprintf(all.to, sizeof(all.to), "all");
    size_t ng = 0, gcap = 0;
    for (size_t i = 0; !rc && i < wl.n; i++) {
        size_t k = 0;
        while (k < ng && strcmp(g[k].to, wl.to[i]) != 0)
            k++;
        if (k == ng) {
            if (bl_grow((void **)&g, &gcap, ng + 1, sizeof(*g))) {
                rc = BL_ENOMEM;
                break;
            }
            memset(&g[ng], 0, sizeof(*g));
            memcpy(g[ng].to, wl.to[i], sizeof(g[ng].to));
            ng++;
        }
        int64_t cls = 2; /* -1 early, 1 inside, 3 late, 2 no channel */
        int32_t bdays = 0;
        const struct bl_lg_route *r = &res[i];
        if (r->channel >= 0 && (r->state == BL_LG_ROUTED || r->state == BL_LG_LATE)) {
            const struct bl_lg_channel *ch = bl_lg_channel(L.lg, (size_t)r->channel);
            int64_t ho =
                ch->tz ? bl_tz_local_day(ch->tz, wl.s[i].ship_at) : floor_day(wl.s[i].ship_at);
            int64_t dd =
                ch->tz ? bl_tz_local_day(ch->tz, wl.delivered[i]) : floor_day(wl.delivered[i]);
            cls = dd < r->earliest_day ? -1 : dd > r->latest_day ? 3 : 1;
            for (int64_t x = ho + 1; x <= dd && bdays < 100000; x++)
                bdays += bl_lg_business_day(L.lg, (size_t)r->channel, x);
        }
        rc = group_add(&g[k], cls, bdays);
        if (!rc)
            rc = group_add(&all, cls, bdays);
    }
    if (!rc) {
        struct bl_out o;
        bl_out_begin(&o, cli, win_cols, 10);
        for (size_t k = 0; !rc && k < ng; k++) {
            size_t m = k; /* selection sort by name: a few dozen groups */
            for (size_t j = k + 1; j < ng; j++)
                if (strcmp(g[j].to, g[m].to) < 0)
                    m = j;
            struct win_group t = g[k];
            g[k] = g[m];
            g[m] = t;
            rc = win_print(&o, &g[k]);
        }
        if (!rc)
            rc = win_print(&o, &all);
        int rc2 = bl_out_end(&o);
        rc = rc ? rc : rc2;
        if (!rc && cli->format == BL_FMT_TABLE && wl.skipped)
            fprintf(cli->err,
                    "ballast: %lld delivered order(s) skipped: no region, or delivered before "
                    "the hand-over\n",
                    (long long)wl.skipped);
    }
    for (size_t k = 0; k < ng; k++)
        bl_free(g[k].bd);
    bl_free(g);
    bl_free(all.bd);
    bl_free(res);
    bl_free(opt);
    bl_free(wl.s);
    bl_free(wl.delivered);
    bl_free(wl.to);
    bl__lg_loader_release(&L);
    return rc ? fail_rc(cli, &d, rc) : 0;
}
