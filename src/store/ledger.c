/* ledger.c - the deposit ledger (ledger.h). */
#include <string.h>

#include <stdio.h>

#include "ballast/map.h"
#include "store/ledger.h"

static int key_row(void *ctx, const struct bl_row *r)
{
    return bl_map_put(ctx, bl_row_text(r, 0), 1);
}

/* The idempotency keys among e[] the ledger already has, into m (value 1). */
static int known_keys(struct bl_store *st, int64_t org, const struct bl_ledger_entry *e, size_t n,
                      struct bl_map *m, struct bl_diag *d)
{
    enum { CHUNK = 400 };
    struct bl_val p[CHUNK + 1];
    char sql[CHUNK * 6 + 128];
    int rc = BL_OK;
    for (size_t at = 0; !rc && at < n; at += CHUNK) {
        size_t k = n - at < CHUNK ? n - at : CHUNK;
        size_t len = (size_t)snprintf(sql, sizeof(sql),
                                      "SELECT idem FROM ledger WHERE org_id = $1 AND idem IN (");
        p[0] = bl_val_int(org);
        for (size_t i = 0; i < k; i++) {
            p[i + 1] = bl_val_text(bl_str_c(e[at + i].idem));
            len += (size_t)snprintf(sql + len, sizeof(sql) - len, "%s$%zu", i ? ", " : "", i + 2);
        }
        snprintf(sql + len, sizeof(sql) - len, ")");
        rc = bl_store_query(st, sql, p, k + 1, key_row, m, d);
    }
    if (rc == BL_ENOMEM && !d->code)
        bl_diag_set(d, rc, "ledger: out of memory");
    return rc;
}

static const char *const ledger_cols[] = {"org_id",   "id",      "shop_id", "kind", "amount",
                                          "currency", "balance", "ref",     "idem", "note",
                                          "as_of",    "at",      "cycle_id"};

int bl_store_ledger_add_each(struct bl_store *st, int64_t org, const struct bl_ledger_entry *e,
                             size_t n, bool *was_added, size_t *added, struct bl_diag *d)
{
    struct bl_arena a;
    bl_arena_init(&a, 4096);
    struct bl_map m;
    bl_map_init(&m, &a);
    bool *fresh_at = was_added ? was_added : bl_arena_alloc(&a, n + 1);
    size_t fresh = 0;
    int rc = fresh_at ? BL_OK : BL_ENOMEM;
    if (!rc && n)
        rc = known_keys(st, org, e, n, &m, d);
    /* new keys, each once even when the batch repeats one */
    for (size_t i = 0; !rc && i < n; i++) {
        int64_t v = 0;
        bool is_new = false;
        rc = bl_map_get_or_put(&m, bl_str_c(e[i].idem), &v, &is_new);
        fresh_at[i] = is_new;
        fresh += is_new;
    }
    if (rc == BL_ENOMEM && !d->code)
        bl_diag_set(d, rc, "ledger: out of memory");
    int64_t id = 0;
    if (!rc && fresh)
        rc = bl_store_next_ids(st, org, "ledger", (int64_t)fresh, &id, d);
    struct bl_inserter *ins = NULL;
    if (!rc && fresh)
        rc = bl_inserter_open(st, "ledger", ledger_cols, 13, &ins, d);
    for (size_t i = 0; !rc && fresh && i < n; i++) {
        if (!fresh_at[i])
            continue;
        struct bl_val row[13] = {bl_val_int(org),
                                 bl_val_int(id++),
                                 bl_val_int(e[i].shop_id),
                                 bl_val_text(bl_str_c(e[i].kind)),
                                 bl_val_int(e[i].amount),
                                 bl_val_text(bl_str_c(e[i].currency ? e[i].currency : "")),
                                 bl_val_int(e[i].balance),
                                 bl_val_text(bl_str_c(e[i].ref ? e[i].ref : "")),
                                 bl_val_text(bl_str_c(e[i].idem)),
                                 bl_val_text(bl_str_c(e[i].note ? e[i].note : "")),
                                 bl_val_int(e[i].as_of),
                                 bl_val_int(e[i].at),
                                 e[i].cycle_id ? bl_val_int(e[i].cycle_id) : bl_val_null()};
        rc = bl_inserter_row(ins, row, (int64_t)i + 1, d);
    }
    rc = bl_inserter_end(ins, rc, d);
    bl_map_release(&m);
    bl_arena_release(&a);
    if (added)
        *added = rc ? 0 : fresh;
    return rc;
}

int bl_store_ledger_add(struct bl_store *st, int64_t org, const struct bl_ledger_entry *e, size_t n,
                        size_t *added, struct bl_diag *d)
{
    return bl_store_ledger_add_each(st, org, e, n, NULL, added, d);
}

int bl_store_ledger_balance(struct bl_store *st, int64_t org, int64_t shop_id, int64_t *balance,
                            struct bl_diag *d)
{
    struct bl_val q[2] = {bl_val_int(org), bl_val_int(shop_id)};
    return bl_store_query_int(st,
                              "SELECT s.deposit + COALESCE((SELECT SUM(g.amount) FROM ledger g"
                              " WHERE g.org_id = s.org_id AND g.shop_id = s.id"
                              " AND g.currency = s.currency AND g.kind IN ('coupon', 'topup')),"
                              " 0) FROM shop s WHERE s.org_id = $1 AND s.id = $2",
                              q, 2, balance, d);
}

