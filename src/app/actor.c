/* actor.c - who did something: the stored text and its parts (actor.h). */
#include "app/actor.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char token_prefix[] = "API token ";
static const char market_infix[] = " of marketplace '";

const char *bl_app_actor_kind_name(enum bl_app_actor_kind k)
{
    return k == BL_ACTOR_TOKEN ? "token" : "person";
}

const char *bl_app_actor_format(const struct bl_app_actor *a, char *buf, size_t cap)
{
    char who[200];
    if (a->kind == BL_ACTOR_TOKEN && a->name[0])
        snprintf(who, sizeof(who), "%s'%s'", token_prefix, a->name);
    else if (a->kind == BL_ACTOR_TOKEN)
        snprintf(who, sizeof(who), "%s%lld", token_prefix, (long long)a->token_id);
    else
        snprintf(who, sizeof(who), "%s", a->name);
    if (a->marketplace[0])
        snprintf(buf, cap, "%s%s%s'", who, market_infix, a->marketplace);
    else
        snprintf(buf, cap, "%s", who);
    return buf;
}

/* Copies n bytes of s into dst (cap bytes), cut to fit. */
static void copy(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* A whole number of 1 to 18 digits: *id. */
static bool digits(const char *s, size_t n, int64_t *id)
{
    if (n == 0 || n > 18)
        return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *id = v;
    return true;
}

/* The part before " of marketplace 'NAME'" (the last such suffix: a name has no quote). */
static size_t strip_market(const char *text, size_t n, struct bl_app_actor *out)
{
    if (n < sizeof(market_infix) + 1 || text[n - 1] != '\'')
        return n;
    for (size_t i = n - sizeof(market_infix); i-- > 0;) {
        if (memcmp(text + i, market_infix, sizeof(market_infix) - 1) != 0)
            continue;
        size_t from = i + sizeof(market_infix) - 1, len = n - 1 - from;
        if (len == 0 || memchr(text + from, '\'', len))
            return n;
        copy(out->marketplace, sizeof(out->marketplace), text + from, len);
        return i;
    }
    return n;
}

void bl_app_actor_parse(const char *text, struct bl_app_actor *out)
{
    memset(out, 0, sizeof(*out));
    if (!text)
        return;
    size_t n = strip_market(text, strlen(text), out);
    size_t p = sizeof(token_prefix) - 1;
    if (n > p && memcmp(text, token_prefix, p) == 0) {
        if (n >= p + 2 && text[p] == '\'' && text[n - 1] == '\'') {
            out->kind = BL_ACTOR_TOKEN;
            copy(out->name, sizeof(out->name), text + p + 1, n - p - 2);
            return;
        }
        if (digits(text + p, n - p, &out->token_id)) {
            out->kind = BL_ACTOR_TOKEN;
            return;
        }
    }
    copy(out->name, sizeof(out->name), text, n);
}
