/* programs_explain.c - `programs members PROGRAM --explain SHOP`: why a shop is or is not
 * a member, condition by condition, and how its share was counted (app/programs.h). */
#include <stdio.h>
#include <string.h>

#include "ballast/assess.h" /* BL_NO_TIME */
#include "cli/programs_text.h"

int bl__programs_explain(struct bl_cli *cli, struct bl_store *st, int64_t org,
                         const struct bl__pgw *w, const char *program, const char *shop,
                         int64_t as_of, const char *tz);

struct say {
    FILE *f;
    bool zh;
    const char *tz;
    const struct bl__pgw *w;
};

static void when(const struct say *s, int64_t t, char *out, size_t cap)
{
    bl__pgw_when(s->w, t, s->tz, out, cap);
}

static void conditions(const struct say *s, const struct bl__pgw *w,
                       const struct bl_app_pg_explain *e)
{
    const struct bl_program *p = &e->res.programs[0].def;
    const struct bl_pg_verdict *v = &e->x->v;
    fprintf(s->f, s->zh ? "条件：\n" : "Conditions:\n");
    for (size_t k = 0; k < p->nconds; k++) {
        char name[200], at[80] = "", why[200] = "";
        bl__pgw_code(w, "program_conditions", bl_pg_cond_name(p->conds[k]), name, sizeof(name));
        if (v->cond_ok[k] && v->cond_at[k] != BL_NO_TIME)
            bl__pgw_fact_time(v->cond_at[k], at, sizeof(at));
        if (!v->cond_ok[k])
            bl__pgw_code(w, "program_reasons", bl_pg_reason_name(v->cond_why[k]), why, sizeof(why));
        if (v->cond_ok[k])
            fprintf(s->f, s->zh ? "  - %s：已满足%s%s\n" : "  - %s: met%s%s\n", name,
                    at[0] ? (s->zh ? "，时间 " : " on ") : "", at);
        else
            fprintf(s->f, s->zh ? "  - %s：未满足（%s）\n" : "  - %s: not met (%s)\n", name, why);
    }
    if (!p->coverage)
        return;
    char name[200], at[80] = "";
    bl__pgw_code(w, "program_conditions", "coverage", name, sizeof(name));
    const char *from = e->region[0] ? e->region : (s->zh ? "未知" : "unknown");
    if (v->covered_at == BL_NO_TIME) {
        fprintf(s->f,
                s->zh ? "  - %s：未满足，店铺发货地 %s 不在名单内\n"
                      : "  - %s: not met: the shop ships from %s, which no disruption of "
                        "the programme's kinds covers then\n",
                name, from);
        return;
    }
    when(s, v->covered_at, at, sizeof(at));
    char kind[120] = "";
    if (e->kind)
        bl__pgw_code(w, "disruption_kinds", e->kind, kind, sizeof(kind));
    if (s->zh)
        fprintf(s->f, "  - %s：已满足，店铺发货地 %s 位于 %s（%s）范围内，自 %s 起\n", name, from,
                e->dis_region, kind, at);
    else
        fprintf(s->f, "  - %s: met: the shop ships from %s, within the %s of %s since %s\n", name,
                from, kind, e->dis_region, at);
}

static void verdict(const struct say *s, const struct bl__pgw *w, const struct bl_app_pg_explain *e)
{
    const struct bl_pg_verdict *v = &e->x->v;
    char since[120] = "", why[200];
    if (v->since != BL_NO_TIME) { /* the shop's own day */
        char day[16];
        bl__pgw_date(v->since_day, day, sizeof(day));
        snprintf(since, sizeof(since), s->zh ? "%s（%s）" : "%s (%s)", day,
                 e->x->tz ? e->x->shop->tz : "UTC");
    }
    bl__pgw_code(w, "program_reasons", bl_pg_reason_name(v->reason), why, sizeof(why));
    if (v->reason == BL_PG_OK && since[0])
        fprintf(s->f,
                s->zh ? "结论：成员，自 %s 起（最后一个条件满足的次日）\n"
                      : "Verdict: a member since %s (the day after the last condition "
                        "was met)\n",
                since);
    else if (v->reason == BL_PG_OK)
        fprintf(s->f, s->zh ? "结论：成员\n" : "Verdict: a member\n");
    else if (v->reason == BL_PG_PENDING)
        fprintf(s->f, s->zh ? "结论：%s（%s）\n" : "Verdict: %s (%s)\n", why, since);
    else
        fprintf(s->f, s->zh ? "结论：非成员：%s\n" : "Verdict: not a member: %s\n", why);
}

