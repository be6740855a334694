/* programs_store.c - the decisions of an evaluation stored, and each joining and each
 * loss told to the merchant once through the outbox (programs.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/digest.h" /* the words of the operator's locale packs */
#include "app/programs_impl.h"
#include "ballast/assess.h" /* BL_NO_TIME */
#include "ballast/file.h"
#include "ballast/l10n.h"
#include "ballast/mustache.h"
#include "ballast/notify.h"
#include "ballast/time.h"
#include "store/message.h"

#define MAX_TEMPLATE (64u * 1024)

const char *bl__programs_locale(const char *platform)
{
    static const char *const zh[] = {"douyin", "kuaishou", "taobao", "jd", "pinduoduo"};
    static const char *const pt[] = {"olist", "mercadolivre"}; /* Brazilian marketplaces */
    for (size_t i = 0; platform && i < sizeof(zh) / sizeof(zh[0]); i++)
        if (strcmp(platform, zh[i]) == 0)
            return "zh-CN";
    for (size_t i = 0; platform && i < sizeof(pt) / sizeof(pt[0]); i++)
        if (strcmp(platform, pt[i]) == 0)
            return "pt-BR";
    return "en";
}

/* The notices' locales, an index into struct tell's arrays. */
enum { L_EN, L_ZH, L_PT, L__N };

static int loc_index(const char *locale)
{
    return strcmp(locale, "zh-CN") == 0 ? L_ZH : strcmp(locale, "pt-BR") == 0 ? L_PT : L_EN;
}

json_t *bl__programs_benefits(const struct bl_program *p, const struct bl_app_pg_decision *x)
{
    json_t *a = json_array();
    for (size_t k = 0; a && k < p->nbenefits; k++)
        if (json_array_append_new(a, json_pack("{s:s, s:I, s:s}", "what", p->benefits[k].what,
                                               "amount", (json_int_t)x->share[k], "currency",
                                               p->benefits[k].currency)))
            json_decref(a), a = NULL;
    return a;
}

/* What the outbox gets: messages, their texts in arena. */
struct tell {
    const char *dir;
    struct bl_words *words[L__N];        /* opened when first needed */
    struct bl_mustache *tpl[L__N][2][2]; /* [locale][lost][txt]: compiled when first needed */
    struct bl_l10n *l10n;             /* ICU's date formatters, made once */
    struct bl_msg_new *m;
    int64_t *morg; /* each message's outbox: its shop's organisation */
    size_t n, cap, capo;
    int64_t org; /* the marketplace */
    struct bl_arena *a;
};

/* Template [loc][lost][txt], compiled once (path names it in errors). */
static int compiled(struct tell *t, const char *path, int loc, int lost, int txt,
                    struct bl_mustache **out, struct bl_diag *d)
{
    if (!t->tpl[loc][lost][txt]) {
        struct bl_buf text;
        int rc = bl_file_read(path, MAX_TEMPLATE, &text, d);
        if (rc)
            return rc;
        rc = bl_mustache_compile(&t->tpl[loc][lost][txt], path,
                                 (struct bl_str){text.ptr ? text.ptr : "", text.len}, d);
        bl_buf_release(&text);
        if (rc)
            return rc;
    }
    *out = t->tpl[loc][lost][txt];
    return BL_OK;
}

/* The words of the codes in locale: the operator's pack (en, zh-CN), else the
 * programmes' own words of that locale (programs/pt-BR/words.json). */
static struct bl_words *words(struct tell *t, const char *locale, struct bl_diag *d)
{
    int i = loc_index(locale);
    if (!t->words[i] && i != L_PT && bl_app_words_open(t->dir, locale, &t->words[i], d))
        return NULL;
    if (!t->words[i] && i == L_PT && bl_app_words_open_file(t->dir, "programs/pt-BR/words.json",
                                                            &t->words[i], d))
        return NULL;
    return t->words[i];
}

/* The template data of a message about decision x of programme p. */
static json_t *data(struct tell *t, const struct bl_program *p, const struct bl_app_pg_decision *x,
                    const char *locale, int64_t as_of, const char *reason, struct bl_diag *d)
{
    struct bl_words *w = words(t, locale, d);
    if (!w)
        return NULL;
    char since[64] = "", day[64] = "", why[200] = "";
    const char *zn = x->tz ? x->shop->tz : "UTC";
    int loc = loc_index(locale);
    const char *name = loc == L_ZH ? p->name_zh : loc == L_PT && p->name_pt[0] ? p->name_pt
                                                                              : p->name_en;
    if ((x->v.since != BL_NO_TIME &&
         bl_l10n_date_in(t->l10n, locale, zn, x->v.since, since, sizeof(since), d)) ||
        bl_l10n_date_in(t->l10n, locale, zn, as_of, day, sizeof(day), d))
        return NULL;
    if (reason)
        bl_app_words_code(w, "program_reasons", reason, why, sizeof(why));
    json_t *ben = json_array();
    for (size_t k = 0; ben && k < p->nbenefits && !reason; k++) {
        char what[120], amount[64];
        bl_app_words_code(w, "program_benefits", p->benefits[k].what, what, sizeof(what));
        if (bl_l10n_money_in(t->l10n, locale, x->share[k], p->benefits[k].currency, amount,
                             sizeof(amount), d))
            return json_decref(ben), NULL;
        json_array_append_new(ben, json_pack("{s:s, s:s}", "what", what, "amount", amount));
    }
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s?}", "programme", name,
                     "shop", x->shop->name, "since", since[0] ? since : day, "date", day,
                     "benefits", ben ? ben : json_null(), "reason", reason ? why : NULL);
}

