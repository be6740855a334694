/* h_programs.c - a marketplace's support programmes and their members (bl_app_programs,
 * bl_app_program_members; docs/api.md, "Support programmes"). */
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/programs.h"
#include "ballast/assess.h" /* BL_NO_TIME */
#include "ballast/time.h"

static json_t *benefit_json(const struct bl_pg_benefit *b)
{
    bool sub = b->kind == BL_PG_SUBSIDY;
    return json_pack("{s:s, s:o, s:o, s:s?, s:o}", "kind", b->what, "amount",
                     bl__api_money(b->amount, b->currency), "cap",
                     sub && b->cap ? bl__api_money(b->cap, b->currency) : json_null(), "share",
                     sub ? (b->rule == BL_PG_EQUAL ? "equal" : "sales_before") : NULL, "sales_days",
                     sub && b->rule == BL_PG_BY_SALES ? json_integer(b->sales_days) : json_null());
}

static json_t *program_json(const struct bl_app_program *p)
{
    json_t *conds = json_array(), *bens = json_array(), *kinds = json_array();
    for (size_t k = 0; conds && k < p->def.nconds; k++)
        json_array_append_new(conds, json_string(bl_pg_cond_name(p->def.conds[k])));
    for (size_t k = 0; bens && k < p->def.nbenefits; k++)
        json_array_append_new(bens, benefit_json(&p->def.benefits[k]));
    for (size_t k = 0; kinds && k < p->def.nkinds; k++)
        json_array_append_new(kinds, json_string(p->def.kinds[k]));
    json_t *cov = p->def.coverage ? json_pack("{s:o}", "disruption_kinds", kinds) : json_null();
    if (!p->def.coverage)
        json_decref(kinds);
    return json_pack("{s:s, s:{s:s, s:s, s:s*}, s:o, s:b, s:o, s:o, s:I, s:I, s:o, s:s}",
                     "id", p->def.id, "name", "en", p->def.name_en, "zh-CN", p->def.name_zh,
                     "pt-BR", p->def.name_pt[0] ? p->def.name_pt : NULL, "conditions", conds,
                     "linked_accounts", p->def.linked, "coverage", cov, "benefits", bens, "members",
                     (json_int_t)p->members, "lost", (json_int_t)p->lost, "evaluated_as_of",
                     p->as_of == BL_NO_TIME ? json_null() : bl__api_time(p->as_of), "file",
                     p->source);
}

unsigned bl__h_programs(struct bl__api_call *c)
{
    struct bl_app_programs_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_programs(c->st, c->org, &res, &d);
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.n; i++)
        if (json_array_append_new(list, program_json(&res.items[i])))
            json_decref(list), list = NULL;
    bl_app_programs_res_release(&res);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(c, MHD_HTTP_OK, list ? json_pack("{s:o}", "programs", list) : NULL);
}

/* A member's benefits as stored, each amount as money. */
static json_t *benefits_json(const char *text)
{
    json_t *a = text ? json_loads(text, 0, NULL) : NULL, *out = json_array();
    size_t i;
    json_t *b;
    json_array_foreach(a, i, b)
    {
        const char *cur = json_string_value(json_object_get(b, "currency"));
        json_array_append_new(
            out, json_pack("{s:O, s:o}", "kind", json_object_get(b, "what"), "amount",
                           bl__api_money(json_integer_value(json_object_get(b, "amount")),
                                         cur ? cur : "XXX")));
    }
    json_decref(a);
    return out ? out : json_null();
}

/* A member; merchant: the governed organisation its shop belongs to (null: org's own). */
static json_t *member_json(const struct bl_member_row *m, int64_t org)
{
    char since[BL_ISO_MAX] = "", lost[BL_ISO_MAX] = "";
    if (m->since_day != BL_NO_TIME)
        bl_date_format(m->since_day, since);
    if (m->lost_day != BL_NO_TIME)
        bl_date_format(m->lost_day, lost);
    return json_pack("{s:s, s:s, s:s, s:o, s:s?, s:o, s:s?, s:s?, s:o, s:o, s:s?}", "shop", m->shop,
                     "name", m->shop_name, "state", m->state, "since", bl__api_time(m->since),
                     "since_day", since[0] ? since : NULL, "lost_at", bl__api_time(m->lost_at),
                     "lost_day", lost[0] ? lost : NULL, "reason", m->reason, "benefits",
                     benefits_json(m->benefits), "as_of", bl__api_time(m->as_of), "merchant",
                     m->shop_org != org ? m->org_name : NULL);
}

unsigned bl__h_program_members(struct bl__api_call *c)
{
    const char *id = bl__api_param(c, 0), *state = bl__api_query(c, "state");
    if (state && strcmp(state, "member") != 0 && strcmp(state, "lost") != 0)
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "state",
                             "state: expected member or lost");
    struct bl_app_members_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = id ? bl_app_program_members(c->st, c->org, id, &res, &d) : BL_ENOMEM;
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res.n; i++)
        if ((!state || strcmp(state, res.items[i].state) == 0) &&
            json_array_append_new(list, member_json(&res.items[i], c->org)))
            json_decref(list), list = NULL;
    json_t *prog = rc ? NULL : program_json(&res.program);
    bl_app_members_res_release(&res);
    if (rc)
        return bl__api_fail(c, rc, &d);
    return bl__api_json(c, MHD_HTTP_OK,
                        list && prog ? json_pack("{s:o, s:o}", "program", prog, "members", list)
                                     : NULL);
}
