/* history.c - daily sales history and event calendar CSV readers (see history.h). */
#include "ballast/history.h"

#include <stdlib.h>
#include <string.h>

#include "ballast/csv.h"
#include "ballast/map.h"
#include "ballast/time.h"

#define HISTORY_HEADER "expected a header line sku,date,units[,in_stock]"
#define EVENTS_HEADER "expected a header line date,event[,region]"

struct row {
    size_t sku;
    int64_t day;
    double units;
    bool out; /* out of stock */
};

struct reader {
    const char *file; /* for messages: bl_csv_next clears the diag */
    bool events;      /* reading an event calendar */
    bool header_done;
    size_t nfields;
    int col_sku, col_date, col_units, col_stock, col_event, col_region;
    struct bl_arena *arena;
    struct bl_map map;
    const char **names;
    size_t nnames, names_cap;
    struct row *rows;
    size_t nrows, rows_cap;
    struct bl_fc_event *ev;
    size_t nev, ev_cap;
    int64_t min_day, max_day;
    struct bl_diag *d;
};

static int fail_at(struct reader *r, const struct bl_csv_record *rec, const char *field, int code,
                   const char *what, struct bl_str val)
{
    char shown[BL_SHOW_BUF];
    bl_diag_at(r->d, r->file, rec->line, field);
    return bl_diag_set(r->d, code, "'%s': %s", bl_str_show(val, BL_SHOW, shown), what);
}

static int header(struct reader *r, const struct bl_csv_record *rec)
{
    r->col_sku = r->col_date = r->col_units = r->col_stock = r->col_event = r->col_region = -1;
    r->nfields = rec->nfields;
    for (size_t i = 0; i < rec->nfields; i++) {
        struct bl_str f = bl_str_trim(rec->field[i]);
        int *col = bl_str_eq_c(f, "sku")                   ? &r->col_sku
                   : bl_str_eq_c(f, "date")                ? &r->col_date
                   : bl_str_eq_c(f, "units")               ? &r->col_units
                   : bl_str_eq_c(f, "in_stock")            ? &r->col_stock
                   : bl_str_eq_c(f, "event")               ? &r->col_event
                   : bl_str_eq_c(f, "region") && r->events ? &r->col_region
                                                           : NULL;
        if (col && *col >= 0) {
            char shown[BL_SHOW_BUF];
            bl_diag_at(r->d, r->file, rec->line, NULL);
            return bl_diag_set(r->d, BL_EPARSE, "column '%s' appears twice",
                               bl_str_show(f, BL_SHOW, shown));
        }
        if (col)
            *col = (int)i;
    }
    const char *need[3] = {"date", NULL, NULL};
    int have[3] = {r->col_date, 0, 0};
    if (r->events) {
        need[1] = "event";
        have[1] = r->col_event;
    } else {
        need[1] = "sku";
        have[1] = r->col_sku;
        need[2] = "units";
        have[2] = r->col_units;
    }
    for (int i = 0; i < 3; i++)
        if (need[i] && have[i] < 0) {
            bl_diag_at(r->d, r->file, rec->line, NULL);
            return bl_diag_set(r->d, BL_EPARSE, "required column '%s' is missing: %s", need[i],
                               r->events ? EVENTS_HEADER : HISTORY_HEADER);
        }
    r->header_done = true;
    return 0;
}

/* An event's region: "global", or ISO 3166-1 country codes (two letters) separated by
 * spaces, upper-cased into the arena (*out); empty: global. */
