/* data.c - the store and its data (data.h): init, import, stats, the organisation. */
#include <string.h>

#include "app/audit.h"
#include "app/data.h"
#include "store/org.h"

#include "ballast/import.h"

/* A space at either end of a name: ASCII, no-break (U+00A0) or ideographic (U+3000). */
static bool space_at(struct bl_str s, bool end)
{
    const unsigned char *p = (const unsigned char *)s.ptr;
    size_t n = s.len;
    if (n >= 1 && p[end ? n - 1 : 0] == ' ')
        return true;
    if (n >= 2 && (end ? p[n - 2] == 0xC2 && p[n - 1] == 0xA0 : p[0] == 0xC2 && p[1] == 0xA0))
        return true;
    return n >= 3 && (end ? memcmp(p + n - 3, "\xE3\x80\x80", 3) == 0
                          : memcmp(p, "\xE3\x80\x80", 3) == 0);
}

int bl_app_org_name_check(const char *name, struct bl_diag *d)
{
    struct bl_str s = bl_str_c(name ? name : "");
    char shown[BL_SHOW_BUF];
    size_t at;
    enum bl_text_fault f = bl_text_name_check(s, &at);
    if (s.len == 0)
        return bl_diag_set(d, BL_EINVAL, "an organisation name is empty: expected 1 to %d "
                           "bytes of printable text", BL_APP_ORG_NAME_MAX);
    if (s.len > BL_APP_ORG_NAME_MAX)
        return bl_diag_set(d, BL_EINVAL, "the organisation name '%s' is %zu bytes long: "
                           "expected at most %d", bl_str_show(s, BL_SHOW, shown), s.len,
                           BL_APP_ORG_NAME_MAX);
    if (f != BL_TEXT_OK)
        return bl_diag_set(d, BL_EINVAL, "the organisation name '%s' has %s (byte %zu): "
                           "expected printable text", bl_str_show(s, BL_SHOW, shown),
                           bl_text_fault_name(f), at + 1);
    if (space_at(s, false) || space_at(s, true))
        return bl_diag_set(d, BL_EINVAL, "the organisation name '%s' has a space at its %s: "
                           "expected the name without spaces around it",
                           bl_str_show(s, BL_SHOW, shown), space_at(s, false) ? "start" : "end");
    return BL_OK;
}

int bl_app_init(struct bl_store *st, const struct bl_app_init_req *req, struct bl_app_init_res *res,
                struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    const char *name = req && req->org_name ? req->org_name : "default";
    int rc = bl_app_org_name_check(name, d);
    if (rc)
        return rc;
    rc = bl_store_version(st, &res->version_before, d);
    if (!rc)
        rc = bl_store_migrate(st, d);
    if (!rc)
        rc = bl_store_version(st, &res->version_after, d);
    if (rc)
        return rc;
    rc = bl_store_begin(st, d);
    if (!rc)
        rc = bl_store_org_add(st, name, &res->org_id, &res->org_created, d);
    rc = bl_store_end(st, rc, d);
    return rc;
}

int bl_app_data_gen(struct bl_store *st, int64_t org, int64_t *gen, struct bl_diag *d)
{
    return bl_store_data_gen(st, org, gen, d);
}

int bl_app_org_find(struct bl_store *st, const char *name, int64_t *id, struct bl_diag *d)
{
    int rc = bl_app_org_name_check(name, d);
    if (rc)
        return rc;
    rc = bl_store_org_find(st, name, id, d);
    if (rc == BL_ENOTFOUND)
        bl_diag_set(d, rc, "unknown organisation '%s'", name);
    return rc;
}

