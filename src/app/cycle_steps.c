/* cycle_steps.c - the steps of the daily cycle, in the design's order (cycle.h,
 * docs/internals/cycle.md). Each calls use cases of src/app with the cycle's as-of and
 * id and reports what it did as counts; what several steps read is loaded once and kept
 * in struct bl__cycle_shared (the stock day; the orders snapshot; the channels). */
#include <stdio.h>
#include <string.h>

#include "app/action_set.h"
#include "app/assess.h"
#include "app/compensate.h"
#include "app/comply.h"
#include "app/cycle_impl.h"
#include "app/logistics.h"
#include "app/messages.h"
#include "app/programs.h"
#include "app/stock.h"
#include "store/assessment.h"
#include "ballast/alloc.h"
#include "ballast/profile.h"

/* What the steps load once and share. */
struct bl__cycle_shared {
    struct bl_app_stock_day day;
    bool day_open;
    struct bl_snapshot snap; /* the orders assess and compensate read */
    bool snap_loaded;
    struct bl_profile *profiles; /* the profiles the shops use that load */
    size_t nprofiles;
    bool profiles_loaded;
    int64_t profiles_missing;    /* shops' profiles that do not exist */
    char missing[200];           /* their names */
    struct bl_app_logistics cat; /* channels, rates, calendars: route and sla */
    bool cat_loaded;
    struct bl_app_msg_coupon *coupons; /* a dry run: the coupons compensate would pay, */
    size_t ncoupons, capcoupons;       /* which the messages step tells */
};

static int shared(struct bl__cycle_run *r, struct bl_diag *d)
{
    if (r->shared)
        return BL_OK;
    r->shared = bl_calloc(1, sizeof(*r->shared));
    return r->shared ? BL_OK : bl_diag_set(d, BL_ENOMEM, "cycle: out of memory");
}

/* ---- demand and stock: one stock day for forecast, plan, alerts and playbook ---------- */

static int stock_day(struct bl__cycle_run *r, struct bl_app_stock_day **out, struct bl_diag *d)
{
    int rc = shared(r, d);
    if (rc)
        return rc;
    struct bl__cycle_shared *sh = r->shared;
    if (!sh->day_open) {
        struct bl_app_stock_opts o;
        bl_app_stock_opts_init(&o);
        o.as_of = r->req->day;
        o.playbook = true;
        rc = bl_app_stock_day_open(r->st, r->org, &o, &sh->day, d);
        if (rc) {
            bl_app_stock_day_close(&sh->day);
            return rc;
        }
        sh->day_open = true;
    }
    *out = &sh->day;
    return BL_OK;
}

/* Plans, alerts and the playbook need stock counts: an organisation that never imported
 * any (a marketplace's order history, Olist) would see every SKU "out of stock" and the
 * playbook delist its whole catalogue. Its stock steps are skipped, and say why. */
static bool no_stock(const struct bl_app_stock_day *day, struct bl_app_cycle_step *s)
{
    if (day->snap.nskus && day->snap.nwh)
        return false;
    s->state = BL_STEP_SKIPPED;
    s->why = day->snap.nskus ? "no_stock_counts" : "no_skus";
    return true;
}

static int step_forecast(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_diag *d)
{
    struct bl_app_stock_day *day;
    int rc = stock_day(r, &day, d);
    if (rc)
        return rc;
    /* a SKU without a sale in the window has nothing to learn from: it is not forecast (its
     * demand is 0, stock_day.c), and is not counted as if it were */
    const struct bl_stock_snap *sn = &day->snap;
    int64_t sold = 0;
    for (size_t k = 0; k < sn->nskus; k++) {
        const double *u = sn->units ? sn->units + k * sn->window : NULL;
        size_t i = 0;
        while (u && i < sn->window && !(u[i] > 0))
            i++;
        sold += u && i < sn->window;
    }
    bl__cycle_count(s, "skus", sold);
    if (sold < (int64_t)sn->nskus)
        bl__cycle_count(s, "skus_unsold", (int64_t)sn->nskus - sold);
    if (!sn->nskus || !sold) {
        s->state = BL_STEP_SKIPPED;
        s->why = sn->nskus ? "no_sales" : "no_skus";
    }
    return BL_OK;
}

