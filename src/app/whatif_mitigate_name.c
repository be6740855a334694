/* whatif_mitigate_name.c - the engine's plans as the front ends show them: each step
 * with the names of what it touches (whatif_mitigate.h), never a store id alone. */
#include <string.h>

#include "app/whatif_mitigate_impl.h"
#include "app/words.h"

static const char *name_of(const struct bl_store_name *v, size_t n, int64_t id, const char *dflt)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].id == id)
            return v[i].name[0] ? v[i].name : v[i].ext;
    return dflt;
}

/* The carrier of the orders snapshot's channel c (its id when the catalogue lacks it). */
static const char *carrier_of(const struct bl__mg *m, int32_t c)
{
    if (c < 0 || (size_t)c >= m->x->res->nchannels)
        return NULL;
    const char *ext = m->x->res->channel[c];
    for (size_t i = 0; m->cat_open && m->cat.lg && i < bl_lg_nchannels(m->cat.lg); i++) {
        const struct bl_lg_channel *x = bl_lg_channel(m->cat.lg, i);
        if (strcmp(x->id, ext) == 0)
            return x->carrier;
    }
    return ext;
}

static void stock_step(const struct bl__mg *m, const struct bl_mg_lever *l,
                       const struct bl_mg_problem *p, struct bl_app_mg_step *s)
{
    const struct bl_stock_snap *sn = &m->x->res->sday.snap;
    size_t k = (size_t)p->sku, w = (size_t)p->warehouse;
    s->sku = sn->sku_ext[k];
    s->sku_name = m->x->res->sku_name ? m->x->res->sku_name[k] : NULL;
    s->sku_id = sn->sku_id[k];
    s->warehouse_id = sn->wh_id[w];
    s->warehouse = m->x->res->warehouse_name[w]; /* the what-if's, by the snapshot's index */
    if (l->kind == BL_MG_BACKUP_SUPPLIER) {
        s->source = sn->sup_name[l->target];
        s->source_id = sn->sup_id[l->target];
    } else if (l->kind == BL_MG_TRANSFER) {
        s->source = m->x->res->warehouse_name[l->target];
        s->source_id = sn->wh_id[l->target];
    } else if (l->kind == BL_MG_PAUSE_PROMOTION) { /* from the stock-out day to the end */
        s->until_day = p->to_day - 1;
        s->days = p->to_day - p->from_day;
        s->promo_day = p->promo_day;
    }
}

/* Snapshot channel c by name in a locale (its carrier and mode), from out's arena. */
static const char *channel_words(struct bl__mg *m, int32_t c, const char *loc)
{
    const char *ext = m->x->res->channel[c];
    for (size_t i = 0; m->cat_open && m->cat.lg && i < bl_lg_nchannels(m->cat.lg); i++) {
        const struct bl_lg_channel *x = bl_lg_channel(m->cat.lg, i);
        char buf[200];
        if (strcmp(x->id, ext) == 0)
            return bl_arena_strndup(
                &m->out->arena, buf,
                strlen(bl_app_lg_channel_words(x->carrier, x->mode, loc, buf, sizeof(buf))));
    }
    return ext;
}

/* A reroute: the two channels by name, their ids, how many orders it moves, until when. */
static void reroute_step(struct bl__mg *m, const struct bl_mg_lever *l,
                         const struct bl_mg_problem *p, const struct bl_mg_step *e,
                         struct bl_app_mg_step *s)
{
    const struct bl__mg_rr *x = bl__mg_rr_of(m, e->lever);
    if (!x)
        return;
    s->carrier = channel_words(m, x->from, "en");
    s->carrier_zh = channel_words(m, x->from, "zh-CN");
    s->source = channel_words(m, (int32_t)l->target, "en");
    s->source_zh = channel_words(m, (int32_t)l->target, "zh-CN");
    s->from_channel = m->x->res->channel[x->from];
    s->to_channel = m->x->res->channel[l->target];
    /* every held order, in the share of the late ones the step covers */
    __int128 u = p->units > 0 ? (__int128)x->held * e->units / p->units : 0;
    s->units = (int64_t)u;
    s->until_day = (x->until - 1) / 86400; /* the suspension's last day */
}

void bl__mg_name_reroute(struct bl__mg *m, uint32_t shop, int32_t from, int32_t to,
                         struct bl_app_mg_step *s)
{
    const struct bl_snap_shop *sh = &m->x->res->snap.shops[shop];
    s->shop = name_of(m->shops, m->nshops, sh->id, sh->ext);
    s->shop_id = sh->id;
    s->shop_ext = sh->ext;
    s->carrier = channel_words(m, from, "en");
    s->carrier_zh = channel_words(m, from, "zh-CN");
    s->source = channel_words(m, to, "en");
    s->source_zh = channel_words(m, to, "zh-CN");
    s->from_channel = m->x->res->channel[from];
    s->to_channel = m->x->res->channel[to];
}

static void late_step(const struct bl__mg *m, const struct bl_mg_lever *l,
                      const struct bl_mg_problem *p, struct bl_app_mg_step *s,
                      const char *const place[2])
{
    s->place_en = place[0];
    s->place_zh = place[1];
    const struct bl_snap_shop *sh = &m->x->res->snap.shops[p->shop];
    s->shop = name_of(m->shops, m->nshops, sh->id, sh->ext);
    s->shop_id = sh->id;
    s->shop_ext = sh->ext;
    s->carrier = carrier_of(m, (int32_t)p->channel);
    if (l->kind == BL_MG_EXTEND_HANDLING)
        s->days = p->days_late < l->days ? p->days_late : l->days;
}

