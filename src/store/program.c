/* program.c - support programmes: shops' facts, the programmes, members (program.h). */
#include <string.h>

#include "ballast/assess.h" /* BL_NO_TIME */
#include "store/load.h"
#include "store/program.h"

static struct bl_val time_or_null(int64_t t)
{
    return t == BL_NO_TIME ? bl_val_null() : bl_val_int(t);
}

static struct bl_val text_or_null(const char *s)
{
    return s ? bl_val_text(bl_str_c(s)) : bl_val_null();
}

static int shop_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_pg_shop_row *x = bl__load_next(l);
    if (x) {
        x->id = bl_row_int(r, 0);
        x->ext = bl__load_keep_or_empty(l, r, 1);
        x->name = bl__load_keep_or_empty(l, r, 2);
        x->region = bl__load_keep(l, r, 3);
        x->platform = bl__load_keep_or_empty(l, r, 4);
        x->sender = bl__load_keep(l, r, 5);
        x->s.opened_at = bl_row_int_or(r, 6, BL_NO_TIME);
        x->s.reopened = bl_row_int(r, 7) != 0;
        x->s.deposit_paid_at = bl_row_int_or(r, 8, BL_NO_TIME);
        x->s.sharing_at = bl_row_int_or(r, 9, BL_NO_TIME);
        x->s.violation_at = bl_row_int_or(r, 10, BL_NO_TIME);
        x->s.linked_to = bl_row_int(r, 11);
        x->s.updated_at = bl_row_int_or(r, 12, BL_NO_TIME);
        x->first_order = bl_row_int_or(r, 13, BL_NO_TIME);
        x->tz = bl__load_keep_or_empty(l, r, 14);
        x->org = bl_row_int(r, 15);
        x->org_name = bl__load_keep_or_empty(l, r, 16);
    }
    return l->rc;
}

int bl_store_program_shops(struct bl_store *st, int64_t org, struct bl_arena *a,
                           struct bl_pg_shop_row **out, size_t *n, struct bl_diag *d)
{
    struct bl__load l = {.a = a, .size = sizeof(**out)};
    struct bl_val p = bl_val_int(org);
    int rc = bl__load_run(st,
                          "SELECT s.id, s.ext_id, s.name, s.ship_from, s.platform,"
                          " g.sender_address, f.opened_at, f.reopened, f.deposit_paid_at,"
                          " f.sharing_at, f.violation_at, f.linked_to, f.updated_at, o.first, s.tz,"
                          " s.org_id, (SELECT name FROM org WHERE id = s.org_id)"
                          " FROM shop s"
                          " LEFT JOIN shop_setting g ON g.org_id = s.org_id AND g.shop_id = s.id"
                          " LEFT JOIN shop_standing f ON f.org_id = s.org_id AND f.shop_id = s.id"
                          " LEFT JOIN (SELECT shop_id, MIN(placed_at) AS first FROM orders"
                          " WHERE org_id = $1 GROUP BY shop_id) o ON o.shop_id = s.id"
                          " WHERE s.org_id = $1 ORDER BY s.id",
                          &p, 1, shop_row, &l, n, d);
    *out = l.items;
    return rc;
}

int bl_store_standing_put(struct bl_store *st, int64_t org, int64_t shop_id,
                          const struct bl_standing *s, int64_t now, struct bl_diag *d)
{
    struct bl_val p[9] = {bl_val_int(org),
                          bl_val_int(shop_id),
                          time_or_null(s->opened_at),
                          bl_val_int(s->reopened),
                          time_or_null(s->deposit_paid_at),
                          time_or_null(s->sharing_at),
                          time_or_null(s->violation_at),
                          s->linked_to ? bl_val_int(s->linked_to) : bl_val_null(),
                          bl_val_int(now)};
    int rc = bl_store_exec(st, "DELETE FROM shop_standing WHERE org_id = $1 AND shop_id = $2", p, 2,
                           NULL, d);
    return rc ? rc
              : bl_store_exec(st,
                              "INSERT INTO shop_standing (org_id, shop_id, opened_at, reopened,"
                              " deposit_paid_at, sharing_at, violation_at, linked_to, updated_at)"
                              " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                              p, 9, NULL, d);
}

static int program_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_program_row *x = bl__load_next(l);
    if (x) {
        x->id = bl_row_int(r, 0);
        x->ext = bl__load_keep_or_empty(l, r, 1);
        x->body = bl__load_keep_or_empty(l, r, 2);
        x->source = bl__load_keep_or_empty(l, r, 3);
        x->added_at = bl_row_int(r, 4);
        x->updated_at = bl_row_int(r, 5);
    }
    return l->rc;
}

