/* assessment.c - the assessment's stored results (assessment.h). */
#include <math.h>
#include <string.h>

#include "store/assessment.h"

static const char *const cols[] = {"org_id",         "profile",         "window_days",
                                   "shop_id",        "as_of",           "due",
                                   "exempt",         "counted",         "on_time",
                                   "late",           "shipped",         "pickup_anomalies",
                                   "delivery_due",   "delivery_exempt", "delivery_counted",
                                   "delivered_late", "placed",          "seller_cancels",
                                   "score_x100",     "rating",          "carried_over",
                                   "carried_from",   "computed_at",     "cycle_id",
                                   "failing",        "kept_on_time",    "kept_tracked",
                                   "kept_delivered"};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static int insert_rows(struct bl_inserter *ins, int64_t org, const char *profile, int window,
                       int64_t as_of, const struct bl_assessment *rows, size_t n,
                       int64_t computed_at, int64_t cycle_id, struct bl_diag *d)
{
    int rc = BL_OK;
    for (size_t s = 0; !rc && s < n; s++) {
        const struct bl_assessment *x = &rows[s];
        const struct bl_shop_counts *k = &x->k;
        struct bl_val v[NCOLS] = {
            bl_val_int(org),
            bl_val_text(bl_str_c(profile)),
            bl_val_int(window),
            bl_val_int(x->shop_id),
            bl_val_int(as_of),
            bl_val_int(k->due),
            bl_val_int(k->exempt),
            bl_val_int(k->counted),
            bl_val_int(k->on_time),
            bl_val_int(k->late),
            bl_val_int(k->shipped),
            bl_val_int(k->pickup_anomalies),
            bl_val_int(k->delivery_due),
            bl_val_int(k->delivery_exempt),
            bl_val_int(k->delivery_counted),
            bl_val_int(k->delivered_late),
            bl_val_int(k->placed),
            bl_val_int(k->seller_cancels),
            isnan(x->score) ? bl_val_null() : bl_val_int((int64_t)llround(x->score * 100)),
            bl_val_text(bl_str_c(x->rating ? x->rating : "")), /* NOT NULL */
            bl_val_int(x->carried),
            x->carried ? bl_val_int(x->carried_from) : bl_val_null(),
            bl_val_int(computed_at),
            cycle_id ? bl_val_int(cycle_id) : bl_val_null(),
            x->failing ? bl_val_text(bl_str_c(x->failing)) : bl_val_null(),
            bl_val_int(k->kept_on_time),
            bl_val_int(k->kept_tracked),
            bl_val_int(k->kept_delivered),
        };
        rc = bl_inserter_row(ins, v, (int64_t)s + 1, d);
    }
    return rc;
}

int bl_store_assessment_replace(struct bl_store *st, int64_t org, const char *profile, int window,
                                int64_t as_of, const struct bl_assessment *rows, size_t n,
                                int64_t computed_at, int64_t cycle_id, struct bl_diag *d)
{
    struct bl_val p[4] = {bl_val_int(org), bl_val_text(bl_str_c(profile)), bl_val_int(window),
                          bl_val_int(as_of)};
    int rc = bl_store_touch(st, org, d); /* the carry-over of cached answers reads them */
    rc = rc ? rc : bl_store_exec(st,
                           "DELETE FROM assessment WHERE org_id = $1 AND profile = $2"
                           " AND window_days = $3 AND as_of = $4",
                           p, 4, NULL, d);
    struct bl_inserter *ins = NULL;
    if (!rc)
        rc = bl_inserter_open(st, "assessment", cols, NCOLS, &ins, d);
    if (!rc)
        rc = insert_rows(ins, org, profile, window, as_of, rows, n, computed_at, cycle_id, d);
    rc = bl_inserter_end(ins, rc, d);
    if (!rc)
        rc = bl_store_exec(st,
                           "UPDATE assessment SET events_upto = (SELECT COALESCE(MAX(id), 0)"
                           " FROM order_event WHERE org_id = $1), dis_events_upto = (SELECT"
                           " COALESCE(MAX(id), 0) FROM disruption_event WHERE org_id = $1)"
                           " WHERE org_id = $1"
                           " AND profile = $2 AND window_days = $3 AND as_of = $4",
                           p, 4, NULL, d);
    return rc;
}

struct prev_ctx {
    struct bl_assessment_prev *v;
    size_t n, cap;
    int64_t last_shop; /* rows come by shop, newest first: the first of each is kept */
    int rc;
};

