/* ledger.c - the deposit ledger (ledger.h). */
#include "store/ledger.h"

int bl_store_ledger_add(struct bl_store *st, int64_t org, const struct bl_ledger_entry *e,
                        size_t n, size_t *added, struct bl_diag *d)
{
    size_t k = 0;
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(e[i].idem))};
        int64_t have = 0;
        rc = bl_store_query_int(st, "SELECT COUNT(*) FROM ledger WHERE org_id = $1 AND idem = $2",
                                p, 2, &have, d);
        if (rc || have)
            continue;
        int64_t id = 0;
        rc = bl_store_next_ids(st, org, "ledger", 1, &id, d);
        if (rc)
            break;
        struct bl_val v[] = {bl_val_int(org),
                             bl_val_int(id),
                             bl_val_int(e[i].shop_id),
                             bl_val_text(bl_str_c(e[i].kind)),
                             bl_val_int(e[i].amount),
                             bl_val_text(bl_str_c(e[i].currency ? e[i].currency : "")),
                             bl_val_int(e[i].balance),
                             bl_val_text(bl_str_c(e[i].ref ? e[i].ref : "")),
                             bl_val_text(bl_str_c(e[i].idem)),
                             bl_val_text(bl_str_c(e[i].note ? e[i].note : "")),
                             bl_val_int(e[i].as_of),
                             bl_val_int(e[i].at),
                             e[i].cycle_id ? bl_val_int(e[i].cycle_id) : bl_val_null()};
        rc = bl_store_exec(st,
                           "INSERT INTO ledger (org_id, id, shop_id, kind, amount, currency,"
                           " balance, ref, idem, note, as_of, at, cycle_id)"
                           " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                           v, 13, NULL, d);
        k += !rc;
    }
    if (added)
        *added = k;
    return rc;
}

int bl_store_ledger_balance(struct bl_store *st, int64_t org, int64_t shop_id,
                            int64_t *balance, struct bl_diag *d)
{
    struct bl_val q[2] = {bl_val_int(org), bl_val_int(shop_id)};
    return bl_store_query_int(st,
                              "SELECT s.deposit + COALESCE((SELECT SUM(g.amount) FROM ledger g"
                              " WHERE g.org_id = s.org_id AND g.shop_id = s.id"
                              " AND g.currency = s.currency AND g.kind IN ('coupon', 'topup')),"
                              " 0) FROM shop s WHERE s.org_id = $1 AND s.id = $2",
                              q, 2, balance, d);
}
