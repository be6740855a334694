/* logistics.c - the catalogue as the use cases load it, the channel and calendar
 * lists, and quotes (logistics.h). */
#include <stdio.h>
#include <string.h>

#include "app/logistics_impl.h"
#include "store/logistics.h"

#include "ballast/money.h"
#include "ballast/num.h"

/* ---------------------------------------------------------------- loading */

struct loader {
    struct bl_app_logistics *cat;
    struct bl_lg_channel *ch;
    size_t nch, ch_cap, ids_cap, exps_cap;
    struct bl_lg_rate *rates;
    size_t nrates, rates_cap;
    size_t *rate_ch;
    size_t rate_ch_cap;
    struct bl_lg_calendar *cals;
    size_t ncals, cals_cap;
    struct bl_lg_closure *cl;
    size_t ncl, cl_cap;
    size_t *cl_cal;
    size_t cl_cal_cap;
    struct bl_lg_disruption *dis;
    size_t ndis, dis_cap;
    size_t warn_cap;
    struct bl_diag *d;
};

const char *bl__app_keep(struct bl_arena *a, const char *s)
{
    const char *p = s ? bl_arena_strndup(a, s, strlen(s)) : NULL;
    return p ? p : "";
}

int bl__app_exp(const char *code)
{
    struct bl_currency cur;
    return bl_currency_lookup(bl_str_c(code), &cur, NULL) ? 2 : cur.exponent;
}

void bl_app_logistics_release(struct bl_app_logistics *cat)
{
    bl_lg_free(cat->lg);
    for (size_t i = 0; i < cat->ntz; i++)
        bl_tz_free(cat->tzs[i]);
    bl_free(cat->tzs);
    bl_map_release(&cat->tz_ids);
    bl_free(cat->ids_);
    bl_free(cat->exps_);
    bl_free(cat->warn_);
    bl_arena_release(&cat->arena);
    memset(cat, 0, sizeof(*cat));
}

int bl_app_logistics_tz(struct bl_app_logistics *cat, const char *name, const struct bl_tz **out,
                        struct bl_diag *d)
{
    int64_t idx = (int64_t)cat->ntz;
    bool added;
    int rc = bl_map_get_or_put(&cat->tz_ids, bl_str_c(name), &idx, &added);
    if (rc)
        return rc;
    if (added) {
        struct bl_tz *tz;
        if ((rc = bl_tz_load(&tz, name, d)))
            return rc;
        if ((rc = bl_grow((void **)&cat->tzs, &cat->tz_cap, cat->ntz + 1, sizeof(*cat->tzs)))) {
            bl_tz_free(tz);
            return rc;
        }
        cat->tzs[cat->ntz++] = tz;
    }
    *out = cat->tzs[idx];
    return BL_OK;
}

static int cal_row(void *ctx, const struct bl_store_closure *c)
{
    struct loader *L = ctx;
    if (!L->ncals || strcmp(L->cals[L->ncals - 1].name, c->calendar) != 0) {
        int rc = bl_grow((void **)&L->cals, &L->cals_cap, L->ncals + 1, sizeof(*L->cals));
        if (rc)
            return rc;
        L->cals[L->ncals++] =
            (struct bl_lg_calendar){bl__app_keep(&L->cat->arena, c->calendar), 0, NULL, 0};
    }
    if (c->weekend < 0 || c->weekend > 0x7f) /* a bit per weekday */
        return bl_diag_range(L->d, "calendar_closure", c->calendar, "weekend", c->weekend, 0, 0x7f);
    L->cals[L->ncals - 1].weekend = (uint8_t)c->weekend; /* latest row wins */
    if (bl_grow((void **)&L->cl, &L->cl_cap, L->ncl + 1, sizeof(*L->cl)) ||
        bl_grow((void **)&L->cl_cal, &L->cl_cal_cap, L->ncl + 1, sizeof(*L->cl_cal)))
        return BL_ENOMEM;
    L->cl[L->ncl] = (struct bl_lg_closure){c->from_day, c->to_day};
    L->cl_cal[L->ncl++] = L->ncals - 1;
    return 0;
}

