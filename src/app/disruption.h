/* disruption.h - disruptions and protection windows entered by hand: declare, change,
 * lift and list disruptions; grant and list a shop's protection windows. The same tables
 * and rules as `ballast import disruptions|protections` (docs/formats.md); records
 * entered here carry batch 0 and ids from the allocator.
 *
 * The shapes of docs/internals/app.md. When a request cannot be done for a reason the
 * user can fix (an unknown shop, an id already taken, a lift before the start), the use
 * case returns a negative bl_err, says so in d (d->field names the request's field) and
 * sets res->reason, with the numbers a front end needs to say it in its own words.
 * Instants are UTC epoch seconds; BL_NO_TIME (src/store/disruption.h) is "none". An end
 * "until further notice" is stored and returned as BL_DIS_OPEN_END (ballast/disruption.h:
 * ask bl_dis_open_end, never show it as a date).
 *
 * Every change made here is kept in the disruption's history (disruption_event, read
 * by bl_app_disruption_show): who (req->by: the person or system, NULL unknown), when
 * (req->now, 0: the clock), which field, the old and the new value.
 */
#ifndef BL_APP_DISRUPTION_H
#define BL_APP_DISRUPTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/app.h"
#include "ballast/disruption.h"
#include "ballast/region.h"
#include "store/disruption.h"

enum bl_app_dis_reason {
    BL_APP_DIS_OK = 0,
    BL_APP_DIS_BAD_REGION,        /* not a region code, or not in ISO 3166 (d says why, with
                                     a did-you-mean) */
    BL_APP_DIS_BAD_WINDOW,        /* the end is not after the start (res: starts_at, ends_at) */
    BL_APP_DIS_NOTHING_TO_DO,     /* edit: the request changes nothing */
    BL_APP_DIS_EXT_TAKEN,         /* ext_id is the id of disruption res->other_id */
    BL_APP_DIS_UNKNOWN_CHANNEL,   /* no channel with that id */
    BL_APP_DIS_UNKNOWN_SUPPLIER,  /* no supplier with that id */
    BL_APP_DIS_UNKNOWN_SHOP,      /* no shop with that id */
    BL_APP_DIS_UNKNOWN,           /* no disruption with that id (in this organisation) */
    BL_APP_DIS_ALREADY_LIFTED,    /* lifted at res->lifted_at */
    BL_APP_DIS_BEFORE_START,      /* lift: at is before its start, res->starts_at */
    BL_APP_DIS_LIFT_BEFORE_START, /* edit: the new start is after its lift, res->lifted_at */
    BL_APP_DIS_CHANGED,           /* changed by someone else meanwhile: try again */
};

/* ---- region codes: ISO 3166 (Debian's iso-codes, ballast/places.h) */

struct bl_app_place_check {
    bool known;                  /* the country, and the subdivision if any, exist */
    bool country_known;          /* the country exists */
    char country[96];            /* its English name, when it exists */
    char suggest[BL_REGION_MAX]; /* the code a person may have meant, or "" */
    char suggest_name[96];       /* its English name, or "" */
};

/* Checks a canonical region code (bl_region_parse) against ISO 3166-1 and 3166-2 (a
 * postal suffix is not checked). BL_OK when known; BL_ENOTFOUND when not, out saying what
 * is known and d saying it with a did-you-mean ("CN-ZZ is not an ISO 3166-2 subdivision
 * of China; did you mean CN-ZJ (Zhejiang)?", d->field "region"); BL_EIO or BL_EPARSE
 * when the lists cannot be read (d names the file and the package). Declare, edit and
 * list check their regions with it (reason BAD_REGION). */
int bl_app_place_check(const char *code, struct bl_app_place_check *out,
                       struct bl_diag *d) BL_MUST_CHECK;

/* ---- declare */

struct bl_app_disruption_declare_req {
    const char *ext_id; /* the user's id, or NULL */
    const char *region; /* a region code (canonicalised here) */
    enum bl_dis_scope scope;
    enum bl_dis_kind kind;
    const char *channel;  /* a channel's id, or NULL */
    const char *supplier; /* a supplier's id, or NULL */
    const char *note;     /* or NULL ("" too) */
    int64_t from, to;     /* [from, to); to BL_NO_TIME: until further notice */
    const char *by;       /* who declares it, for the history; NULL: unknown */
    int64_t now;          /* 0: bl_app_now() */
};