static int name_plan(struct bl__mg *m, const struct bl_mg_plan *e, struct bl_app_mg_plan *o,
                     const char *const place[2])
{
    *o = (struct bl_app_mg_plan){e->kind,  NULL,      e->nsteps,   e->spend, e->left,
                                 e->total, e->saving, e->measured, 0};
    o->steps = bl_arena_alloc(&m->out->arena, (e->nsteps + 1) * sizeof(*o->steps));
    if (!o->steps)
        return bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
    o->nsteps = 0;
    for (size_t i = 0; i < e->nsteps; i++) {
        const struct bl_mg_lever *l = &m->l[e->steps[i].lever];
        const struct bl_mg_problem *p = &m->p[l->problem];
        if (e->steps[i].cost == 0 && e->steps[i].saving == 0)
            continue; /* free, and the run found it saves nothing: not worth a person's time */
        struct bl_app_mg_step *s = &o->steps[o->nsteps++];
        memset(s, 0, sizeof(*s));
        s->kind = l->kind;
        s->by_day = l->by_day;
        s->ready_day = l->ready_day;
        s->units = e->steps[i].units;
        s->cost = e->steps[i].cost;
        s->saving = e->steps[i].saving;
        if (p->kind == BL_MG_STOCKOUT)
            stock_step(m, l, p, s);
        else
            late_step(m, l, p, s, place);
        if (l->kind == BL_MG_REROUTE)
            reroute_step(m, l, p, &e->steps[i], s);
    }
    return BL_OK;
}

/* The region the events shut, in English and in Chinese (the areas' names, else the
 * subdivision's or the country's: words.h). */
static int held_place(struct bl__mg *m, const char *place[2])
{
    const char *code = m->held_region ? bl_regions_name(m->in->regions, m->held_region) : NULL;
    if (!code || !code[0])
        return BL_OK;
    if (!(m->out->held_region = bl_arena_strndup(&m->out->arena, code, strlen(code))))
        return bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
    static const char *const loc[2] = {"en", "zh-CN"};
    struct bl__words w;
    memset(&w, 0, sizeof(w));
    int rc = bl__words_open(&w, m->x->st, m->x->org, loc, 2, m->d);
    for (int i = 0; !rc && i < 2; i++) {
        char buf[256];
        rc = bl__words_place(&w, loc[i], code, buf, sizeof(buf), m->d);
        if (!rc && !(place[i] = bl_arena_strndup(&m->out->arena, buf, strlen(buf))))
            rc = bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
    }
    bl__words_release(&w);
    return rc;
}

/* The approved reroutes the runs follow, by name (the shop's, the channels'). */
static int name_approved(struct bl__mg *m)
{
    const struct bl_app_whatif_res *res = m->x->res;
    struct bl_app_mg_approved *v =
        bl_arena_alloc(&m->out->arena, (res->napproved + 1) * sizeof(*v));
    if (!v)
        return bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
    for (size_t i = 0; i < res->napproved; i++) {
        const struct bl_app_whatif_approved *a = &res->approved[i];
        const struct bl_snap_shop *sh = &res->snap.shops[a->shop];
        v[i] = (struct bl_app_mg_approved){a->action,
                                           name_of(m->shops, m->nshops, sh->id, sh->ext),
                                           channel_words(m, a->from, "en"),
                                           channel_words(m, a->to, "en"),
                                           channel_words(m, a->from, "zh-CN"),
                                           channel_words(m, a->to, "zh-CN"),
                                           a->from_day,
                                           a->until_day - 1};
    }
    m->out->approved = v;
    m->out->napproved = res->napproved;
    return BL_OK;
}

int bl__mg_name(struct bl__mg *m, const struct bl_mg_result *r)
{
    struct bl_app_mg_res *out = m->out;
    int rc = bl_store_names(m->x->st, m->x->org, BL_NAMES_SHOP, &out->arena, &m->shops, &m->nshops,
                            m->d);
    if (!rc && !m->cat_open) {
        rc = bl_app_logistics_load(m->x->st, m->x->org, &m->cat, m->d);
        m->cat_open = true;
    }
    if (!rc)
        rc = name_approved(m);
    if (rc)
        return rc;
    out->baseline = r->baseline;
    for (size_t q = 0; q < m->np; q++) {
        int64_t c = m->p_cost[q]; /* exact: the late orders' coupons as the what-if found */
        if (m->p[q].kind == BL_MG_STOCKOUT) {
            int64_t promo = m->p[q].promo_day * (m->p[q].to_day - m->p[q].from_day); /* fits:
                                                                        within c, checked */
            out->stockout_cost += c - promo;
            out->promo_cost += promo;
            out->units_short += m->p[q].units;
        } else {
            out->late_cost += c;
            out->late_orders += m->p[q].units;
        }
    }
    out->plans = bl_arena_alloc(&out->arena, (r->nplans + 1) * sizeof(*out->plans));
    if (!out->plans)
        return bl_diag_set(m->d, BL_ENOMEM, "what-if: out of memory");
    const char *place[2] = {NULL, NULL};
    if ((rc = held_place(m, place)) != 0)
        return rc;
    for (size_t i = 0; i < r->nplans; i++, out->nplans++)
        if ((rc = name_plan(m, &r->plans[i], &out->plans[i], place)) != 0)
            return rc;
    return BL_OK;
}
