/* whatif.c - the what-if assumption file (whatif.h; docs/formats.md, "What-if
 * assumptions"): one hypothetical event per row, its `event` column saying which; the
 * other columns are those of the native files (a disruption's as disruptions.csv has
 * them). Every problem names the file, the line, the column and what was expected. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ballast/csv.h"
#include "ballast/disruption.h"
#include "ballast/money.h"
#include "ballast/time.h"
#include "ballast/whatif.h"

const char *const bl_wi_event_names[] = {
    "disruption", "supplier_shutdown", "lead_time", "channel_suspension", "channel_price", "demand",
    NULL};

enum col {
    C_EVENT,
    C_REGION,
    C_SCOPE,
    C_KIND,
    C_FROM,
    C_TO,
    C_CHANNEL,
    C_SUPPLIER,
    C_SKU,
    C_CATEGORY,
    C_LEAD,
    C_PCT,
    C_PER_KG,
    C_CURRENCY,
    C_NOTE,
    C__N
};
static const char *const cols[C__N] = {
    "event", "region",   "scope",     "kind",       "starts_at", "ends_at",  "channel", "supplier",
    "sku",   "category", "lead_days", "change_pct", "per_kg",    "currency", "note"};

/* Per event: the columns it needs (R), may have (O); any other must be empty. */
#define R 2
#define O 1
static const unsigned char use[BL_WI_NKINDS][C__N] = {
    [BL_WI_DISRUPTION] = {[C_REGION] = R,
                          [C_SCOPE] = R,
                          [C_KIND] = R,
                          [C_FROM] = R,
                          [C_TO] = O,
                          [C_CHANNEL] = O,
                          [C_SUPPLIER] = O},
    [BL_WI_SUPPLIER_SHUTDOWN] = {[C_SUPPLIER] = R, [C_FROM] = R, [C_TO] = O},
    [BL_WI_LEAD_TIME] = {[C_SUPPLIER] = R, [C_LEAD] = R, [C_FROM] = R},
    [BL_WI_CHANNEL_SUSPENSION] = {[C_REGION] = R, [C_CHANNEL] = R, [C_FROM] = R, [C_TO] = O},
    [BL_WI_CHANNEL_PRICE] =
        {[C_CHANNEL] = R, [C_PCT] = O, [C_PER_KG] = O, [C_CURRENCY] = O, [C_FROM] = R, [C_TO] = O},
    [BL_WI_DEMAND] = {[C_SKU] = O, [C_CATEGORY] = O, [C_PCT] = R, [C_FROM] = R, [C_TO] = R},
};

struct pctx {
    const char *name;
    const struct bl_tz *tz;
    struct bl_diag *d;
    int at[C__N];
    bool header;
    struct bl_wi_assume out;
    size_t cap;
};

static int bad(struct pctx *c, int64_t line, const char *field, int code, const char *fmt, ...)
    BL_PRINTF(5, 6);
static int bad(struct pctx *c, int64_t line, const char *field, int code, const char *fmt, ...)
{
    char msg[480];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    bl_diag_clear(c->d);
    bl_diag_at(c->d, c->name, line, field);
    return bl_diag_set(c->d, code, "%s", msg);
}

static const bool required[C__N] = {[C_EVENT] = true, [C_FROM] = true};

static int header(struct pctx *c, const struct bl_csv_record *rec)
{
    int rc = bl_csv_header_map(rec, cols, C__N, required, c->at, c->name, c->d);
    if (rc)
        return rc;
    c->header = true;
    return BL_OK;
}

static struct bl_str field(const struct pctx *c, const struct bl_csv_record *rec, enum col k)
{
    int i = c->at[k];
    return i >= 0 && (size_t)i < rec->nfields ? bl_str_trim(rec->field[i]) : BL_STR("");
}

#define SHOWN(s) (int)((s).len > 40 ? 40 : (s).len), (s).ptr

