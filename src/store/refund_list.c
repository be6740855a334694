/* refund_list.c - the refund decisions recorded (logistics.h, bl_store_refund_list). */
#include <stdint.h>

#include "store/load.h"
#include "store/logistics_impl.h"

static int refund_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_store_refund_row *x = bl__load_next(l);
    if (!x)
        return BL_ENOMEM;
    x->id = bl_row_int(r, 0);
    x->order = bl__load_keep_or_empty(l, r, 1);
    x->shop = bl__load_keep_or_empty(l, r, 2);
    x->decision = bl__load_keep_or_empty(l, r, 3);
    x->refund = bl_row_int(r, 4);
    x->currency = bl__load_keep_or_empty(l, r, 5);
    x->warehouse = bl__load_keep(l, r, 6);
    x->has_return_cost = !bl_row_isnull(r, 7);
    x->return_cost = x->has_return_cost ? bl_row_int(r, 7) : 0;
    x->threshold = bl_row_int(r, 8);
    x->request = bl__load_keep(l, r, 9);
    x->note = bl__load_keep_or_empty(l, r, 10);
    x->as_of = bl_row_int(r, 11);
    x->at = bl_row_int(r, 12);
    return l->rc;
}

int bl_store_refund_list(struct bl_store *st, int64_t org, const struct bl_store_refund_q *q,
                         struct bl_arena *a, struct bl_store_refund_row **out, size_t *n,
                         struct bl_diag *d)
{
    struct bl__load l = BL__LOAD(a, struct bl_store_refund_row);
    struct bl_val p[4] = {bl_val_int(org), bl_val_text(bl_str_c(q->shop ? q->shop : "")),
                          bl_val_int(q->after), bl_val_int(q->limit > 0 ? q->limit : INT64_MAX)};
    int rc = bl__load_run(
        st,
        "SELECT f.id, o.ext_id, s.ext_id, f.decision, f.refund, f.currency, f.warehouse,"
        " f.return_cost, f.threshold, f.request, f.note, f.as_of, f.at"
        " FROM refund f JOIN orders o ON o.org_id = f.org_id AND o.id = f.order_id"
        " JOIN shop s ON s.org_id = f.org_id AND s.id = f.shop_id"
        " WHERE f.org_id = $1 AND ($2 = '' OR s.ext_id = $2) AND f.id > $3"
        " ORDER BY f.id LIMIT $4",
        p, 4, refund_row, &l, n, d);
    *out = l.items;
    return rc;
}
