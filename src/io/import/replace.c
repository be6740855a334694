/* replace.c - `import KIND FILE --replace BATCH` (import_impl.h, docs/internals/import.md).
 *
 * The file's records take the place of what batch BATCH imported, in the batch's one
 * transaction, and the batch keeps its id (its rows keep their batch_id; its import_batch
 * row gets the new hash, options and replaced_at). Per kind:
 *   rates, sku_suppliers: the batch's rows are set aside and deleted, the file's are
 *     inserted, and the two compared by key (nothing stores a reference to them);
 *   disruptions, protections: the file's records are matched to stored ones by their
 *     natural keys (docs/formats.md) and keep their ids; the batch's records the file no
 *     longer has are deleted, except a disruption lifted or edited by hand (its history
 *     refers to it): then the replace is refused, naming it;
 *   stock: each count of the batch is compared with the file's; moves are rewritten
 *     against the count before the batch; a count the file drops is deleted when the
 *     batch made it first, refused when an earlier count would have to come back;
 *   orders and platform reports: the file's orders update the stored ones as
 *     corrections (each change in the order's history); an order is never removed, so
 *     the batch's orders the file no longer has stay as they are.
 */
#include "io/import/import_impl.h"

#include <stdio.h>
#include <string.h>

enum rep_kind { RK_RATES, RK_SKU_SUPPLIERS, RK_DISRUPTIONS, RK_PROTECTIONS, RK_STOCK, RK_ORDERS };

/* The kinds with rows set aside and compared (a key and the values that may change). */
static const char *const snap_sql[RK_ORDERS + 1] = {
    [RK_RATES] = "SELECT from_cur || ' ' || to_cur || ' ' || CAST(day AS TEXT), "
                 "CAST(rate_num AS TEXT) || '/' || CAST(rate_scale AS TEXT) FROM fx_rate "
                 "WHERE org_id = $1 AND batch_id = $2",
    [RK_SKU_SUPPLIERS] = "SELECT CAST(sku_id AS TEXT) || ' ' || CAST(supplier_id AS TEXT), "
                         "CAST(rank AS TEXT) || ' ' || COALESCE(CAST(unit_cost AS TEXT), '') "
                         "|| ' ' || COALESCE(currency, '') || ' ' || COALESCE(CAST(moq AS "
                         "TEXT), '') FROM sku_supplier WHERE org_id = $1 AND batch_id = $2",
    /* the count before the batch's (its on_hand less the batch's move), then the batch's */
    [RK_STOCK] = "SELECT CAST(warehouse_id AS TEXT) || ' ' || CAST(sku_id AS TEXT), "
                 "CAST(on_hand - COALESCE((SELECT SUM(qty) FROM stock_move m WHERE m.org_id = "
                 "s.org_id AND m.batch_id = s.batch_id AND m.warehouse_id = s.warehouse_id AND "
                 "m.sku_id = s.sku_id), 0) AS TEXT) || ' ' || CAST(on_hand AS TEXT) || ' ' || "
                 "CAST(reserved AS TEXT) || ' ' || CAST(counted_at AS TEXT) FROM stock s "
                 "WHERE org_id = $1 AND batch_id = $2",
};
static const char *const del_sql[RK_ORDERS + 1] = {
    [RK_RATES] = "DELETE FROM fx_rate WHERE org_id = $1 AND batch_id = $2",
    [RK_SKU_SUPPLIERS] = "DELETE FROM sku_supplier WHERE org_id = $1 AND batch_id = $2",
    [RK_STOCK] = "DELETE FROM stock_move WHERE org_id = $1 AND batch_id = $2",
};

struct rep_kind_name {
    const char *name;
    enum rep_kind k;
};
static const struct rep_kind_name kinds[] = {{"rates", RK_RATES},
                                             {"sku_suppliers", RK_SKU_SUPPLIERS},
                                             {"disruptions", RK_DISRUPTIONS},
                                             {"protections", RK_PROTECTIONS},
                                             {"stock", RK_STOCK},
                                             {"orders", RK_ORDERS},
                                             {"amazon", RK_ORDERS},
                                             {"shopify", RK_ORDERS},
                                             {"tiktok", RK_ORDERS},
                                             {"temu", RK_ORDERS},
                                             {NULL, RK_RATES}};

