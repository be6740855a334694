/* logistics.c - the logistics tables, typed (logistics.h). */
#include <string.h>

#include "store/logistics_impl.h"

/* Text of a column, NULL for NULL. */
static const char *coln(const struct bl_row *r, size_t c)
{
    return bl_row_isnull(r, c) ? NULL : bl__lg_col(r, c);
}

/* ---------------------------------------------------------------- calendar */

static int closure_row(void *ctx, const struct bl_row *r)
{
    struct bl_store_closure c = {bl__lg_col(r, 0), bl_row_int(r, 1), bl_row_int(r, 2),
                                 bl_row_int(r, 3)};
    return BL__LG_CALL((struct bl__lg_tramp *)ctx, struct bl_store_closure, &c);
}

int bl_store_calendar_each(struct bl_store *st, int64_t org,
                           int (*fn)(void *ctx, const struct bl_store_closure *c), void *ctx,
                           struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    return bl__lg_query(st,
                        "SELECT calendar, date_from, date_to, weekend FROM calendar_closure "
                        "WHERE org_id = $1 ORDER BY calendar, id",
                        &p, 1, closure_row, BL__LG_TRAMP(fn, ctx), d);
}

static int cal_sum_row(void *ctx, const struct bl_row *r)
{
    struct bl_store_calendar_sum c = {bl__lg_col(r, 0), (uint8_t)(bl_row_int(r, 1) & 0x7f),
                                      bl_row_int(r, 2), bl_row_int(r, 3), bl_row_int(r, 4)};
    return BL__LG_CALL((struct bl__lg_tramp *)ctx, struct bl_store_calendar_sum, &c);
}

int bl_store_calendar_list(struct bl_store *st, int64_t org,
                           int (*fn)(void *ctx, const struct bl_store_calendar_sum *c), void *ctx,
                           struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    return bl__lg_query(st,
                        "SELECT calendar, (SELECT k.weekend FROM calendar_closure k WHERE"
                        " k.org_id = c.org_id AND k.calendar = c.calendar ORDER BY k.id DESC"
                        " LIMIT 1), COUNT(*), MIN(date_from), MAX(date_to)"
                        " FROM calendar_closure c WHERE org_id = $1"
                        " GROUP BY org_id, calendar ORDER BY calendar",
                        &p, 1, cal_sum_row, BL__LG_TRAMP(fn, ctx), d);
}

/* ---------------------------------------------------------------- channel */

#define CHANNEL_COLS                                                                               \
    "c.id, c.ext_id, c.carrier, c.mode, c.tier, c.transit_min, c.transit_max, c.sla_days,"         \
    " c.cutoff, c.tz, c.calendar, c.remedy, c.currency, c.volumetric_divisor"

static int channel_row(void *ctx, const struct bl_row *r)
{
    struct bl_store_channel c = {bl_row_int(r, 0),
                                 bl__lg_col(r, 1),
                                 bl__lg_col(r, 2),
                                 bl__lg_col(r, 3),
                                 bl__lg_col(r, 4),
                                 bl_row_int(r, 5),
                                 bl_row_int(r, 6),
                                 !bl_row_isnull(r, 7),
                                 bl_row_int(r, 7),
                                 coln(r, 8),
                                 bl__lg_col(r, 9),
                                 coln(r, 10),
                                 coln(r, 11),
                                 bl__lg_col(r, 12),
                                 bl_row_int(r, 13),
                                 bl_row_ncols(r) > 14 ? bl_row_int(r, 14) : 0,
                                 bl_row_ncols(r) > 15 ? bl_row_int(r, 15) : 0};
    return BL__LG_CALL((struct bl__lg_tramp *)ctx, struct bl_store_channel, &c);
}

int bl_store_channel_each(struct bl_store *st, int64_t org,
                          int (*fn)(void *ctx, const struct bl_store_channel *c), void *ctx,
                          struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    return bl__lg_query(st,
                        "SELECT " CHANNEL_COLS " FROM channel c WHERE c.org_id = $1 ORDER BY c.id",
                        &p, 1, channel_row, BL__LG_TRAMP(fn, ctx), d);
}

int bl_store_channel_list(struct bl_store *st, int64_t org,
                          int (*fn)(void *ctx, const struct bl_store_channel *c), void *ctx,
                          struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    return bl__lg_query(
        st,
        "SELECT " CHANNEL_COLS ","
        " (SELECT COUNT(DISTINCT r.origin || ' ' || r.destination) FROM channel_rate r"
        "  WHERE r.org_id = c.org_id AND r.channel_id = c.id),"
        " (SELECT COUNT(*) FROM channel_rate r WHERE r.org_id = c.org_id AND"
        "  r.channel_id = c.id)"
        " FROM channel c WHERE c.org_id = $1 ORDER BY c.tier, c.ext_id",
        &p, 1, channel_row, BL__LG_TRAMP(fn, ctx), d);
}

static int rate_row(void *ctx, const struct bl_row *r)
{
    struct bl_store_rate x = {bl_row_int(r, 0), bl__lg_col(r, 1), bl__lg_col(r, 2),
                              bl_row_int(r, 3), bl_row_int(r, 4), bl_row_int(r, 5),
                              bl_row_int(r, 6)};
    return BL__LG_CALL((struct bl__lg_tramp *)ctx, struct bl_store_rate, &x);
}

int bl_store_channel_rates(struct bl_store *st, int64_t org,
                           int (*fn)(void *ctx, const struct bl_store_rate *r), void *ctx,
                           struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    return bl__lg_query(st,
                        "SELECT channel_id, origin, destination, min_g, max_g, base, per_kg "
                        "FROM channel_rate WHERE org_id = $1 ORDER BY channel_id, line_no",
                        &p, 1, rate_row, BL__LG_TRAMP(fn, ctx), d);
}

