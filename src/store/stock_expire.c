/* stock_expire.c - a proposed action whose day passed, closed as expired (stock.h). */
#include "store/stock.h"

int bl_store_stock_action_expire(struct bl_store *st, int64_t org, int64_t id, int64_t at,
                                 int64_t cycle_id, const char *why, int64_t *changed,
                                 struct bl_diag *d)
{
    struct bl_val p[6] = {bl_val_int(org),
                          bl_val_int(id),
                          bl_val_text(bl_str_c(bl_pb_state_name(BL_PB_EXPIRED))),
                          bl_val_int(at),
                          bl_val_text(bl_str_c(why)),
                          cycle_id ? bl_val_int(cycle_id) : bl_val_null()};
    return bl_store_exec(st,
                         "UPDATE action SET state = $3, closed_at = $4, close_reason = $5, "
                         "cycle_id = COALESCE($6, cycle_id) "
                         "WHERE org_id = $1 AND id = $2 AND state = 'proposed'",
                         p, 6, changed, d);
}
