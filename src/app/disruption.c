/* disruption.c - disruptions entered by hand: declare, edit, lift, list (disruption.h). */
#include <string.h>

#include "app/audit.h"
#include "app/disruption.h"
#include "app/disruption_impl.h"
#include "app/hook_impl.h"
#include "store/org.h"

#include "ballast/region.h"
#include "ballast/time.h"

/* Says why in d, about field; evaluates to code. */
#define REFUSE(d, field, code, ...)                                                                \
    (bl_diag_at((d), NULL, 0, (field)), bl_diag_set((d), (code), __VA_ARGS__))

/* text as a canonical region code that ISO 3166 knows (out). */
static int canonical_region(const char *text, char *out, struct bl_diag *d)
{
    int rc = bl_region_parse(bl_str_c(text ? text : ""), out, d);
    if (rc)
        bl_diag_at(d, NULL, 0, "region");
    struct bl_app_place_check pc;
    return rc ? rc : bl_app_place_check(out, &pc, d);
}

static bool words_ok(int scope, int kind)
{
    return scope >= BL_DIS_ORIGIN && scope <= BL_DIS_BOTH && kind >= BL_DIS_LOCKDOWN &&
           kind <= BL_DIS_SERVICE_CLOSURE;
}

/* The checks of a declaration against the store: its id, its channel and supplier. */
static int declare_refs(struct bl_store *st, int64_t org,
                        const struct bl_app_disruption_declare_req *req,
                        struct bl_app_disruption_declare_res *res, struct bl_diag *d)
{
    int64_t other = 0;
    int rc = req->ext_id ? bl_store_org_ext_id(st, org, "disruption", req->ext_id, &other, d)
                         : BL_ENOTFOUND;
    if (rc == BL_OK) {
        res->reason = BL_APP_DIS_EXT_TAKEN;
        res->other_id = other;
        return REFUSE(d, "id", BL_EEXISTS, "disruption %lld already has this id", (long long)other);
    }
    if (rc != BL_ENOTFOUND)
        return rc;
    rc = req->channel ? bl_store_org_ext_id(st, org, "channel", req->channel, &other, d) : 0;
    if (rc == BL_ENOTFOUND) {
        res->reason = BL_APP_DIS_UNKNOWN_CHANNEL;
        return REFUSE(d, "channel", rc, "unknown channel");
    }
    rc = rc              ? rc
         : req->supplier ? bl_store_org_ext_id(st, org, "supplier", req->supplier, &other, d)
                         : 0;
    if (rc == BL_ENOTFOUND) {
        res->reason = BL_APP_DIS_UNKNOWN_SUPPLIER;
        return REFUSE(d, "supplier", rc, "unknown supplier");
    }
    return rc;
}

/* A disruption as the audit log keeps it before and after a change. */
static json_t *dis_json(const struct bl_disruption *r)
{
    json_t *to = bl_dis_open_end(r->ends_at) ? json_null() : bl_app_audit_time(r->ends_at);
    return json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:o, s:o, s:o, s:s?}", "region", r->region,
                     "scope", bl_dis_scopes[r->scope], "kind", bl_dis_kinds[r->kind], "channel",
                     r->channel, "supplier", r->supplier, "from", bl_app_audit_time(r->starts_at),
                     "to", to, "lifted_at", bl_app_audit_time(r->lifted_at), "note", r->note);
}