typedef int (*lane_fn)(void *ctx, const char *origin, const char *destination);

static int lane_row(void *ctx, const struct bl_row *r)
{
    struct bl__lg_tramp *t = ctx;
    return ((lane_fn)t->fn)(t->ctx, bl__lg_col(r, 0), bl__lg_col(r, 1));
}

int bl_store_channel_lanes(struct bl_store *st, int64_t org,
                           int (*fn)(void *ctx, const char *origin, const char *destination),
                           void *ctx, struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    return bl__lg_query(st,
                        "SELECT DISTINCT origin, destination FROM channel_rate WHERE"
                        " org_id = $1 ORDER BY destination, origin",
                        &p, 1, lane_row, BL__LG_TRAMP(fn, ctx), d);
}

/* ---------------------------------------------------------------- shop_policy */

static int policy_row(void *ctx, const struct bl_row *r)
{
    struct bl_store_shop_policy p = {bl_row_int(r, 0), bl__lg_col(r, 1),     bl__lg_col(r, 2),
                                     bl__lg_col(r, 3), !bl_row_isnull(r, 4), bl_row_int(r, 4)};
    return BL__LG_CALL((struct bl__lg_tramp *)ctx, struct bl_store_shop_policy, &p);
}

#define POLICY_SQL                                                                                 \
    "SELECT s.id, s.ext_id, COALESCE(s.ship_from, ''), p.route_policy, p.refund_share_bp"          \
    " FROM shop s LEFT JOIN shop_policy p ON p.org_id = s.org_id AND p.shop_id = s.id"

int bl_store_shop_policy_list(struct bl_store *st, int64_t org,
                              int (*fn)(void *ctx, const struct bl_store_shop_policy *p), void *ctx,
                              struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    return bl__lg_query(st, POLICY_SQL " WHERE s.org_id = $1 ORDER BY s.ext_id", &p, 1, policy_row,
                        BL__LG_TRAMP(fn, ctx), d);
}

struct policy_copy {
    struct bl_store_shop_policy *out;
    char *buf;
    size_t cap;
    bool found;
};

static int policy_copy_row(void *ctx, const struct bl_store_shop_policy *p)
{
    struct policy_copy *c = ctx;
    size_t a = strlen(p->shop) + 1, b = strlen(p->ship_from) + 1, e = strlen(p->route_policy) + 1;
    if (a + b + e > c->cap)
        return BL_ETOOBIG;
    *c->out = *p;
    memcpy(c->buf, p->shop, a);
    memcpy(c->buf + a, p->ship_from, b);
    memcpy(c->buf + a + b, p->route_policy, e);
    c->out->shop = c->buf;
    c->out->ship_from = c->buf + a;
    c->out->route_policy = c->buf + a + b;
    c->found = true;
    return 1;
}

int bl_store_shop_policy_get(struct bl_store *st, int64_t org, const char *shop,
                             struct bl_store_shop_policy *out, char *buf, size_t cap,
                             struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(shop))};
    struct policy_copy c = {out, buf, cap, false};
    int rc = bl__lg_query(st, POLICY_SQL " WHERE s.org_id = $1 AND s.ext_id = $2", p, 2, policy_row,
                          BL__LG_TRAMP(policy_copy_row, &c), d);
    if (rc == 1)
        rc = BL_OK;
    if (!rc && !c.found)
        return bl_diag_set(d, BL_ENOTFOUND, "no shop '%s'", shop);
    if (rc == BL_ETOOBIG && !d->code)
        bl_diag_set(d, rc, "shop '%s': policy too long", shop);
    return rc;
}

int bl_store_shop_policy_set(struct bl_store *st, int64_t org, int64_t shop_id, const char *route,
                             const int64_t *share_bp, int64_t now, struct bl_diag *d)
{
    int rc = bl_store_touch(st, org, d); /* the routes the API keeps read the policy */
    if (rc)
        return rc;
    struct bl_val v[5] = {bl_val_int(org), bl_val_int(shop_id),
                          route ? bl_val_text(bl_str_c(route)) : bl_val_null(),
                          share_bp ? bl_val_int(*share_bp) : bl_val_null(), bl_val_int(now)};
    return bl_store_exec(st,
                         "INSERT INTO shop_policy (org_id, shop_id, route_policy, refund_share_bp,"
                         " updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, shop_id)"
                         " DO UPDATE SET route_policy = COALESCE(excluded.route_policy,"
                         " shop_policy.route_policy), refund_share_bp ="
                         " COALESCE(excluded.refund_share_bp, shop_policy.refund_share_bp),"
                         " updated_at = excluded.updated_at",
                         v, 5, NULL, d);
}

struct text_out {
    char *out;
    size_t cap;
};

static int first_text_row(void *ctx, const struct bl_row *r)
{
    struct text_out *t = ctx;
    const char *s = bl__lg_col(r, 0);
    size_t n = strlen(s);
    if (n >= t->cap)
        return BL_ETOOBIG;
    memcpy(t->out, s, n + 1);
    return 1;
}

int bl_store_shop_policy_common_from(struct bl_store *st, int64_t org, char *out, size_t cap,
                                     struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    struct text_out t = {out, cap};
    if (cap)
        out[0] = 0;
    int rc = bl_store_query(st,
                            "SELECT ship_from FROM shop WHERE org_id = $1 AND ship_from IS NOT"
                            " NULL GROUP BY ship_from ORDER BY COUNT(*) DESC, ship_from LIMIT 1",
                            &p, 1, first_text_row, &t, d);
    if (rc == BL_ETOOBIG) {
        out[0] = 0; /* no usable region: the caller asks for one */
        rc = BL_OK;
    }
    return rc == 1 ? BL_OK : rc;
}
