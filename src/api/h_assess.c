/* h_assess.c - the shop assessment per rule (bl_app_assess, computed, never stored by a
 * read). The outbox is h_messages.c. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/assess.h"
#include "app/data.h"

static json_t *num(double v)
{
    return isnan(v) || isinf(v) ? json_null() : json_real(v);
}

static json_t *rules_json(const struct bl_app_assess_shop *s)
{
    json_t *rules = json_array();
    for (size_t q = 0; rules && s->rules_known && q < s->prof->nrules; q++) {
        const struct bl_rule *r = &s->prof->rules[q];
        const struct bl_rule_result *x = &s->rules[q];
        json_t *j = json_pack("{s:s, s:i, s:o, s:o, s:s, s:b, s:I, s:I, s:I, s:I}", "metric",
                              bl_metric_name(r->metric), "window_days", x->window_days, "value",
                              num(x->value), "target", r->has_target ? num(r->target) : json_null(),
                              "status", bl_rule_status_name(x->status), "lower_is_better",
                              bl_metric_lower_better(r->metric), "counted", (json_int_t)x->counted,
                              "exempt", (json_int_t)x->exempt, "due", (json_int_t)x->due, "kept",
                              (json_int_t)x->kept);
        if (json_array_append_new(rules, j))
            json_decref(rules), rules = NULL;
    }
    return rules;
}

json_t *bl__api_assess_shop_json(const struct bl_app_assess_shop *s)
{
    return json_pack("{s:s, s:s, s:i, s:o, s:s?, s:b, s:o, s:b, s:o}", "shop", s->shop, "profile",
                     s->profile, "window_days", s->window, "score", num(s->score), "rating",
                     s->rating[0] ? s->rating : NULL, "carried", s->carried, "carried_from",
                     s->carried ? bl__api_time(s->carried_from) : json_null(), "rules_known",
                     s->rules_known, "rules", rules_json(s));
}

unsigned bl__h_assessments(struct bl__api_call *c)
{
    struct bl_app_assess_req req = {.shop = bl__api_query(c, "shop"),
                                    .profile = bl__api_query(c, "profile"),
                                    .dry_run = true,
                                    .now = c->now};
    unsigned st = bl__api_query_time(c, "as_of", c->now, &req.as_of);
    if (st)
        return st;
    /* the answer is the same for the same request while the data and profiles are */
    char key[512];
    int64_t gen = -1;
    uint64_t profiles = bl__api_profiles_stamp(c);
    int n = snprintf(key, sizeof(key), "assess\x1f%s\x1f%s\x1f%lld", req.shop ? req.shop : "\x1e",
                     req.profile ? req.profile : "\x1e", (long long)req.as_of);
    struct bl_diag vd;
    bl_diag_clear(&vd);
    if (n < 0 || (size_t)n >= sizeof(key) || bl_app_data_gen(c->st, c->org, &gen, &vd))
        gen = -1;
    if (bl__api_cached(c, key, gen, profiles))
        return MHD_HTTP_OK;
    struct bl_app_assess_res own;
    const struct bl_app_assess_res *res = &own;
    struct bl__api_stock_ref ref = {0};
    struct bl_diag d;
    bl_diag_clear(&d);
    memset(&own, 0, sizeof(own));
    int rc = req.shop || req.profile ? bl_app_assess(c->st, c->org, &req, &own, &d)
                                     : bl__api_assess_get(c, req.as_of, &ref, &d); /* kept */
    if (ref.as)
        res = ref.as;
    json_t *list = rc ? NULL : json_array();
    for (size_t i = 0; list && i < res->n; i++)
        if (json_array_append_new(list, bl__api_assess_shop_json(&res->shops[i])))
            json_decref(list), list = NULL;
    if (rc && res->problem == BL_APP_ASSESS_UNKNOWN_SHOP) {
        char shown[BL_SHOW_BUF];
        st = bl__api_error(c, MHD_HTTP_NOT_FOUND, "not_found", "shop", "no shop %s",
                           bl_str_show(bl_str_c(req.shop), BL_SHOW, shown));
    } else if (rc) {
        st = bl__api_fail(c, rc, &d);
    } else {
        st = bl__api_json_keep(
            c,
            list ? json_pack("{s:o, s:o}", "as_of", bl__api_time(res->as_of), "shops", list) : NULL,
            key, gen, profiles);
        list = NULL;
    }
    json_decref(list);
    bl_app_assess_res_release(&own);
    bl__api_stock_put(c, &ref);
    return st;
}