int bl_app_disruption_declare(struct bl_store *st, int64_t org,
                              const struct bl_app_disruption_declare_req *req,
                              struct bl_app_disruption_declare_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    char region[BL_REGION_MAX];
    if (canonical_region(req->region, region, d)) {
        res->reason = BL_APP_DIS_BAD_REGION;
        return d ? d->code : BL_EPARSE;
    }
    if (!words_ok((int)req->scope, (int)req->kind))
        return bl_diag_set(d, BL_EINVAL, "unknown scope or kind");
    int64_t to = req->to == BL_NO_TIME ? BL_DIS_OPEN_END : req->to;
    if (to <= req->from || (req->to != BL_NO_TIME && bl_dis_open_end(req->to))) {
        res->reason = BL_APP_DIS_BAD_WINDOW;
        return REFUSE(d, "to", BL_ERANGE, "the end is not after the start");
    }
    struct bl_disruption r = {0,
                              req->ext_id,
                              region,
                              req->scope,
                              req->kind,
                              req->channel,
                              req->supplier,
                              req->from,
                              to,
                              BL_NO_TIME,
                              req->note && req->note[0] ? req->note : NULL,
                              0};
    int rc = bl_store_begin(st, d);
    if (!rc)
        rc = declare_refs(st, org, req, res, d);
    if (!rc)
        rc = bl_store_disruption_add(st, org, &r, &res->id, d);
    if (!rc)
        rc = bl__dis_record(st, org, res->id, bl_app_now_or(req->now), req->by, NULL, &r, d);
    if (!rc)
        rc = bl__hook_disruption(st, org, res->id, &r, req->by, bl_app_now_or(req->now), d);
    if (!rc)
        rc = bl_app_audit_n(st, org, req->now, "disruption.declare", "disruption", res->id, NULL,
                            dis_json(&r), d);
    rc = bl_store_end(st, rc, d);
    if (rc)
        res->id = 0;
    return rc;
}

/* ---------------------------------------------------------------- one disruption */

/* A disruption read for a change: its window and lift, and its text columns copied. */
struct one {
    bool found;
    struct bl_disruption r;
    char region[BL_REGION_MAX];
    char channel[256], supplier[256]; /* ids: at most 200 bytes */
    struct bl_buf note;
};

/* Points r's channel and supplier at c's copies of them (NULL when none). */
static void keep_refs(struct one *c, const char *channel, const char *supplier)
{
    c->r.channel = c->r.supplier = NULL;
    if (channel)
        c->r.channel = bl_str_copy(c->channel, sizeof(c->channel), bl_str_c(channel));
    if (supplier)
        c->r.supplier = bl_str_copy(c->supplier, sizeof(c->supplier), bl_str_c(supplier));
}

static int one_row(void *vctx, const struct bl_disruption *r)
{
    struct one *c = vctx;
    c->found = true;
    c->r = *r;
    bl_str_copy(c->region, sizeof(c->region), bl_str_c(r->region));
    c->r.region = c->region;
    c->r.ext_id = NULL; /* not kept: not written back */
    keep_refs(c, r->channel, r->supplier);
    c->r.note = NULL;
    if (r->note && (bl_buf_adds(&c->note, bl_str_c(r->note)) || bl_buf_addc(&c->note, '\0')))
        return BL_ENOMEM;
    return 0;
}

static int get_one(struct bl_store *st, int64_t org, int64_t id, struct one *c,
                   enum bl_app_dis_reason *reason, struct bl_diag *d)
{
    int rc = bl_store_disruption_get(st, org, id, one_row, c, d);
    if (!rc && !c->found) {
        *reason = BL_APP_DIS_UNKNOWN;
        rc = REFUSE(d, "id", BL_ENOTFOUND, "unknown disruption %lld", (long long)id);
    }
    if (!rc && c->note.len)
        c->r.note = c->note.ptr;
    return rc;
}

/* A copy of c that keeps its own region and note (c may change after). */
static int copy_one(const struct one *c, struct one *out)
{
    out->found = c->found;
    out->r = c->r;
    memcpy(out->region, c->region, sizeof(out->region));
    out->r.region = out->region;
    keep_refs(out, c->r.channel, c->r.supplier);
    out->r.note = NULL;
    if (c->r.note && (bl_buf_adds(&out->note, bl_str_c(c->r.note)) ||
                      bl_buf_addc(&out->note, '\0')))
        return BL_ENOMEM;
    if (c->r.note)
        out->r.note = out->note.ptr;
    return BL_OK;
}

/* ---------------------------------------------------------------- lift */