struct bl__replace {
    enum rep_kind k;
    struct bl_map before; /* key -> index in vals (snapshot kinds) */
    char **vals, **keys;
    bool *seen;
    size_t n, cap;
    struct bl_map keep; /* disruptions, protections, stock: ids (keys) the file has */
    int64_t first_new;  /* disruptions, protections: the first id this import takes */
};

static int snap_row(void *ctx, const struct bl_row *r)
{
    struct bl__imp *im = ctx;
    struct bl__replace *rp = im->rep;
    size_t cap = rp->cap;
    TRY(bl_grow((void **)&rp->vals, &rp->cap, rp->n + 1, sizeof(*rp->vals)));
    TRY(bl_grow((void **)&rp->keys, &cap, rp->n + 1, sizeof(*rp->keys)));
    struct bl_str v = bl_row_text(r, 1), k = bl_row_text(r, 0);
    rp->vals[rp->n] = bl_arena_strndup(&im->arena, v.ptr, v.len);
    rp->keys[rp->n] = bl_arena_strndup(&im->arena, k.ptr, k.len);
    if (!rp->vals[rp->n] || !rp->keys[rp->n])
        return BL_ENOMEM;
    TRY(bl_map_put(&rp->before, bl_row_text(r, 0), (int64_t)rp->n));
    rp->n++;
    return 0;
}

struct names {
    bool found;
    char a[64], b[64];
    int64_t n;
};

static int names_row(void *ctx, const struct bl_row *r)
{
    struct names *x = ctx;
    if (x->found)
        return 0;
    x->found = true;
    bl_str_copy(x->a, sizeof(x->a), bl_row_text(r, 0));
    bl_str_copy(x->b, sizeof(x->b), bl_row_text(r, 1));
    x->n = bl_row_int(r, 2);
    return 0;
}

/* A count of the batch that a later batch counted again: the later move was computed
 * against it, so it is history and stays. */
static int stock_superseded(struct bl__imp *im)
{
    struct names x = {0};
    struct bl_val p[2] = {bl_val_int(im->org), bl_val_int(im->replace)};
    TRY(bl_store_query(im->st,
                       "SELECT w.ext_id, k.ext_id, s.batch_id FROM stock_move m JOIN stock s ON "
                       "s.org_id = m.org_id AND s.warehouse_id = m.warehouse_id AND s.sku_id = "
                       "m.sku_id JOIN warehouse w ON w.org_id = m.org_id AND w.id = "
                       "m.warehouse_id JOIN sku k ON k.org_id = m.org_id AND k.id = m.sku_id "
                       "WHERE m.org_id = $1 AND m.batch_id = $2 AND s.batch_id <> $2 "
                       "ORDER BY m.id",
                       p, 2, names_row, &x, im->d));
    if (!x.found)
        return BL_OK;
    return bl_diag_set(im->d, BL_ECONFLICT,
                       "--replace %lld: its count of %s in warehouse %s was counted again by "
                       "batch %lld, which counts from it: import a new count instead",
                       (long long)im->replace, x.b, x.a, (long long)x.n);
}

struct batch_info {
    bool found;
    char kind[32];
};

static int batch_row(void *ctx, const struct bl_row *r)
{
    struct batch_info *b = ctx;
    b->found = true;
    bl_str_copy(b->kind, sizeof(b->kind), bl_row_text(r, 0));
    return 0;
}

static int max_row(void *ctx, const struct bl_row *r)
{
    *(int64_t *)ctx = bl_row_int(r, 0);
    return 0;
}