/* Every column the event needs is there; every one it does not use is empty. */
static int shape(struct pctx *c, const struct bl_csv_record *rec, enum bl_wi_event_kind kind)
{
    for (int k = C_REGION; k < C__N; k++) {
        if (k == C_NOTE)
            continue;
        struct bl_str s = field(c, rec, (enum col)k);
        if (use[kind][k] == R && !s.len)
            return bad(c, rec->line, cols[k], BL_EPARSE, "empty: a %s needs it",
                       bl_wi_event_names[kind]);
        if (!use[kind][k] && s.len)
            return bad(c, rec->line, cols[k], BL_EPARSE,
                       "\"%.*s\": a %s does not use this column; leave it empty", SHOWN(s),
                       bl_wi_event_names[kind]);
    }
    if (kind == BL_WI_DEMAND && !field(c, rec, C_SKU).len == !field(c, rec, C_CATEGORY).len)
        return bad(c, rec->line, "sku", BL_EPARSE,
                   "a demand change needs a sku or a category (one of the two)");
    if (kind == BL_WI_CHANNEL_PRICE && !field(c, rec, C_PCT).len == !field(c, rec, C_PER_KG).len)
        return bad(c, rec->line, "change_pct", BL_EPARSE,
                   "a channel_price needs a change_pct or a new per_kg rate (one of the two)");
    if (kind == BL_WI_CHANNEL_PRICE &&
        !field(c, rec, C_PER_KG).len != !field(c, rec, C_CURRENCY).len)
        return bad(c, rec->line, "currency", BL_EPARSE,
                   field(c, rec, C_PER_KG).len
                       ? "empty: a per_kg rate needs the currency it is in (as in channels.csv)"
                       : "a currency goes with a per_kg rate only");
    return BL_OK;
}

/* An id or a name: 1..200 bytes, no control character; copied into the arena. */
static int ident(struct pctx *c, const struct bl_csv_record *rec, enum col k, const char **out)
{
    struct bl_str s = field(c, rec, k);
    *out = NULL;
    if (!s.len && k != C_NOTE)
        return BL_OK;
    if (k != C_NOTE && s.len > 200)
        return bad(c, rec->line, cols[k], BL_ETOOBIG, "longer than 200 bytes");
    for (size_t i = 0; k != C_NOTE && i < s.len; i++)
        if ((unsigned char)s.ptr[i] < 0x20 || s.ptr[i] == 0x7f)
            return bad(c, rec->line, cols[k], BL_EPARSE,
                       "a control character at byte %zu: ids and names cannot hold one", i + 1);
    if (k == C_NOTE && !s.len)
        return BL_OK;
    *out = bl_arena_strndup(&c->out.arena, s.ptr, s.len);
    return *out ? BL_OK : bad(c, rec->line, cols[k], BL_ENOMEM, "out of memory");
}

static int instant(struct pctx *c, const struct bl_csv_record *rec, enum col k, int64_t *out)
{
    struct bl_str s = field(c, rec, k);
    struct bl_diag td;
    bl_diag_clear(&td);
    int64_t day;
    if (c->tz == NULL && s.len == 10 && bl_date_parse(s, &day, &td) == BL_OK) {
        *out = day * BL_DAY_SECS; /* a bare date: its UTC start */
        return BL_OK;
    }
    bl_diag_clear(&td);
    int rc = bl_time_parse(s, c->tz, out, &td);
    if (rc)
        return bad(c, rec->line, cols[k], rc == BL_ERANGE ? BL_ERANGE : BL_EPARSE, "\"%.*s\": %s",
                   SHOWN(s), td.msg);
    return BL_OK;
}

/* "40", "+40", "-12.5": a percentage with at most two decimals, into basis points. */
static int percent(struct pctx *c, const struct bl_csv_record *rec, int64_t *out)
{
    struct bl_str s = field(c, rec, C_PCT);
    size_t i = 0;
    bool neg = s.len && s.ptr[0] == '-';
    i += s.len && (s.ptr[0] == '-' || s.ptr[0] == '+');
    int64_t v = 0;
    int dec = -1, digits = 0;
    for (; i < s.len; i++) {
        if (s.ptr[i] == '.' && dec < 0) {
            dec = 0;
            continue;
        }
        if (s.ptr[i] < '0' || s.ptr[i] > '9' || dec >= 2 || v > 100000000)
            break;
        v = v * 10 + (s.ptr[i] - '0');
        digits++;
        dec += dec >= 0;
    }
    for (int k = dec < 0 ? 0 : dec; k < 2; k++)
        v *= 10;
    v = neg ? -v : v;
    if (i != s.len || !digits || v < BL_WI_PCT_MIN || v > BL_WI_PCT_MAX)
        return bad(c, rec->line, "change_pct", BL_EPARSE,
                   "\"%.*s\": expected a percentage from -100 to +10000, at most two "
                   "decimals (+40: 40%% more, -25: a quarter less)",
                   SHOWN(s));
    *out = v;
    return BL_OK;
}

