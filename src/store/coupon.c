/* coupon.c - coupons and deposit alerts (coupon.h). */
#include <stdio.h>
#include <string.h>

#include "store/coupon.h"

struct ids_ctx {
    int64_t *v;
    size_t n, cap;
    int rc;
};

static int id_row(void *vctx, const struct bl_row *row)
{
    struct ids_ctx *c = vctx;
    if ((c->rc = bl_grow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v))) != BL_OK)
        return 1;
    c->v[c->n++] = bl_row_int(row, 0);
    return 0;
}

int bl_store_coupon_orders(struct bl_store *st, int64_t org, int64_t **ids, size_t *n,
                           struct bl_diag *d)
{
    *ids = NULL;
    *n = 0;
    struct ids_ctx c = {NULL, 0, 0, BL_OK};
    struct bl_val p = bl_val_int(org);
    int rc =
        bl_store_query(st, "SELECT order_id FROM coupon WHERE org_id = $1", &p, 1, id_row, &c, d);
    if (rc >= 0 && c.rc) /* a row callback that failed stopped the query with 1 */
        rc = bl_diag_set(d, c.rc, "coupons: %s", bl_strerror(c.rc));
    if (rc) {
        bl_free(c.v);
        return rc;
    }
    *ids = c.v;
    *n = c.n;
    return BL_OK;
}

static const char *const coupon_cols[] = {"org_id",  "id",     "shop_id",   "order_id",
                                          "profile", "amount", "currency",  "reason",
                                          "state",   "as_of",  "issued_at", "cycle_id"};
#define NC(a) (sizeof(a) / sizeof((a)[0]))

int bl_store_coupon_add(struct bl_store *st, int64_t org, const struct bl_coupon_row *c, size_t n,
                        struct bl_diag *d)
{
    if (!n)
        return BL_OK;
    int64_t first = 0;
    int rc = bl_store_next_ids(st, org, "coupon", (int64_t)n, &first, d);
    struct bl_inserter *ins = NULL;
    if (!rc)
        rc = bl_inserter_open(st, "coupon", coupon_cols, NC(coupon_cols), &ins, d);
    for (size_t k = 0; !rc && k < n; k++) {
        const struct bl_coupon_row *x = &c[k];
        struct bl_val v[] = {bl_val_int(org),
                             bl_val_int(first + (int64_t)k),
                             bl_val_int(x->shop_id),
                             bl_val_int(x->order_id),
                             bl_val_text(bl_str_c(x->profile)),
                             bl_val_int(x->amount),
                             bl_val_text(bl_str_c(x->currency)),
                             bl_val_text(bl_str_c(x->reason)),
                             bl_val_text(x->paid ? BL_STR("paid") : BL_STR("owed")),
                             bl_val_int(x->as_of),
                             bl_val_int(x->issued_at),
                             x->cycle_id ? bl_val_int(x->cycle_id) : bl_val_null()};
        rc = bl_inserter_row(ins, v, (int64_t)k + 1, d);
    }
    return bl_inserter_end(ins, rc, d);
}

int bl_store_coupon_alert_add(struct bl_store *st, int64_t org, const struct bl_coupon_alert *a,
                              size_t n, size_t *added, struct bl_diag *d)
{
    size_t k = 0;
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(a[i].ref))};
        int64_t have = 0;
        rc = bl_store_query_int(st,
                                "SELECT COUNT(*) FROM alert WHERE org_id = $1"
                                " AND kind = 'deposit_short' AND ref = $2",
                                p, 2, &have, d);
        if (rc || have)
            continue;
        int64_t id = 0;
        rc = bl_store_next_ids(st, org, "alert", 1, &id, d);
        if (rc)
            break;
        struct bl_val v[] = {bl_val_int(org),
                             bl_val_int(id),
                             bl_val_text(BL_STR("deposit_short")),
                             bl_val_int(a[i].shop_id),
                             bl_val_text(bl_str_c(a[i].ref)),
                             bl_val_text(bl_str_c(a[i].message)),
                             bl_val_int(a[i].as_of),
                             bl_val_int(a[i].at),
                             a[i].cycle_id ? bl_val_int(a[i].cycle_id) : bl_val_null()};
        int64_t changes = 0;
        rc = bl_store_exec(st,
                           "INSERT INTO alert (org_id, id, kind, shop_id, ref, message, as_of,"
                           " at, cycle_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                           " ON CONFLICT (org_id, kind, ref) DO NOTHING",
                           v, 9, &changes, d);
        k += !rc && changes > 0;
    }
    if (added)
        *added = k;
    return rc;
}

#define EXT_CHUNK 256 /* order ids per query */

struct ext_ctx {
    struct bl_arena *a;
    const int64_t *ids; /* the chunk's order ids */
    size_t n;
    const char **ext; /* the chunk's slots */
    int rc;
};

