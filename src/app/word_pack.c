/* word_pack.c - the words of a locale pack (templates/operator/<locale>/words.json; the
 * API in digest.h, the helpers the digest shares in digest_impl.h). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "app/digest.h"
#include "app/digest_impl.h"
#include "ballast/app.h"

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

void bl__pack_count(const json_t *words, const char *group, const char *name, int64_t n, char *out,
                    size_t cap)
{
    json_t *pair = json_object_get(json_object_get(words, group), name);
    const char *w = json_string_value(json_array_get(pair, n == 1 ? 0 : 1));
    if (w) {
        snprintf(out, cap, "%lld %s", (long long)n, w);
        return;
    }
    snprintf(out, cap, "%lld %s", (long long)n, name);
    for (char *p = out; *p; p++)
        if (*p == '_')
            *p = ' ';
}

int bl_app_words_open(const char *dir, const char *locale, struct bl_words **out, struct bl_diag *d)
{
    char rel[64];
    snprintf(rel, sizeof(rel), "operator/%s/words.json",
             locale && strcmp(locale, "zh-CN") == 0 ? "zh-CN" : "en");
    return bl_app_words_open_file(dir, rel, out, d);
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
