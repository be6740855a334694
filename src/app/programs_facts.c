/* programs_facts.c - the facts programmes look at, per shop: set one shop's, or many
 * from a CSV file (programs.h; docs/formats.md, "Merchant facts"). */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "app/audit.h"
#include "app/programs.h"
#include "ballast/assess.h" /* BL_NO_TIME */
#include "ballast/csv.h"
#include "ballast/time.h"

int bl_app_fact_time(const char *text, int64_t *t, struct bl_diag *d)
{
    if (strcmp(text, "none") == 0) {
        *t = BL_NO_TIME;
        return BL_OK;
    }
    int64_t day = 0;
    if (strlen(text) == 10 && bl_date_parse(bl_str_c(text), &day, NULL) == BL_OK) {
        *t = day * BL_DAY_SECS;
        return BL_OK;
    }
    struct bl_diag td;
    bl_diag_clear(&td);
    if (bl_time_parse(bl_str_c(text), NULL, t, &td) == BL_OK)
        return BL_OK;
    return bl_diag_set(d, BL_EPARSE,
                       "'%s': expected a date (2024-03-01, its start in UTC), an instant with "
                       "its offset (2024-03-01T09:30:00+08:00) or none",
                       text);
}

static const struct bl_pg_shop_row *by_ext(const struct bl_pg_shop_row *s, size_t n,
                                           const char *ext)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s[i].ext, ext) == 0)
            return &s[i];
    return NULL;
}

static json_t *standing_json(const struct bl_standing *s)
{
    return json_pack("{s:I, s:b, s:I, s:I, s:I, s:I}", "opened_at", (json_int_t)s->opened_at,
                     "reopened", s->reopened, "deposit_paid_at", (json_int_t)s->deposit_paid_at,
                     "sharing_at", (json_int_t)s->sharing_at, "violation_at",
                     (json_int_t)s->violation_at, "linked_to", (json_int_t)s->linked_to);
}

/* One shop's request applied and stored, inside the caller's transaction. */
static int apply(struct bl_store *st, int64_t org, const struct bl_pg_shop_row *shops, size_t n,
                 const struct bl_app_standing_req *rq, struct bl_diag *d)
{
    const struct bl_pg_shop_row *sh = by_ext(shops, n, rq->shop);
    if (!sh) {
        bl_diag_at(d, NULL, 0, "shop");
        return bl_diag_set(d, BL_ENOTFOUND, "no shop '%s'", rq->shop);
    }
    struct bl_standing s = sh->s;
    if (s.updated_at == BL_NO_TIME)
        s.opened_at = s.deposit_paid_at = s.sharing_at = s.violation_at = BL_NO_TIME;
    s.opened_at = rq->opened_at ? *rq->opened_at : s.opened_at;
    s.deposit_paid_at = rq->deposit_paid_at ? *rq->deposit_paid_at : s.deposit_paid_at;
    s.sharing_at = rq->sharing_at ? *rq->sharing_at : s.sharing_at;
    s.violation_at = rq->violation_at ? *rq->violation_at : s.violation_at;
    s.reopened = rq->reopened ? *rq->reopened : s.reopened;
    if (rq->linked_to && !rq->linked_to[0])
        s.linked_to = 0;
    else if (rq->linked_to) {
        const struct bl_pg_shop_row *to = by_ext(shops, n, rq->linked_to);
        bl_diag_at(d, NULL, 0, "linked_to");
        if (!to || to == sh)
            return bl_diag_set(d, BL_EINVAL,
                               to ? "a shop is not linked to itself" : "no shop '%s' to link to",
                               rq->linked_to);
        s.linked_to = to->id;
    }
    int64_t now = bl_app_now_or(rq->now);
    int rc = bl_store_standing_put(st, org, sh->id, &s, now, d);
    rc = rc ? rc
            : bl_app_audit(st, org, now, "shop.facts", "shop", sh->ext,
                           sh->s.updated_at == BL_NO_TIME ? NULL : standing_json(&sh->s),
                           standing_json(&s), d);
    s.updated_at = now; /* a later row of the same import starts from this */
    if (!rc)
        ((struct bl_pg_shop_row *)sh)->s = s;
    return rc;
}

int bl_app_standing_set(struct bl_store *st, int64_t org, const struct bl_app_standing_req *req,
                        struct bl_diag *d)
{
    struct bl_arena a;
    bl_arena_init(&a, 0);
    struct bl_pg_shop_row *shops = NULL;
    size_t n = 0;
    int rc = bl_store_program_shops(st, org, &a, &shops, &n, d);
    rc = rc ? rc : bl_store_begin(st, d);
    if (!rc)
        rc = bl_store_end(st, apply(st, org, shops, n, req, d), d);
    bl_free(shops);
    bl_arena_release(&a);
    return rc;
}

/* ---- import -------------------------------------------------------------------------- */

#define NCOLS 7
static const char *const cols[NCOLS] = {
    "shop",          "opened_at",    "reopened", "deposit_paid_at",
    "sharing_since", "violation_at", "linked_to"};

