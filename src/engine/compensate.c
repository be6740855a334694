/* compensate.c - late-shipment coupons from the deposit; see compensate.h. */
#include <string.h>

#include "ballast/compensate.h"

/* Whether order i is owed a coupon as of the input's as_of. */
static bool owed(const struct bl_comp_input *in, size_t i)
{
    if (in->done && in->done[i])
        return false;
    struct bl_verdict v;
    bl_assess_order(in->ctx, in->orders, i, in->profile, in->as_of, in->profile->comp_days, &v);
    return v.counted && v.late;
}

int bl_compensate(const struct bl_comp_input *in, struct bl_arena *a, struct bl_coupon **out,
                  size_t *n, struct bl_diag *d)
{
    *out = NULL;
    *n = 0;
    const struct bl_profile *p = in->profile;
    if (p->comp_bp <= 0)
        return BL_OK;
    const struct bl_assess_orders *o = in->orders;
    /* One verdict per order: the owed ones are marked, counted, then filled in. */
    uint8_t *mark = bl_arena_alloc(a, o->n / 8 + 1);
    if (!mark)
        return bl_diag_set(d, BL_ENOMEM, "compensation: out of memory");
    memset(mark, 0, o->n / 8 + 1);
    size_t count = 0;
    for (size_t i = 0; i < o->n; i++) {
        if (owed(in, i)) {
            mark[i / 8] |= (uint8_t)(1u << (i % 8));
            count++;
        }
    }
    if (!count)
        return BL_OK;
    if (count > SIZE_MAX / sizeof(struct bl_coupon))
        return bl_diag_set(d, BL_ETOOBIG, "compensation: too many coupons");
    struct bl_coupon *c = bl_arena_alloc(a, count * sizeof(*c));
    if (!c)
        return bl_diag_set(d, BL_ENOMEM, "compensation: out of memory for %zu coupons", count);
    size_t k = 0;
    for (size_t i = 0; i < o->n && k < count; i++) {
        if (!(mark[i / 8] >> (i % 8) & 1))
            continue;
        struct bl_coupon *x = &c[k];
        uint32_t s = o->shop[i];
        x->order = i;
        x->order_amount = in->amount[i];
        const char *cur = in->currencies[in->cur[i]];
        x->amount = bl_coupon_amount(p, in->amount[i], cur);
        if (x->amount <= 0)
            continue;
        int64_t *bal = &in->balance[s];
        if (strcmp(in->shop_currency[s], cur) != 0) {
            x->state = BL_COUPON_OWED_CURRENCY;
        } else if (*bal >= x->amount) {
            x->state = BL_COUPON_PAID;
            *bal -= x->amount; /* no overflow: 0 < amount <= *bal */
        } else {
            x->state = BL_COUPON_OWED_SHORT;
        }
        x->balance_after = *bal;
        k++;
    }
    *out = c;
    *n = k;
    return BL_OK;
}
