/* message_add.c - the outbox's writer for `messages plan` (message.h,
 * bl_store_message_add_all): a plan's messages in a few statements, not four or five
 * each (on PostgreSQL each statement is a round trip: issue 15, item 6).
 *
 * 1. The keys the outbox already has, KEYS at a time (idem IN (...)), with whether the
 *    message is held.
 * 2. The held ones are rendered again in place, ROWS at a time (UPDATE ... FROM
 *    (VALUES ...)); one the outbox has otherwise is left as it is.
 * 3. The new ones get their ids in one reservation and go in ROWS at a time:
 *    INSERT ... VALUES (...), ... ON CONFLICT (org_id, idem) DO NOTHING RETURNING idem,
 *    so a key a concurrent run added first is told apart, as one statement a message
 *    did before.
 */
#include <string.h>

#include "ballast/map.h"
#include "store/message.h"

#define KEYS 400 /* keys looked up a statement */
#define ROWS 50  /* rows inserted a statement */
#define NCOLS 20 /* columns of an inserted row */
/* parameters of the largest statement: a row of each, or the keys and the org */
#define NVALS (ROWS * NCOLS > KEYS + 1 ? ROWS * NCOLS : KEYS + 1)

/* Map values: what the outbox holds for a key, or the index of the batch's new one. */
enum { HAVE = -1, HELD = -2 };

static const char *new_state(const struct bl_msg_new *m)
{
    if (m->hold && m->hold[0])
        return "held";
    return m->approval ? "planned" : "approved";
}

static struct bl_val text_or_null(const char *s)
{
    return s ? bl_val_text(bl_str_c(s)) : bl_val_null();
}

/* Held messages of the same keys rendered again: what each says, where it goes, and
 * whether it still waits; m[idx[0..k)], ROWS a statement (UPDATE ... FROM VALUES, whose
 * columns both stores call column1, column2...). */
static int redo(struct bl_store *st, int64_t org, const struct bl_msg_new *m, const size_t *idx,
                size_t k, struct bl_val *v, struct bl_buf *sql, struct bl_diag *d)
{
    bl_buf_reset(sql);
    int rc = bl_buf_addf(sql, "UPDATE message SET locale = v.column2, recipient = v.column3,"
                              " subject = v.column4, body = v.column5, state = v.column6,"
                              " hold = v.column7, approved_at = v.column8, as_of = v.column9"
                              " FROM (VALUES ");
    v[0] = bl_val_int(org);
    for (size_t r = 0; !rc && r < k; r++) {
        const struct bl_msg_new *x = &m[idx[r]];
        bool held = x->hold && x->hold[0];
        struct bl_val *w = &v[1 + r * 9];
        w[0] = bl_val_text(bl_str_c(x->idem));
        w[1] = bl_val_text(bl_str_c(x->locale));
        w[2] = bl_val_text(bl_str_c(x->recipient));
        w[3] = bl_val_text(bl_str_c(x->subject));
        w[4] = bl_val_text(bl_str_c(x->body));
        w[5] = bl_val_text(bl_str_c(new_state(x)));
        w[6] = held ? bl_val_text(bl_str_c(x->hold)) : bl_val_null();
        w[7] = x->approval || held ? bl_val_null() : bl_val_int(x->created_at);
        w[8] = bl_val_int(x->as_of);
        size_t b = 2 + r * 9;
        rc = bl_buf_addf(sql,
                         "%s($%zu, $%zu, $%zu, $%zu, $%zu, $%zu, CAST($%zu AS TEXT),"
                         " CAST($%zu AS BIGINT), CAST($%zu AS BIGINT))",
                         r ? ", " : "", b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8);
    }
    if (!rc)
        rc = bl_buf_addf(sql, ") AS v WHERE message.org_id = $1 AND message.idem = v.column1"
                              " AND message.state = 'held'");
    if (rc)
        return bl_diag_set(d, BL_ENOMEM, "messages: out of memory");
    return bl_store_exec(st, bl_buf_cstr(sql), v, 1 + k * 9, NULL, d);
}

/* ---------------------------------------------------------------- the keys it has */