static int ext_row(void *vctx, const struct bl_row *row)
{
    struct ext_ctx *c = vctx;
    int64_t id = bl_row_int(row, 0);
    struct bl_str s = bl_row_text(row, 1);
    for (size_t k = 0; k < c->n; k++) {
        if (c->ids[k] != id)
            continue;
        const char *x = bl_arena_strndup(c->a, s.ptr, s.len);
        if (!x) {
            c->rc = BL_ENOMEM;
            return 1;
        }
        c->ext[k] = x;
    }
    return 0;
}

int bl_store_coupon_order_exts(struct bl_store *st, int64_t org, const int64_t *ids, size_t n,
                               struct bl_arena *a, const char **ext, struct bl_diag *d)
{
    struct bl_val p[EXT_CHUNK + 1];
    struct bl_buf sql = BL_BUF_INIT;
    int rc = BL_OK;
    for (size_t k = 0; k < n; k++)
        ext[k] = "";
    for (size_t at = 0; !rc && at < n; at += EXT_CHUNK) {
        size_t m = n - at < EXT_CHUNK ? n - at : EXT_CHUNK;
        bl_buf_reset(&sql);
        rc = bl_buf_adds(&sql,
                         BL_STR("SELECT id, ext_id FROM orders WHERE org_id = $1 AND id IN ("));
        p[0] = bl_val_int(org);
        for (size_t k = 0; !rc && k < m; k++) {
            p[k + 1] = bl_val_int(ids[at + k]);
            rc = bl_buf_addf(&sql, "%s$%zu", k ? ", " : "", k + 2);
        }
        rc = rc ? rc : bl_buf_addc(&sql, ')');
        if (rc) {
            bl_diag_set(d, rc, "coupons: %s", bl_strerror(rc));
            break;
        }
        struct ext_ctx ec = {a, ids + at, m, ext + at, BL_OK};
        rc = bl_store_query(st, bl_buf_cstr(&sql), p, m + 1, ext_row, &ec, d);
        if (rc >= 0 && ec.rc)
            rc = bl_diag_set(d, ec.rc, "coupons: %s", bl_strerror(ec.rc));
    }
    bl_buf_release(&sql);
    return rc;
}

struct list_ctx {
    struct bl_arena *a;
    struct bl_coupon_listed *v;
    size_t n, cap;
    int rc;
};

static const char *dup(struct list_ctx *c, const struct bl_row *row, size_t col)
{
    struct bl_str s = bl_row_text(row, col);
    const char *r = bl_arena_strndup(c->a, s.ptr, s.len);
    if (!r)
        c->rc = BL_ENOMEM;
    return r ? r : "";
}

static int coupon_row(void *vctx, const struct bl_row *row)
{
    struct list_ctx *c = vctx;
    if ((c->rc = bl_grow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v))) != BL_OK)
        return 1;
    struct bl_coupon_listed *x = &c->v[c->n++];
    memset(x, 0, sizeof(*x));
    x->shop = dup(c, row, 0);
    x->order = dup(c, row, 1);
    x->amount = bl_row_int(row, 2);
    bl_str_copy(x->currency, sizeof(x->currency), bl_row_text(row, 3));
    x->reason = dup(c, row, 4);
    x->issued_at = bl_row_int(row, 5);
    struct bl_str state = bl_row_text(row, 6);
    x->paid = state.len == 4 && memcmp(state.ptr, "paid", 4) == 0;
    x->profile = dup(c, row, 7);
    x->id = bl_row_int(row, 8);
    return c->rc ? 1 : 0;
}

/* The coupons of org (of one shop when shop is not NULL), with tail ("ORDER BY ...",
 * optionally preceded by more conditions) after the shared WHERE. */
static int coupon_query(struct bl_store *st, int64_t org, const char *shop, const char *tail,
                        struct bl_arena *a, struct bl_coupon_listed **out, size_t *n,
                        struct bl_diag *d)
{
    *out = NULL;
    *n = 0;
    struct list_ctx c = {a, NULL, 0, 0, BL_OK};
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(shop ? shop : ""))};
    char sql[640];
    snprintf(sql, sizeof(sql),
             "SELECT s.ext_id, o.ext_id, c.amount, c.currency, c.reason, c.issued_at,"
             " c.state, c.profile, c.id FROM coupon c"
             " JOIN shop s ON s.org_id = c.org_id AND s.id = c.shop_id"
             " JOIN orders o ON o.org_id = c.org_id AND o.id = c.order_id"
             " WHERE c.org_id = $1 AND ($2 = '' OR s.ext_id = $2)%s",
             tail);
    int rc = bl_store_query(st, sql, p, 2, coupon_row, &c, d);
    if (rc >= 0 && c.rc) /* a row callback that failed stopped the query with 1 */
        rc = bl_diag_set(d, c.rc, "coupons: %s", bl_strerror(c.rc));
    if (rc) {
        bl_free(c.v);
        return rc;
    }
    *out = c.v;
    *n = c.n;
    return BL_OK;
}