static int header(const struct bl_csv_record *rec, const char *path, int col[NCOLS],
                  struct bl_diag *d)
{
    for (size_t k = 0; k < NCOLS; k++)
        col[k] = -1;
    for (size_t i = 0; i < rec->nfields; i++) {
        size_t k = 0;
        while (k < NCOLS && !bl_str_eq_c(rec->field[i], cols[k]))
            k++;
        if (k == NCOLS || col[k] >= 0) {
            bl_diag_at(d, path, rec->line, NULL);
            return bl_diag_set(d, BL_EPARSE, "column %zu '%.*s': %s", i + 1, (int)rec->field[i].len,
                               rec->field[i].ptr,
                               k < NCOLS ? "given twice"
                                         : "unknown (expected shop, opened_at, reopened, "
                                           "deposit_paid_at, sharing_since, violation_at, "
                                           "linked_to)");
        }
        col[k] = (int)i;
    }
    if (col[0] < 0) {
        bl_diag_at(d, path, rec->line, NULL);
        return bl_diag_set(d, BL_EPARSE, "no column 'shop'");
    }
    return BL_OK;
}

/* The cells of one row into rq (times into t, the flag into flag). */
static int cells(const struct bl_csv_record *rec, const int col[NCOLS], char v[NCOLS][200],
                 int64_t t[4], bool *flag, struct bl_app_standing_req *rq, struct bl_diag *d)
{
    const int64_t **tf[4] = {&rq->opened_at, &rq->deposit_paid_at, &rq->sharing_at,
                             &rq->violation_at};
    static const int tcol[4] = {1, 3, 4, 5};
    for (size_t k = 0; k < NCOLS; k++) {
        v[k][0] = '\0';
        if (col[k] >= 0 && (size_t)col[k] < rec->nfields)
            bl_str_copy(v[k], 200, rec->field[col[k]]);
    }
    rq->shop = v[0];
    for (size_t k = 0; k < 4; k++) {
        if (!v[tcol[k]][0])
            continue;
        bl_diag_at(d, NULL, 0, cols[tcol[k]]);
        if (bl_app_fact_time(v[tcol[k]], &t[k], d))
            return BL_EPARSE;
        *tf[k] = &t[k];
    }
    if (v[2][0]) {
        static const char *const yes[] = {"1", "true", "yes"}, *const no[] = {"0", "false", "no"};
        bool y = false, n = false;
        for (size_t k = 0; k < 3; k++) {
            y |= strcmp(v[2], yes[k]) == 0;
            n |= strcmp(v[2], no[k]) == 0;
        }
        bl_diag_at(d, NULL, 0, "reopened");
        if (!y && !n)
            return bl_diag_set(d, BL_EPARSE, "expected a flag: 0 or 1 (true/false, yes/no)");
        *flag = y;
        rq->reopened = flag;
    }
    rq->linked_to = col[6] >= 0 && v[6][0] ? (strcmp(v[6], "none") ? v[6] : "") : NULL;
    return v[0][0] ? BL_OK : bl_diag_set(d, BL_EPARSE, "column 'shop' is empty");
}

static int rows(struct bl_store *st, int64_t org, const char *path, int64_t now, struct bl_csv *csv,
                struct bl_csv_record *rec, const struct bl_pg_shop_row *shops, size_t nshops,
                size_t *set, struct bl_diag *d)
{
    int col[NCOLS];
    int rc = bl_csv_next(csv, rec, d);
    rc = rc == 1   ? header(rec, path, col, d)
         : rc == 0 ? bl_diag_set(d, BL_EPARSE,
                                 "%s: empty "
                                 "file",
                                 path)
                   : rc;
    int more = 0;
    while (!rc && (more = bl_csv_next(csv, rec, d)) == 1) {
        char v[NCOLS][200];
        int64_t t[4];
        bool flag = false;
        struct bl_app_standing_req rq = {.now = now};
        rc = cells(rec, col, v, t, &flag, &rq, d);
        rc = rc ? rc : apply(st, org, shops, nshops, &rq, d);
        if (rc && rc != BL_ENOMEM) {
            char msg[sizeof(d->msg)], field[64];
            bl_str_copy(msg, sizeof(msg), bl_str_c(d->msg));
            bl_str_copy(field, sizeof(field), bl_str_c(d->field));
            bl_diag_clear(d);
            bl_diag_at(d, path, rec->line, field[0] ? field : NULL);
            rc = bl_diag_set(d, BL_EPARSE, "%s", msg);
        }
        *set += !rc;
    }
    return rc ? rc : more < 0 ? more : BL_OK;
}

int bl_app_standing_import(struct bl_store *st, int64_t org, const char *path, int64_t now,
                           size_t *set, struct bl_diag *d)
{
    *set = 0;
    struct bl_csv *csv;
    int rc = bl_csv_open(&csv, path, d);
    if (rc)
        return rc;
    struct bl_csv_record *rec = bl_malloc(sizeof(*rec));
    struct bl_arena a;
    bl_arena_init(&a, 0);
    struct bl_pg_shop_row *shops = NULL;
    size_t n = 0;
    rc = rec ? bl_store_program_shops(st, org, &a, &shops, &n, d)
             : bl_diag_set(d, BL_ENOMEM, "out of memory");
    rc = rc ? rc : bl_store_begin(st, d);
    if (!rc)
        rc = bl_store_end(st, rows(st, org, path, bl_app_now_or(now), csv, rec, shops, n, set, d),
                          d);
    if (rc)
        *set = 0;
    bl_free(shops);
    bl_arena_release(&a);
    bl_free(rec);
    bl_csv_close(csv);
    return rc;
}
