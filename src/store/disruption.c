/* disruption.c - disruptions and protection windows, typed (disruption.h). */
#include <stdio.h>
#include <string.h>

#include "store/disruption.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static struct bl_val opt_text(const char *s)
{
    return s ? bl_val_text(bl_str_c(s)) : bl_val_null();
}

int bl_store_disruption_add(struct bl_store *st, int64_t org, const struct bl_disruption *r,
                            int64_t *id, struct bl_diag *d)
{
    int rc = bl_store_next_ids(st, org, "disruption", 1, id, d);
    if (rc)
        return rc;
    struct bl_val v[] = {bl_val_int(org),
                         bl_val_int(*id),
                         opt_text(r->ext_id),
                         bl_val_text(bl_str_c(r->region)),
                         bl_val_text(bl_str_c(bl_dis_scopes[r->scope])),
                         bl_val_text(bl_str_c(bl_dis_kinds[r->kind])),
                         opt_text(r->channel),
                         opt_text(r->supplier),
                         bl_val_int(r->starts_at),
                         bl_val_int(r->ends_at),
                         opt_text(r->note),
                         bl_val_int(0)};
    rc = bl_store_touch(st, org, d); /* what cached answers read */
    return rc ? rc : bl_store_exec(st,
                         "INSERT INTO disruption (org_id, id, ext_id, region, scope, kind, "
                         "channel, supplier, starts_at, ends_at, note, batch_id) VALUES ($1, "
                         "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                         v, NELEM(v), NULL, d);
}

int bl_store_disruption_update(struct bl_store *st, int64_t org, const struct bl_disruption *r,
                               int64_t *changes, struct bl_diag *d)
{
    struct bl_val v[] = {bl_val_int(org),
                         bl_val_int(r->id),
                         bl_val_text(bl_str_c(r->region)),
                         bl_val_text(bl_str_c(bl_dis_scopes[r->scope])),
                         bl_val_text(bl_str_c(bl_dis_kinds[r->kind])),
                         bl_val_int(r->starts_at),
                         bl_val_int(r->ends_at),
                         opt_text(r->note)};
    int rc = bl_store_touch(st, org, d); /* what cached answers read */
    return rc ? rc : bl_store_exec(st,
                         "UPDATE disruption SET region = $3, scope = $4, kind = $5, "
                         "starts_at = $6, ends_at = $7, note = $8 WHERE org_id = $1 AND id = $2",
                         v, NELEM(v), changes, d);
}

int bl_store_disruption_lift(struct bl_store *st, int64_t org, int64_t id, int64_t at,
                             int64_t *changes, struct bl_diag *d)
{
    struct bl_val p[3] = {bl_val_int(org), bl_val_int(id), bl_val_int(at)};
    int rc = bl_store_touch(st, org, d); /* what cached answers read */
    return rc ? rc : bl_store_exec(st,
                         "UPDATE disruption SET lifted_at = $3 WHERE org_id = $1 AND id = $2 "
                         "AND lifted_at IS NULL",
                         p, 3, changes, d);
}

struct dis_ctx {
    bl_disruption_fn fn;
    void *ctx;
    struct bl_buf text;
};

static const char dis_select[] = "SELECT id, ext_id, region, scope, kind, channel, supplier, "
                                 "starts_at, ends_at, lifted_at, note, batch_id FROM disruption ";

static int dis_row(void *vctx, const struct bl_row *r)
{
    struct dis_ctx *c = vctx;
    static const size_t cols[] = {1, 2, 3, 4, 5, 6, 10};
    size_t offs[NELEM(cols)];
    bl_buf_reset(&c->text);
    for (size_t i = 0; i < NELEM(cols); i++) {
        offs[i] = c->text.len;
        if (bl_buf_adds(&c->text, bl_row_text(r, cols[i])) || bl_buf_addc(&c->text, '\0'))
            return BL_ENOMEM;
    }
    const char *t[NELEM(cols)];
    for (size_t i = 0; i < NELEM(cols); i++)
        t[i] = bl_row_isnull(r, cols[i]) ? NULL : c->text.ptr + offs[i];
    int scope = bl_dis_word(bl_dis_scopes, t[2] ? t[2] : "");
    int kind = bl_dis_word(bl_dis_kinds, t[3] ? t[3] : "");
    if (scope < 0 || kind < 0)
        return BL_ESTORE;
    struct bl_disruption x = {
        .id = bl_row_int(r, 0),
        .ext_id = t[0],
        .region = t[1] ? t[1] : "",
        .scope = (enum bl_dis_scope)scope,
        .kind = (enum bl_dis_kind)kind,
        .channel = t[4],
        .supplier = t[5],
        .starts_at = bl_row_int(r, 7),
        .ends_at = bl_row_int(r, 8),
        .lifted_at = bl_row_int_or(r, 9, BL_NO_TIME),
        .note = t[6],
        .batch_id = bl_row_int(r, 11),
    };
    return c->fn(c->ctx, &x);
}

static int run_dis(struct bl_store *st, const char *where, const struct bl_val *p, size_t n,
                   bl_disruption_fn fn, void *ctx, struct bl_diag *d)
{
    char sql[512];
    snprintf(sql, sizeof(sql), "%s%s", dis_select, where);
    struct dis_ctx c = {fn, ctx, BL_BUF_INIT};
    int rc = bl_store_query(st, sql, p, n, dis_row, &c, d);
    bl_buf_release(&c.text);
    if (rc == BL_ESTORE && d && !d->code)
        bl_diag_set(d, rc, "a disruption in the store has an unknown scope or kind");
    else if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory reading disruptions");
    return rc;
}

int bl_store_disruption_get(struct bl_store *st, int64_t org, int64_t id, bl_disruption_fn fn,
                            void *ctx, struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(id)};
    return run_dis(st, "WHERE org_id = $1 AND id = $2", p, 2, fn, ctx, d);
}

