/* word_pack.c - the words of a locale pack (templates/operator/<locale>/words.json; the
 * API in digest.h, the helpers the digest shares in digest_impl.h). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app/digest.h"
#include "app/digest_impl.h"
#include "ballast/app.h"
#include "ballast/l10n.h"

json_t *bl__pack_word(const json_t *words, const char *group, const char *code)
{
    const json_t *g = group[0] ? json_object_get(words, group) : words;
    const char *w = json_string_value(json_object_get(g, code));
    if (w)
        return json_string(w);
    char buf[128];
    snprintf(buf, sizeof(buf), "%s", code);
    for (char *p = buf; *p; p++)
        if (*p == '_')
            *p = ' ';
    return json_string(buf);
}

void bl__pack_number(const json_t *words, int64_t n, char *out, size_t cap)
{
    const char *locale = json_string_value(json_object_get(words, "locale"));
    struct bl_diag ig;
    bl_diag_clear(&ig);
    if (!locale || bl_l10n_count(locale, n, out, cap, &ig) != BL_OK)
        snprintf(out, cap, "%lld", (long long)n);
}

json_t *bl__pack_number_json(const json_t *words, int64_t n)
{
    char buf[64];
    bl__pack_number(words, n, buf, sizeof(buf));
    return json_string(buf);
}

void bl__pack_count(const json_t *words, const char *group, const char *name, int64_t n, char *out,
                    size_t cap)
{
    json_t *pair = json_object_get(json_object_get(words, group), name);
    const char *w = json_string_value(json_array_get(pair, n == 1 ? 0 : 1));
    char num[64];
    bl__pack_number(words, n, num, sizeof(num));
    snprintf(out, cap, "%s %s", num, w ? w : name);
    size_t at = strlen(out) < strlen(num) ? strlen(out) : strlen(num); /* past the number */
    for (char *p = out + at; !w && *p; p++)
        if (*p == '_')
            *p = ' ';
}

int bl_app_words_open(const char *dir, const char *locale, struct bl_words **out, struct bl_diag *d)
{
    const char *which = locale && strcmp(locale, "zh-CN") == 0 ? "zh-CN" : "en";
    char rel[64];
    snprintf(rel, sizeof(rel), "operator/%s/words.json", which);
    int rc = bl_app_words_open_file(dir, rel, out, d);
    if (!rc && json_object_set_new((json_t *)*out, "locale", json_string(which))) {
        bl_app_words_free(*out);
        *out = NULL;
        return bl_diag_set(d, BL_ENOMEM, "%s: out of memory", rel);
    }
    return rc;
}

int bl_app_words_open_file(const char *dir, const char *rel, struct bl_words **out,
                           struct bl_diag *d)
{
    if (!dir)
        dir = bl_app_templates_dir();
    char path[4200];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    json_error_t je;
    json_t *words = json_load_file(path, 0, &je);
    if (!words)
        return bl_diag_set(d, BL_EPARSE, "%s:%d: %s", path, je.line, je.text);
    *out = (struct bl_words *)words;
    return BL_OK;
}

void bl_app_words_free(struct bl_words *w)
{
    json_decref((json_t *)w);
}

void bl_app_words_number(const struct bl_words *w, int64_t n, char *out, size_t cap)
{
    bl__pack_number((const json_t *)w, n, out, cap);
}

void bl_app_words_count(const struct bl_words *w, const char *name, int64_t n, char *out,
                        size_t cap)
{
    bl__pack_count((const json_t *)w, "counts", name, n, out, cap);
}

void bl_app_words_code(const struct bl_words *w, const char *group, const char *code, char *out,
                       size_t cap)
{
    json_t *x = bl__pack_word((const json_t *)w, group, code);
    snprintf(out, cap, "%s", json_string_value(x) ? json_string_value(x) : code);
    json_decref(x);
}

const char *bl_app_words_phrase(const struct bl_words *w, const char *key, const char *dflt)
{
    const char *s = json_string_value(json_object_get((const json_t *)w, key));
    return s ? s : dflt;
}

const char *bl_app_words_sep(const struct bl_words *w)
{
    return bl_app_words_phrase(w, "list_sep", ", ");
}

const char *bl__pack_sep(const json_t *words)
{
    return bl_app_words_sep((const struct bl_words *)words);
}
