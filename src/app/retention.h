/* retention.h - how long an organisation keeps what piles up by itself: webhook deliveries
 * and events, Idempotency-Keys, the audit log (docs/internals/retention.md).
 *
 *   bl_app_retention_show   the settings (each kind's days, or the default) and what the
 *                           prunes removed
 *   bl_app_retention_set    changes some settings (audited: retention.set)
 *   bl_app_retention_prune  removes what is older than the settings say, in batches of
 *                           BL_APP_RETENTION_BATCH rows, each its own short transaction;
 *                           the daily cycle's last step, and `ballast retention prune`
 *
 * Never removed: a webhook delivery still pending, the event of a delivery kept, an
 * Idempotency-Key within its lease (the kept days count from the lease's end).
 *
 * Ownership: the results are plain structs (no memory to free). */
#ifndef BL_APP_RETENTION_H
#define BL_APP_RETENTION_H

#include <stdbool.h>
#include <stdint.h>

#include "ballast/app.h"
#include "store/retention.h"

#define BL_APP_RETENTION_BATCH 1000 /* rows a prune's transaction removes at most */
#define BL_APP_RETENTION_RUN 100    /* batches per kind a prune runs at most (then: more) */
#define BL_APP_RETENTION_MAX_DAYS 36500

/* The installation's default days of kind (0: keep every row). */
int64_t bl_app_retention_default(enum bl_retention_kind k);

struct bl_app_retention_item {
    const char *kind;    /* bl_retention_kind_name, static */
    int64_t days;        /* in force: the setting, else the default; 0: every row kept */
    bool is_default;     /* no setting: the default */
    int64_t pruned;      /* rows removed by every prune so far */
    int64_t last_at;     /* the last prune (0: never) ... */
    int64_t last_pruned; /* ... and the rows it removed */
};

struct bl_app_retention {
    struct bl_app_retention_item items[BL_RETAIN_NKINDS]; /* by enum bl_retention_kind */
};

int bl_app_retention_show(struct bl_store *st, int64_t org, struct bl_app_retention *res,
                          struct bl_diag *d) BL_MUST_CHECK;

/* days[k] when set[k]: BL_RETENTION_DEFAULT (back to the default), BL_RETENTION_KEEP (0:
 * every row) or 1 to BL_APP_RETENTION_MAX_DAYS. */
struct bl_app_retention_set_req {
    bool set[BL_RETAIN_NKINDS];
    int64_t days[BL_RETAIN_NKINDS];
    int64_t now; /* the audit row's time; 0: the clock */
};

/* Changes the settings asked in one transaction with one audit row (retention.set, the
 * settings before and after), then res is what bl_app_retention_show gives. BL_EINVAL
 * (d's field the kind's name) for days out of range. */
int bl_app_retention_set(struct bl_store *st, int64_t org,
                         const struct bl_app_retention_set_req *req, struct bl_app_retention *res,
                         struct bl_diag *d) BL_MUST_CHECK;

struct bl_app_retention_pruned {
    int64_t removed[BL_RETAIN_NKINDS]; /* rows removed this run, by kind */
    bool more[BL_RETAIN_NKINDS];       /* stopped at BL_APP_RETENTION_RUN batches: the rest
                                        * goes at the next prune */
    bool kept[BL_RETAIN_NKINDS];       /* the kind keeps every row: nothing looked at */
};

/* Removes org's rows older than its settings as of now (0: the clock), kind by kind,
 * batch by batch; each batch adds its rows to the kind's counters in its transaction. A
 * failure stops the prune (what earlier batches removed stays removed and counted). */
int bl_app_retention_prune(struct bl_store *st, int64_t org, int64_t now,
                           struct bl_app_retention_pruned *res, struct bl_diag *d) BL_MUST_CHECK;

#endif