static int parse_region(struct reader *r, const struct bl_csv_record *rec, struct bl_str s,
                        struct bl_str *out)
{
    *out = (struct bl_str){"", 0};
    if (!s.len || bl_str_eq_nocase_c(s, "global")) {
        *out = (struct bl_str){"global", 6};
        return 0;
    }
    char *copy = bl_arena_strndup(r->arena, s.ptr, s.len);
    if (!copy)
        return bl_diag_set(r->d, BL_ENOMEM, "out of memory reading events");
    for (size_t i = 0; i < s.len;) {
        if (copy[i] == ' ') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < s.len && copy[j] != ' ') {
            char c = copy[j];
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
                break;
            copy[j++] = (char)(c >= 'a' ? c - 'a' + 'A' : c);
        }
        if (j - i != 2 || (j < s.len && copy[j] != ' '))
            return fail_at(r, rec, "region", BL_EPARSE,
                           "expected global, or two-letter country codes separated by spaces "
                           "such as CN or US CA GB",
                           s);
        i = j;
    }
    *out = (struct bl_str){copy, s.len};
    return 0;
}

/* A number of units: digits with at most one '.', nothing else. */
static int parse_units(struct reader *r, const struct bl_csv_record *rec, struct bl_str s,
                       double *out)
{
    size_t digits = 0, dots = 0, i = 0;
    bool neg = s.len && s.ptr[0] == '-';
    for (i = neg; i < s.len; i++) {
        if (s.ptr[i] >= '0' && s.ptr[i] <= '9')
            digits++;
        else if (s.ptr[i] == '.')
            dots++;
        else
            break;
    }
    if (i != s.len || !digits || dots > 1 || s.len > 30)
        return fail_at(r, rec, "units", BL_EPARSE, "expected a number of units such as 3 or 2.5",
                       s);
    char buf[32];
    memcpy(buf, s.ptr, s.len);
    buf[s.len] = '\0';
    double v = strtod(buf, NULL);
    if (neg && v != 0)
        return fail_at(r, rec, "units", BL_ERANGE, "units cannot be negative: expected >= 0", s);
    if (v > 1e12)
        return fail_at(r, rec, "units", BL_ERANGE, "too large: expected at most 1e12", s);
    *out = v < 0 ? 0 : v; /* "-0" */
    return 0;
}

static int parse_stock(struct reader *r, const struct bl_csv_record *rec, struct bl_str s,
                       bool *out_of_stock)
{
    static const char *const yes[] = {"1", "true", "yes", "y", "t"};
    static const char *const no[] = {"0", "false", "no", "n", "f"};
    *out_of_stock = false;
    if (!s.len)
        return 0;
    for (size_t i = 0; i < 5; i++) {
        if (bl_str_eq_nocase_c(s, yes[i]))
            return 0;
        if (bl_str_eq_nocase_c(s, no[i])) {
            *out_of_stock = true;
            return 0;
        }
    }
    return fail_at(r, rec, "in_stock", BL_EPARSE, "expected 1 or 0 (true/false, yes/no)", s);
}

