/* call.c - what handlers use to read a request and write their answer (api_impl.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "api/api_impl.h"
#include "app/actor.h"
#include "app/cycle.h"
#include "ballast/money.h"
#include "ballast/time.h"

const char *bl__api_query(const struct bl__api_call *c, const char *name)
{
    for (size_t i = 0; i < c->nquery; i++)
        if (strcmp(c->query[i].key, name) == 0)
            return c->query[i].val;
    return NULL;
}

unsigned bl__api_query_int(struct bl__api_call *c, const char *name, int64_t lo, int64_t hi,
                           int64_t def, int64_t *out)
{
    const char *v = bl__api_query(c, name);
    int64_t x;
    *out = def;
    if (!v)
        return 0;
    if (bl_str_to_i64(bl_str_c(v), &x) || x < lo || x > hi)
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", name,
                             "%s: expected a whole number from %lld to %lld", name, (long long)lo,
                             (long long)hi);
    *out = x;
    return 0;
}

unsigned bl__api_query_time(struct bl__api_call *c, const char *name, int64_t def, int64_t *out)
{
    const char *v = bl__api_query(c, name);
    struct bl_diag d;
    bl_diag_clear(&d);
    int64_t day;
    *out = def;
    if (!v)
        return 0;
    struct bl_str s = bl_str_c(v);
    if (s.len == 10 && bl_date_parse(s, &day, &d) == BL_OK) {
        *out = (day + 1) * BL_DAY_SECS; /* the end of that day, UTC */
        return 0;
    }
    if (bl_time_parse(s, NULL, out, &d) == BL_OK)
        return 0;
    return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", name,
                         "%s: expected a date (YYYY-MM-DD, the end of that day UTC) or an "
                         "instant with its offset (2024-11-15T08:00:00Z)",
                         name);
}

const char *bl__api_param(struct bl__api_call *c, size_t i)
{
    return bl_arena_strndup(&c->arena, c->params[i].ptr, c->params[i].len);
}

unsigned bl__api_param_id(struct bl__api_call *c, size_t i, const char *what, int64_t *id)
{
    if (bl_str_to_i64(c->params[i], id) == BL_OK && *id > 0)
        return 0;
    char shown[BL_SHOW_BUF];
    return bl__api_error(c, MHD_HTTP_NOT_FOUND, "not_found", NULL, "no %s %s", what,
                         bl_str_show(c->params[i], BL_SHOW, shown));
}

unsigned bl__api_json(struct bl__api_call *c, unsigned status, json_t *j)
{
    if (!j)
        return bl__api_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out_of_memory", NULL,
                             "out of memory");
    json_decref(c->out);
    c->out = j;
    return status;
}

unsigned bl__api_error(struct bl__api_call *c, unsigned status, const char *code, const char *field,
                       const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    json_decref(c->out);
    c->out = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", code, "message", msg, "field",
                       field && *field ? field : NULL);
    return status;
}

/* The HTTP status and the code of a use case's failure. */
static unsigned status_of(int rc, const char **code)
{
    switch (rc) {
    case BL_ENOTFOUND:
        *code = "not_found";
        return MHD_HTTP_NOT_FOUND;
    case BL_EEXISTS:
        *code = "exists";
        return MHD_HTTP_CONFLICT;
    case BL_ECONFLICT:
        *code = "conflict";
        return MHD_HTTP_CONFLICT;
    case BL_EINVAL:
        *code = "invalid";
        return MHD_HTTP_UNPROCESSABLE_CONTENT;
    case BL_EPARSE:
        *code = "malformed";
        return MHD_HTTP_BAD_REQUEST;
    case BL_EUTF8:
        *code = "invalid_utf8";
        return MHD_HTTP_BAD_REQUEST;
    case BL_ERANGE:
        *code = "out_of_range";
        return MHD_HTTP_UNPROCESSABLE_CONTENT;
    case BL_EOVERFLOW:
        *code = "overflow";
        return MHD_HTTP_UNPROCESSABLE_CONTENT;
    case BL_ETOOBIG:
        *code = "too_large";
        return MHD_HTTP_CONTENT_TOO_LARGE;
    case BL_EEMPTY:
        *code = "empty";
        return MHD_HTTP_UNPROCESSABLE_CONTENT;
    case BL_EUNSUPPORTED:
        *code = "unsupported";
        return MHD_HTTP_UNPROCESSABLE_CONTENT;
    case BL_ESTORE:
        *code = "store_unavailable";
        return MHD_HTTP_SERVICE_UNAVAILABLE;
    case BL_ESCHEMA:
        *code = "store_schema";
        return MHD_HTTP_SERVICE_UNAVAILABLE;
    case BL_EINTERRUPTED:
        *code = "interrupted";
        return MHD_HTTP_SERVICE_UNAVAILABLE;
    case BL_ENOMEM:
        *code = "out_of_memory";
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    default:
        *code = "internal";
        return MHD_HTTP_INTERNAL_SERVER_ERROR;
    }
}

unsigned bl__api_fail(struct bl__api_call *c, int rc, const struct bl_diag *d)
{
    const char *code;
    unsigned status = status_of(rc, &code);
    if (rc == BL_ESTORE || rc == BL_EIO || rc == BL_ESCHEMA)
        c->store_error = true;
    char msg[1200];
    struct bl_diag shown = *d;
    shown.field[0] = '\0'; /* the field is its own member */
    if (!shown.msg[0])
        snprintf(shown.msg, sizeof(shown.msg), "%s", bl_strerror(rc));
    bl_diag_format(&shown, msg, sizeof(msg));
    return bl__api_error(c, status, code, d->field, "%s", msg);
}

json_t *bl__api_time(int64_t t)
{
    char iso[BL_ISO_MAX];
    return t == BL_NO_TIME ? json_null() : json_string(bl_time_format(t, iso));
}

json_t *bl__api_actor(const char *text)
{
    if (!text)
        return json_null();
    struct bl_app_actor a;
    bl_app_actor_parse(text, &a);
    return json_pack("{s:s, s:s?, s:o, s:s?}", "kind", bl_app_actor_kind_name(a.kind), "name",
                     a.name[0] ? a.name : NULL, "token_id",
                     a.token_id ? json_integer((json_int_t)a.token_id) : json_null(),
                     "marketplace", a.marketplace[0] ? a.marketplace : NULL);
}

json_t *bl__api_money(int64_t minor, const char *currency)
{
    struct bl_currency cur;
    char text[64];
    if (!currency || bl_currency_lookup(bl_str_c(currency), &cur, NULL) != BL_OK ||
        bl_money_format(minor, cur.exponent, text, sizeof(text)) < 0)
        return json_pack("{s:I, s:s?}", "minor", (json_int_t)minor, "currency", currency);
    return json_pack("{s:s, s:s}", "amount", text, "currency", currency);
}

json_t *bl__api_str(const char *s)
{
    return s ? json_string(s) : json_null();
}

int bl__api_org_name(struct bl__api_call *c, char *out, size_t cap, struct bl_diag *d)
{
    int64_t *ids = NULL;
    char **names = NULL;
    size_t n = 0;
    int rc = bl_app_cycle_orgs(c->st, 0, 1, &ids, &names, &n, d);
    out[0] = '\0';
    for (size_t i = 0; !rc && i < n; i++)
        if (ids[i] == c->org)
            bl_str_copy(out, cap, bl_str_c(names[i]));
    bl_app_orgs_free(ids, names, n);
    return rc;
}