int bl_app_disruption_lift(struct bl_store *st, int64_t org,
                           const struct bl_app_disruption_lift_req *req,
                           struct bl_app_disruption_lift_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    res->lifted_at = BL_NO_TIME;
    int64_t now = bl_app_now_or(req->now), at = req->at == BL_NO_TIME ? now : req->at;
    struct one c = {.note = BL_BUF_INIT};
    int rc = bl_store_begin(st, d);
    if (!rc)
        rc = get_one(st, org, req->id, &c, &res->reason, d);
    if (!rc) {
        res->starts_at = c.r.starts_at;
        res->ends_at = c.r.ends_at;
        res->lifted_at = c.r.lifted_at;
    }
    if (!rc && c.r.lifted_at != BL_NO_TIME) {
        res->reason = BL_APP_DIS_ALREADY_LIFTED;
        rc =
            REFUSE(d, "id", BL_ECONFLICT, "disruption %lld was already lifted", (long long)req->id);
    }
    if (!rc && at < c.r.starts_at) {
        res->reason = BL_APP_DIS_BEFORE_START;
        rc = REFUSE(d, "at", BL_ERANGE, "the lift is before disruption %lld starts",
                    (long long)req->id);
    }
    int64_t changes = 0;
    if (!rc)
        rc = bl_store_disruption_lift(st, org, req->id, at, &changes, d);
    if (!rc && changes != 1) {
        res->reason = BL_APP_DIS_CHANGED;
        rc = REFUSE(d, "id", BL_ECONFLICT, "disruption %lld changed meanwhile", (long long)req->id);
    }
    if (!rc) {
        struct bl_disruption a = c.r;
        a.lifted_at = at;
        rc = bl__dis_record(st, org, req->id, now, req->by, &c.r, &a, d);
        rc = rc ? rc
                : bl_app_audit_n(st, org, now, "disruption.lift", "disruption", req->id,
                                 dis_json(&c.r), dis_json(&a), d);
        if (!rc && at < c.r.ends_at)
            rc = bl__dis_withdraw(st, org, req->id, &c.r, &a, &res->withdrawn, d);
    }
    rc = bl_store_end(st, rc, d);
    if (!rc) {
        res->lifted_at = at;
        res->ended_before = at >= c.r.ends_at;
    } else {
        res->withdrawn = 0; /* rolled back */
    }
    bl_buf_release(&c.note);
    return rc;
}

/* ---------------------------------------------------------------- edit */

/* Applies req to c->r; BL_OK, or a refusal in res and d. */
static int edit_apply(const struct bl_app_disruption_edit_req *req, struct one *c,
                      struct bl_app_disruption_edit_res *res, struct bl_diag *d)
{
    struct bl_disruption *r = &c->r;
    if (req->region && canonical_region(req->region, c->region, d)) {
        res->reason = BL_APP_DIS_BAD_REGION;
        return d ? d->code : BL_EPARSE;
    }
    r->starts_at = req->has_from ? req->from : r->starts_at;
    r->ends_at = !req->has_to ? r->ends_at : req->to == BL_NO_TIME ? BL_DIS_OPEN_END : req->to;
    r->scope = req->has_scope ? req->scope : r->scope;
    r->kind = req->has_kind ? req->kind : r->kind;
    if (req->note)
        r->note = req->note[0] ? req->note : NULL;
    res->starts_at = r->starts_at;
    res->ends_at = r->ends_at;
    res->lifted_at = r->lifted_at;
    if (r->ends_at <= r->starts_at ||
        (req->has_to && req->to != BL_NO_TIME && bl_dis_open_end(req->to))) {
        res->reason = BL_APP_DIS_BAD_WINDOW;
        return REFUSE(d, req->has_to ? "to" : "from", BL_ERANGE, "the end is not after the start");
    }
    if (r->lifted_at != BL_NO_TIME && r->lifted_at < r->starts_at) {
        res->reason = BL_APP_DIS_LIFT_BEFORE_START;
        return REFUSE(d, "from", BL_ERANGE, "disruption %lld was lifted before the new start",
                      (long long)r->id);
    }
    return BL_OK;
}