static int on_record(void *ctx, const struct bl_csv_record *rec)
{
    struct reader *r = ctx;
    if (!r->header_done)
        return header(r, rec);
    if (rec->nfields != r->nfields) {
        bl_diag_at(r->d, r->file, rec->line, NULL);
        return bl_diag_set(r->d, BL_EPARSE, "expected %zu fields as in the header, got %zu",
                           r->nfields, rec->nfields);
    }
    int64_t day;
    struct bl_diag dd;
    bl_diag_clear(&dd);
    struct bl_str date = rec->field[r->col_date];
    if (bl_date_parse(date, &day, &dd))
        return fail_at(r, rec, "date", dd.code, "expected a date YYYY-MM-DD", date);
    if (r->nrows + r->nev == 0)
        r->min_day = r->max_day = day;
    r->min_day = day < r->min_day ? day : r->min_day;
    r->max_day = day > r->max_day ? day : r->max_day;
    if (r->max_day - r->min_day >= BL_FC_MAX_DAYS) {
        bl_diag_at(r->d, r->file, rec->line, "date");
        return bl_diag_set(r->d, BL_ETOOBIG, "the dates span more than %d days", BL_FC_MAX_DAYS);
    }

    if (r->events) {
        struct bl_str name = bl_str_trim(rec->field[r->col_event]);
        if (!name.len)
            return fail_at(r, rec, "event", BL_EPARSE, "expected an event name", name);
        if (r->nev >= BL_EVENTS_MAX) {
            bl_diag_at(r->d, r->file, rec->line, NULL);
            return bl_diag_set(r->d, BL_ETOOBIG, "more than %d events", BL_EVENTS_MAX);
        }
        struct bl_str region = {"global", 6};
        if (r->col_region >= 0) {
            int rc = parse_region(r, rec, bl_str_trim(rec->field[r->col_region]), &region);
            if (rc)
                return rc;
        }
        char *copy = bl_arena_strndup(r->arena, name.ptr, name.len);
        if (!copy || bl_grow((void **)&r->ev, &r->ev_cap, r->nev + 1, sizeof(*r->ev)))
            return bl_diag_set(r->d, BL_ENOMEM, "out of memory reading events");
        r->ev[r->nev++] = (struct bl_fc_event){day, {copy, name.len}, region};
        return 0;
    }

    struct bl_str sku = bl_str_trim(rec->field[r->col_sku]);
    if (!sku.len)
        return fail_at(r, rec, "sku", BL_EPARSE, "expected a SKU id", sku);
    struct row row = {0, day, 0, false};
    int rc = parse_units(r, rec, rec->field[r->col_units], &row.units);
    if (!rc && r->col_stock >= 0)
        rc = parse_stock(r, rec, bl_str_trim(rec->field[r->col_stock]), &row.out);
    if (rc)
        return rc;
    int64_t idx;
    if (!bl_map_get(&r->map, sku, &idx)) {
        char *copy = bl_arena_strndup(r->arena, sku.ptr, sku.len);
        if (!copy || bl_grow((void **)&r->names, &r->names_cap, r->nnames + 1, sizeof(char *)) ||
            bl_map_put(&r->map, sku, (int64_t)r->nnames))
            goto nomem;
        idx = (int64_t)r->nnames;
        r->names[r->nnames++] = copy;
    }
    row.sku = (size_t)idx;
    if (bl_grow((void **)&r->rows, &r->rows_cap, r->nrows + 1, sizeof(row)))
        goto nomem;
    r->rows[r->nrows++] = row;
    return 0;
nomem:
    return bl_diag_set(r->d, BL_ENOMEM, "out of memory reading the history");
}

static int read_all(struct reader *r, const char *path, const char *data, size_t len)
{
    if (path) {
        struct bl_csv *c;
        r->file = strcmp(path, "-") == 0 ? "<stdin>" : path;
        int rc = bl_csv_open(&c, path, r->d);
        if (rc)
            return rc;
        struct bl_csv_record *rec = bl_malloc(sizeof(*rec));
        if (!rec) {
            bl_csv_close(c);
            return bl_diag_set(r->d, BL_ENOMEM, "out of memory reading %s", path);
        }
        while ((rc = bl_csv_next(c, rec, r->d)) == 1)
            if ((rc = on_record(r, rec)) != 0)
                break;
        bl_free(rec);
        bl_csv_close(c);
        if (rc)
            return rc;
    } else {
        int rc = bl_csv_parse_buffer(data, len, on_record, r, r->d);
        if (rc)
            return rc;
    }
    bl_diag_clear(r->d);
    bl_diag_at(r->d, r->file, 0, NULL);
    if (!r->header_done)
        return bl_diag_set(r->d, BL_EEMPTY, "empty file: %s",
                           r->events ? EVENTS_HEADER : HISTORY_HEADER);
    return 0;
}

static void reader_release(struct reader *r)
{
    bl_map_release(&r->map);
    bl_free(r->names);
    bl_free(r->rows);
    bl_free(r->ev);
}