struct sums_ctx {
    struct bl_ledger_sum *v;
    size_t n, cap;
    int rc;
};

static int sum_row(void *vctx, const struct bl_row *row)
{
    struct sums_ctx *c = vctx;
    if ((c->rc = bl_grow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v))) != BL_OK)
        return 1;
    c->v[c->n].shop_id = bl_row_int(row, 0);
    c->v[c->n++].sum = bl_row_int(row, 1);
    return 0;
}

int bl_store_ledger_sums(struct bl_store *st, int64_t org, struct bl_ledger_sum **out, size_t *n,
                         struct bl_diag *d)
{
    *out = NULL;
    *n = 0;
    struct sums_ctx c = {NULL, 0, 0, BL_OK};
    struct bl_val p = bl_val_int(org);
    int rc = bl_store_query(st,
                            "SELECT g.shop_id, COALESCE(SUM(g.amount), 0) FROM ledger g"
                            " JOIN shop s ON s.org_id = g.org_id AND s.id = g.shop_id"
                            " AND s.currency = g.currency"
                            " WHERE g.org_id = $1 AND g.kind IN ('coupon', 'topup')"
                            " GROUP BY g.shop_id",
                            &p, 1, sum_row, &c, d);
    if (rc >= 0 && c.rc) /* a row callback that failed stopped the query with 1 */
        rc = bl_diag_set(d, c.rc, "ledger: %s", bl_strerror(c.rc));
    if (rc) {
        bl_free(c.v);
        return rc;
    }
    *out = c.v;
    *n = c.n;
    return BL_OK;
}

struct list_ctx {
    struct bl_arena *a;
    struct bl_ledger_listed *v;
    size_t n, cap;
    int rc;
};

static const char *dup_col(struct list_ctx *c, const struct bl_row *row, size_t col)
{
    struct bl_str s = bl_row_text(row, col);
    const char *r = bl_arena_strndup(c->a, s.ptr, s.len);
    if (!r)
        c->rc = BL_ENOMEM;
    return r ? r : "";
}

static int list_row(void *vctx, const struct bl_row *row)
{
    struct list_ctx *c = vctx;
    if ((c->rc = bl_grow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v))) != BL_OK)
        return 1;
    struct bl_ledger_listed *x = &c->v[c->n++];
    memset(x, 0, sizeof(*x));
    x->id = bl_row_int(row, 0);
    x->kind = dup_col(c, row, 1);
    x->amount = bl_row_int(row, 2);
    bl_str_copy(x->currency, sizeof(x->currency), bl_row_text(row, 3));
    x->balance = bl_row_int(row, 4);
    x->ref = dup_col(c, row, 5);
    x->as_of = bl_row_int(row, 6);
    x->note = dup_col(c, row, 7);
    return c->rc ? 1 : 0;
}

/* The shop's entries by id with ids after `after`, at most limit (0: every one). */
static int list_query(struct bl_store *st, int64_t org, int64_t shop_id, int64_t after,
                      int64_t limit, struct bl_arena *a, struct bl_ledger_listed **out, size_t *n,
                      struct bl_diag *d)
{
    *out = NULL;
    *n = 0;
    struct list_ctx c = {a, NULL, 0, 0, BL_OK};
    struct bl_val q[4] = {bl_val_int(org), bl_val_int(shop_id), bl_val_int(after),
                          bl_val_int(limit)};
    int rc =
        bl_store_query(st,
                       limit > 0 ? "SELECT id, kind, amount, currency, balance, ref, as_of, note"
                                   " FROM ledger WHERE org_id = $1 AND shop_id = $2 AND id > $3"
                                   " ORDER BY id LIMIT $4"
                                 : "SELECT id, kind, amount, currency, balance, ref, as_of, note"
                                   " FROM ledger WHERE org_id = $1 AND shop_id = $2 ORDER BY id",
                       q, limit > 0 ? 4 : 2, list_row, &c, d);
    if (rc >= 0 && c.rc) /* a row callback that failed stopped the query with 1 */
        rc = bl_diag_set(d, c.rc, "ledger: %s", bl_strerror(c.rc));
    if (rc) {
        bl_free(c.v);
        return rc;
    }
    *out = c.v;
    *n = c.n;
    return BL_OK;
}

int bl_store_ledger_list(struct bl_store *st, int64_t org, int64_t shop_id, struct bl_arena *a,
                         struct bl_ledger_listed **out, size_t *n, struct bl_diag *d)
{
    return list_query(st, org, shop_id, 0, 0, a, out, n, d);
}

int bl_store_ledger_page(struct bl_store *st, int64_t org, int64_t shop_id, int64_t after,
                         int64_t limit, struct bl_arena *a, struct bl_ledger_listed **out,
                         size_t *n, struct bl_diag *d)
{
    if (limit < 1) {
        *out = NULL;
        *n = 0;
        return bl_diag_set(d, BL_EINVAL, "ledger: a page of 1 or more");
    }
    return list_query(st, org, shop_id, after, limit, a, out, n, d);
}

