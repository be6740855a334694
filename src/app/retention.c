/* retention.c - retention settings and prunes (retention.h). */
#include <string.h>

#include "app/audit.h"
#include "app/retention.h"
#include "ballast/time.h"

/* Delivered webhooks: a month answers "did they get it?" for a monthly close; failed and
 * cancelled ones are kept three months, long enough to find and replay them; an event
 * nothing names any more goes with its deliveries; an Idempotency-Key a day past its lease
 * (a client's retry comes within minutes; Stripe keeps its keys 24 hours); the audit log
 * 400 days: a year's audit plus a month's slack (SOC 2 and ISO 27001 ask for a year). */
static const int64_t defaults[BL_RETAIN_NKINDS] = {30, 90, 30, 1, 400};

int64_t bl_app_retention_default(enum bl_retention_kind k)
{
    return (unsigned)k < BL_RETAIN_NKINDS ? defaults[k] : 0;
}

static void fill(const struct bl_retention_row *rows, struct bl_app_retention *res)
{
    for (int k = 0; k < BL_RETAIN_NKINDS; k++) {
        const struct bl_retention_row *r = &rows[k];
        bool dflt = r->days == BL_RETENTION_DEFAULT;
        res->items[k] =
            (struct bl_app_retention_item){bl_retention_kind_name((enum bl_retention_kind)k),
                                           dflt ? defaults[k] : r->days,
                                           dflt,
                                           r->pruned,
                                           r->last_at,
                                           r->last_pruned};
    }
}

int bl_app_retention_show(struct bl_store *st, int64_t org, struct bl_app_retention *res,
                          struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    struct bl_retention_row rows[BL_RETAIN_NKINDS];
    int rc = bl_store_retention_get(st, org, rows, d);
    if (!rc)
        fill(rows, res);
    return rc;
}

/* The settings as the audit log shows them: each kind's days, "default" or "keep". */
static json_t *settings_json(const struct bl_retention_row *rows)
{
    json_t *o = json_object();
    for (int k = 0; o && k < BL_RETAIN_NKINDS; k++) {
        int64_t v = rows[k].days;
        json_t *x = v == BL_RETENTION_DEFAULT ? json_string("default")
                    : v == BL_RETENTION_KEEP  ? json_string("keep")
                                              : json_integer((json_int_t)v);
        if (json_object_set_new(o, bl_retention_kind_name((enum bl_retention_kind)k), x))
            json_decref(o), o = NULL;
    }
    return o;
}

int bl_app_retention_set(struct bl_store *st, int64_t org,
                         const struct bl_app_retention_set_req *req, struct bl_app_retention *res,
                         struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    for (int k = 0; k < BL_RETAIN_NKINDS; k++) {
        int64_t v = req->days[k];
        if (req->set[k] && v != BL_RETENTION_DEFAULT && v != BL_RETENTION_KEEP &&
            (v < 1 || v > BL_APP_RETENTION_MAX_DAYS)) {
            const char *name = bl_retention_kind_name((enum bl_retention_kind)k);
            bl_diag_at(d, NULL, 0, name);
            return bl_diag_set(d, BL_EINVAL,
                               "%s: expected 1 to %d days, keep (every row) or default", name,
                               BL_APP_RETENTION_MAX_DAYS);
        }
    }
    struct bl_retention_row before[BL_RETAIN_NKINDS], after[BL_RETAIN_NKINDS];
    int rc = bl_store_begin(st, d);
    rc = rc ? rc : bl_store_retention_get(st, org, before, d);
    bool changed = false;
    for (int k = 0; !rc && k < BL_RETAIN_NKINDS; k++) {
        after[k] = before[k];
        if (!req->set[k] || req->days[k] == before[k].days)
            continue;
        after[k].days = req->days[k];
        changed = true;
        rc = bl_store_retention_set(st, org, (enum bl_retention_kind)k, req->days[k], d);
    }
    if (!rc && changed)
        rc = bl_app_audit(st, org, req->now, "retention.set", "retention", NULL,
                          settings_json(before), settings_json(after), d);
    rc = bl_store_end(st, rc, d);
    return rc ? rc : bl_app_retention_show(st, org, res, d);
}

/* One kind: batches until one removes less than a batch, or the run's bound. */
static int prune_kind(struct bl_store *st, int64_t org, enum bl_retention_kind k, int64_t now,
                      int64_t days, struct bl_app_retention_pruned *res, struct bl_diag *d)
{
    int64_t cutoff = now - days * BL_DAY_SECS;
    for (int b = 0; b < BL_APP_RETENTION_RUN; b++) {
        int64_t n = 0;
        int rc = bl_store_begin(st, d);
        rc = rc ? rc : bl_store_retention_prune(st, org, k, cutoff, BL_APP_RETENTION_BATCH, &n, d);
        rc = rc ? rc : bl_store_retention_record(st, org, k, now, n, res->removed[k] + n, d);
        rc = bl_store_end(st, rc, d);
        if (rc)
            return rc;
        res->removed[k] += n;
        if (n < BL_APP_RETENTION_BATCH)
            return BL_OK;
    }
    res->more[k] = true;
    return BL_OK;
}

int bl_app_retention_prune(struct bl_store *st, int64_t org, int64_t now,
                           struct bl_app_retention_pruned *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    now = bl_app_now_or(now);
    struct bl_app_retention set;
    int rc = bl_app_retention_show(st, org, &set, d);
    for (int k = 0; !rc && k < BL_RETAIN_NKINDS; k++) {
        int64_t days = set.items[k].days;
        res->kept[k] = days == BL_RETENTION_KEEP;
        if (!res->kept[k])
            rc = prune_kind(st, org, (enum bl_retention_kind)k, now, days, res, d);
    }
    return rc;
}
