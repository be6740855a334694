/* h_supply.h - what the supply-side handlers share (h_stock.c, h_actions.c, h_protect.c,
 * h_logistics.c; internal to src/api): a shop named in the query, pages, days.
 *
 * Pages: `limit` (1..1000, default 100) and `cursor` (the `next_cursor` of the page
 * before). A list the store pages by key carries that key in its cursor; a list the use
 * case computes whole (plans, routes...) carries the position in it, tagged with the
 * route so that one route's cursor is refused by another. */
#ifndef BL_API_H_SUPPLY_H
#define BL_API_H_SUPPLY_H

#include "api/handlers.h"

#define BL_SUP_PAGE_DEFAULT 100
#define BL_SUP_PAGE_MAX 1000

/* 0 when shop is NULL or one of the caller's shops, else the answer (404 for another
 * organisation's shop, as for an unknown one). */
unsigned bl__sup_shop(struct bl__api_call *c, const char *shop);

struct bl__sup_page {
    int64_t limit;
    int64_t a, b; /* the cursor's two numbers (0, 0: the first page) */
};
/* limit and a keyset cursor: 0, or the 400 answer. */
unsigned bl__sup_page_key(struct bl__api_call *c, struct bl__sup_page *p);
/* limit and a position cursor (p->a the position): 0, or the 400 answer. */
unsigned bl__sup_page_pos(struct bl__api_call *c, struct bl__sup_page *p);
/* The next_cursor of a computed list of n items whose page began at p->a: a string, or
 * null on the last page. */
json_t *bl__sup_next_pos(const struct bl__api_call *c, const struct bl__sup_page *p, size_t n);
/* The index one past the page's last item. */
size_t bl__sup_page_end(const struct bl__sup_page *p, size_t n);
/* A keyset next_cursor: (a, b) when more may follow, else null. */
json_t *bl__sup_next_key(bool more, int64_t a, int64_t b);

/* {name: items, "next_cursor": next} (takes both references); NULL when out of memory. */
json_t *bl__sup_list(const char *name, json_t *items, json_t *next);
/* Appends item (taking it) to list; false when either is NULL (then list is released). */
bool bl__sup_push(json_t **list, json_t *item);

/* A day number as "2024-11-21"; null for none (never == the given sentinel). */
json_t *bl__sup_day(int64_t day, int64_t never);
/* The as_of query parameter as the stock commands read --as-of: a date D is the end of D,
 * so the day is D + 1; an instant's day is the one it falls in (UTC). Default: now. */
unsigned bl__sup_as_of_day(struct bl__api_call *c, int64_t *day);

/* A string member of the body: NULL when absent or null; *bad names it when it is not
 * a string (the first such). */
const char *bl__sup_member(json_t *body, const char *name, const char **bad);

/* A parcel's size "LxWxH" in centimetres (each > 0, at most one decimal: "30x20.5x10")
 * into millimetres: BL_OK, or BL_EPARSE (mm unspecified). fuzz/api_dims_fuzz.c. */
int bl__sup_dims_parse(const char *text, int64_t mm[3]) BL_MUST_CHECK;

#endif