struct keys_ctx {
    struct bl_map *m;
    int rc;
};

static int key_row(void *vctx, const struct bl_row *r)
{
    struct keys_ctx *c = vctx;
    if (bl_map_put(c->m, bl_row_text(r, 0), bl_row_int(r, 1) ? HELD : HAVE)) {
        c->rc = BL_ENOMEM;
        return 1;
    }
    return 0;
}

/* The keys of m[0..n) the outbox has into km (HAVE or HELD). */
static int known(struct bl_store *st, int64_t org, const struct bl_msg_new *m, size_t n,
                 struct bl_map *km, struct bl_val *v, struct bl_buf *sql, struct bl_diag *d)
{
    int rc = BL_OK;
    for (size_t at = 0; !rc && at < n; at += KEYS) {
        size_t k = n - at < KEYS ? n - at : KEYS;
        bl_buf_reset(sql);
        rc = bl_buf_addf(sql, "SELECT idem, CASE WHEN state = 'held' THEN 1 ELSE 0 END"
                              " FROM message WHERE org_id = $1 AND idem IN (");
        v[0] = bl_val_int(org);
        for (size_t i = 0; !rc && i < k; i++) {
            v[i + 1] = bl_val_text(bl_str_c(m[at + i].idem));
            rc = bl_buf_addf(sql, "%s$%zu", i ? ", " : "", i + 2);
        }
        if (!rc)
            rc = bl_buf_addc(sql, ')');
        if (rc)
            return bl_diag_set(d, BL_ENOMEM, "messages: out of memory");
        struct keys_ctx c = {km, BL_OK};
        rc = bl_store_query(st, bl_buf_cstr(sql), v, k + 1, key_row, &c, d);
        if (!rc && c.rc)
            rc = bl_diag_set(d, c.rc, "messages: out of memory");
    }
    return rc;
}

/* ---------------------------------------------------------------- the new ones */

static void row_vals(int64_t org, int64_t id, const struct bl_msg_new *m, struct bl_val *v)
{
    bool hold = m->hold && m->hold[0];
    struct bl_val row[NCOLS] = {
        bl_val_int(org),
        bl_val_int(id),
        bl_val_text(bl_str_c(m->idem)),
        bl_val_text(bl_str_c(m->kind)),
        m->order_id ? bl_val_int(m->order_id) : bl_val_null(),
        bl_val_int(m->shop_id),
        text_or_null(m->customer),
        bl_val_text(bl_str_c(m->locale)),
        bl_val_text(bl_str_c(m->channel)),
        bl_val_text(bl_str_c(m->recipient)),
        bl_val_text(bl_str_c(m->subject)),
        bl_val_text(bl_str_c(m->body)),
        text_or_null(m->covers),
        bl_val_text(bl_str_c(new_state(m))),
        bl_val_int(0),
        bl_val_int(m->as_of),
        bl_val_int(m->created_at),
        m->approval || hold ? bl_val_null() : bl_val_int(m->created_at),
        m->cycle_id ? bl_val_int(m->cycle_id) : bl_val_null(),
        hold ? bl_val_text(bl_str_c(m->hold)) : bl_val_null(),
    };
    memcpy(v, row, sizeof(row));
}

struct added_ctx {
    const struct bl_map *km;
    enum bl_msg_added *added;
    size_t n;
};

static int added_row(void *vctx, const struct bl_row *r)
{
    struct added_ctx *c = vctx;
    int64_t i = HAVE;
    if (bl_map_get(c->km, bl_row_text(r, 0), &i) && i >= 0 && (size_t)i < c->n)
        c->added[i] = BL_MSG_ADDED;
    return 0;
}

/* Inserts m[fresh[0..nf)] with ids from first on, ROWS a statement; added[] of each
 * row the store took. */