int bl_store_coupon_list(struct bl_store *st, int64_t org, const char *shop, struct bl_arena *a,
                         struct bl_coupon_listed **out, size_t *n, struct bl_diag *d)
{
    return coupon_query(st, org, shop, " ORDER BY c.id", a, out, n, d);
}

int bl_store_coupon_page(struct bl_store *st, int64_t org, const struct bl_coupon_page *q,
                         struct bl_arena *a, struct bl_coupon_listed **out, size_t *n,
                         struct bl_diag *d)
{
    char tail[160];
    const char *state = !q->state                       ? ""
                        : strcmp(q->state, "paid") == 0 ? " AND c.state = 'paid'"
                                                        : " AND c.state <> 'paid'";
    int len = snprintf(tail, sizeof(tail), "%s AND c.id > %lld ORDER BY c.id LIMIT %lld", state,
                       (long long)q->after, (long long)q->limit);
    if (len < 0 || (size_t)len >= sizeof(tail) || q->limit < 1)
        return bl_diag_set(d, BL_EINVAL, "coupons: a page of 1 or more");
    return coupon_query(st, org, q->shop, tail, a, out, n, d);
}

struct shop_ctx {
    struct bl_coupon_shop *s;
    bool found;
};

static int shop_row(void *vctx, const struct bl_row *row)
{
    struct shop_ctx *c = vctx;
    c->s->id = bl_row_int(row, 0);
    c->s->deposit = bl_row_int(row, 1);
    bl_str_copy(c->s->currency, sizeof(c->s->currency), bl_row_text(row, 2));
    c->found = true;
    return 0;
}

int bl_store_coupon_shop(struct bl_store *st, int64_t org, const char *ext,
                         struct bl_coupon_shop *out, bool *found, struct bl_diag *d)
{
    memset(out, 0, sizeof(*out));
    struct shop_ctx c = {out, false};
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(ext))};
    int rc = bl_store_query(
        st, "SELECT id, deposit, currency FROM shop WHERE org_id = $1 AND ext_id = $2", p, 2,
        shop_row, &c, d);
    *found = !rc && c.found;
    return rc;
}

int bl_store_coupon_owed_list(struct bl_store *st, int64_t org, const char *shop,
                              struct bl_arena *a, struct bl_coupon_listed **out, size_t *n,
                              struct bl_diag *d)
{
    return coupon_query(st, org, shop, " AND c.state <> 'paid' ORDER BY s.ext_id, c.currency, c.id",
                        a, out, n, d);
}

struct shops_ctx {
    struct bl_arena *a;
    struct bl_coupon_shop *v;
    const char **ext, **names;
    size_t n, cap, ecap, ncap;
    int rc;
};

static int shops_row(void *vctx, const struct bl_row *row)
{
    struct shops_ctx *c = vctx;
    if ((c->rc = bl_grow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v))) != BL_OK ||
        (c->rc = bl_grow((void **)&c->ext, &c->ecap, c->n + 1, sizeof(*c->ext))) != BL_OK ||
        (c->rc = bl_grow((void **)&c->names, &c->ncap, c->n + 1, sizeof(*c->names))) != BL_OK)
        return 1;
    struct bl_str nm = bl_row_text(row, 4);
    if (!(c->names[c->n] = bl_arena_strndup(c->a, nm.ptr, nm.len)))
        c->rc = BL_ENOMEM;
    struct bl_coupon_shop *x = &c->v[c->n];
    x->id = bl_row_int(row, 0);
    x->deposit = bl_row_int(row, 1);
    bl_str_copy(x->currency, sizeof(x->currency), bl_row_text(row, 2));
    struct bl_str e = bl_row_text(row, 3);
    if (!(c->ext[c->n++] = bl_arena_strndup(c->a, e.ptr, e.len)))
        c->rc = BL_ENOMEM;
    return c->rc ? 1 : 0;
}

int bl_store_coupon_shops(struct bl_store *st, int64_t org, struct bl_arena *a,
                          struct bl_coupon_shop **out, const char ***ext, const char ***names,
                          size_t *n, struct bl_diag *d)
{
    struct shops_ctx c = {a, NULL, NULL, NULL, 0, 0, 0, 0, BL_OK};
    struct bl_val p = bl_val_int(org);
    int rc = bl_store_query(st,
                            "SELECT id, deposit, currency, ext_id, name FROM shop"
                            " WHERE org_id = $1 ORDER BY ext_id",
                            &p, 1, shops_row, &c, d);
    if (rc >= 0 && c.rc) /* a row callback that failed stopped the query with 1 */
        rc = bl_diag_set(d, c.rc, "shops: %s", bl_strerror(c.rc));
    if (rc) {
        bl_free(c.v);
        bl_free(c.ext);
        bl_free(c.names);
        c.v = NULL;
        c.ext = c.names = NULL;
        c.n = 0;
    }
    *out = c.v;
    *ext = c.ext;
    *names = c.names;
    *n = c.n;
    return rc;
}