int bl_store_program_list(struct bl_store *st, int64_t org, struct bl_arena *a,
                          struct bl_program_row **out, size_t *n, struct bl_diag *d)
{
    struct bl__load l = {.a = a, .size = sizeof(**out)};
    struct bl_val p = bl_val_int(org);
    int rc = bl__load_run(st,
                          "SELECT id, ext_id, body, source, added_at, updated_at FROM program"
                          " WHERE org_id = $1 AND removed_at IS NULL ORDER BY id",
                          &p, 1, program_row, &l, n, d);
    *out = l.items;
    return rc;
}

struct found {
    int64_t id;
    bool removed, same;
    const char *body;
};

static int found_row(void *ctx, const struct bl_row *r)
{
    struct found *f = ctx;
    f->id = bl_row_int(r, 0);
    f->removed = !bl_row_isnull(r, 1);
    struct bl_str b = bl_row_text(r, 2);
    f->same = b.len == strlen(f->body) && memcmp(b.ptr, f->body, b.len) == 0;
    return 0;
}

int bl_store_program_put(struct bl_store *st, int64_t org, const char *ext, const char *body,
                         const char *source, int64_t now, int64_t *id, int *state,
                         struct bl_diag *d)
{
    struct found f = {0, false, false, body};
    struct bl_val p[6] = {bl_val_int(org),
                          bl_val_text(bl_str_c(ext)),
                          bl_val_text(bl_str_c(body)),
                          bl_val_text(bl_str_c(source)),
                          bl_val_int(now),
                          bl_val_int(0)};
    int rc = bl_store_query(st,
                            "SELECT id, removed_at, body FROM program WHERE org_id = $1"
                            " AND ext_id = $2",
                            p, 2, found_row, &f, d);
    *state = !f.id ? 1 : f.removed ? 1 : f.same ? 0 : 2;
    if (!rc && !f.id)
        rc = bl_store_next_ids(st, org, "program", 1, &f.id, d);
    p[5] = bl_val_int(f.id);
    *id = f.id;
    if (!rc && *state == 1 && !f.removed)
        return bl_store_exec(st,
                             "INSERT INTO program (org_id, id, ext_id, body, source, added_at,"
                             " updated_at) VALUES ($1, $6, $2, $3, $4, $5, $5)",
                             p, 6, NULL, d);
    if (!rc && *state)
        rc = bl_store_exec(st,
                           "UPDATE program SET body = $3, source = $4, updated_at = $5,"
                           " removed_at = NULL WHERE org_id = $1 AND id = $6",
                           p, 6, NULL, d);
    return rc;
}

int bl_store_program_remove(struct bl_store *st, int64_t org, const char *ext, int64_t now,
                            struct bl_diag *d)
{
    struct bl_val p[3] = {bl_val_int(org), bl_val_text(bl_str_c(ext)), bl_val_int(now)};
    int64_t n = 0;
    int rc = bl_store_exec(st,
                           "UPDATE program SET removed_at = $3 WHERE org_id = $1 AND ext_id = $2"
                           " AND removed_at IS NULL",
                           p, 3, &n, d);
    if (!rc && n == 0)
        rc = bl_diag_set(d, BL_ENOTFOUND, "no programme '%s' ('ballast programs list')", ext);
    return rc;
}

struct sales_ctx {
    bl_pg_sales_fn fn;
    void *ctx;
};

static int sales_row(void *ctx, const struct bl_row *r)
{
    struct sales_ctx *c = ctx;
    return c->fn(c->ctx, bl_row_int(r, 0), bl_row_int(r, 1));
}

