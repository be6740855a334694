/* json_doc.c - the opening the JSON file formats share (json_doc.h). */
#include "io/formats/json_doc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

json_t *bl_json_doc_load(struct bl_json_doc *c, const char *text, size_t len, size_t max)
{
    if (max && len > max) {
        bl_diag_clear(c->d);
        bl_diag_at(c->d, c->file, 0, NULL);
        bl_diag_set(c->d, BL_ETOOBIG, "larger than %zu bytes", max);
        return NULL;
    }
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        bl_diag_clear(c->d);
        bl_diag_at(c->d, c->file, je.line > 0 ? je.line : 0, NULL);
        bl_diag_set(c->d, BL_EPARSE, "bad JSON at column %d: %s", je.column, je.text);
    }
    return root;
}

int bl_json_doc_bad(struct bl_json_doc *c, const char *path, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    bl_diag_clear(c->d);
    bl_diag_at(c->d, c->file, 0, path);
    return bl_diag_set(c->d, BL_EPARSE, "%s", msg);
}

static bool in_list(const char *k, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (strcmp(k, list[i]) == 0)
            return true;
    return false;
}

int bl_json_doc_unknown(struct bl_json_doc *c, json_t *obj, const char *const *known,
                        const char *where)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        (void)v;
        if (in_list(k, known))
            continue;
        char path[96];
        snprintf(path, sizeof(path), "%s%s%.40s", where, where[0] ? "." : "", k);
        if (c->guide)
            return bl_json_doc_bad(c, path,
                                   "unknown field (a typo?): expected one of the "
                                   "fields of %s",
                                   c->guide);
        return bl_json_doc_bad(c, path, "unknown field (a typo?)");
    }
    return BL_OK;
}
