/* money.c - the organisation's currency and its exchange rates (money.h). */
#include <string.h>

#include "store/money.h"

static int cur_row(void *ctx, const struct bl_row *r)
{
    char *cur = ctx;
    if (!bl_row_isnull(r, 0))
        bl_str_copy(cur, 4, bl_row_text(r, 0));
    return 0;
}

int bl_store_money_org_currency(struct bl_store *st, int64_t org, char cur[4], bool *set,
                                struct bl_diag *d)
{
    cur[0] = '\0';
    struct bl_val p = bl_val_int(org);
    int rc = bl_store_query(st, "SELECT currency FROM org WHERE id = $1", &p, 1, cur_row, cur, d);
    *set = !rc && cur[0];
    return rc;
}

int bl_store_money_org_currency_set(struct bl_store *st, int64_t org, const char *cur,
                                    struct bl_diag *d)
{
    struct bl_val p[2] = {cur && cur[0] ? bl_val_text(bl_str_c(cur)) : bl_val_null(),
                          bl_val_int(org)};
    return bl_store_exec(st, "UPDATE org SET currency = $1 WHERE id = $2", p, 2, NULL, d);
}

struct rate_ctx {
    struct bl_fx_rate *r;
    int64_t *day;
    bool *found;
};

static int rate_row(void *vctx, const struct bl_row *row)
{
    struct rate_ctx *c = vctx;
    *c->day = bl_row_int(row, 0);
    c->r->num = bl_row_int(row, 1);
    int64_t scale = bl_row_int(row, 2);
    *c->found = c->r->num > 0 && scale >= 0 && scale <= BL_FX_MAX_SCALE;
    c->r->scale = *c->found ? (int)scale : 0;
    return 1;
}

int bl_store_money_rate(struct bl_store *st, int64_t org, const char *from, const char *to,
                        int64_t day, struct bl_fx_rate *r, int64_t *rate_day, bool *found,
                        struct bl_diag *d)
{
    *found = false;
    struct rate_ctx c = {r, rate_day, found};
    struct bl_val p[4] = {bl_val_int(org), bl_val_text(bl_str_c(from)), bl_val_text(bl_str_c(to)),
                          bl_val_int(day)};
    int rc = bl_store_query(st,
                            "SELECT day, rate_num, rate_scale FROM fx_rate WHERE org_id = $1"
                            " AND from_cur = $2 AND to_cur = $3 AND day <= $4"
                            " ORDER BY day DESC LIMIT 1",
                            p, 4, rate_row, &c, d);
    return rc == 1 ? BL_OK : rc;
}
