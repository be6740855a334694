/* action_cells.c - the words around an action's reason in the tables of `ballast actions`
 * and `ballast playbook`, from the operator packs (action_cells.h). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app/action_cells.h"
#include "app/action_words.h"
#include "app/digest.h"
#include "app/actor.h"
#include "app/stock.h"
#include "ballast/l10n.h"
#include "ballast/time.h"

const char *bl_app_action_word(const struct bl_words *w, const char *group, const char *code)
{
    const char *s =
        w ? json_string_value(json_object_get(json_object_get((const json_t *)w, group), code))
          : NULL;
    return s ? s : code;
}

/* Pack sentence f filled with k1 = v1 and k2 = v2 (k2 NULL: one), into buf; f itself when
 * it does not render. */
static void fill2(const char *f, const char *k1, const char *v1, const char *k2, const char *v2,
                  char *buf, size_t cap)
{
    json_t *vars = json_pack("{s:s}", k1, v1);
    if (vars && k2)
        json_object_set_new(vars, k2, json_string(v2));
    if (!vars || !bl_app_words_fill(f, vars, buf, cap))
        snprintf(buf, cap, "%s", f);
    json_decref(vars);
}

const char *bl_app_action_value(const struct bl_words *w, enum bl_pb_kind k, int64_t v, char *buf,
                                size_t cap)
{
    const char *field = bl_app_action_field(k);
    char code[24];
    if (strcmp(field, "listing") == 0) {
        snprintf(code, sizeof(code), "%s", bl_pb_listing_name(v));
    } else {
        snprintf(code, sizeof(code), "%lld", (long long)v);
    }
    const json_t *f =
        w ? json_object_get(json_object_get((const json_t *)w, "action_values"), field) : NULL;
    const char *word = json_string_value(json_object_get(f, code));
    if (word) /* a state: "营销邮件已暂停" */
        snprintf(buf, cap, "%s", word);
    else if (json_is_string(f)) /* a count: "3 天" */
        fill2(json_string_value(f), "n", code, NULL, NULL, buf, cap);
    else if (strcmp(field, "listing") == 0) { /* "out of stock" */
        snprintf(buf, cap, "%s", code);
        for (char *p = buf; *p; p++)
            *p = *p == '_' ? ' ' : *p;
    } else
        snprintf(buf, cap, "%s", code);
    return buf;
}

const char *bl_app_action_reverts_text(const struct bl_words *w, enum bl_pb_kind k)
{
    const char *code;
    const char *en = bl_app_action_reverts_when(k, &code);
    const char *s =
        w ? json_string_value(json_object_get(json_object_get((const json_t *)w, "action_reverts"),
                                              bl_pb_kind_name(k)))
          : NULL;
    return s ? s : en;
}

const char *bl_app_action_day(struct bl_l10n *l10n, const char *locale, int64_t day, char *buf,
                              size_t cap)
{
    char iso[16];
    if (bl_l10n_day_in(l10n, locale, day, buf, cap, NULL) != 0)
        snprintf(buf, cap, "%s", bl_date_format(day, iso));
    return buf;
}

const char *bl_app_action_instant(struct bl_l10n *l10n, const char *locale, int64_t t, char *buf,
                                  size_t cap)
{
    int64_t day = t / 86400 - (t % 86400 < 0), s = t - day * 86400;
    char d[64];
    bl_app_action_day(l10n, locale, day, d, sizeof(d));
    snprintf(buf, cap, "%s %02lld:%02lld UTC", d, (long long)(s / 3600),
             (long long)(s % 3600 / 60));
    return buf;
}

const char *bl_app_action_decision(const struct bl_words *w, const char *key, const char *id,
                                   int64_t n, char *buf, size_t cap)
{
    const json_t *e =
        w ? json_object_get(json_object_get((const json_t *)w, "action_decisions"), key) : NULL;
    if (json_is_array(e)) /* [one, many]: the sentence agrees with n */
        e = json_array_get(e, n == 1 ? 0 : json_array_size(e) - 1);
    const char *f = json_string_value(e);
    if (!f)
        return NULL;
    char count[64];
    bl_app_words_number(w, n, count, sizeof(count));
    fill2(f, "id", id ? id : "", "n", count, buf, cap);
    return buf;
}

const char *bl_app_action_actor(const struct bl_words *w, const char *text, char *buf, size_t cap)
{
    struct bl_app_actor a;
    bl_app_actor_parse(text, &a);
    const json_t *g = w ? json_object_get((const json_t *)w, "action_actors") : NULL;
    const char *tf = json_string_value(json_object_get(g, a.token_id ? "token_id" : "token"));
    const char *ff = json_string_value(json_object_get(g, "for"));
    if (!text || !g || (a.kind == BL_ACTOR_PERSON && !a.marketplace[0]) || !tf || !ff) {
        snprintf(buf, cap, "%s", text ? text : "");
        return buf;
    }
    char who[400], id[24];
    snprintf(id, sizeof(id), "%lld", (long long)a.token_id);
    if (a.kind == BL_ACTOR_TOKEN)
        fill2(tf, "name", a.name, "id", id, who, sizeof(who));
    else
        snprintf(who, sizeof(who), "%s", a.name);
    if (a.marketplace[0])
        fill2(ff, "who", who, "market", a.marketplace, buf, cap);
    else
        snprintf(buf, cap, "%s", who);
    return buf;
}

const char *bl_app_action_policy_text(const struct bl_words *w, enum bl_pb_kind k, bool apply,
                                      char *buf, size_t cap)
{
    const char *f = w ? json_string_value(
                            json_object_get(json_object_get((const json_t *)w, "action_decisions"),
                                            apply ? "policy_apply" : "policy_propose"))
                      : NULL;
    if (!f)
        return NULL;
    const char *name = bl_pb_kind_name(k);
    fill2(f, "kind", bl_app_action_word(w, "action_kinds", name), NULL, NULL, buf, cap);
    return buf;
}