static int step_plan(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_diag *d)
{
    struct bl_app_stock_day *day;
    int rc = stock_day(r, &day, d);
    if (rc)
        return rc;
    if (no_stock(day, s))
        return BL_OK;
    struct bl_app_plan_req req = {
        .now = r->req->now, .cycle_id = r->cycle_id, .day = day, .save = !r->req->dry_run};
    struct bl_app_plan_res res;
    rc = bl_app_plan(r->st, r->org, &req, &res, d);
    if (!rc) {
        int64_t stockouts = 0, reorders = 0;
        int64_t horizon = r->req->horizon_days > 0 ? r->req->horizon_days : 14;
        for (size_t k = 0; k < day->snap.nskus; k++) {
            const struct bl_rp_plan *p = &day->plans[k];
            stockouts += p->stockout_day != BL_RP_NEVER && p->stockout_day <= r->req->day + horizon;
            reorders += p->order_qty > 0;
        }
        bl__cycle_count(s, "lines", (int64_t)res.stored);
        bl__cycle_count(s, "stockouts", stockouts);
        bl__cycle_count(s, "reorders", reorders);
    }
    bl_app_plan_res_release(&res);
    return rc;
}

static int step_alerts(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_diag *d)
{
    struct bl_app_stock_day *day;
    int rc = stock_day(r, &day, d);
    if (rc)
        return rc;
    if (no_stock(day, s))
        return BL_OK;
    struct bl_app_alerts_req req = {
        .now = r->req->now, .cycle_id = r->cycle_id, .day = day, .save = !r->req->dry_run};
    struct bl_app_alerts_res res;
    rc = bl_app_alerts(r->st, r->org, &req, &res, d);
    if (!rc)
        bl__cycle_count(s, "alerts", (int64_t)res.n);
    bl_app_alerts_res_release(&res);
    return rc;
}

static int step_playbook(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_diag *d)
{
    struct bl_app_stock_day *day;
    int rc = stock_day(r, &day, d);
    if (rc)
        return rc;
    if (no_stock(day, s))
        return BL_OK;
    struct bl_app_playbook_req req = {
        .now = r->req->now, .cycle_id = r->cycle_id, .day = day, .apply = !r->req->dry_run};
    struct bl_app_playbook_res res;
    rc = bl_app_playbook(r->st, r->org, &req, &res, d);
    if (!rc) {
        int64_t applied = 0, proposed = 0;
        for (size_t i = 0; i < res.n; i++) {
            applied +=
                res.outcome[i] == BL_APP_ACT_APPLIED || res.outcome[i] == BL_APP_ACT_TO_APPLY;
            proposed +=
                res.outcome[i] == BL_APP_ACT_PROPOSED || res.outcome[i] == BL_APP_ACT_TO_PROPOSE;
        }
        /* a dry run stores nothing: its new actions are those it would apply or propose */
        bl__cycle_count(s, "actions_new",
                        r->req->dry_run ? applied + proposed : (int64_t)res.added);
        bl__cycle_count(s, "actions_applied", applied);
        bl__cycle_count(s, "actions_proposed", proposed);
        bl__cycle_count(s, "actions_reverted", (int64_t)res.closed);
    }
    bl_app_playbook_res_release(&res);
    size_t expired = 0; /* a what-if's proposals nobody decided by their day */
    if (!rc)
        rc = bl_app_actions_expire(r->st, r->org, day->opts.as_of, r->req->now, r->cycle_id,
                                   r->req->dry_run, &expired, d);
    if (!rc && expired)
        bl__cycle_count(s, "actions_expired", (int64_t)expired);
    return rc;
}

/* The profiles the organisation's shops use, loaded once (a profile that does not load
 * is left out: assess has said why). */
static int load_profiles(struct bl__cycle_run *r, struct bl_diag *d)
{
    int rc = shared(r, d);
    if (rc || r->shared->profiles_loaded)
        return rc;
    struct bl__cycle_shared *sh = r->shared;
    struct bl_arena a;
    bl_arena_init(&a, 1024);
    const char **names = NULL;
    size_t n = 0;
    rc = bl_store_assessment_profiles(r->st, r->org, &a, &names, &n, d);
    if (!rc && n) {
        sh->profiles = bl_calloc(n, sizeof(struct bl_profile));
        if (!sh->profiles)
            rc = bl_diag_set(d, BL_ENOMEM, "cycle: out of memory");
    }
    for (size_t i = 0; !rc && i < n; i++) {
        struct bl_diag pd;
        bl_diag_clear(&pd);
        int prc = bl_profile_load(bl_profile_dir(), names[i], &sh->profiles[sh->nprofiles], &pd);
        if (prc == BL_ENOTFOUND) {
            size_t at = strlen(sh->missing);
            snprintf(sh->missing + at, sizeof(sh->missing) - at, "%s%s", at ? ", " : "", names[i]);
            sh->profiles_missing++;
        } else if (prc) {
            *d = pd; /* a profile that exists but is wrong is an error to fix */
            rc = prc;
        } else {
            sh->nprofiles++;
        }
    }
    sh->profiles_loaded = !rc;
    bl_arena_release(&a);
    return rc;
}

