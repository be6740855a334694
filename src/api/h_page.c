/* h_page.c - a page of a list ordered by id, for the customer-side lists (coupons, ledger,
 * messages): ?limit= and ?cursor=, the cursor being the last id of the page before. */
#include <microhttpd.h>

#include "api/handlers.h"
#include "app/disruption.h"

#define PAGE_DEFAULT 100
#define PAGE_MAX 1000

unsigned bl__api_page_args(struct bl__api_call *c, struct bl__api_page *p)
{
    p->after = 0;
    p->n = 0;
    p->more = false;
    unsigned st = bl__api_query_int(c, "limit", 1, PAGE_MAX, PAGE_DEFAULT, &p->limit);
    const char *cursor = bl__api_query(c, "cursor");
    int64_t kind = 0;
    if (!st && cursor &&
        (bl__api_cursor_decode(bl_str_c(cursor), &kind, &p->after) || kind != 0 || p->after < 0))
        st = bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "cursor",
                           "cursor: not one this API gave (pass next_cursor as it is)");
    return st;
}

bool bl__api_page_takes(struct bl__api_page *p, int64_t id)
{
    if (id <= p->after)
        return false;
    if (p->n == p->limit) {
        p->more = true;
        return false;
    }
    p->n++;
    p->last = id;
    return true;
}

json_t *bl__api_page_answer(const struct bl__api_page *p, const char *name, json_t *list)
{
    char next[64] = "";
    if (!list)
        return NULL;
    if (p->more)
        bl__api_cursor_encode(0, p->last, next, sizeof(next));
    return json_pack("{s:o, s:s?}", name, list, "next_cursor", next[0] ? next : NULL);
}

unsigned bl__api_shop_check(struct bl__api_call *c, const char *shop)
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