int bl_store_disruption_list(struct bl_store *st, int64_t org, int64_t active_at,
                             bl_disruption_fn fn, void *ctx, struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(active_at)};
    if (active_at == BL_NO_TIME)
        return run_dis(st, "WHERE org_id = $1 ORDER BY id", p, 1, fn, ctx, d);
    return run_dis(st,
                   "WHERE org_id = $1 AND starts_at <= $2 AND $2 < ends_at "
                   "AND (lifted_at IS NULL OR $2 < lifted_at) ORDER BY id",
                   p, 2, fn, ctx, d);
}

/* ---------------------------------------------------------------- history */

int bl_store_disruption_event_add(struct bl_store *st, int64_t org,
                                  const struct bl_disruption_event *e, struct bl_diag *d)
{
    int64_t id;
    int rc = bl_store_next_ids(st, org, "disruption_event", 1, &id, d);
    if (rc)
        return rc;
    struct bl_val v[] = {bl_val_int(org),
                         bl_val_int(id),
                         bl_val_int(e->disruption_id),
                         bl_val_int(e->at),
                         opt_text(e->who),
                         bl_val_text(bl_str_c(e->field)),
                         opt_text(e->before),
                         opt_text(e->after)};
    return bl_store_exec(st,
                         "INSERT INTO disruption_event (org_id, id, disruption_id, at, who, field,"
                         " old, new) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                         v, NELEM(v), NULL, d);
}

struct ev_ctx {
    bl_disruption_event_fn fn;
    void *ctx;
    struct bl_buf text;
};

static int ev_row(void *vctx, const struct bl_row *r)
{
    struct ev_ctx *c = vctx;
    size_t offs[4];
    bl_buf_reset(&c->text);
    for (size_t i = 0; i < 4; i++) {
        offs[i] = c->text.len;
        if (bl_buf_adds(&c->text, bl_row_text(r, 3 + i)) || bl_buf_addc(&c->text, '\0'))
            return BL_ENOMEM;
    }
    const char *t[4];
    for (size_t i = 0; i < 4; i++)
        t[i] = bl_row_isnull(r, 3 + i) ? NULL : c->text.ptr + offs[i];
    struct bl_disruption_event e = {bl_row_int(r, 0), bl_row_int(r, 1), bl_row_int(r, 2),
                                    t[0], t[1] ? t[1] : "", t[2], t[3]};
    return c->fn(c->ctx, &e);
}

int bl_store_disruption_events(struct bl_store *st, int64_t org, int64_t id,
                               bl_disruption_event_fn fn, void *ctx, struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(id)};
    struct ev_ctx c = {fn, ctx, BL_BUF_INIT};
    int rc = bl_store_query(st,
                            id ? "SELECT id, disruption_id, at, who, field, old, new FROM"
                                 " disruption_event WHERE org_id = $1 AND disruption_id = $2"
                                 " ORDER BY id"
                               : "SELECT id, disruption_id, at, who, field, old, new FROM"
                                 " disruption_event WHERE org_id = $1 ORDER BY id",
                            p, id ? 2 : 1, ev_row, &c, d);
    bl_buf_release(&c.text);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory reading a disruption's history");
    return rc;
}