static int32_t cutoff_minutes(const char *s)
{
    if (strlen(s) != 5)
        return -1;
    return (int32_t)(((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 + (s[4] - '0'));
}

static int chan_row(void *ctx, const struct bl_store_channel *r)
{
    struct loader *L = ctx;
    struct bl_app_logistics *cat = L->cat;
    if (bl_grow((void **)&L->ch, &L->ch_cap, L->nch + 1, sizeof(*L->ch)) ||
        bl_grow((void **)&cat->ids_, &L->ids_cap, L->nch + 1, sizeof(*cat->ids_)) ||
        bl_grow((void **)&cat->exps_, &L->exps_cap, L->nch + 1, sizeof(*cat->exps_)))
        return BL_ENOMEM;
    struct bl_lg_channel *c = &L->ch[L->nch];
    memset(c, 0, sizeof(*c));
    cat->ids_[L->nch] = r->id;
    c->id = bl__app_keep(&cat->arena, r->ext_id);
    c->carrier = bl__app_keep(&cat->arena, r->carrier);
    c->mode = bl__app_keep(&cat->arena, r->mode);
    c->tier = strcmp(r->tier, "backup") == 0 ? BL_LG_BACKUP : BL_LG_CORE;
    if (!bl_i64_to_i32(r->transit_min, &c->transit_min))
        return bl_diag_range(L->d, "channel", r->ext_id, "transit_min", r->transit_min, 0,
                             BL_LG_MAX_TRANSIT);
    if (!bl_i64_to_i32(r->transit_max, &c->transit_max))
        return bl_diag_range(L->d, "channel", r->ext_id, "transit_max", r->transit_max, 0,
                             BL_LG_MAX_TRANSIT);
    c->cutoff_min = cutoff_minutes(r->cutoff ? r->cutoff : "");
    int rc = bl_app_logistics_tz(cat, r->tz, &c->tz, L->d);
    if (rc)
        return rc;
    c->calendar = bl__app_keep(&cat->arena, r->calendar);
    c->vol_divisor = r->vol_divisor;
    c->currency = bl__app_keep(&cat->arena, r->currency);
    cat->exps_[L->nch] = bl__app_exp(c->currency);
    L->nch++;
    return 0;
}

static int rate_row(void *ctx, const struct bl_store_rate *r)
{
    struct loader *L = ctx;
    if (bl_grow((void **)&L->rates, &L->rates_cap, L->nrates + 1, sizeof(*L->rates)) ||
        bl_grow((void **)&L->rate_ch, &L->rate_ch_cap, L->nrates + 1, sizeof(*L->rate_ch)))
        return BL_ENOMEM;
    const int64_t *ids = L->cat->ids_;
    size_t lo = 0, hi = L->nch; /* channels are loaded in id order */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < r->channel_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == L->nch || ids[lo] != r->channel_id)
        return 0; /* a rate without its channel: ignore */
    struct bl_arena *a = &L->cat->arena;
    L->rates[L->nrates] = (struct bl_lg_rate){bl__app_keep(a, r->origin),
                                              bl__app_keep(a, r->destination),
                                              r->min_g,
                                              r->max_g,
                                              r->base,
                                              r->per_kg};
    L->rate_ch[L->nrates++] = lo;
    return 0;
}

static int dis_row(void *ctx, const struct bl_store_lg_disruption *x)
{
    struct loader *L = ctx;
    if (bl_grow((void **)&L->dis, &L->dis_cap, L->ndis + 1, sizeof(*L->dis)))
        return BL_ENOMEM;
    struct bl_arena *a = &L->cat->arena;
    L->dis[L->ndis++] =
        (struct bl_lg_disruption){bl__app_keep(a, x->ext_id),
                                  bl__app_keep(a, x->kind),
                                  bl__app_keep(a, x->region),
                                  strcmp(x->scope, "origin") == 0        ? BL_LG_ORIGIN
                                  : strcmp(x->scope, "destination") == 0 ? BL_LG_DESTINATION
                                                                         : BL_LG_BOTH,
                                  bl__app_keep(a, x->channel),
                                  bl__app_keep(a, x->supplier),
                                  x->starts_at,
                                  x->ends_at};
    return 0;
}

/* A channel naming a calendar that is not loaded: weekends only, one warning per
 * calendar (the engine itself refuses unknown names). */
static int unknown_calendars(struct loader *L)
{
    struct bl_app_logistics *cat = L->cat;
    for (size_t i = 0; i < L->nch; i++) {
        const char *cal = L->ch[i].calendar;
        bool known = !cal[0];
        for (size_t k = 0; !known && k < L->ncals; k++)
            known = strcmp(L->cals[k].name, cal) == 0;
        if (known)
            continue;
        for (size_t j = i + 1; j < L->nch; j++)
            if (strcmp(L->ch[j].calendar, cal) == 0)
                L->ch[j].calendar = "";
        if (bl_grow((void **)&cat->warn_, &L->warn_cap, cat->nwarn + 1, sizeof(*cat->warn_)))
            return BL_ENOMEM;
        cat->warn_[cat->nwarn++] = (struct bl_app_lg_warning){cal, L->ch[i].id};
        L->ch[i].calendar = "";
    }
    return BL_OK;
}

static int compile(struct loader *L, struct bl_diag *d)
{
    /* closures and rates are grouped in load order: point each owner at its run */
    for (size_t i = 0, k = 0; i < L->ncals; i++) {
        L->cals[i].closures = L->cl + k;
        while (k < L->ncl && L->cl_cal[k] == i)
            k++;
        L->cals[i].nclosures = (size_t)(L->cl + k - L->cals[i].closures);
    }
    int rc = unknown_calendars(L);
    for (size_t i = 0, k = 0; !rc && i < L->nch; i++) {
        L->ch[i].rates = L->rates + k;
        while (k < L->nrates && L->rate_ch[k] == i)
            k++;
        L->ch[i].nrates = (size_t)(L->rates + k - L->ch[i].rates);
    }
    struct bl_lg_input in = {L->ch, L->nch, L->cals, L->ncals, L->dis, L->ndis};
    return rc ? rc : bl_lg_compile(&in, &L->cat->lg, d);
}

int bl_app_logistics_load(struct bl_store *st, int64_t org, struct bl_app_logistics *cat,
                          struct bl_diag *d)
{
    memset(cat, 0, sizeof(*cat));
    bl_arena_init(&cat->arena, 0);
    bl_map_init(&cat->tz_ids, &cat->arena);
    struct loader L = {.cat = cat, .d = d};
    int rc = bl_store_calendar_each(st, org, cal_row, &L, d);
    if (!rc)
        rc = bl_store_channel_each(st, org, chan_row, &L, d);
    if (!rc)
        rc = bl_store_channel_rates(st, org, rate_row, &L, d);
    if (!rc)
        rc = bl_store_lg_disruptions(st, org, dis_row, &L, d);
    if (!rc)
        rc = compile(&L, d);
    cat->ch_ids = cat->ids_;
    cat->exps = cat->exps_;
    cat->warn = cat->warn_;
    bl_free(L.ch);
    bl_free(L.rates);
    bl_free(L.rate_ch);
    bl_free(L.cals);
    bl_free(L.cl);
    bl_free(L.cl_cal);
    bl_free(L.dis);
    if (rc && !d->code)
        bl_diag_set(d, rc, "loading the channel catalogue: %s", bl_strerror(rc));
    return rc;
}

int bl__app_lg_use(struct bl_store *st, int64_t org, struct bl_app_logistics *given,
                   struct bl_app_logistics **cat, bool *own, struct bl_diag *d)
{
    *own = false;
    *cat = given;
    if (given)
        return BL_OK;
    struct bl_app_logistics *c = bl_calloc(1, sizeof(*c));
    if (!c)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    int rc = bl_app_logistics_load(st, org, c, d);
    if (rc) {
        bl_app_logistics_release(c);
        bl_free(c);
        return rc;
    }
    *cat = c;
    *own = true;
    return BL_OK;
}

void bl__app_lg_drop(struct bl_app_logistics *cat, bool own)
{
    if (!own || !cat)
        return;
    bl_app_logistics_release(cat);
    bl_free(cat);
}

int bl_app_route_policy_parse(const char *text, struct bl_lg_policy *p)
{
    if (strcmp(text, "cheapest") == 0)
        *p = (struct bl_lg_policy){BL_LG_CHEAPEST, NULL};
    else if (strcmp(text, "fastest") == 0)
        *p = (struct bl_lg_policy){BL_LG_FASTEST, NULL};
    else if (strncmp(text, "preferred:", 10) == 0 && text[10])
        *p = (struct bl_lg_policy){BL_LG_PREFERRED, text + 10};
    else
        return BL_EINVAL;
    return BL_OK;
}

/* ---------------------------------------------------------------- lists */

static const char *keep_null(struct bl_arena *a, const char *s)
{
    return s ? bl__app_keep(a, s) : NULL;
}

struct chan_list {
    struct bl_app_channels_res *res;
    size_t cap, idcap;
    int64_t *ids; /* store ids, per res->ch */
};

static int chan_list_row(void *ctx, const struct bl_store_channel *r)
{
    struct chan_list *c = ctx;
    struct bl_app_channels_res *res = c->res;
    if (bl_grow((void **)&res->ch, &c->cap, res->n + 1, sizeof(*res->ch)) ||
        bl_grow((void **)&c->ids, &c->idcap, res->n + 1, sizeof(*c->ids)))
        return BL_ENOMEM;
    c->ids[res->n] = r->id;
    struct bl_arena *a = &res->arena;
    res->ch[res->n++] = (struct bl_app_channel){bl__app_keep(a, r->ext_id),
                                                bl__app_keep(a, r->carrier),
                                                bl__app_keep(a, r->mode),
                                                bl__app_keep(a, r->tier),
                                                keep_null(a, r->cutoff),
                                                bl__app_keep(a, r->tz),
                                                keep_null(a, r->calendar),
                                                bl__app_keep(a, r->currency),
                                                r->nlanes,
                                                r->nrates,
                                                r->transit_min,
                                                r->transit_max,
                                                r->has_sla,
                                                r->sla_days,
                                                {0}};
    return 0;
}

/* Adds a rate's destination country to its channel's list (once; as many as fit). */
static int chan_dest_row(void *ctx, const struct bl_store_rate *r)
{
    struct chan_list *c = ctx;
    size_t k = 0;
    while (k < c->res->n && c->ids[k] != r->channel_id)
        k++;
    size_t n = r->destination ? strcspn(r->destination, "-:") : 0;
    if (k == c->res->n || n == 0 || n > 3)
        return 0;
    char *to = c->res->ch[k].to, want[8], have[sizeof(c->res->ch[k].to) + 2];
    snprintf(want, sizeof(want), ",%.*s,", (int)n, r->destination);
    snprintf(have, sizeof(have), ",%s,", to);
    size_t len = strlen(to);
    if (!strstr(have, want) && len + n + 2 <= sizeof(c->res->ch[k].to))
        snprintf(to + len, sizeof(c->res->ch[k].to) - len, "%s%.*s", len ? "," : "", (int)n,
                 r->destination);
    return 0;
}

int bl_app_channels_list(struct bl_store *st, int64_t org, struct bl_app_channels_res *res,
                         struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 0);
    struct chan_list c = {res, 0, 0, NULL};
    int rc = bl_store_channel_list(st, org, chan_list_row, &c, d);
    if (!rc)
        rc = bl_store_channel_rates(st, org, chan_dest_row, &c, d);
    bl_free(c.ids);
    return rc;
}