static int prev_row(void *vctx, const struct bl_row *row)
{
    struct prev_ctx *c = vctx;
    int64_t shop = bl_row_int(row, 0);
    if (c->n && shop == c->last_shop)
        return 0;
    c->last_shop = shop;
    if ((c->rc = bl_grow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v))) != BL_OK)
        return 1;
    struct bl_assessment_prev *x = &c->v[c->n++];
    memset(x, 0, sizeof(*x));
    x->shop_id = shop;
    x->as_of = bl_row_int(row, 1);
    x->k.counted = bl_row_int(row, 2);
    x->k.on_time = bl_row_int(row, 3);
    x->k.late = bl_row_int(row, 4);
    x->k.shipped = bl_row_int(row, 5);
    x->k.pickup_anomalies = bl_row_int(row, 6);
    x->k.delivery_counted = bl_row_int(row, 7);
    x->k.delivered_late = bl_row_int(row, 8);
    x->k.placed = bl_row_int(row, 9);
    x->k.seller_cancels = bl_row_int(row, 10);
    x->score = bl_row_isnull(row, 11) ? NAN : (double)bl_row_int(row, 11) / 100.0;
    bl_str_copy(x->rating, sizeof(x->rating), bl_row_text(row, 12));
    x->k.due = bl_row_int(row, 13);
    x->k.exempt = bl_row_int(row, 14);
    x->k.delivery_due = bl_row_int(row, 15);
    x->k.delivery_exempt = bl_row_int(row, 16);
    x->k.kept_on_time = bl_row_int_or(row, 17, 0);
    x->k.kept_tracked = bl_row_int_or(row, 18, 0);
    x->k.kept_delivered = bl_row_int_or(row, 19, 0);
    return 0;
}

int bl_store_assessment_earlier(struct bl_store *st, int64_t org, const char *profile, int window,
                                int64_t before, int64_t min_counted,
                                struct bl_assessment_prev **out, size_t *n, struct bl_diag *d)
{
    *out = NULL;
    *n = 0;
    struct bl_val p[5] = {bl_val_int(org), bl_val_text(bl_str_c(profile)), bl_val_int(window),
                          bl_val_int(before), bl_val_int(min_counted)};
    struct prev_ctx c = {NULL, 0, 0, 0, BL_OK};
    int rc = bl_store_query(st,
                            "SELECT shop_id, as_of, counted, on_time, late, shipped,"
                            " pickup_anomalies, delivery_counted, delivered_late, placed,"
                            " seller_cancels, score_x100, rating, due, exempt, delivery_due,"
                            " delivery_exempt, kept_on_time, kept_tracked, kept_delivered"
                            " FROM assessment"
                            " WHERE org_id = $1 AND profile = $2 AND window_days = $3"
                            " AND as_of < $4 AND carried_over = 0"
                            " AND counted + COALESCE(kept_on_time, 0) >= $5"
                            " ORDER BY shop_id, as_of DESC",
                            p, 5, prev_row, &c, d);
    if (!rc && c.rc)
        rc = bl_diag_set(d, c.rc, "assessment: %s", bl_strerror(c.rc));
    if (rc) {
        bl_free(c.v);
        return rc;
    }
    *out = c.v;
    *n = c.n;
    return BL_OK;
}

struct names_ctx {
    struct bl_arena *a;
    const char **v;
    size_t n, cap;
    int rc;
};

static int name_row(void *vctx, const struct bl_row *row)
{
    struct names_ctx *c = vctx;
    struct bl_str s = bl_row_text(row, 0);
    char *copy = bl_arena_strndup(c->a, s.ptr, s.len);
    if (!copy)
        c->rc = BL_ENOMEM;
    else
        c->rc = bl_grow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v));
    if (c->rc)
        return 1;
    c->v[c->n++] = copy;
    return 0;
}

/* The texts of a one-column query, copied into a. */
static int names(struct bl_store *st, const char *sql, const struct bl_val *p, size_t np,
                 struct bl_arena *a, const char ***out, size_t *n, struct bl_diag *d)
{
    *out = NULL;
    *n = 0;
    struct names_ctx c = {a, NULL, 0, 0, BL_OK};
    int rc = bl_store_query(st, sql, p, np, name_row, &c, d);
    if (c.rc) /* the callback stopped the query on this (it returned 1) */
        rc = bl_diag_set(d, c.rc, "assessment: %s", bl_strerror(c.rc));
    /* The array is copied into the arena so that the caller frees nothing. */
    const char **v = NULL;
    if (!rc && c.n && !(v = bl_arena_alloc(a, c.n * sizeof(*v))))
        rc = bl_diag_set(d, BL_ENOMEM, "assessment: out of memory");
    if (!rc && c.n)
        memcpy(v, c.v, c.n * sizeof(*v));
    bl_free(c.v);
    if (rc)
        return rc;
    *out = v;
    *n = c.n;
    return BL_OK;
}