/* per_kg and its currency: an amount as channels.csv writes it, in the currency's minor
 * units. */
static int rate(struct pctx *c, const struct bl_csv_record *rec, struct bl_wi_event *e)
{
    struct bl_str cs = field(c, rec, C_CURRENCY), ks = field(c, rec, C_PER_KG);
    struct bl_currency cur;
    struct bl_diag md;
    bl_diag_clear(&md);
    char code[8];
    snprintf(code, sizeof(code), "%.*s", (int)(cs.len > 7 ? 7 : cs.len), cs.ptr);
    if (cs.len > 3 || bl_currency_lookup(bl_str_c(code), &cur, &md))
        return bad(c, rec->line, "currency", BL_EPARSE,
                   "\"%.*s\": expected an ISO 4217 currency code such as USD or CNY", SHOWN(cs));
    bl_diag_clear(&md);
    int rc = bl_money_parse(ks, cur.exponent, &e->per_kg, &md);
    if (rc || e->per_kg < 0)
        return bad(c, rec->line, "per_kg", rc == BL_EOVERFLOW ? BL_ERANGE : BL_EPARSE,
                   "\"%.*s\": expected the new price per started kilogram in %s, 0 or more "
                   "(as channels.csv's per_kg)%s%s",
                   SHOWN(ks), cur.code, rc ? ": " : "", rc ? md.msg : "");
    memcpy(e->currency, cur.code, 4);
    return BL_OK;
}

static int region(struct pctx *c, const struct bl_csv_record *rec, struct bl_wi_event *e)
{
    struct bl_diag rd;
    bl_diag_clear(&rd);
    if (bl_region_parse(field(c, rec, C_REGION), e->region, &rd))
        return bad(c, rec->line, "region", BL_EPARSE, "%s", rd.msg);
    e->scope = BL_DIS_ORIGIN;
    return BL_OK;
}

static int disruption(struct pctx *c, const struct bl_csv_record *rec, struct bl_wi_event *e)
{
    int rc = region(c, rec, e);
    if (rc)
        return rc;
    char w[40];
    struct bl_str s = field(c, rec, C_SCOPE);
    snprintf(w, sizeof(w), "%.*s", SHOWN(s));
    e->scope = bl_dis_word(bl_dis_scopes, w);
    if (e->scope < 0)
        return bad(c, rec->line, "scope", BL_EPARSE,
                   "\"%.*s\": expected origin, destination or both", SHOWN(s));
    s = field(c, rec, C_KIND);
    snprintf(w, sizeof(w), "%.*s", SHOWN(s));
    e->dis_kind = bl_dis_word(bl_dis_kinds, w);
    if (e->dis_kind < 0)
        return bad(c, rec->line, "kind", BL_EPARSE,
                   "\"%.*s\": expected lockdown, strike, route_suspension, carrier_suspension, "
                   "supplier_shutdown, holiday, weather, other or customer_service_closure",
                   SHOWN(s));
    return BL_OK;
}

static int lead(struct pctx *c, const struct bl_csv_record *rec, struct bl_wi_event *e)
{
    struct bl_str s = field(c, rec, C_LEAD);
    if (bl_str_to_i64(s, &e->lead_days) || e->lead_days < 0 || e->lead_days > 365 ||
        s.ptr[0] == '+' || s.ptr[0] == '-')
        return bad(c, rec->line, "lead_days", BL_ERANGE,
                   "\"%.*s\": expected the new usual lead time, days 0 to 365", SHOWN(s));
    return BL_OK;
}

