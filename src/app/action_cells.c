/* action_cells.c - the words around an action's reason in the tables of `ballast actions`
 * and `ballast playbook`, from the operator packs (action_cells.h). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app/action_cells.h"
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

/* f with every {{key}} replaced by val, into buf (truncated to cap). */
static void fill2(const char *f, const char *k1, const char *v1, const char *k2, const char *v2,
                  char *buf, size_t cap)
{
    size_t at = 0;
    if (!cap)
        return;
    while (*f && at + 1 < cap) {
        const char *val = NULL;
        size_t skip = 0;
        if (f[0] == '{' && f[1] == '{') {
            const char *end = strstr(f + 2, "}}");
            size_t n = end ? (size_t)(end - (f + 2)) : 0;
            if (end && k1 && strlen(k1) == n && strncmp(f + 2, k1, n) == 0)
                val = v1, skip = n + 4;
            else if (end && k2 && strlen(k2) == n && strncmp(f + 2, k2, n) == 0)
                val = v2, skip = n + 4;
        }
        if (!val) {
            buf[at++] = *f++;
            continue;
        }
        size_t n = strlen(val);
        if (n > cap - 1 - at)
            n = cap - 1 - at;
        memcpy(buf + at, val, n);
        at += n;
        f += skip;
    }
    buf[at] = '\0';
}

/* The English of a value: the words of the en pack (templates/operator/en/words.json,
 * action_values), kept in C so that the English table needs no pack. */
static const char *english_value(const char *field, int64_t v)
{
    if (v != 0 && v != 1)
        return NULL; /* not a flag: its number */
    if (strcmp(field, "promoted") == 0)
        return v ? "promoted" : "not promoted";
    if (strcmp(field, "marketing_mail_paused") == 0)
        return v ? "mail paused" : "mail on";
    if (strcmp(field, "vacation") == 0)
        return v ? "on vacation" : "open";
    return NULL;
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
    else if (!w && english_value(field, v))
        snprintf(buf, cap, "%s", english_value(field, v));
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
    const char *f = w ? json_string_value(json_object_get(
                            json_object_get((const json_t *)w, "action_decisions"), key))
                      : NULL;
    if (!f)
        return NULL;
    char count[24];
    snprintf(count, sizeof(count), "%lld", (long long)n);
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
