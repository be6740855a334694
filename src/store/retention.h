/* retention.h - how long an organisation keeps what piles up by itself, typed (store family
 * "retention", migration m_retention): the settings per kind, the rows each prune removed,
 * and the prunes, one bounded batch at a time.
 *
 * Kinds (bl_retention_kind): delivered webhook deliveries, failed or cancelled ones, the
 * events no delivery names any more, Idempotency-Keys past their lease, the audit log.
 * A setting is days: BL_RETENTION_DEFAULT (no row, or a NULL) keeps the installation's
 * default (app/retention.h), BL_RETENTION_KEEP (0) keeps every row, n > 0 keeps n days.
 *
 * Ownership: nothing is allocated but the lists the callbacks are given. */
#ifndef BL_STORE_RETENTION_H
#define BL_STORE_RETENTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/store.h"
#include "store/sched.h"

enum bl_retention_kind {
    BL_RETAIN_HOOK_DELIVERED, /* webhook deliveries delivered */
    BL_RETAIN_HOOK_FAILED,    /* webhook deliveries failed or cancelled */
    BL_RETAIN_HOOK_EVENTS,    /* webhook events (the outbox's log) no delivery names */
    BL_RETAIN_IDEM,           /* Idempotency-Keys, counted from the end of their lease */
    BL_RETAIN_AUDIT,          /* the audit log */
    BL_RETAIN_NKINDS
};

#define BL_RETENTION_DEFAULT (-1)
#define BL_RETENTION_KEEP 0

/* The stored name of a kind ("webhook_delivered", ...), static. */
const char *bl_retention_kind_name(enum bl_retention_kind k);
/* The kind of a name, or -1. */
int bl_retention_kind_of(const char *name);

/* One kind's row for an organisation: the setting and the counters of its prunes. */
struct bl_retention_row {
    int64_t days;        /* BL_RETENTION_DEFAULT, BL_RETENTION_KEEP or n */
    int64_t pruned;      /* rows removed by every prune so far */
    int64_t last_at;     /* the last prune's time; 0: never */
    int64_t last_pruned; /* rows it removed */
};

/* org's rows of every kind into out (kinds without a row: default, zeros). */
int bl_store_retention_get(struct bl_store *st, int64_t org,
                           struct bl_retention_row out[BL_RETAIN_NKINDS],
                           struct bl_diag *d) BL_MUST_CHECK;
/* Sets org's days of kind (BL_RETENTION_DEFAULT, KEEP or n), keeping its counters.
 * Inside the caller's transaction. */
int bl_store_retention_set(struct bl_store *st, int64_t org, enum bl_retention_kind k, int64_t days,
                           struct bl_diag *d) BL_MUST_CHECK;
/* Records a batch of a prune of kind run at `at` that removed n rows (added to the total),
 * run's rows so far being run_n (the last prune's count). Inside the batch's transaction. */
int bl_store_retention_record(struct bl_store *st, int64_t org, enum bl_retention_kind k,
                              int64_t at, int64_t n, int64_t run_n,
                              struct bl_diag *d) BL_MUST_CHECK;

/* Removes at most `batch` rows of kind older than `cutoff` (a Unix time), in the caller's
 * transaction; *n the rows removed. What is old:
 *   HOOK_DELIVERED  a delivery delivered before cutoff;
 *   HOOK_FAILED     a delivery failed or cancelled whose last attempt (else its due time)
 *                   was before cutoff. A pending delivery is never removed;
 *   HOOK_EVENTS     an event created before cutoff that no delivery names (a pending or
 *                   a failed one kept keeps its event);
 *   IDEM            a key whose lease ended before cutoff (a key from before leases: its
 *                   creation), so never one within its lease;
 *   AUDIT           a row recorded before cutoff. */
int bl_store_retention_prune(struct bl_store *st, int64_t org, enum bl_retention_kind k,
                             int64_t cutoff, int64_t batch, int64_t *n,
                             struct bl_diag *d) BL_MUST_CHECK;

/* Every organisation's counters, for /metrics (store/sched.h's callback): fn(ctx, org name,
 * kind name, rows) per kind pruned at least once, by organisation name and kind; _total the
 * rows every prune removed, _last those the last one did. */
int bl_store_retention_pruned_total(struct bl_store *st, bl_sched_count_fn fn, void *ctx,
                                    struct bl_diag *d) BL_MUST_CHECK;
int bl_store_retention_pruned_last(struct bl_store *st, bl_sched_count_fn fn, void *ctx,
                                   struct bl_diag *d) BL_MUST_CHECK;

#endif
