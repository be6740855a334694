/* refund_list.c - the refund decisions recorded, a page at a time (logistics.h,
 * bl_app_refunds). */
#include <string.h>

#include "app/disruption.h"
#include "app/logistics.h"
#include "ballast/money.h"
#include "store/logistics.h"

static const char *const kind_names[] = {"full_refund", "return_to_warehouse",
                                         "partial_refund_keep", "return_to_origin"};

static enum bl_refund_kind kind_of(const char *decision)
{
    for (size_t k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]); k++)
        if (strcmp(decision, kind_names[k]) == 0)
            return (enum bl_refund_kind)k;
    return BL_REFUND_FULL;
}

static int exponent(const char *currency)
{
    struct bl_currency c;
    return bl_currency_lookup(bl_str_c(currency), &c, NULL) == BL_OK ? c.exponent : 2;
}

int bl_app_refunds(struct bl_store *st, int64_t org, const struct bl_app_refunds_req *req,
                   struct bl_app_refunds_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 1u << 12);
    char tz[64];
    if (req->shop && bl_app_shop_zone(st, org, req->shop, tz, sizeof(tz), d))
        return d->code ? d->code : BL_ENOTFOUND;
    struct bl_store_refund_q q = {req->shop, req->after, req->limit};
    struct bl_store_refund_row *rows = NULL;
    size_t n = 0;
    int rc = bl_store_refund_list(st, org, &q, &res->arena, &rows, &n, d);
    if (!rc && n && !(res->items = bl_calloc(n, sizeof(*res->items))))
        rc = bl_diag_set(d, BL_ENOMEM, "refunds: out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        const struct bl_store_refund_row *r = &rows[i];
        res->items[i] = (struct bl_app_refund_item){.id = r->id,
                                                    .order = r->order,
                                                    .shop = r->shop,
                                                    .kind = kind_of(r->decision),
                                                    .currency = r->currency,
                                                    .exp = exponent(r->currency),
                                                    .refund = r->refund,
                                                    .threshold = r->threshold,
                                                    .warehouse = r->warehouse,
                                                    .has_return_cost = r->has_return_cost,
                                                    .return_cost = r->return_cost,
                                                    .request = r->request,
                                                    .note = r->note,
                                                    .as_of = r->as_of,
                                                    .at = r->at};
    }
    res->n = rc ? 0 : n;
    bl_free(rows);
    return rc;
}

void bl_app_refunds_res_release(struct bl_app_refunds_res *res)
{
    bl_free(res->items);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