int bl_app_disruption_edit(struct bl_store *st, int64_t org,
                           const struct bl_app_disruption_edit_req *req,
                           struct bl_app_disruption_edit_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    res->lifted_at = BL_NO_TIME;
    if (!req->has_from && !req->has_to && !req->region && !req->has_scope && !req->has_kind &&
        !req->note) {
        res->reason = BL_APP_DIS_NOTHING_TO_DO;
        return bl_diag_set(d, BL_EINVAL, "nothing to change");
    }
    if (!words_ok(req->has_scope ? (int)req->scope : 0, req->has_kind ? (int)req->kind : 0))
        return bl_diag_set(d, BL_EINVAL, "unknown scope or kind");
    struct one c = {.note = BL_BUF_INIT}, was = {.note = BL_BUF_INIT};
    int rc = bl_store_begin(st, d);
    if (!rc)
        rc = get_one(st, org, req->id, &c, &res->reason, d);
    if (!rc)
        rc = copy_one(&c, &was);
    if (!rc)
        rc = edit_apply(req, &c, res, d);
    int64_t changes = 0;
    if (!rc)
        rc = bl_store_disruption_update(st, org, &c.r, &changes, d);
    if (!rc && changes != 1) {
        res->reason = BL_APP_DIS_CHANGED;
        rc = REFUSE(d, "id", BL_ECONFLICT, "disruption %lld changed meanwhile", (long long)req->id);
    }
    if (!rc)
        rc = bl__dis_record(st, org, req->id, bl_app_now_or(req->now), req->by, &was.r, &c.r, d);
    if (!rc)
        rc = bl_app_audit_n(st, org, req->now, "disruption.edit", "disruption", req->id,
                            dis_json(&was.r), dis_json(&c.r), d);
    if (!rc)
        rc = bl__dis_withdraw(st, org, req->id, &was.r, &c.r, &res->withdrawn, d);
    rc = bl_store_end(st, rc, d);
    if (rc)
        res->withdrawn = 0; /* rolled back */
    bl_buf_release(&c.note);
    bl_buf_release(&was.note);
    return rc;
}

/* ---------------------------------------------------------------- list */

struct list_ctx {
    struct bl_app_disruption_list_res *res;
    const char *region; /* canonical, or NULL */
};

static const char *dup(struct bl_arena *a, const char *s, int *rc)
{
    if (!s)
        return NULL;
    char *c = bl_arena_strndup(a, s, strlen(s));
    if (!c)
        *rc = BL_ENOMEM;
    return c;
}

static int list_row(void *vctx, const struct bl_disruption *r)
{
    struct list_ctx *c = vctx;
    struct bl_app_disruption_list_res *res = c->res;
    if (c->region) {
        struct bl_str have = bl_str_c(r->region), want = bl_str_c(c->region);
        if (!bl_region_contains(have, want) && !bl_region_contains(want, have))
            return 0;
    }
    if (bl_grow((void **)&res->items, &res->cap, res->n + 1, sizeof(*res->items)))
        return BL_ENOMEM;
    struct bl_app_disruption_item *it = &res->items[res->n];
    int rc = BL_OK;
    it->r = *r;
    it->r.ext_id = dup(&res->arena, r->ext_id, &rc);
    it->r.region = dup(&res->arena, r->region, &rc);
    it->r.channel = dup(&res->arena, r->channel, &rc);
    it->r.supplier = dup(&res->arena, r->supplier, &rc);
    it->r.note = dup(&res->arena, r->note, &rc);
    it->effective_end = bl_app_disruption_end(r);
    res->n += !rc;
    return rc;
}

int bl_app_disruption_list(struct bl_store *st, int64_t org,
                           const struct bl_app_disruption_list_req *req,
                           struct bl_app_disruption_list_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    char region[BL_REGION_MAX];
    if (req->region && canonical_region(req->region, region, d)) {
        res->reason = BL_APP_DIS_BAD_REGION;
        return d ? d->code : BL_EPARSE;
    }
    struct list_ctx c = {res, req->region ? region : NULL};
    int rc = bl_store_disruption_list(st, org, req->active_at, list_row, &c, d);
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory listing disruptions");
    return rc;
}

void bl_app_disruption_list_res_release(struct bl_app_disruption_list_res *res)
{
    bl_free(res->items);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