static int check_batch(struct bl__imp *im, enum rep_kind *k)
{
    const char *kind = im->opts->kind;
    struct batch_info b = {0};
    struct bl_val p[2] = {bl_val_int(im->org), bl_val_int(im->replace)};
    TRY(bl_store_query(im->st, "SELECT kind FROM import_batch WHERE org_id = $1 AND id = $2", p, 2,
                       batch_row, &b, im->d));
    if (!b.found)
        return bl_diag_set(im->d, BL_ENOTFOUND,
                           "--replace %lld: this organisation has no import batch %lld",
                           (long long)im->replace, (long long)im->replace);
    if (strcmp(b.kind, kind) != 0)
        return bl_diag_set(im->d, BL_EINVAL,
                           "--replace %lld: batch %lld imported %s, not %s (replace it with "
                           "ballast import %s FILE --replace %lld)",
                           (long long)im->replace, (long long)im->replace, b.kind, kind, b.kind,
                           (long long)im->replace);
    for (const struct rep_kind_name *n = kinds; n->name; n++)
        if (strcmp(n->name, kind) == 0) {
            *k = n->k;
            return BL_OK;
        }
    return bl_diag_set(im->d, BL_EUNSUPPORTED,
                       "--replace is for disruptions, protections, stock, orders (and the "
                       "platforms' reports), rates and sku_suppliers, not %s",
                       kind);
}

int bl__replace_begin(struct bl__imp *im, struct bl_import_result *res)
{
    enum rep_kind k = RK_RATES;
    TRY(check_batch(im, &k));
    im->rep = bl_arena_alloc(&im->arena, sizeof(*im->rep));
    if (!im->rep)
        return bl_diag_set(im->d, BL_ENOMEM, "out of memory");
    struct bl__replace *rp = im->rep;
    memset(rp, 0, sizeof(*rp));
    rp->k = k;
    bl_map_init(&rp->before, &im->arena);
    bl_map_init(&rp->keep, &im->arena);
    im->batch = im->replace;
    res->replaced = true;
    struct bl_val p[2] = {bl_val_int(im->org), bl_val_int(im->batch)};
    if (k == RK_STOCK)
        TRY(stock_superseded(im));
    if (snap_sql[k])
        TRY(bl_store_query(im->st, snap_sql[k], p, 2, snap_row, im, im->d));
    if (del_sql[k])
        TRY(bl_store_exec(im->st, del_sql[k], p, 2, NULL, im->d));
    if (k == RK_DISRUPTIONS || k == RK_PROTECTIONS)
        TRY(bl_store_next_ids(im->st, im->org, k == RK_DISRUPTIONS ? "disruption" : "protection", 0,
                              &rp->first_new, im->d));
    if (k == RK_ORDERS)
        TRY(bl_store_query(im->st,
                           "SELECT COALESCE(MAX(seq), 0) FROM order_block WHERE org_id = $1 "
                           "AND batch_id = $2",
                           p, 2, max_row, &im->block_seq, im->d));
    return BL_OK;
}

static struct bl_str id_key(const int64_t *id)
{
    return (struct bl_str){(const char *)id, sizeof(*id)};
}

int bl__replace_keep(struct bl__imp *im, int64_t id)
{
    if (!im->rep)
        return BL_OK;
    bool added;
    int64_t one = 1;
    return bl_map_get_or_put(&im->rep->keep, id_key(&id), &one, &added);
}

/* "WH SKU": the key of a count in the snapshot. */
static struct bl_str count_key(char *buf, size_t cap, int64_t wh, int64_t sku)
{
    int n = snprintf(buf, cap, "%lld %lld", (long long)wh, (long long)sku);
    return (struct bl_str){buf, n > 0 ? (size_t)n : 0};
}

bool bl__replace_prior(struct bl__imp *im, int64_t wh, int64_t sku, int64_t *on_hand)
{
    if (!im->rep || im->rep->k != RK_STOCK)
        return false;
    char key[48];
    int64_t i, one = 1;
    bool added;
    if (!bl_map_get(&im->rep->before, count_key(key, sizeof(key), wh, sku), &i))
        return false;
    long long prior = 0;
    if (sscanf(im->rep->vals[i], "%lld", &prior) != 1)
        return false;
    *on_hand = prior;
    return bl_map_get_or_put(&im->rep->keep, count_key(key, sizeof(key), wh, sku), &one, &added) ==
           BL_OK;
}

/* --- the end: compare, remove --- */

struct cmp_ctx {
    struct bl__imp *im;
    struct bl_import_result *res;
};

static int cmp_row(void *ctx, const struct bl_row *r)
{
    struct cmp_ctx *c = ctx;
    struct bl__replace *rp = c->im->rep;
    int64_t i;
    if (!bl_map_get(&rp->before, bl_row_text(r, 0), &i)) {
        c->res->added++;
        return 0;
    }
    rp->seen[i] = true;
    if (bl_str_eq_c(bl_row_text(r, 1), rp->vals[i]))
        c->res->kept += rp->k != RK_STOCK; /* stock: the file's unchanged counts, all batches' */
    else
        c->res->changed++;
    return 0;
}

