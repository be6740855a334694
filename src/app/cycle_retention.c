/* cycle_retention.c - the daily cycle's last step: the organisation's retention
 * (app/retention.h), pruned as of the clock (rows are stamped with it, not with the
 * cycle's as-of), each kind's rows removed counted for the digest. A dry run removes
 * nothing. */
#include "app/cycle_impl.h"
#include "app/retention.h"

static const char *const counted[BL_RETAIN_NKINDS] = {
    "webhook_delivered_pruned", "webhook_failed_pruned", "webhook_events_pruned",
    "idem_keys_pruned", "audit_pruned"};

int bl__cycle_step_retention(struct bl__cycle_run *r, struct bl_app_cycle_step *s,
                             struct bl_diag *d)
{
    if (r->req->dry_run) {
        s->state = BL_STEP_SKIPPED;
        s->why = "dry_run";
        return BL_OK;
    }
    struct bl_app_retention_pruned res;
    int rc = bl_app_retention_prune(r->st, r->org, r->req->now, &res, d);
    for (int k = 0; !rc && k < BL_RETAIN_NKINDS; k++)
        if (!res.kept[k])
            bl__cycle_count(s, counted[k], res.removed[k]);
    return rc;
}