int bl_store_assessment_profiles(struct bl_store *st, int64_t org, struct bl_arena *a,
                                 const char ***out, size_t *n, struct bl_diag *d)
{
    struct bl_val p = bl_val_int(org);
    return names(st, "SELECT DISTINCT profile FROM shop WHERE org_id = $1 ORDER BY profile", &p,
                 1, a, out, n, d);
}

int bl_store_assessment_profile_shops(struct bl_store *st, int64_t org, const char *profile,
                                      struct bl_arena *a, const char ***out, size_t *n,
                                      struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(profile))};
    return names(st, "SELECT ext_id FROM shop WHERE org_id = $1 AND profile = $2 ORDER BY ext_id",
                 p, 2, a, out, n, d);
}

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

int bl_store_assessment_find_order(struct bl_store *st, int64_t org, const char *ext,
                                   int64_t shop_id, int64_t *id, int64_t *count, struct bl_diag *d)
{
    struct find_ctx fc = {0, 0};
    struct bl_val p[3] = {bl_val_int(org), bl_val_text(bl_str_c(ext)), bl_val_int(shop_id)};
    int rc = bl_store_query(st,
                            shop_id ? "SELECT id FROM orders WHERE org_id = $1 AND ext_id = $2"
                                      " AND shop_id = $3"
                                    : "SELECT id FROM orders WHERE org_id = $1 AND ext_id = $2"
                                      " AND $3 = 0",
                            p, 3, find_row, &fc, d);
    if (rc)
        return rc;
    *count = fc.n;
    if (fc.n)
        *id = fc.id;
    return BL_OK;
}

struct text_ctx {
    struct bl_arena *a;
    struct bl_assessment_disruption *dis;
    struct bl_assessment_protection *prot;
    bool found;
    int rc;
};

static const char *text(struct text_ctx *c, const struct bl_row *row, size_t col)
{
    struct bl_str s = bl_row_text(row, col);
    const char *r = bl_arena_strndup(c->a, s.ptr, s.len);
    if (!r)
        c->rc = BL_ENOMEM;
    return r ? r : "";
}

static int dis_row(void *vctx, const struct bl_row *row)
{
    struct text_ctx *c = vctx;
    struct bl_assessment_disruption *x = c->dis;
    x->kind = text(c, row, 0);
    x->region = text(c, row, 1);
    x->scope = text(c, row, 2);
    x->starts_at = bl_row_int(row, 3);
    x->ends_at = bl_row_int(row, 4);
    x->lifted = !bl_row_isnull(row, 5);
    x->lifted_at = bl_row_int(row, 5);
    x->note = text(c, row, 6);
    c->found = true;
    return 0;
}

static int prot_row(void *vctx, const struct bl_row *row)
{
    struct text_ctx *c = vctx;
    c->prot->starts_at = bl_row_int(row, 0);
    c->prot->ends_at = bl_row_int(row, 1);
    c->prot->reason = text(c, row, 2);
    c->found = true;
    return 0;
}

static int text_query(struct bl_store *st, const char *sql, int64_t org, int64_t id, bl_row_fn fn,
                      struct text_ctx *c, bool *found, struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(id)};
    int rc = bl_store_query(st, sql, p, 2, fn, c, d);
    if (!rc && c->rc)
        rc = bl_diag_set(d, c->rc, "assessment: %s", bl_strerror(c->rc));
    *found = !rc && c->found;
    return rc;
}

int bl_store_assessment_disruption(struct bl_store *st, int64_t org, int64_t id, struct bl_arena *a,
                                   struct bl_assessment_disruption *out, bool *found,
                                   struct bl_diag *d)
{
    memset(out, 0, sizeof(*out));
    out->kind = out->region = out->scope = out->note = "";
    struct text_ctx c = {a, out, NULL, false, BL_OK};
    return text_query(st,
                      "SELECT kind, region, scope, starts_at, ends_at, lifted_at,"
                      " COALESCE(note, '') FROM disruption WHERE org_id = $1 AND id = $2",
                      org, id, dis_row, &c, found, d);
}