static int compare(struct bl__imp *im, struct bl_import_result *res)
{
    struct bl__replace *rp = im->rep;
    rp->seen = bl_arena_alloc(&im->arena, rp->n + 1);
    if (!rp->seen)
        return bl_diag_set(im->d, BL_ENOMEM, "out of memory");
    memset(rp->seen, 0, rp->n + 1);
    struct bl_val p[2] = {bl_val_int(im->org), bl_val_int(im->batch)};
    struct cmp_ctx c = {im, res};
    TRY(bl_store_query(im->st, snap_sql[rp->k], p, 2, cmp_row, &c, im->d));
    for (size_t i = 0; i < rp->n; i++)
        res->removed += !rp->seen[i];
    return BL_OK;
}

struct gone_ctx {
    struct bl__imp *im;
    int64_t *ids;
    size_t n, cap;
    int64_t blocked; /* a disruption with history: its id, 0 none */
    char what[160];
};

static int gone_row(void *ctx, const struct bl_row *r)
{
    struct gone_ctx *g = ctx;
    int64_t id = bl_row_int(r, 0);
    int64_t v;
    if (bl_map_get(&g->im->rep->keep, id_key(&id), &v))
        return 0;
    if (!g->blocked && bl_row_int(r, 1)) {
        g->blocked = id;
        char from[32];
        snprintf(g->what, sizeof(g->what), "%.*s %.*s from %s", (int)bl_row_text(r, 3).len,
                 bl_row_text(r, 3).ptr, (int)bl_row_text(r, 2).len, bl_row_text(r, 2).ptr,
                 bl_time_format(bl_row_int(r, 4), from));
    }
    TRY(bl_grow((void **)&g->ids, &g->cap, g->n + 1, sizeof(*g->ids)));
    g->ids[g->n++] = id;
    return 0;
}

/* The batch's disruptions or protections the file no longer has: deleted, or refused. */
static int remove_gone(struct bl__imp *im, struct bl_import_result *res)
{
    bool dis = im->rep->k == RK_DISRUPTIONS;
    struct gone_ctx g = {.im = im};
    struct bl_val p[3] = {bl_val_int(im->org), bl_val_int(im->batch),
                          bl_val_int(im->rep->first_new)};
    int rc =
        bl_store_query(im->st,
                       dis ? "SELECT id, CASE WHEN lifted_at IS NOT NULL OR EXISTS (SELECT 1 FROM "
                             "disruption_event e WHERE e.org_id = d.org_id AND e.disruption_id "
                             "= d.id AND COALESCE(e.who, '') NOT LIKE 'import batch %') THEN 1 "
                             "ELSE 0 END, region, kind, starts_at FROM disruption "
                             "d WHERE org_id = $1 AND batch_id = $2 AND id < $3 ORDER BY id"
                           : "SELECT id, 0 FROM protection WHERE org_id = $1 AND batch_id = $2 "
                             "AND id < $3 ORDER BY id",
                       p, 3, gone_row, &g, im->d);
    if (!rc && g.blocked) {
        bl_diag_clear(im->d);
        bl_diag_at(im->d, im->file, 0, NULL);
        rc = bl_diag_set(im->d, BL_ECONFLICT,
                         "disruption %lld (%s) is not in the file, but it was lifted or "
                         "edited by hand (ballast disruption show %lld): keep it in the file, "
                         "or the batch cannot be replaced",
                         (long long)g.blocked, g.what, (long long)g.blocked);
    }
    for (size_t i = 0; !rc && i < g.n; i++) {
        struct bl_val q[2] = {bl_val_int(im->org), bl_val_int(g.ids[i])};
        rc = bl_store_exec(im->st,
                           dis ? "DELETE FROM disruption WHERE org_id = $1 AND id = $2"
                               : "DELETE FROM protection WHERE org_id = $1 AND id = $2",
                           q, 2, NULL, im->d);
    }
    res->removed = (int64_t)g.n;
    bl_free(g.ids);
    return rc;
}

