/* h_supply.c - what the supply-side handlers share (h_supply.h). */
#include "api/h_supply.h"

#include <string.h>

#include <microhttpd.h>

#include "app/disruption.h"
#include "ballast/money.h"
#include "ballast/time.h"

unsigned bl__sup_shop(struct bl__api_call *c, const char *shop)
{
    char tz[64];
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = shop ? bl_app_shop_zone(c->st, c->org, shop, tz, sizeof(tz), &d) : 0;
    if (rc == BL_ENOTFOUND) {
        char shown[BL_SHOW_BUF];
        return bl__api_error(c, MHD_HTTP_NOT_FOUND, "not_found", "shop", "no shop %s",
                             bl_str_show(bl_str_c(shop), BL_SHOW, shown));
    }
    return rc ? bl__api_fail(c, rc, &d) : 0;
}

/* The route's tag in a position cursor: FNV-1a of its path, 31 bits. */
static int64_t route_tag(const struct bl__api_call *c)
{
    uint32_t h = 2166136261u;
    for (const char *s = c->route->path; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return (int64_t)(h & 0x7fffffff);
}

static unsigned bad_cursor(struct bl__api_call *c)
{
    return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "cursor",
                         "cursor: not one this route gave (pass next_cursor as it is)");
}

unsigned bl__sup_page_key(struct bl__api_call *c, struct bl__sup_page *p)
{
    p->a = p->b = 0;
    unsigned st = bl__api_query_int(c, "limit", 1, BL_SUP_PAGE_MAX, BL_SUP_PAGE_DEFAULT, &p->limit);
    const char *cursor = bl__api_query(c, "cursor");
    if (!st && cursor &&
        (bl__api_cursor_decode(bl_str_c(cursor), &p->a, &p->b) || p->a < 0 || p->b < 0))
        st = bad_cursor(c);
    return st;
}

unsigned bl__sup_page_pos(struct bl__api_call *c, struct bl__sup_page *p)
{
    unsigned st = bl__sup_page_key(c, p);
    if (!st && bl__api_query(c, "cursor") && p->b != route_tag(c))
        st = bad_cursor(c);
    return st;
}

size_t bl__sup_page_end(const struct bl__sup_page *p, size_t n)
{
    size_t from = (uint64_t)p->a < n ? (size_t)p->a : n;
    return n - from > (size_t)p->limit ? from + (size_t)p->limit : n;
}

json_t *bl__sup_next_pos(const struct bl__api_call *c, const struct bl__sup_page *p, size_t n)
{
    size_t end = bl__sup_page_end(p, n);
    if (end >= n)
        return json_null();
    char next[64];
    bl__api_cursor_encode((int64_t)end, route_tag(c), next, sizeof(next));
    return json_string(next);
}

json_t *bl__sup_next_key(bool more, int64_t a, int64_t b)
{
    if (!more)
        return json_null();
    char next[64];
    bl__api_cursor_encode(a, b, next, sizeof(next));
    return json_string(next);
}

json_t *bl__sup_list(const char *name, json_t *items, json_t *next)
{
    if (!items || !next) {
        json_decref(items);
        json_decref(next);
        return NULL;
    }
    return json_pack("{s:o, s:o}", name, items, "next_cursor", next);
}

bool bl__sup_push(json_t **list, json_t *item)
{
    if (!*list) {
        json_decref(item);
        return false;
    }
    if (!item || json_array_append_new(*list, item)) { /* append_new takes item either way */
        json_decref(*list);
        *list = NULL;
        return false;
    }
    return true;
}

json_t *bl__sup_day(int64_t day, int64_t never)
{
    char buf[BL_ISO_MAX];
    return day == never ? json_null() : json_string(bl_date_format(day, buf));
}

unsigned bl__sup_as_of_day(struct bl__api_call *c, int64_t *day)
{
    int64_t t;
    unsigned st = bl__api_query_time(c, "as_of", c->now, &t);
    if (!st)
        *day = t >= 0 ? t / BL_DAY_SECS : -((-t + BL_DAY_SECS - 1) / BL_DAY_SECS);
    return st;
}

const char *bl__sup_member(json_t *body, const char *name, const char **bad)
{
    json_t *v = json_object_get(body, name);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        *bad = *bad ? *bad : name;
        return NULL;
    }
    return json_string_value(v);
}

int bl__sup_dims_parse(const char *text, int64_t mm[3])
{
    const char *p = text;
    for (int k = 0; k < 3; k++) {
        const char *x = k < 2 ? strchr(p, 'x') : p + strlen(p);
        char part[32];
        struct bl_diag d;
        size_t n = x ? (size_t)(x - p) : 0;
        if (!x || !n || n >= sizeof(part))
            return BL_EPARSE;
        memcpy(part, p, n);
        part[n] = '\0';
        if (bl_money_parse(bl_str_c(part), 1, &mm[k], &d) || mm[k] <= 0)
            return BL_EPARSE;
        p = k < 2 ? x + 1 : x;
    }
    return BL_OK;
}