/* ---- the shops' standing: one orders snapshot for assess and compensate -------------- */

static int orders_snapshot(struct bl__cycle_run *r, struct bl_snapshot **out, struct bl_diag *d)
{
    int rc = shared(r, d);
    if (rc)
        return rc;
    struct bl__cycle_shared *sh = r->shared;
    if (!sh->snap_loaded) {
        rc = load_profiles(r, d);
        if (!rc)
            rc = bl_app_assess_load_profiles(r->st, r->org, r->req->as_of, sh->profiles,
                                             sh->nprofiles, &sh->snap, d);
        if (rc)
            return rc;
        sh->snap_loaded = true;
    }
    *out = &sh->snap;
    return BL_OK;
}

/* The snapshot and the profiles for assess and compensate; SKIPPED when no shop has an
 * order or a profile that exists. */
static int standing(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_snapshot **snap,
                    struct bl_diag *d)
{
    int rc = orders_snapshot(r, snap, d);
    if (!rc)
        rc = load_profiles(r, d);
    if (rc)
        return rc;
    if (!(*snap)->nshops || !r->shared->nprofiles) {
        s->state = BL_STEP_SKIPPED;
        s->why = !(*snap)->nshops ? "no_shops" : "no_profiles";
    }
    return BL_OK;
}

/* A rating at or below the band a missed target caps at (bands run best first). */
static bool in_breach(const struct bl_profile *p, const char *rating)
{
    for (size_t b = p->breach_band; b < p->nbands; b++)
        if (strcmp(rating, p->bands[b].label) == 0)
            return true;
    return false;
}

/* Shops whose profile does not exist are not rated (assess --profile P says why). */
static void count_missing(struct bl__cycle_run *r, struct bl_app_cycle_step *s)
{
    if (r->shared->profiles_missing)
        bl__cycle_count(s, "profiles_missing", r->shared->profiles_missing);
}

/* Each profile the shops use, on the one snapshot: a profile that does not exist leaves
 * its shops unrated, not the others. */
static int step_assess(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_diag *d)
{
    struct bl_snapshot *snap;
    int rc = standing(r, s, &snap, d);
    if (rc || s->state == BL_STEP_SKIPPED) {
        if (!rc)
            count_missing(r, s);
        return rc;
    }
    int64_t shops = 0, at_risk = 0;
    for (size_t i = 0; !rc && i < r->shared->nprofiles; i++) {
        const struct bl_profile *p = &r->shared->profiles[i];
        struct bl_app_assess_req req = {.as_of = r->req->as_of,
                                        .profile = p->name,
                                        .dry_run = r->req->dry_run,
                                        .cycle_id = r->cycle_id,
                                        .now = r->req->now,
                                        .snap = snap};
        struct bl_app_assess_res res;
        rc = bl_app_assess(r->st, r->org, &req, &res, d);
        if (!rc) {
            shops += (int64_t)res.n;
            for (size_t k = 0; k < res.n; k++)
                at_risk += in_breach(p, res.shops[k].rating);
        }
        bl_app_assess_res_release(&res);
    }
    bl__cycle_count(s, "profiles", (int64_t)r->shared->nprofiles);
    bl__cycle_count(s, "shops", shops);
    bl__cycle_count(s, "at_risk", at_risk);
    count_missing(r, s);
    return rc;
}

/* A coupon a dry run would pay, kept for the messages step. */
static int dry_coupon(struct bl__cycle_shared *sh, const struct bl_app_coupon *c,
                      struct bl_diag *d)
{
    void *items = sh->coupons;
    if (bl_grow(&items, &sh->capcoupons, sh->ncoupons + 1, sizeof(*sh->coupons)))
        return bl_diag_set(d, BL_ENOMEM, "cycle: out of memory");
    sh->coupons = items;
    struct bl_app_msg_coupon *x = &sh->coupons[sh->ncoupons++];
    x->order_id = c->order_id;
    x->amount = c->amount;
    memcpy(x->currency, c->currency, sizeof(x->currency));
    return BL_OK;
}