void bl_app_channels_res_release(struct bl_app_channels_res *res)
{
    bl_free(res->ch);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}

struct cal_list {
    struct bl_app_calendars_res *res;
    size_t cap;
};

static int cal_list_row(void *ctx, const struct bl_store_calendar_sum *r)
{
    struct cal_list *c = ctx;
    struct bl_app_calendars_res *res = c->res;
    if (bl_grow((void **)&res->cal, &c->cap, res->n + 1, sizeof(*res->cal)))
        return BL_ENOMEM;
    res->cal[res->n++] = (struct bl_app_calendar){
        bl__app_keep(&res->arena, r->calendar), r->weekend, r->closures, r->first_day, r->last_day};
    return 0;
}

int bl_app_calendars_list(struct bl_store *st, int64_t org, struct bl_app_calendars_res *res,
                          struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 0);
    struct cal_list c = {res, 0};
    return bl_store_calendar_list(st, org, cal_list_row, &c, d);
}

void bl_app_calendars_res_release(struct bl_app_calendars_res *res)
{
    bl_free(res->cal);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}

/* ---------------------------------------------------------------- quote */

int bl_app_quote(struct bl_store *st, int64_t org, const struct bl_app_quote_req *req,
                 struct bl_app_quote_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    int rc = bl__app_lg_use(st, org, req->cat, &res->cat, &res->own_cat, d);
    if (rc)
        return rc;
    const struct bl_lg *lg = res->cat->lg;
    struct bl_lg_shipment s = {bl_lg_locate(lg, bl_str_c(req->from)),
                               bl_lg_locate(lg, bl_str_c(req->to)),
                               req->weight_g,
                               {req->dims_mm[0], req->dims_mm[1], req->dims_mm[2]},
                               bl_app_now_or(req->ship_at),
                               req->by_day,
                               NULL};
    size_t cap = bl_lg_nchannels(lg) ? bl_lg_nchannels(lg) : 1;
    res->opt = bl_calloc(cap, sizeof(*res->opt));
    if (!res->opt)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    rc = bl_lg_quote(lg, &s, res->opt, cap, &res->n, d);
    if (res->n > cap)
        res->n = cap;
    return rc;
}

void bl_app_quote_res_release(struct bl_app_quote_res *res)
{
    bl_free(res->opt);
    bl__app_lg_drop(res->cat, res->own_cat);
    memset(res, 0, sizeof(*res));
}