static int history_read(struct bl_history *h, const char *path, const char *data, size_t len,
                        struct bl_diag *d)
{
    memset(h, 0, sizeof(*h));
    struct reader r;
    memset(&r, 0, sizeof(r));
    r.arena = &h->arena;
    r.d = d;
    bl_map_init(&r.map, &h->arena);
    int rc = read_all(&r, path, data, len);
    if (!rc && !r.nrows)
        rc = bl_diag_set(d, BL_EEMPTY, "no rows after the header: expected sku,date,units rows");
    size_t ndays = rc ? 0 : (size_t)(r.max_day - r.min_day + 1);
    if (!rc && r.nnames > BL_HISTORY_MAX_CELLS / ndays)
        rc = bl_diag_set(d, BL_ETOOBIG,
                         "%zu SKUs over %zu days is more than %u values: split the file", r.nnames,
                         ndays, BL_HISTORY_MAX_CELLS);
    if (!rc) {
        h->nskus = r.nnames;
        h->ndays = ndays;
        h->first_day = r.min_day;
        h->sku = bl_arena_alloc(&h->arena, r.nnames * sizeof(*h->sku));
        h->units = bl_arena_alloc(&h->arena, r.nnames * sizeof(*h->units));
        h->in_stock =
            r.col_stock >= 0 ? bl_arena_alloc(&h->arena, r.nnames * sizeof(bool *)) : NULL;
        rc = h->sku && h->units && (h->in_stock || r.col_stock < 0) ? 0 : BL_ENOMEM;
        for (size_t k = 0; !rc && k < r.nnames; k++) {
            h->sku[k] = r.names[k];
            h->units[k] = bl_arena_alloc(&h->arena, ndays * sizeof(double));
            if (!h->units[k]) {
                rc = BL_ENOMEM;
                break;
            }
            memset(h->units[k], 0, ndays * sizeof(double));
            if (h->in_stock) {
                h->in_stock[k] = bl_arena_alloc(&h->arena, ndays);
                if (!h->in_stock[k])
                    rc = BL_ENOMEM;
                else
                    memset(h->in_stock[k], 1, ndays);
            }
        }
        if (rc)
            rc = bl_diag_set(d, BL_ENOMEM, "out of memory for %zu SKUs over %zu days", r.nnames,
                             ndays);
        for (size_t i = 0; !rc && i < r.nrows; i++) {
            const struct row *w = &r.rows[i];
            size_t t = (size_t)(w->day - r.min_day);
            h->units[w->sku][t] += w->units;
            if (w->out)
                h->in_stock[w->sku][t] = false;
        }
    }
    reader_release(&r);
    if (rc)
        bl_history_release(h);
    return rc;
}

int bl_history_read(struct bl_history *h, const char *path, struct bl_diag *d)
{
    return history_read(h, path, NULL, 0, d);
}

int bl_history_parse(struct bl_history *h, const char *data, size_t len, struct bl_diag *d)
{
    return history_read(h, NULL, data, len, d);
}

void bl_history_release(struct bl_history *h)
{
    bl_arena_release(&h->arena);
    memset(h, 0, sizeof(*h));
}

static int events_read(struct bl_events *e, const char *path, const char *data, size_t len,
                       struct bl_diag *d)
{
    memset(e, 0, sizeof(*e));
    struct reader r;
    memset(&r, 0, sizeof(r));
    r.events = true;
    r.arena = &e->arena;
    r.d = d;
    int rc = read_all(&r, path, data, len);
    if (!rc && r.nev) {
        e->ev = bl_arena_alloc(&e->arena, r.nev * sizeof(*e->ev));
        if (!e->ev)
            rc = bl_diag_set(d, BL_ENOMEM, "out of memory reading events");
        else {
            memcpy(e->ev, r.ev, r.nev * sizeof(*e->ev));
            e->n = r.nev;
        }
    }
    reader_release(&r);
    if (rc)
        bl_events_release(e);
    return rc;
}

int bl_events_read(struct bl_events *e, const char *path, struct bl_diag *d)
{
    return events_read(e, path, NULL, 0, d);
}

int bl_events_parse(struct bl_events *e, const char *data, size_t len, struct bl_diag *d)
{
    return events_read(e, NULL, data, len, d);
}

void bl_events_release(struct bl_events *e)
{
    bl_arena_release(&e->arena);
    memset(e, 0, sizeof(*e));
}