int bl_store_disruption_events_upto(struct bl_store *st, int64_t org, int64_t *upto,
                                    struct bl_diag *d)
{
    struct bl_val p[1] = {bl_val_int(org)};
    return bl_store_query_int(st,
                              "SELECT COALESCE(MAX(id), 0) FROM disruption_event"
                              " WHERE org_id = $1",
                              p, 1, upto, d);
}

struct changed_ctx {
    int (*fn)(void *ctx, int64_t id, int64_t changes);
    void *ctx;
};

static int changed_row(void *vctx, const struct bl_row *r)
{
    struct changed_ctx *c = vctx;
    return c->fn(c->ctx, bl_row_int(r, 0), bl_row_int(r, 1));
}

int bl_store_disruption_changed_since(struct bl_store *st, int64_t org, int64_t after,
                                      int (*fn)(void *ctx, int64_t id, int64_t changes),
                                      void *ctx, struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(after)};
    struct changed_ctx c = {fn, ctx};
    return bl_store_query(st,
                          "SELECT disruption_id, COUNT(*) FROM disruption_event"
                          " WHERE org_id = $1 AND id > $2 AND field <> 'declared'"
                          " GROUP BY disruption_id ORDER BY disruption_id",
                          p, 2, changed_row, &c, d);
}

int bl_store_protection_add(struct bl_store *st, int64_t org, const struct bl_protection *r,
                            int64_t *id, struct bl_diag *d)
{
    int rc = bl_store_next_ids(st, org, "protection", 1, id, d);
    if (rc)
        return rc;
    struct bl_val v[] = {bl_val_int(org),        bl_val_int(*id),
                         bl_val_int(r->shop_id), bl_val_int(r->starts_at),
                         bl_val_int(r->ends_at), bl_val_text(bl_str_c(r->reason)),
                         bl_val_int(0)};
    rc = bl_store_touch(st, org, d); /* what cached answers read */
    return rc ? rc : bl_store_exec(st,
                         "INSERT INTO protection (org_id, id, shop_id, starts_at, ends_at, "
                         "reason, batch_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                         v, NELEM(v), NULL, d);
}

struct prot_ctx {
    bl_protection_fn fn;
    void *ctx;
    struct bl_buf text;
};

static int prot_row(void *vctx, const struct bl_row *r)
{
    struct prot_ctx *c = vctx;
    bl_buf_reset(&c->text);
    struct bl_str shop = bl_row_text(r, 1);
    if (bl_buf_adds(&c->text, shop) || bl_buf_addc(&c->text, '\0') ||
        bl_buf_adds(&c->text, bl_row_text(r, 4)) || bl_buf_addc(&c->text, '\0'))
        return BL_ENOMEM;
    struct bl_protection x = {
        .id = bl_row_int(r, 0),
        .shop_id = bl_row_int(r, 6),
        .shop = c->text.ptr,
        .starts_at = bl_row_int(r, 2),
        .ends_at = bl_row_int(r, 3),
        .reason = bl_row_isnull(r, 4) ? NULL : c->text.ptr + shop.len + 1,
        .batch_id = bl_row_int(r, 5),
    };
    return c->fn(c->ctx, &x);
}

int bl_store_protection_list(struct bl_store *st, int64_t org, const char *shop,
                             bl_protection_fn fn, void *ctx, struct bl_diag *d)
{
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(shop ? shop : ""))};
    struct prot_ctx c = {fn, ctx, BL_BUF_INIT};
    int rc = bl_store_query(st,
                            shop ? "SELECT p.id, s.ext_id, p.starts_at, p.ends_at, p.reason, "
                                   "p.batch_id, p.shop_id FROM protection p JOIN shop s ON "
                                   "s.org_id = p.org_id AND s.id = p.shop_id WHERE p.org_id = $1 "
                                   "AND s.ext_id = $2 ORDER BY p.id"
                                 : "SELECT p.id, s.ext_id, p.starts_at, p.ends_at, p.reason, "
                                   "p.batch_id, p.shop_id FROM protection p JOIN shop s ON "
                                   "s.org_id = p.org_id AND s.id = p.shop_id WHERE p.org_id = $1 "
                                   "ORDER BY p.id",
                            p, shop ? 2 : 1, prot_row, &c, d);
    bl_buf_release(&c.text);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory reading protections");
    return rc;
}