static void shares(const struct say *s, const struct bl__pgw *w, const struct bl_app_pg_explain *e)
{
    const struct bl_program *p = &e->res.programs[0].def;
    for (size_t k = 0; e->x->v.reason == BL_PG_OK && k < p->nbenefits; k++) {
        const struct bl_pg_benefit *b = &p->benefits[k];
        char what[120], got[64], sales[64], all[64], budget[64], from[16], to[16];
        bl__pgw_code(w, "program_benefits", b->what, what, sizeof(what));
        bl__pgw_money(w, e->x->share[k], b->currency, b->exponent, got, sizeof(got));
        bl__pgw_money(w, e->x->sales, b->currency, b->exponent, sales, sizeof(sales));
        bl__pgw_money(w, e->res.weight_total[0][k], b->currency, b->exponent, all, sizeof(all));
        bl__pgw_money(w, b->amount, b->currency, b->exponent, budget, sizeof(budget));
        bl__pgw_local(e->x->sales_from, e->x->tz, from, sizeof(from));
        bl__pgw_local(e->x->sales_to, e->x->tz, to, sizeof(to));
        bool by_sales = b->kind == BL_PG_SUBSIDY && b->rule == BL_PG_BY_SALES;
        if (by_sales && s->zh)
            fprintf(s->f,
                    "%s：%s。该店 %s 至 %s（不含）的销售额为 %s，全部 %zu 个成员合计 %s，"
                    "按比例分配预算 %s\n",
                    what, got, from, to, sales, e->members, all, budget);
        else if (by_sales)
            fprintf(s->f,
                    "%s: %s. Its sales from %s to %s (excluded): %s, of %s for all %zu "
                    "members: its part of the budget of %s\n",
                    what, got, from, to, sales, all, e->members, budget);
        else
            fprintf(s->f, "%s: %s\n", what, got);
        if (b->kind == BL_PG_SUBSIDY && b->cap && e->x->share[k] == b->cap)
            fprintf(s->f, s->zh ? "  已达每个成员的上限，超出部分分给其他成员\n"
                                : "  the most one member gets: the rest of its part went to the "
                                  "others\n");
    }
}

int bl__programs_explain(struct bl_cli *cli, struct bl_store *st, int64_t org,
                         const struct bl__pgw *w, const char *program, const char *shop,
                         int64_t as_of, const char *tz)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_pg_explain e;
    int rc = bl_app_program_explain(st, org, program, shop, as_of, w->locale, &e, &d);
    if (rc) {
        bl_app_pg_explain_release(&e);
        return bl_cli_fail(cli, &d);
    }
    struct say s = {cli->out, strcmp(w->locale, "zh-CN") == 0, tz, w};
    char at[80];
    when(&s, as_of, at, sizeof(at));
    fprintf(s.f,
            s.zh ? "%s（%s）— 店铺 %s（%s），截至 %s\n" : "%s (%s) for shop %s (%s), as of %s\n",
            bl__pgw_name(w, &e.res.programs[0].def), program, e.x->shop->ext, e.x->shop->name, at);
    verdict(&s, w, &e);
    conditions(&s, w, &e);
    shares(&s, w, &e);
    if (e.has_stored) {
        char state[80], why[200] = "";
        bl__pgw_code(w, "program_states", e.stored.state, state, sizeof(state));
        if (e.stored.reason)
            bl__pgw_code(w, "program_reasons", e.stored.reason, why, sizeof(why));
        when(&s, e.stored.as_of, at, sizeof(at));
        fprintf(s.f,
                s.zh ? "已记录：%s（截至 %s 的评估）%s%s\n"
                     : "Recorded: %s (by the evaluation as of %s)%s%s\n",
                state, at, why[0] ? (s.zh ? "：" : ": ") : "", why);
    }
    bl_app_pg_explain_release(&e);
    return 0;
}
