/* json_doc.h - the opening every JSON file format shares (profile.c, program.c): the text
 * parsed with its syntax errors named by file, line and column, a wrong field named by
 * its path (rules[0].metric) with what was expected, and unknown fields refused as typos.
 *
 * Ownership: struct bl_json_doc borrows its strings and diag; bl_json_doc_load returns a
 * new reference the caller json_decref's. */
#ifndef BL_IO_JSON_DOC_H
#define BL_IO_JSON_DOC_H

#include <jansson.h>
#include <stddef.h>

#include "ballast/err.h"

struct bl_json_doc {
    const char *file;  /* named in every message */
    const char *guide; /* where the fields are described ("docs/formats.md, ..."), or NULL */
    struct bl_diag *d;
};

/* The document in text (duplicate keys refused), or NULL with d set: BL_ETOOBIG over max
 * bytes (0: no limit), else BL_EPARSE with the line in d and "bad JSON at column C: why". */
json_t *bl_json_doc_load(struct bl_json_doc *c, const char *text, size_t len, size_t max);

/* BL_EPARSE with d naming the file and the field's path ("" the whole document). */
int bl_json_doc_bad(struct bl_json_doc *c, const char *path, const char *fmt, ...) BL_PRINTF(3, 4);

/* BL_EPARSE naming the first key of obj not in known (NULL-terminated), under where
 * ("" the top); BL_OK when there is none. */
int bl_json_doc_unknown(struct bl_json_doc *c, json_t *obj, const char *const *known,
                        const char *where);

#endif