static int row(struct pctx *c, const struct bl_csv_record *rec, struct bl_wi_event *e)
{
    memset(e, 0, sizeof(*e));
    e->line = rec->line;
    e->per_kg = -1;
    struct bl_str s = field(c, rec, C_EVENT);
    int k = 0;
    while (k < BL_WI_NKINDS && !bl_str_eq_c(s, bl_wi_event_names[k]))
        k++;
    if (k == BL_WI_NKINDS)
        return bad(c, rec->line, "event", BL_EPARSE,
                   "\"%.*s\": expected disruption, supplier_shutdown, lead_time, "
                   "channel_suspension, channel_price or demand",
                   SHOWN(s));
    e->kind = (enum bl_wi_event_kind)k;
    int rc = shape(c, rec, e->kind);
    if (!rc && e->kind == BL_WI_DISRUPTION)
        rc = disruption(c, rec, e);
    if (!rc && e->kind == BL_WI_CHANNEL_SUSPENSION)
        rc = region(c, rec, e);
    if (!rc)
        rc = instant(c, rec, C_FROM, &e->from);
    e->to = BL_DIS_OPEN_END;
    if (!rc && field(c, rec, C_TO).len)
        rc = instant(c, rec, C_TO, &e->to);
    if (!rc && e->to <= e->from)
        rc = bad(c, rec->line, "ends_at", BL_ERANGE, "ends at or before it starts");
    if (!rc && e->kind == BL_WI_LEAD_TIME)
        rc = lead(c, rec, e);
    if (!rc &&
        (e->kind == BL_WI_DEMAND || (e->kind == BL_WI_CHANNEL_PRICE && field(c, rec, C_PCT).len)))
        rc = percent(c, rec, &e->pct_bp);
    if (!rc && e->kind == BL_WI_CHANNEL_PRICE && field(c, rec, C_PER_KG).len)
        rc = rate(c, rec, e);
    if (!rc)
        rc = ident(c, rec, C_CHANNEL, &e->channel);
    if (!rc)
        rc = ident(c, rec, C_SUPPLIER, &e->supplier);
    if (!rc)
        rc = ident(c, rec, C_SKU, &e->sku);
    if (!rc)
        rc = ident(c, rec, C_CATEGORY, &e->category);
    if (!rc)
        rc = ident(c, rec, C_NOTE, &e->note);
    return rc;
}

static int on_record(void *ctx, const struct bl_csv_record *rec)
{
    struct pctx *c = ctx;
    if (!c->header)
        return header(c, rec);
    if (c->out.n == BL_WI_EVENTS_MAX)
        return bad(c, rec->line, "", BL_ETOOBIG, "more than %d events", BL_WI_EVENTS_MAX);
    void *items = c->out.ev;
    if (bl_grow(&items, &c->cap, c->out.n + 1, sizeof(*c->out.ev)))
        return bad(c, rec->line, "", BL_ENOMEM, "out of memory");
    c->out.ev = items;
    int rc = row(c, rec, &c->out.ev[c->out.n]);
    if (!rc)
        c->out.n++;
    return rc;
}

int bl_wi_assume_parse(const char *text, size_t len, const char *name, const struct bl_tz *tz,
                       struct bl_wi_assume *out, struct bl_diag *d)
{
    struct pctx c = {.name = name, .tz = tz, .d = d};
    memset(out, 0, sizeof(*out));
    bl_arena_init(&c.out.arena, 4096);
    bl_diag_clear(d);
    int rc = bl_csv_parse_buffer(text, len, on_record, &c, d);
    if (rc && d && !d->file[0])
        bl_diag_at(d, name, 0, NULL);
    if (!rc && !c.out.n)
        rc = bad(&c, 0, "", BL_EPARSE,
                 c.header ? "no events: expected a row per hypothetical event after the header"
                          : "empty: expected a header (event,region,scope,kind,starts_at,...) "
                            "and a row per hypothetical event");
    if (rc) {
        bl_wi_assume_release(&c.out);
        return rc;
    }
    *out = c.out;
    return BL_OK;
}

void bl_wi_assume_release(struct bl_wi_assume *a)
{
    bl_free(a->ev);
    bl_arena_release(&a->arena);
    memset(a, 0, sizeof(*a));
}