static int step_compensate(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_diag *d)
{
    struct bl_snapshot *snap;
    int rc = standing(r, s, &snap, d);
    if (rc || s->state == BL_STEP_SKIPPED)
        return rc;
    int64_t paid = 0, owed = 0, already = 0;
    for (size_t i = 0; !rc && i < r->shared->nprofiles; i++) {
        struct bl_app_compensate_req req = {.as_of = r->req->as_of,
                                            .profile = r->shared->profiles[i].name,
                                            .dry_run = r->req->dry_run,
                                            .cycle_id = r->cycle_id,
                                            .now = r->req->now,
                                            .snap = snap};
        struct bl_app_compensate_res res;
        rc = bl_app_compensate(r->st, r->org, &req, &res, d);
        for (size_t k = 0; !rc && k < res.n; k++) {
            owed += res.coupons[k].state != BL_COUPON_PAID;
            paid += res.coupons[k].state == BL_COUPON_PAID;
            if (r->req->dry_run && res.coupons[k].state == BL_COUPON_PAID)
                rc = dry_coupon(r->shared, &res.coupons[k], d);
        }
        already += rc ? 0 : (int64_t)res.already;
        bl_app_compensate_res_release(&res);
    }
    bl__cycle_count(s, "coupons_new", paid);
    bl__cycle_count(s, "coupons_owed", owed);
    bl__cycle_count(s, "coupons_already", already);
    return rc;
}

/* ---- logistics: one catalogue for route and sla --------------------------------------- */

static int catalogue(struct bl__cycle_run *r, struct bl_app_logistics **out, struct bl_diag *d)
{
    int rc = shared(r, d);
    if (rc)
        return rc;
    struct bl__cycle_shared *sh = r->shared;
    if (!sh->cat_loaded) {
        rc = bl_app_logistics_load(r->st, r->org, &sh->cat, d);
        if (rc) {
            bl_app_logistics_release(&sh->cat); /* released either way (logistics.h) */
            return rc;
        }
        sh->cat_loaded = true;
    }
    *out = &sh->cat;
    return BL_OK;
}

static int step_route(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_diag *d)
{
    struct bl_app_logistics *cat;
    int rc = catalogue(r, &cat, d);
    if (rc)
        return rc;
    if (bl_lg_nchannels(cat->lg) == 0) {
        s->state = BL_STEP_SKIPPED;
        s->why = "no_channels";
        return BL_OK;
    }
    struct bl_app_route_req req = {.as_of = r->req->as_of, .cat = cat};
    struct bl_app_route_res res;
    rc = bl_app_route(r->st, r->org, &req, &res, d);
    if (!rc) {
        int64_t k[4] = {0, 0, 0, 0};
        for (size_t i = 0; i < res.n; i++)
            k[res.o[i].route.state < 4 ? res.o[i].route.state : BL_LG_NO_CHANNEL]++;
        bl__cycle_count(s, "orders", (int64_t)res.n);
        bl__cycle_count(s, "routed", k[BL_LG_ROUTED]);
        bl__cycle_count(s, "late", k[BL_LG_LATE]);
        bl__cycle_count(s, "held", k[BL_LG_SUSPENDED]);
        bl__cycle_count(s, "unroutable", k[BL_LG_NO_CHANNEL]);
    }
    bl_app_route_res_release(&res);
    return rc;
}

static int step_sla(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_diag *d)
{
    struct bl_app_logistics *cat;
    int rc = catalogue(r, &cat, d);
    if (rc)
        return rc;
    if (bl_lg_nchannels(cat->lg) == 0) {
        s->state = BL_STEP_SKIPPED;
        s->why = "no_channels";
        return BL_OK;
    }
    struct bl_app_sla_req req = {.as_of = r->req->as_of,
                                 .dry_run = r->req->dry_run,
                                 .now = r->req->now,
                                 .cycle_id = r->cycle_id,
                                 .cat = cat};
    struct bl_app_sla_res res;
    rc = bl_app_sla(r->st, r->org, &req, &res, d);
    if (!rc) {
        int64_t fresh = 0, before = 0; /* fresh: claimed now, or due on a dry run */
        for (size_t i = 0; i < res.n; i++) {
            fresh += res.c[i].state == BL_APP_SLA_NEW || res.c[i].state == BL_APP_SLA_DUE;
            before += res.c[i].state == BL_APP_SLA_BEFORE;
        }
        bl__cycle_count(s, "waivers_new", fresh);
        bl__cycle_count(s, "waivers_already", before);
    }
    bl_app_sla_res_release(&res);
    return rc;
}

/* ---- the customers -------------------------------------------------------------------- */