struct bl_app_disruption_declare_res {
    int64_t id; /* the new disruption */
    enum bl_app_dis_reason reason;
    int64_t other_id; /* EXT_TAKEN: the disruption that has the id */
};

int bl_app_disruption_declare(struct bl_store *st, int64_t org,
                              const struct bl_app_disruption_declare_req *req,
                              struct bl_app_disruption_declare_res *res,
                              struct bl_diag *d) BL_MUST_CHECK;

/* ---- edit: move the window, widen or narrow the region, change scope, kind, note */

struct bl_app_disruption_edit_req {
    int64_t id;
    bool has_from, has_to;
    int64_t from, to;   /* the new start, the new (announced) end; to BL_NO_TIME: until
                           further notice again */
    const char *region; /* NULL: unchanged */
    bool has_scope, has_kind;
    enum bl_dis_scope scope;
    enum bl_dis_kind kind;
    const char *note; /* NULL: unchanged; "": removed */
    const char *by;   /* who edits it, for the history; NULL: unknown */
    int64_t now;      /* 0: bl_app_now() */
};

struct bl_app_disruption_edit_res {
    enum bl_app_dis_reason reason;
    int64_t starts_at, ends_at; /* the window after the edit (BAD_WINDOW: as asked) */
    int64_t lifted_at;          /* BL_NO_TIME when not lifted */
    int64_t withdrawn; /* unsent customer messages withdrawn: the next plan rewrites them */
};

/* A lifted disruption keeps its lift: its new start may not be after lifted_at. */
int bl_app_disruption_edit(struct bl_store *st, int64_t org,
                           const struct bl_app_disruption_edit_req *req,
                           struct bl_app_disruption_edit_res *res, struct bl_diag *d) BL_MUST_CHECK;

/* ---- lift: it ended at `at` (ends_at, what was announced, stays) */

struct bl_app_disruption_lift_req {
    int64_t id;
    int64_t at;     /* BL_NO_TIME: now */
    const char *by; /* who lifts it, for the history; NULL: unknown */
    int64_t now;    /* 0: bl_app_now() */
};

struct bl_app_disruption_lift_res {
    enum bl_app_dis_reason reason;
    int64_t starts_at, ends_at;
    int64_t lifted_at; /* ALREADY_LIFTED: the earlier lift; else at */
    bool ended_before; /* at >= ends_at: recorded, the effective end stays ends_at */
    int64_t withdrawn; /* unsent customer messages withdrawn: the next plan rewrites them */
};

int bl_app_disruption_lift(struct bl_store *st, int64_t org,
                           const struct bl_app_disruption_lift_req *req,
                           struct bl_app_disruption_lift_res *res, struct bl_diag *d) BL_MUST_CHECK;

/* ---- list */

struct bl_app_disruption_list_req {
    int64_t active_at;  /* BL_NO_TIME: all; else those in force then */
    const char *region; /* NULL: all; else those containing it or inside it */
};

struct bl_app_disruption_item {
    struct bl_disruption r; /* strings in res->arena */
    int64_t effective_end;  /* min(ends_at, lifted_at); BL_DIS_OPEN_END: until further notice */
};

struct bl_app_disruption_list_res {
    struct bl_app_disruption_item *items; /* by id */
    size_t n, cap;
    enum bl_app_dis_reason reason;
    struct bl_arena arena;
};

