/* cmd_programs_eval.c - `ballast programs eval --as-of T`: every programme decided for
 * every shop, what changed, and each budget's division (app/programs.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/alloc.h"
#include "ballast/assess.h" /* BL_NO_TIME */
#include "cli/out.h"
#include "cli/programs_text.h"

int bl__programs_eval(struct bl_cli *cli, int argc, char **argv);

struct eval_args {
    const char *as_of, *tz;
    struct bl_app_programs_eval_req req;
};

static int args(struct bl_cli *cli, int argc, char **argv, struct eval_args *a)
{
    struct bl__pg_opts o = {0};
    int rc = bl__pg_opts_parse(cli, "programs eval", BL__PGO_EVAL, argc, argv, &o);
    if (rc)
        return rc;
    a->as_of = o.as_of;
    a->tz = o.tz;
    a->req.program = o.program;
    a->req.dry_run = o.dry_run;
    if (optind != argc)
        return bl_cli_usage(cli, "programs eval", "unexpected argument '%s'", argv[optind]);
    if (!a->as_of)
        return bl_cli_usage(cli, "programs eval",
                            "--as-of T is needed: the day the programmes are decided for");
    return bl_cli_as_of(cli, "programs eval", a->as_of, a->tz, &a->req.as_of);
}

/* One programme's summary for a person. */
static void summary(struct bl_cli *cli, const struct bl__pgw *w,
                    const struct bl_app_programs_eval_res *res, size_t pi, const char *when)
{
    const struct bl_app_program *p = &res->programs[pi];
    bool zh = strcmp(w->locale, "zh-CN") == 0;
    size_t members = 0, joined = 0, left = 0;
    for (size_t i = 0; i < res->n; i++) {
        const struct bl_app_pg_decision *x = &res->d[i];
        if (x->program != pi)
            continue;
        members += x->v.reason == BL_PG_OK;
        joined += x->change == BL_APP_PG_JOINS;
        left += x->change == BL_APP_PG_LEAVES;
    }
    fprintf(cli->out,
            zh ? "%s（%s），%s：%zu%.0s 个成员，新加入 %zu 个，失去权益 %zu 个\n"
               : "%s (%s), as of %s: %zu member%s, %zu joined, %zu lost the benefits\n",
            bl__pgw_name(w, &p->def), p->def.id, when, members, members == 1 ? "" : "s", joined,
            left);
    for (size_t k = 0; pi < 16 && k < p->def.nbenefits; k++) {
        const struct bl_pg_benefit *b = &p->def.benefits[k];
        char what[120], budget[64], left_w[64], sales[64];
        bl__pgw_code(w, "program_benefits", b->what, what, sizeof(what));
        bl__pgw_money(w, b->amount, b->currency, b->exponent, budget, sizeof(budget));
        bl__pgw_money(w, res->unallocated[pi][k], b->currency, b->exponent, left_w, sizeof(left_w));
        bl__pgw_money(w, res->weight_total[pi][k], b->currency, b->exponent, sales, sizeof(sales));
        if (b->kind == BL_PG_WAIVER)
            fprintf(cli->out, zh ? "  %s：每个成员 %s\n" : "  %s: %s per member\n", what, budget);
        else if (b->rule == BL_PG_BY_SALES)
            fprintf(cli->out,
                    zh ? "  %s：预算 %s，按成员受影响前销售额（合计 %s）分配，未分配 %s\n"
                       : "  %s: a budget of %s shared by the members' sales before the "
                         "disruption (%s in all); left unallocated: %s\n",
                    what, budget, sales, left_w);
        else
            fprintf(cli->out,
                    zh ? "  %s：预算 %s，成员平分，未分配 %s\n"
                       : "  %s: a budget of %s in equal parts; left unallocated: %s\n",
                    what, budget, left_w);
    }
}

static const char *const change_code[] = {"out", "stays", "joins", "leaves"};