static int step_messages(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_diag *d)
{
    struct bl_app_messages_plan_req req; /* what `messages plan` does by default */
    bl_app_messages_plan_defaults(&req);
    req.as_of = r->req->as_of;
    req.dry_run = r->req->dry_run;
    req.now = r->req->now;
    req.cycle_id = r->cycle_id;
    if (r->shared) {
        req.coupons = r->shared->coupons;
        req.ncoupons = r->shared->ncoupons;
    }
    struct bl_app_messages_plan_res res;
    int rc = bl_app_messages_plan(r->st, r->org, &req, &res, d);
    if (!rc) {
        /* n: what the facts call for that the outbox lacks (stored now, unless dry);
         * held messages rendered again are in the outbox already */
        bl__cycle_count(s, "messages_new",
                        (int64_t)(r->req->dry_run ? res.n - res.redone : res.added));
        bl__cycle_count(s, "messages_already", (int64_t)res.already);
    }
    bl_app_messages_plan_res_release(&res);
    return rc;
}

static int step_banners(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_diag *d)
{
    struct bl_app_banners_req req = {.as_of = r->req->as_of};
    struct bl_app_banners_res res;
    int rc = bl_app_banners(r->st, r->org, &req, &res, d);
    if (!rc)
        bl__cycle_count(s, "banners", (int64_t)res.n);
    bl_app_banners_res_release(&res);
    return rc;
}

/* ---- the watch: duties that come with the sales (issue 19) -------------------------- */

/* Tax thresholds: each crossing stored as an alert once (the digest and alert.raised). */
static int watch_comply(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_diag *d)
{
    struct bl_app_comply_req req = {.as_of = r->req->as_of,
                                     .save = !r->req->dry_run,
                                     .now = r->req->now,
                                     .cycle_id = r->cycle_id};
    struct bl_app_comply_res res;
    int rc = bl_app_comply(r->st, r->org, &req, &res, d);
    int64_t near = 0, over = 0;
    for (size_t i = 0; !rc && i < res.n; i++) {
        near += res.items[i].st.status == BL_COMPLY_NEAR;
        over += res.items[i].st.status == BL_COMPLY_OVER ||
                res.items[i].st.status == BL_COMPLY_NEXT_YEAR;
    }
    if (!rc) {
        bl__cycle_count(s, "thresholds_near", near);
        bl__cycle_count(s, "thresholds_crossed", over);
        bl__cycle_count(s, "threshold_alerts_new", (int64_t)res.alerts_new);
        if (res.unconverted) /* no exchange rate: left out of the totals (comply says which) */
            bl__cycle_count(s, "orders_unconverted", res.unconverted);
    }
    bl_app_comply_res_release(&res);
    return rc;
}

/* One call per watch: tax thresholds, then the marketplace's support programmes
 * (bl_app_programs_cycle); a failing one does not keep the others from running, and the
 * step fails with the first failure. */
static int step_watch(struct bl__cycle_run *r, struct bl_app_cycle_step *s, struct bl_diag *d)
{
    int rc = watch_comply(r, s, d);
    struct bl_diag later;
    bl_diag_clear(&later);
    int prc = bl_app_programs_cycle(r->st, r->org, r->req->as_of, r->req->now, r->cycle_id,
                                    r->req->dry_run, s, rc ? &later : d);
    return rc ? rc : prc;
}

static const struct bl__cycle_stepdef steps[] = {
    {"forecast", step_forecast},     {"plan", step_plan},   {"alerts", step_alerts},
    {"playbook", step_playbook},     {"route", step_route}, {"assess", step_assess},
    {"compensate", step_compensate}, {"sla", step_sla},     {"messages", step_messages},
    {"banners", step_banners},       {"watch", step_watch}, {"retention", bl__cycle_step_retention},
};

const struct bl__cycle_stepdef *bl__cycle_steps(size_t *n)
{
    *n = sizeof(steps) / sizeof(steps[0]);
    return steps;
}

/* Each profile's at-risk labels: the band a missed target caps the rating at, and the
 * bands below it. */
size_t bl__cycle_risk(struct bl__cycle_run *r, struct bl_digest_risk *out, size_t cap)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (load_profiles(r, &d))
        return 0;
    struct bl__cycle_shared *sh = r->shared;
    size_t n = 0;
    for (size_t i = 0; sh && i < sh->nprofiles && n < cap; i++) {
        const struct bl_profile *p = &sh->profiles[i];
        for (size_t b = p->breach_band; b < p->nbands && n < cap; b++)
            out[n++] = (struct bl_digest_risk){p->name, p->bands[b].label};
    }
    return n;
}

void bl__cycle_run_release(struct bl__cycle_run *r)
{
    if (!r->shared)
        return;
    if (r->shared->day_open)
        bl_app_stock_day_close(&r->shared->day);
    if (r->shared->snap_loaded)
        bl_snapshot_free(&r->shared->snap);
    if (r->shared->cat_loaded)
        bl_app_logistics_release(&r->shared->cat);
    bl_free(r->shared->profiles);
    bl_free(r->shared->coupons);
    bl_free(r->shared);
    r->shared = NULL;
}