static int text(struct tell *t, const char *locale, const char *kind, const char *part,
                const json_t *dat, const char **out, struct bl_diag *d)
{
    char path[4200];
    snprintf(path, sizeof(path), "%s/programs/%s/%s.%s.mustache", t->dir, locale, kind, part);
    struct bl_mustache *tpl = NULL;
    int rc = compiled(t, path, loc_index(locale), strcmp(kind, "program_lost") == 0,
                      strcmp(part, "txt") == 0, &tpl, d);
    struct bl_buf b = {0};
    struct bl_mustache_opts o = {.strict = true, .no_escape = true};
    rc = rc ? rc : bl_mustache_render(tpl, dat, &o, &b, d);
    while (!rc && b.len && strcmp(part, "subject") == 0 &&
           (b.ptr[b.len - 1] == '\n' || b.ptr[b.len - 1] == ' '))
        b.ptr[--b.len] = '\0';
    *out = rc ? NULL : bl_arena_strndup(t->a, b.ptr ? b.ptr : "", b.len);
    bl_buf_release(&b);
    return rc ? rc : *out ? BL_OK : bl_diag_set(d, BL_ENOMEM, "out of memory");
}

/* Why a merchant's message may not leave: the shop's own address (its sender setting,
 * `shops set SHOP --sender`), where the marketplace writes to the merchant, is not set
 * ("no_recipient=merchant": worded as the merchant's missing address, not a buyer's), or
 * is on a reserved domain. */
static const char *hold(struct tell *t, const char *to)
{
    if (!to || !to[0])
        return "no_recipient=merchant";
    const char *at = strrchr(to, '@');
    if (at && bl_reserved_domain(bl_str_c(at + 1))) {
        char h[300];
        snprintf(h, sizeof(h), "reserved_recipient=%s", at + 1);
        return bl_arena_strndup(t->a, h, strlen(h));
    }
    return NULL;
}

/* A message about decision x: program_joined, or program_lost with its reason, at the
 * as-of at. Its key is in the outbox already unless it is new or held (a held one is
 * rendered again: the shop may have an address now). */
static int tell_one(struct tell *t, const struct bl_app_program *p,
                    const struct bl_app_pg_decision *x, const struct bl_app_programs_eval_req *rq,
                    const char *reason, int64_t at, struct bl_diag *d)
{
    const char *kind = reason ? "program_lost" : "program_joined";
    const char *locale = bl__programs_locale(x->shop->platform);
    json_t *dat = data(t, &p->def, x, locale, at, reason, d);
    if (!dat)
        return d->code ? d->code : bl_diag_set(d, BL_ENOMEM, "out of memory");
    void *items = t->m, *orgs = t->morg;
    if (bl_grow(&items, &t->cap, t->n + 1, sizeof(*t->m)))
        return json_decref(dat), bl_diag_set(d, BL_ENOMEM, "out of memory");
    t->m = items;
    if (bl_grow(&orgs, &t->capo, t->n + 1, sizeof(*t->morg)))
        return json_decref(dat), bl_diag_set(d, BL_ENOMEM, "out of memory");
    t->morg = orgs;
    t->morg[t->n] = x->shop->org;
    struct bl_msg_new *m = &t->m[t->n];
    char idem[300], prog[200];
    if (x->shop->org == t->org)
        snprintf(prog, sizeof(prog), "%s", p->def.id);
    else /* in a governed merchant's outbox: its marketplace's programme */
        snprintf(prog, sizeof(prog), "@%lld:%s", (long long)t->org, p->def.id);
    if (reason) /* once per membership lost: the membership's start names it */
        snprintf(idem, sizeof(idem), "program:%s:%lld:lost:%lld", prog, (long long)x->shop->id,
                 (long long)at);
    else /* once per merchant per programme */
        snprintf(idem, sizeof(idem), "program:%s:%lld", prog, (long long)x->shop->id);
    *m = (struct bl_msg_new){.kind = kind,
                             .shop_id = x->shop->id,
                             .locale = locale,
                             .channel = "email",
                             .recipient = x->shop->sender ? x->shop->sender : "",
                             .hold = hold(t, x->shop->sender),
                             .approval = true,
                             .as_of = at,
                             .created_at = bl_app_now_or(rq->now),
                             .cycle_id = rq->cycle_id};
    m->idem = bl_arena_strndup(t->a, idem, strlen(idem));
    int rc = text(t, locale, kind, "subject", dat, &m->subject, d);
    rc = rc ? rc : text(t, locale, kind, "txt", dat, &m->body, d);
    json_decref(dat);
    t->n += !rc;
    return rc;
}