static int insert(struct bl_store *st, int64_t org, const struct bl_msg_new *m, size_t n,
                  const size_t *fresh, size_t nf, int64_t first, const struct bl_map *km,
                  enum bl_msg_added *added, struct bl_val *v, struct bl_buf *sql,
                  struct bl_diag *d)
{
    int rc = BL_OK;
    for (size_t at = 0; !rc && at < nf; at += ROWS) {
        size_t k = nf - at < ROWS ? nf - at : ROWS;
        bl_buf_reset(sql);
        rc = bl_buf_addf(sql, "INSERT INTO message (org_id, id, idem, kind, order_id, shop_id,"
                              " customer, locale, channel, recipient, subject, body, covers,"
                              " state, attempts, as_of, created_at, approved_at, cycle_id,"
                              " hold) VALUES ");
        for (size_t r = 0; !rc && r < k; r++) {
            row_vals(org, first + (int64_t)(at + r), &m[fresh[at + r]], &v[r * NCOLS]);
            for (size_t c = 0; !rc && c < NCOLS; c++)
                rc = bl_buf_addf(sql, "%s$%zu", c ? ", " : r ? "), (" : "(", r * NCOLS + c + 1);
        }
        if (!rc)
            rc = bl_buf_addf(sql, ") ON CONFLICT (org_id, idem) DO NOTHING RETURNING idem");
        if (rc)
            return bl_diag_set(d, BL_ENOMEM, "messages: out of memory");
        struct added_ctx c = {km, added, n};
        rc = bl_store_query(st, bl_buf_cstr(sql), v, k * NCOLS, added_row, &c, d);
    }
    return rc;
}

/* Sorts m[0..n) by what the outbox has: held ones into held (to be rendered again),
 * known ones left, new ones into fresh (each key once; km maps it to its index). */
static int sort_out(const struct bl_msg_new *m, size_t n, struct bl_map *km,
                    enum bl_msg_added *added, size_t *held, size_t *nh, size_t *fresh,
                    size_t *nf)
{
    for (size_t i = 0; i < n; i++) {
        int64_t v = (int64_t)i;
        bool is_new = false;
        added[i] = BL_MSG_ALREADY;
        if (bl_map_get_or_put(km, bl_str_c(m[i].idem), &v, &is_new))
            return BL_ENOMEM;
        if (is_new) {
            fresh[(*nf)++] = i;
        } else if (v == HELD) {
            held[(*nh)++] = i;
            added[i] = BL_MSG_REDONE;
            if (bl_map_put(km, bl_str_c(m[i].idem), HAVE)) /* given twice: once */
                return BL_ENOMEM;
        }
    }
    return BL_OK;
}

int bl_store_message_add_all(struct bl_store *st, int64_t org, const struct bl_msg_new *m,
                             size_t n, enum bl_msg_added *added, struct bl_diag *d)
{
    if (!n)
        return BL_OK;
    struct bl_arena a;
    bl_arena_init(&a, 1u << 14);
    struct bl_map km;
    bl_map_init(&km, &a);
    struct bl_buf sql;
    bl_buf_init(&sql, 0);
    size_t nf = 0, nh = 0;
    struct bl_val *v = bl_calloc(NVALS, sizeof(*v));
    size_t *fresh = bl_calloc(n, sizeof(*fresh)), *held = bl_calloc(n, sizeof(*held));
    int rc = v && fresh && held ? BL_OK : BL_ENOMEM;
    if (!rc)
        rc = known(st, org, m, n, &km, v, &sql, d);
    if (!rc && sort_out(m, n, &km, added, held, &nh, fresh, &nf))
        rc = BL_ENOMEM;
    for (size_t at = 0; !rc && at < nh; at += ROWS)
        rc = redo(st, org, m, held + at, nh - at < ROWS ? nh - at : ROWS, v, &sql, d);
    int64_t first = 0;
    if (!rc && nf)
        rc = bl_store_next_ids(st, org, "message", (int64_t)nf, &first, d);
    if (!rc && nf)
        rc = insert(st, org, m, n, fresh, nf, first, &km, added, v, &sql, d);
    if (rc == BL_ENOMEM && !d->code)
        bl_diag_set(d, rc, "messages: out of memory");
    bl_free(held);
    bl_free(fresh);
    bl_free(v);
    bl_buf_release(&sql);
    bl_map_release(&km);
    bl_arena_release(&a);
    return rc;
}