/* The batch's counts the file drops: the row goes when the batch counted it first;
 * when an earlier count exists it would have to come back, which the store cannot do
 * whole (its reserved and time are gone): refused, naming it. */
static int stock_end(struct bl__imp *im, struct bl_import_result *res)
{
    struct bl__replace *rp = im->rep;
    for (size_t i = 0; i < rp->n; i++) {
        int64_t v;
        if (bl_map_get(&rp->keep, bl_str_c(rp->keys[i]), &v))
            continue;
        long long wh = 0, sku = 0;
        if (sscanf(rp->keys[i], "%lld %lld", &wh, &sku) != 2)
            return bl_diag_set(im->d, BL_EINVAL, "--replace: bad stock key");
        struct bl_val p[4] = {bl_val_int(im->org), bl_val_int(wh), bl_val_int(sku),
                              bl_val_int(im->batch)};
        struct names x = {0};
        TRY(bl_store_query(im->st,
                           "SELECT w.ext_id, k.ext_id, 0 FROM stock_move m JOIN warehouse w ON "
                           "w.org_id = m.org_id AND w.id = m.warehouse_id JOIN sku k ON "
                           "k.org_id = m.org_id AND k.id = m.sku_id WHERE m.org_id = $1 AND "
                           "m.warehouse_id = $2 AND m.sku_id = $3",
                           p, 3, names_row, &x, im->d));
        if (x.found) {
            bl_diag_clear(im->d);
            bl_diag_at(im->d, im->file, 0, NULL);
            return bl_diag_set(im->d, BL_ECONFLICT,
                               "the file has no count of %s in warehouse %s, which batch %lld "
                               "counted over an earlier count: give that count in the file",
                               x.b, x.a, (long long)im->batch);
        }
        TRY(bl_store_exec(im->st,
                          "DELETE FROM stock WHERE org_id = $1 AND warehouse_id = $2 AND "
                          "sku_id = $3 AND batch_id = $4",
                          p, 4, NULL, im->d));
    }
    return compare(im, res);
}

int bl__replace_end(struct bl__imp *im, struct bl_import_result *res)
{
    struct bl__replace *rp = im->rep;
    switch (rp->k) {
    case RK_RATES:
    case RK_SKU_SUPPLIERS:
        return compare(im, res);
    case RK_STOCK:
        return stock_end(im, res);
    case RK_DISRUPTIONS:
    case RK_PROTECTIONS:
        return remove_gone(im, res);
    case RK_ORDERS:
        res->added = res->fresh;
        res->changed = res->updated;
        res->kept = res->unchanged;
        return BL_OK;
    }
    return BL_OK;
}

void bl__replace_release(struct bl__imp *im)
{
    if (im->rep) {
        bl_free(im->rep->vals);
        bl_free(im->rep->keys);
        bl_map_release(&im->rep->before);
        bl_map_release(&im->rep->keep);
    }
    im->rep = NULL;
}

/* After a duplicate of a stored record (rates, sku_suppliers, a disruption's id), outside
 * the rolled-back transaction: the diag says which batch --replace would take. */
void bl__replace_hint(struct bl__imp *im)
{
    const char *kind = im->opts->kind;
    if (im->replace || !im->d || im->d->code != BL_EEXISTS ||
        (strcmp(kind, "rates") != 0 && strcmp(kind, "sku_suppliers") != 0 &&
         strcmp(kind, "disruptions") != 0))
        return;
    struct bl_diag ig;
    int64_t last = 0;
    struct bl_val p[2] = {bl_val_int(im->org), bl_val_text(bl_str_c(kind))};
    if (bl_store_query(im->st,
                       "SELECT COALESCE(MAX(id), 0) FROM import_batch WHERE org_id = $1 AND "
                       "kind = $2",
                       p, 2, max_row, &last, &ig) != BL_OK ||
        !last)
        return;
    size_t len = strlen(im->d->msg);
    snprintf(im->d->msg + len, sizeof(im->d->msg) - len,
             " (to bring in a changed file, replace the batch of the one before; the last "
             "%s batch is %lld: ballast import %s %.160s --replace %lld)",
             kind, (long long)last, kind, im->opts->path, (long long)last);
}