static int put(struct bl_store *st, int64_t org, const struct bl_app_programs_eval_req *rq,
               const struct bl_app_program *p, const struct bl_app_pg_decision *x,
               const struct bl_member_row *prior, struct bl_diag *d)
{
    bool leaves = x->change == BL_APP_PG_LEAVES;
    json_t *ben = leaves ? NULL : bl__programs_benefits(&p->def, x);
    char *bt = ben ? json_dumps(ben, JSON_COMPACT) : NULL;
    json_decref(ben);
    if (!leaves && !bt)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    struct bl_member_row r = {.program_id = p->id,
                              .shop_org = x->shop->org,
                              .shop_id = x->shop->id,
                              .state = leaves ? "lost" : "member",
                              .reason = leaves ? bl_pg_reason_name(x->v.reason) : NULL,
                              .benefits = bt,
                              .since = leaves ? prior->since : x->v.since,
                              .lost_at = leaves ? rq->as_of : BL_NO_TIME,
                              .since_day = leaves ? prior->since_day : x->v.since_day,
                              .lost_day = !leaves ? BL_NO_TIME
                                          : x->tz ? bl_tz_local_day(x->tz, rq->as_of)
                                                  : rq->as_of / BL_DAY_SECS,
                              .as_of = rq->as_of,
                              .cycle_id = rq->cycle_id};
    int rc = bl_store_program_member_put(st, org, &r, bl_app_now_or(rq->now), d);
    free(bt);
    return rc;
}

/* The messages into the outbox of each shop's organisation: the marketplace's own, and
 * each governed merchant's (its operators approve and send them, from its settings). */
static int outboxes(struct bl_store *st, struct bl_app_programs_eval_res *res, struct tell *t,
                    struct bl_diag *d)
{
    enum bl_msg_added *added = t->n ? bl_calloc(t->n, sizeof(*added)) : NULL;
    struct bl_msg_new *some = t->n ? bl_calloc(t->n, sizeof(*some)) : NULL;
    int rc = t->n && (!added || !some) ? bl_diag_set(d, BL_ENOMEM, "out of memory") : BL_OK;
    for (size_t i = 0; !rc && i < t->n; i++) {
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = t->morg[k] == t->morg[i];
        if (seen)
            continue;
        size_t n = 0;
        for (size_t k = i; k < t->n; k++)
            if (t->morg[k] == t->morg[i])
                some[n++] = t->m[k];
        rc = bl_store_message_add_all(st, t->morg[i], some, n, added, d);
        for (size_t k = 0; !rc && k < n; k++) {
            res->messages_new += added[k] == BL_MSG_ADDED;
            res->messages_already += added[k] != BL_MSG_ADDED; /* a held one rendered again */
        }
    }
    bl_free(added);
    bl_free(some);
    return rc;
}

static int store_all(struct bl_store *st, int64_t org, const struct bl_app_programs_eval_req *rq,
                     struct bl_app_programs_eval_res *res, const struct bl_member_row *prior,
                     size_t np, struct tell *t, struct bl_diag *d)
{
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < res->n; i++) {
        const struct bl_app_pg_decision *x = &res->d[i];
        const struct bl_app_program *p = &res->programs[x->program];
        const struct bl_member_row *pr =
            bl__programs_prior(prior, np, p->id, x->shop->org, x->shop->id);
        if (x->change == BL_APP_PG_OUT) { /* a record of a loss stays as it is */
            if (pr && pr->reason && strcmp(pr->state, "lost") == 0)
                rc = tell_one(t, p, x, rq, pr->reason, pr->lost_at, d);
            continue;
        }
        rc = put(st, org, rq, p, x, pr, d);
        if (!rc && x->change != BL_APP_PG_LEAVES) /* joins, or stays */
            rc = tell_one(t, p, x, rq, NULL, rq->as_of, d);
        else if (!rc)
            rc = tell_one(t, p, x, rq, bl_pg_reason_name(x->v.reason), rq->as_of, d);
    }
    return rc ? rc : outboxes(st, res, t, d);
}

int bl__programs_store(struct bl_store *st, int64_t org, const struct bl_app_programs_eval_req *req,
                       struct bl_app_programs_eval_res *res, const struct bl_member_row *prior,
                       size_t np, struct bl_diag *d)
{
    struct tell t = {.dir = req->templates ? req->templates : bl_app_templates_dir(),
                     .org = org,
                     .a = &res->arena,
                     .l10n = bl_l10n_open()};
    int rc = bl_store_begin(st, d);
    if (!rc)
        rc = bl_store_end(st, store_all(st, org, req, res, prior, np, &t, d), d);
    bl_free(t.m);
    bl_free(t.morg);
    for (size_t i = 0; i < L__N; i++)
        bl_app_words_free(t.words[i]);
    for (size_t i = 0; i < 4 * L__N; i++)
        bl_mustache_free(t.tpl[i / 4][i / 2 % 2][i % 2]);
    bl_l10n_close(t.l10n);
    return rc;
}