int bl_app_disruption_list(struct bl_store *st, int64_t org,
                           const struct bl_app_disruption_list_req *req,
                           struct bl_app_disruption_list_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_disruption_list_res_release(struct bl_app_disruption_list_res *res);

/* ---- show: one disruption and its history */

struct bl_app_disruption_show_res {
    struct bl_app_disruption_item item;
    struct bl_disruption_event *events; /* oldest first; strings in arena */
    size_t nevents, cap;
    enum bl_app_dis_reason reason; /* UNKNOWN */
    struct bl_arena arena;
};

int bl_app_disruption_show(struct bl_store *st, int64_t org, int64_t id,
                           struct bl_app_disruption_show_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_disruption_show_res_release(struct bl_app_disruption_show_res *res);

/* The effective end of r: min(ends_at, lifted_at). */
int64_t bl_app_disruption_end(const struct bl_disruption *r);

/* ---- impact: what a disruption touches as of an instant */

struct bl_app_disruption_impact_req {
    int64_t id;
    int64_t as_of; /* BL_NO_TIME: now, kept inside the disruption's window (its start when
                      it has not begun, the last instant before its end when it is over) */
    int64_t now;   /* 0: bl_app_now() */
};

/* A count of orders per shop (and channel: NULL when the orders have none yet). */
struct bl_app_dis_count {
    const char *shop, *shop_name, *channel;
    int64_t orders;
};

/* A SKU from inside the region: the first warehouse holding it or supplier it is bought
 * from (supplier true) that is inside. */
struct bl_app_dis_sku {
    const char *sku, *name, *place, *place_name;
    bool supplier, listed; /* listed: its listing is active */
};

struct bl_app_disruption_impact_res {
    struct bl_app_disruption_item item;
    char region_name[96]; /* the region's English name ("São Paulo"), or "" */
    int64_t as_of;
    bool in_force; /* active at as_of */
    /* open orders it holds at as_of (not shipped; their ship-from or ship-to inside, on
     * its channel when it names one), per shop and channel, most first */
    struct bl_app_dis_count *held;
    size_t nheld;
    int64_t held_orders;
    int64_t in_transit; /* shipped in the 30 days before as_of, not delivered, to inside */
    /* orders due to ship inside the window up to as_of that it exempts from the shops'
     * metrics, per shop (channel NULL), most first; and those covered whose shop's rule
     * profile exempts nothing automatically (the shop must apply for protection) */
    struct bl_app_dis_count *exempt;
    size_t nexempt;
    int64_t exempt_orders, not_auto_orders;
    struct bl_app_dis_sku *skus; /* by SKU id */
    size_t nskus, cap_skus;
    int64_t customers; /* distinct customers of the held and in-transit orders */
    int64_t listings;  /* active listings whose delivery promise lengthens */
    bool listings_to_region; /* destination: every active listing, for buyers inside */
    enum bl_app_dis_reason reason; /* UNKNOWN */
    struct bl_arena arena;
};

int bl_app_disruption_impact(struct bl_store *st, int64_t org,
                             const struct bl_app_disruption_impact_req *req,
                             struct bl_app_disruption_impact_res *res,
                             struct bl_diag *d) BL_MUST_CHECK;
void bl_app_disruption_impact_res_release(struct bl_app_disruption_impact_res *res);

/* ---- protect: a shop's approved protection window */

/* The time zone of org's shop `shop` (into tz, cap bytes), for reading local times the
 * way `import protections` does. BL_ENOTFOUND (d says so) when there is no such shop. */
int bl_app_shop_zone(struct bl_store *st, int64_t org, const char *shop, char *tz, size_t cap,
                     struct bl_diag *d) BL_MUST_CHECK;

struct bl_app_protect_req {
    const char *shop;   /* the shop's id */
    int64_t from, to;   /* [from, to) */
    const char *reason; /* why it was granted (not empty) */
};

struct bl_app_protect_res {
    int64_t id;
    enum bl_app_dis_reason reason;
};

int bl_app_protect(struct bl_store *st, int64_t org, const struct bl_app_protect_req *req,
                   struct bl_app_protect_res *res, struct bl_diag *d) BL_MUST_CHECK;

struct bl_app_protect_list_req {
    const char *shop; /* NULL: every shop */
};

struct bl_app_protect_list_res {
    struct bl_protection *items; /* by id; strings in arena */
    size_t n, cap;
    enum bl_app_dis_reason reason;
    struct bl_arena arena;
};

int bl_app_protect_list(struct bl_store *st, int64_t org, const struct bl_app_protect_list_req *req,
                        struct bl_app_protect_list_res *res, struct bl_diag *d) BL_MUST_CHECK;
void bl_app_protect_list_res_release(struct bl_app_protect_list_res *res);

#endif