struct accounts_ctx {
    struct bl_ledger_account *v;
    size_t n, cap;
    int rc;
};

/* A (kind, currency) row folded into its account: every kind but sla_waiver moves the
 * deposit. */
static int account_row(void *vctx, const struct bl_row *row)
{
    struct accounts_ctx *c = vctx;
    bool waiver = bl_str_eq_c(bl_row_text(row, 0), "sla_waiver");
    char cur[4];
    bl_str_copy(cur, sizeof(cur), bl_row_text(row, 1));
    size_t a = 0;
    while (a < c->n && (c->v[a].waiver != waiver || strcmp(c->v[a].currency, cur) != 0))
        a++;
    if (a == c->n) {
        if ((c->rc = bl_grow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v))) != BL_OK)
            return 1;
        memset(&c->v[a], 0, sizeof(c->v[a]));
        c->v[a].waiver = waiver;
        memcpy(c->v[a].currency, cur, sizeof(cur));
        c->n++;
    }
    struct bl_ledger_account *x = &c->v[a];
    if (__builtin_add_overflow(x->before, bl_row_int(row, 2), &x->before) ||
        __builtin_add_overflow(x->total, bl_row_int(row, 3), &x->total)) {
        c->rc = BL_EOVERFLOW;
        return 1;
    }
    return 0;
}

int bl_store_ledger_accounts(struct bl_store *st, int64_t org, int64_t shop_id, int64_t after,
                             struct bl_ledger_account **out, size_t *n, struct bl_diag *d)
{
    *out = NULL;
    *n = 0;
    struct accounts_ctx c = {NULL, 0, 0, BL_OK};
    struct bl_val q[3] = {bl_val_int(org), bl_val_int(shop_id), bl_val_int(after)};
    int rc = bl_store_query(st,
                            /* grouped as ledger_sums is ordered: read from it alone */
                            "SELECT kind, currency,"
                            " SUM(CASE WHEN id <= $3 THEN amount ELSE 0 END), SUM(amount)"
                            " FROM ledger WHERE org_id = $1 AND shop_id = $2"
                            " GROUP BY kind, currency",
                            q, 3, account_row, &c, d);
    if (rc >= 0 && c.rc) /* a row callback that failed stopped the query with 1 */
        rc = bl_diag_set(d, c.rc, "ledger: %s",
                         c.rc == BL_EOVERFLOW ? "a balance overflows" : bl_strerror(c.rc));
    if (rc) {
        bl_free(c.v);
        return rc;
    }
    *out = c.v;
    *n = c.n;
    return BL_OK;
}

struct totals_ctx {
    struct bl_ledger_total *v;
    size_t n, cap;
    int rc;
};

static int total_row(void *vctx, const struct bl_row *row)
{
    struct totals_ctx *c = vctx;
    if ((c->rc = bl_grow((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v))) != BL_OK)
        return 1;
    struct bl_ledger_total *x = &c->v[c->n++];
    memset(x, 0, sizeof(*x));
    x->shop_id = bl_row_int(row, 0);
    bl_str_copy(x->currency, sizeof(x->currency), bl_row_text(row, 1));
    bl_str_copy(x->kind, sizeof(x->kind), bl_row_text(row, 2));
    x->sum = bl_row_int(row, 3);
    x->count = bl_row_int(row, 4);
    return 0;
}

int bl_store_ledger_totals(struct bl_store *st, int64_t org, int64_t shop_id,
                           struct bl_ledger_total **out, size_t *n, struct bl_diag *d)
{
    *out = NULL;
    *n = 0;
    struct totals_ctx c = {NULL, 0, 0, BL_OK};
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(shop_id)};
    int rc = bl_store_query(st,
                            "SELECT shop_id, currency, kind, SUM(amount), COUNT(*) FROM ledger"
                            " WHERE org_id = $1 AND ($2 = 0 OR shop_id = $2)"
                            " GROUP BY shop_id, currency, kind ORDER BY shop_id, currency, kind",
                            p, 2, total_row, &c, d);
    if (rc >= 0 && c.rc) /* a row callback that failed stopped the query with 1 */
        rc = bl_diag_set(d, c.rc, "ledger: %s", bl_strerror(c.rc));
    if (rc) {
        bl_free(c.v);
        return rc;
    }
    *out = c.v;
    *n = c.n;
    return BL_OK;
}

int bl_store_ledger_kind_sum(struct bl_store *st, int64_t org, int64_t shop_id, const char *kind,
                             const char *currency, int64_t *sum, struct bl_diag *d)
{
    struct bl_val q[4] = {bl_val_int(org), bl_val_int(shop_id), bl_val_text(bl_str_c(kind)),
                          bl_val_text(bl_str_c(currency))};
    *sum = 0;
    return bl_store_query_int(st,
                              "SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE org_id = $1"
                              " AND shop_id = $2 AND kind = $3 AND currency = $4",
                              q, 4, sum, d);
}
