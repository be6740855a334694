/* stock_decide.c - a person's decisions on playbook actions (approve, reject, undo), what
 * a decision reads first (the action's head, the hold or pause a SKU has already), and a
 * proposal whose day passed closed as expired (stock.h). */
#include "store/stock.h"

#include <string.h>

struct proposed_ctx {
    bool *found;
    enum bl_pb_kind *kind;
    int64_t *target, *after;
};

static int proposed_row(void *ctx, const struct bl_row *r)
{
    struct proposed_ctx *c = ctx;
    char kindb[40];
    *c->target = bl_row_int(r, 0);
    *c->after = bl_row_int(r, 1);
    *c->found =
        bl_pb_kind_parse(bl_str_copy(kindb, sizeof(kindb), bl_row_text(r, 2)), c->kind) == BL_OK;
    return 0;
}

int bl_store_stock_action_proposed(struct bl_store *st, int64_t org, int64_t id, bool *found,
                                   enum bl_pb_kind *kind, int64_t *target_id, int64_t *after,
                                   struct bl_diag *d)
{
    *found = false;
    struct proposed_ctx c = {found, kind, target_id, after};
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(id)};
    return bl_store_query(st,
                          "SELECT target_id, after_val, kind FROM action WHERE org_id = $1 "
                          "AND id = $2 AND state = 'proposed'",
                          p, 2, proposed_row, &c, d);
}

int bl_store_stock_action_applied(struct bl_store *st, int64_t org, int64_t id, int64_t at,
                                  struct bl_diag *d)
{
    struct bl_val p[3] = {bl_val_int(org), bl_val_int(id), bl_val_int(at)};
    return bl_store_exec(st,
                         "UPDATE action SET state = 'applied', applied_at = $3 "
                         "WHERE org_id = $1 AND id = $2",
                         p, 3, NULL, d);
}

static int head_row(void *ctx, const struct bl_row *r)
{
    struct bl_stock_action_head *h = ctx;
    char kindb[40];
    h->found =
        bl_pb_kind_parse(bl_str_copy(kindb, sizeof(kindb), bl_row_text(r, 0)), &h->kind) == BL_OK;
    h->target_id = bl_row_int(r, 1);
    h->after = bl_row_int(r, 2);
    bl_str_copy(h->state, sizeof(h->state), bl_row_text(r, 3));
    h->decided_at = bl_row_int_or(r, 4, BL_STOCK_NULL);
    h->proposed_at = bl_row_int(r, 5);
    h->before = bl_row_int(r, 6);
    h->parts.source_id = bl_row_int_or(r, 7, 0);
    h->parts.dest_id = bl_row_int_or(r, 8, 0);
    h->parts.by_day = bl_row_int_or(r, 9, BL_STOCK_NULL);
    h->parts.until_day = bl_row_int_or(r, 10, BL_STOCK_NULL);
    h->as_of = bl_row_int(r, 11);
    return 0;
}

int bl_store_stock_action_head(struct bl_store *st, int64_t org, int64_t id,
                               struct bl_stock_action_head *h, struct bl_diag *d)
{
    memset(h, 0, sizeof(*h));
    h->decided_at = BL_STOCK_NULL;
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(id)};
    return bl_store_query(st,
                          "SELECT kind, target_id, after_val, state, decided_at, proposed_at, "
                          "before_val, source_id, dest_id, by_day, until_day, as_of FROM action "
                          "WHERE org_id = $1 AND id = $2",
                          p, 2, head_row, h, d);
}

int bl_store_stock_action_decide(struct bl_store *st, int64_t org, int64_t id, const char *state,
                                 int64_t at, const char *by, const char *note, int64_t *changed,
                                 struct bl_diag *d)
{
    struct bl_val p[6] = {bl_val_int(org),
                          bl_val_int(id),
                          bl_val_text(bl_str_c(state)),
                          bl_val_int(at),
                          by ? bl_val_text(bl_str_c(by)) : bl_val_null(),
                          note ? bl_val_text(bl_str_c(note)) : bl_val_null()};
    return bl_store_exec(st,
                         "UPDATE action SET state = $3, decided_at = $4, decided_by = $5, "
                         "decision_note = $6, applied_at = CASE WHEN $3 = 'applied' THEN $4 "
                         "ELSE applied_at END WHERE org_id = $1 AND id = $2 "
                         "AND state = 'proposed'",
                         p, 6, changed, d);
}

int bl_store_stock_action_undo(struct bl_store *st, int64_t org, int64_t id, int64_t at,
                               const char *by, const char *note, int64_t *changed,
                               struct bl_diag *d)
{
    struct bl_val p[5] = {bl_val_int(org), bl_val_int(id), bl_val_int(at),
                          by ? bl_val_text(bl_str_c(by)) : bl_val_null(),
                          note ? bl_val_text(bl_str_c(note)) : bl_val_null()};
    return bl_store_exec(st,
                         "UPDATE action SET state = 'undone', decided_at = $3, decided_by = $4, "
                         "decision_note = $5 WHERE org_id = $1 AND id = $2 AND state = 'applied'",
                         p, 5, changed, d);
}

/* The applied action of kind on SKU sku_id other than `except`: *id, 0 when none. */
static int applied_on_sku(struct bl_store *st, int64_t org, enum bl_pb_kind kind, int64_t sku_id,
                          int64_t except, int64_t *id, struct bl_diag *d)
{
    struct bl_val p[4] = {bl_val_int(org), bl_val_int(sku_id), bl_val_int(except),
                          bl_val_text(bl_str_c(bl_pb_kind_name(kind)))};
    return bl_store_query_int(st,
                              "SELECT COALESCE(MAX(id), 0) FROM action WHERE org_id = $1 AND "
                              "kind = $4 AND target = 'sku' AND target_id = $2 "
                              "AND state = 'applied' AND id <> $3",
                              p, 4, id, d);
}

int bl_store_stock_action_held(struct bl_store *st, int64_t org, int64_t sku_id, int64_t except,
                               int64_t *id, struct bl_diag *d)
{
    return applied_on_sku(st, org, BL_PB_HANDLING_UNTIL, sku_id, except, id, d);
}

int bl_store_stock_action_paused(struct bl_store *st, int64_t org, int64_t sku_id, int64_t except,
                                 int64_t *id, struct bl_diag *d)
{
    return applied_on_sku(st, org, BL_PB_PROMOTION_UNTIL, sku_id, except, id, d);
}

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