int bl_store_assessment_protection(struct bl_store *st, int64_t org, int64_t id, struct bl_arena *a,
                                   struct bl_assessment_protection *out, bool *found,
                                   struct bl_diag *d)
{
    memset(out, 0, sizeof(*out));
    out->reason = "";
    struct text_ctx c = {a, NULL, out, false, BL_OK};
    return text_query(st,
                      "SELECT starts_at, ends_at, reason FROM protection"
                      " WHERE org_id = $1 AND id = $2",
                      org, id, prot_row, &c, found, d);
}

struct stored_ctx {
    int (*fn)(void *ctx, int64_t shop_id, const struct bl_shop_counts *k, int64_t computed_at,
              int64_t events_upto);
    void *ctx;
};

static int stored_row(void *vctx, const struct bl_row *r)
{
    struct stored_ctx *c = vctx;
    struct bl_shop_counts k = {
        .due = bl_row_int(r, 1),
        .exempt = bl_row_int(r, 2),
        .counted = bl_row_int(r, 3),
        .on_time = bl_row_int(r, 4),
        .late = bl_row_int(r, 5),
        .shipped = bl_row_int(r, 6),
        .pickup_anomalies = bl_row_int(r, 7),
        .delivery_due = bl_row_int(r, 8),
        .delivery_exempt = bl_row_int(r, 9),
        .delivery_counted = bl_row_int(r, 10),
        .delivered_late = bl_row_int(r, 11),
        .placed = bl_row_int(r, 12),
        .seller_cancels = bl_row_int(r, 13),
        .kept_on_time = bl_row_int_or(r, 16, 0),
        .kept_tracked = bl_row_int_or(r, 17, 0),
        .kept_delivered = bl_row_int_or(r, 18, 0),
    };
    return c->fn(c->ctx, bl_row_int(r, 0), &k, bl_row_int(r, 14), bl_row_int_or(r, 15, -1));
}

int bl_store_assessment_stored(struct bl_store *st, int64_t org, const char *profile, int window,
                               int64_t as_of,
                               int (*fn)(void *ctx, int64_t shop_id, const struct bl_shop_counts *k,
                                         int64_t computed_at, int64_t events_upto),
                               void *ctx, struct bl_diag *d)
{
    struct bl_val p[4] = {bl_val_int(org), bl_val_text(bl_str_c(profile)), bl_val_int(window),
                          bl_val_int(as_of)};
    struct stored_ctx c = {fn, ctx};
    return bl_store_query(st,
                          "SELECT shop_id, due, exempt, counted, on_time, late, shipped,"
                          " pickup_anomalies, delivery_due, delivery_exempt, delivery_counted,"
                          " delivered_late, placed, seller_cancels, computed_at, events_upto,"
                          " kept_on_time, kept_tracked, kept_delivered"
                          " FROM assessment"
                          " WHERE org_id = $1 AND profile = $2 AND window_days = $3 AND as_of = $4",
                          p, 4, stored_row, &c, d);
}

int bl_store_assessment_changed_orders(struct bl_store *st, int64_t org, int64_t shop_id,
                                       int64_t after_event, int64_t since, size_t cap,
                                       struct bl_arena *a, const char ***out, size_t *n,
                                       bool *more, struct bl_diag *d)
{
    struct bl_val p[4] = {bl_val_int(org), bl_val_int(shop_id),
                          bl_val_int(after_event >= 0 ? after_event : since),
                          bl_val_int((int64_t)cap + 1)};
    int rc = names(st,
                   after_event >= 0
                       ? "SELECT DISTINCT o.ext_id FROM order_event e JOIN orders o"
                         " ON o.org_id = e.org_id AND o.id = e.order_id"
                         " WHERE e.org_id = $1 AND o.shop_id = $2 AND e.id > $3"
                         " ORDER BY o.ext_id LIMIT $4"
                       : "SELECT DISTINCT o.ext_id FROM order_event e JOIN orders o"
                         " ON o.org_id = e.org_id AND o.id = e.order_id"
                         " WHERE e.org_id = $1 AND o.shop_id = $2 AND e.at >= $3"
                         " ORDER BY o.ext_id LIMIT $4",
                   p, 4, a, out, n, d);
    *more = !rc && *n > cap;
    if (*more)
        *n = cap;
    return rc;
}