/* The audit row of an import: one per batch, what it read and stored. */
static int import_audit(void *ctx, struct bl_store *st, int64_t batch,
                        const struct bl_import_result *r, struct bl_diag *d)
{
    const struct bl_import_opts *o = ctx;
    json_t *after = json_pack("{s:s, s:s, s:s?, s:s?, s:I, s:I, s:I, s:I, s:I}", "kind", o->kind,
                              "file", o->path, "tz", o->tz, "shop", o->shop, "rows",
                              (json_int_t)r->rows, "records", (json_int_t)r->records, "new",
                              (json_int_t)r->fresh, "updated", (json_int_t)r->updated,
                              "skipped", (json_int_t)r->skipped);
    if (after && o->replace)
        json_object_set_new(after, "replaced_batch", json_integer(o->replace));
    return bl_app_audit_n(st, o->org_id, o->now, "import.batch", "import_batch", batch, NULL,
                          after, d);
}

int bl_app_import(struct bl_store *st, int64_t org, const struct bl_app_import_req *req,
                  struct bl_app_import_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bool known = false;
    for (const char *const *k = bl_import_kinds; req->kind && *k; k++)
        known = known || strcmp(*k, req->kind) == 0;
    if (!known)
        return bl_diag_set(d, BL_EINVAL, "unknown kind of import '%s'", req->kind ? req->kind : "");
    struct bl_import_opts io = {.kind = req->kind,
                                .path = req->path,
                                .tz = req->tz,
                                .shop = req->shop,
                                .corrections = req->corrections,
                                .replace = req->replace,
                                .org_id = org,
                                .now = bl_app_now_or(req->now),
                                .progress = req->progress,
                                .progress_ctx = req->progress_ctx,
                                .source = req->source,
                                .jsonl = req->jsonl,
                                .ahead = req->ahead,
                                .cache = req->cache,
                                .before_commit = import_audit};
    io.commit_ctx = &io;
    struct bl_import_result r;
    int rc = bl_import(st, &io, &r, d);
    if (rc)
        return rc;
    res->batch_id = r.batch_id;
    res->rows = r.rows;
    res->records = r.records;
    res->skipped = r.skipped;
    res->already = r.already;
    res->batch_at = r.batch_at;
    res->replaced = r.replaced;
    res->added = r.added;
    res->changed = r.changed;
    res->removed = r.removed;
    res->kept = r.kept;
    res->orders = bl_import_kind_orders(req->kind);
    res->fresh = r.fresh;
    res->updated = r.updated;
    res->unchanged = r.unchanged;
    res->changes = r.changes;
    res->corrections = r.corrections;
    res->nothing = r.nothing;
    memcpy(res->note, r.note, sizeof(res->note));
    return BL_OK;
}

int bl_app_import_list(struct bl_store *st, int64_t org, const struct bl_app_import_list_req *req,
                       struct bl_app_import_list_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 0);
    const char *kind = req ? req->kind : NULL;
    bool known = !kind;
    for (const char *const *k = bl_import_kinds; kind && *k; k++)
        known = known || strcmp(*k, kind) == 0;
    if (!known)
        return bl_diag_set(d, BL_EINVAL, "unknown kind of import '%s'", kind);
    return bl_store_batch_list(st, org, kind, &res->arena, &res->items, &res->n, d);
}

void bl_app_import_list_res_release(struct bl_app_import_list_res *res)
{
    bl_free(res->items);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}

/* The tables `ballast stats` counts, in its order. */
static const char *const stat_tables[] = {
    "shop",         "sku",        "warehouse",        "stock",        "stock_move",  "supplier",
    "inbound",      "orders",     "order_line",       "order_block",  "sales_daily", "channel",
    "channel_rate", "disruption", "protection",       "import_batch", "assessment",  "coupon",
    "ledger",       "alert",      "calendar_closure", "shop_policy",  "refund",      "plan_line",
    "stock_alert",  "action",     "customer",         "message",      "sku_supplier", "fx_rate"};

_Static_assert(sizeof(stat_tables) / sizeof(stat_tables[0]) <= BL_APP_STATS_MAX,
               "BL_APP_STATS_MAX too small");

int bl_app_stats(struct bl_store *st, int64_t org, struct bl_app_stats_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < sizeof(stat_tables) / sizeof(stat_tables[0]); i++) {
        res->t[i].table = stat_tables[i];
        rc = bl_store_org_rows(st, org, stat_tables[i], &res->t[i].rows, d);
        res->n = i + 1;
    }
    return rc;
}