/* Programme by programme, the largest first benefit first, then by shop. */
static int by_share(const void *a, const void *b)
{
    const struct bl_app_pg_decision *x = *(const struct bl_app_pg_decision *const *)a;
    const struct bl_app_pg_decision *y = *(const struct bl_app_pg_decision *const *)b;
    if (x->program != y->program)
        return x->program < y->program ? -1 : 1;
    if (x->share[0] != y->share[0])
        return x->share[0] > y->share[0] ? -1 : 1;
    return (x->shop->id > y->shop->id) - (x->shop->id < y->shop->id);
}

static int rows(struct bl_cli *cli, const struct bl__pgw *w,
                const struct bl_app_programs_eval_res *res)
{
    const struct bl_app_pg_decision **order = bl_calloc(res->n ? res->n : 1, sizeof(*order));
    if (!order)
        return fprintf(cli->err, "ballast: out of memory\n"), 1;
    for (size_t i = 0; i < res->n; i++)
        order[i] = &res->d[i];
    qsort(order, res->n, sizeof(*order), by_share);
    static const char *const cols[] = {"program", "shop",     "name",   "change",
                                       "since",   "benefits", "reason", "merchant"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 8);
    int rc = 0;
    for (size_t i = 0; !rc && i < res->n; i++) {
        const struct bl_app_pg_decision *x = order[i];
        if (x->change == BL_APP_PG_OUT)
            continue;
        const struct bl_app_program *p = &res->programs[x->program];
        char change[80], since[16], bens[400] = "", why[200] = "";
        bl__pgw_code(w, "program_states", change_code[x->change], change, sizeof(change));
        bl__pgw_date(x->v.since_day, since, sizeof(since));
        if (x->change == BL_APP_PG_LEAVES)
            bl__pgw_code(w, "program_reasons", bl_pg_reason_name(x->v.reason), why, sizeof(why));
        else
            bl__pgw_shares(w, &p->def, x->share, bens, sizeof(bens));
        bool theirs = x->shop->org != res->org; /* a governed merchant's shop */
        struct bl_val v[8] = {bl_val_text(bl_str_c(p->def.id)),
                              bl_val_text(bl_str_c(x->shop->ext)),
                              bl_val_text(bl_str_c(x->shop->name)),
                              bl_val_text(bl_str_c(change)),
                              since[0] ? bl_val_text(bl_str_c(since)) : bl_val_null(),
                              bens[0] ? bl_val_text(bl_str_c(bens)) : bl_val_null(),
                              why[0] ? bl_val_text(bl_str_c(why)) : bl_val_null(),
                              theirs ? bl_val_text(bl_str_c(x->shop->org_name)) : bl_val_null()};
        rc = bl_out_row(&out, v);
    }
    bl_free(order);
    int erc = bl_out_end(&out);
    return rc || erc ? 1 : 0;
}

int bl__programs_eval(struct bl_cli *cli, int argc, char **argv)
{
    struct eval_args a = {0};
    a.req.now = bl_cli_now();
    int urc = args(cli, argc, argv, &a);
    struct bl__pgw w;
    if (urc || bl__pgw_open(cli, &w))
        return urc ? urc : 1;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return bl__pgw_close(&w), 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_programs_eval_res res;
    int rc = bl_app_programs_eval(st, org, &a.req, &res, &d);
    bl_store_close(st);
    if (!rc && cli->format == BL_FMT_TABLE) {
        char when[80];
        bl__pgw_when(&w, a.req.as_of, a.tz, when, sizeof(when));
        for (size_t pi = 0; pi < res.nprograms; pi++)
            summary(cli, &w, &res, pi, when);
        if (!res.nprograms)
            fprintf(cli->out, "no programme to evaluate: 'ballast programs add FILE'\n");
    }
    int out = rc ? bl_cli_fail(cli, &d) : rows(cli, &w, &res);
    if (!rc && cli->format == BL_FMT_TABLE && a.req.dry_run)
        fprintf(cli->err, "ballast: a dry run: nothing stored, no message queued\n");
    else if (!rc && cli->format == BL_FMT_TABLE)
        fprintf(cli->err,
                "ballast: %zu message%s to merchants queued, %zu already in the "
                "outbox ('ballast messages list')\n",
                res.messages_new, res.messages_new == 1 ? "" : "s", res.messages_already);
    bl_app_programs_eval_res_release(&res);
    bl__pgw_close(&w);
    return out;
}