int bl_store_program_sales(struct bl_store *st, int64_t org, int64_t from, int64_t to,
                           const char *currency, bl_pg_sales_fn fn, void *ctx, struct bl_diag *d)
{
    struct sales_ctx c = {fn, ctx};
    struct bl_val p[4] = {bl_val_int(org), bl_val_int(from), bl_val_int(to),
                          bl_val_text(bl_str_c(currency))};
    return bl_store_query(st,
                          "SELECT shop_id, SUM(amount) FROM orders WHERE org_id = $1"
                          " AND placed_at >= $2 AND placed_at < $3 AND currency = $4"
                          " AND status <> 'cancelled' AND cancelled_at IS NULL"
                          " GROUP BY shop_id ORDER BY shop_id",
                          p, 4, sales_row, &c, d);
}

static int member_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_member_row *x = bl__load_next(l);
    if (x) {
        x->program_id = bl_row_int(r, 0);
        x->shop_id = bl_row_int(r, 1);
        x->shop_org = bl_row_int(r, 14);
        x->org_name = bl__load_keep_or_empty(l, r, 15);
        x->shop = bl__load_keep_or_empty(l, r, 2);
        x->shop_name = bl__load_keep_or_empty(l, r, 3);
        x->state = bl__load_keep_or_empty(l, r, 4);
        x->reason = bl__load_keep(l, r, 5);
        x->benefits = bl__load_keep(l, r, 6);
        x->since = bl_row_int_or(r, 7, BL_NO_TIME);
        x->lost_at = bl_row_int_or(r, 8, BL_NO_TIME);
        x->as_of = bl_row_int(r, 9);
        x->changed_at = bl_row_int(r, 10);
        x->cycle_id = bl_row_int(r, 11);
        x->since_day = bl_row_int_or(r, 12, BL_NO_TIME);
        x->lost_day = bl_row_int_or(r, 13, BL_NO_TIME);
    }
    return l->rc;
}

int bl_store_program_members(struct bl_store *st, int64_t org, int64_t program_id,
                             struct bl_arena *a, struct bl_member_row **out, size_t *n,
                             struct bl_diag *d)
{
    struct bl__load l = {.a = a, .size = sizeof(**out)};
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(program_id)};
    int rc = bl__load_run(st,
                          "SELECT m.program_id, m.shop_id, s.ext_id, s.name, m.state, m.reason,"
                          " m.benefits, m.since, m.lost_at, m.as_of, m.changed_at, m.cycle_id,"
                          " m.since_day, m.lost_day, m.shop_org, g.name"
                          " FROM program_member m"
                          " JOIN shop s ON s.org_id = m.shop_org AND s.id = m.shop_id"
                          " JOIN org g ON g.id = m.shop_org"
                          " WHERE m.org_id = $1 AND ($2 = 0 OR m.program_id = $2)"
                          " ORDER BY m.program_id, m.shop_org, m.shop_id",
                          p, 2, member_row, &l, n, d);
    *out = l.items;
    return rc;
}

int bl_store_program_member_put(struct bl_store *st, int64_t org, const struct bl_member_row *m,
                                int64_t now, struct bl_diag *d)
{
    struct bl_val p[14] = {bl_val_int(org),
                           bl_val_int(m->program_id),
                           bl_val_int(m->shop_id),
                           bl_val_text(bl_str_c(m->state)),
                           time_or_null(m->since),
                           time_or_null(m->lost_at),
                           text_or_null(m->reason),
                           text_or_null(m->benefits),
                           bl_val_int(m->as_of),
                           bl_val_int(now),
                           m->cycle_id ? bl_val_int(m->cycle_id) : bl_val_null(),
                           time_or_null(m->since_day),
                           time_or_null(m->lost_day),
                           bl_val_int(m->shop_org ? m->shop_org : org)};
    struct bl_val k[4] = {p[0], p[1], p[2], p[13]};
    int rc = bl_store_exec(st,
                           "DELETE FROM program_member WHERE org_id = $1 AND program_id = $2"
                           " AND shop_id = $3 AND shop_org = $4",
                           k, 4, NULL, d);
    return rc ? rc
              : bl_store_exec(st,
                              "INSERT INTO program_member (org_id, program_id, shop_id, state,"
                              " since, lost_at, reason, benefits, as_of, changed_at, cycle_id,"
                              " since_day, lost_day, shop_org)"
                              " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
                              " $14)",
                              p, 14, NULL, d);
}
