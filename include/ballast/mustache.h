/* mustache.h - Mustache templates: compile once, render against a JSON data tree.
 *
 * Implements the required modules of the Mustache specification (interpolation,
 * sections, inverted sections, comments, partials, set delimiters); no lambdas.
 * Design, data model, limits and error messages: docs/internals/mustache.md.
 *
 * Pure: no I/O, no clock, no globals. Partials are asked for through a callback the
 * caller provides, so the engine never opens a file.
 *
 * Errors name the template, the line and the tag, in a struct bl_diag whose `file`
 * is the template name, `line` the 1-based line and `msg` e.g.
 * "unclosed section {{#order}}" (bl_diag_format gives "late.txt:3: unclosed ...").
 */
#ifndef BALLAST_MUSTACHE_H
#define BALLAST_MUSTACHE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "ballast/err.h"
#include "ballast/str.h"

/* Partials may nest (a partial including a partial...) at most this deep. */
#define BL_MUSTACHE_MAX_PARTIAL_DEPTH 64
/* Sections may nest at most this deep inside one template. */
#define BL_MUSTACHE_MAX_NESTING 128
/* Default work budget of one render (tags and text pieces visited). */
#define BL_MUSTACHE_DEFAULT_STEPS 10000000ul
/* Default most bytes one render may write (a message is kilobytes; a report, megabytes). */
#define BL_MUSTACHE_DEFAULT_OUTPUT ((size_t)16 << 20)

/* A compiled template: immutable, may be rendered any number of times (also from
 * several threads at once). Caller owns; free with bl_mustache_free(). */
struct bl_mustache;

/* Compiles text (copied; the caller may free it afterwards). name is used in error
 * messages (truncated to 255 bytes); NULL means "template". On success *out is the
 * compiled template; on failure *out is NULL and d says where and why:
 * BL_EPARSE for syntax errors (unclosed tag or section, mismatched close, bad
 * delimiter, bad name), BL_ETOOBIG for sections nested past BL_MUSTACHE_MAX_NESTING
 * or text over 64 MiB, BL_ENOMEM. */
int bl_mustache_compile(struct bl_mustache **out, const char *name, struct bl_str text,
                        struct bl_diag *d) BL_MUST_CHECK;

/* Frees a compiled template; NULL is allowed. */
void bl_mustache_free(struct bl_mustache *t);

/* The name given at compile time. */
const char *bl_mustache_name(const struct bl_mustache *t);

/* A partial's source, filled in by the partial callback. */
struct bl_mustache_src {
    struct bl_str text; /* borrowed: must stay valid until bl_mustache_render returns */
    const char *file;   /* name for error messages (copied); NULL means the partial name */
};

/* Looks up partial `name` (the tag's name, trimmed). Returns BL_OK after filling *src,
 * BL_ENOTFOUND when there is no such partial (rendered as empty text in lenient mode,
 * an error in strict mode), or another negative code (with d set) to stop rendering. */
typedef int (*bl_mustache_partial_fn)(void *ctx, struct bl_str name, struct bl_mustache_src *src,
                                      struct bl_diag *d);

struct bl_mustache_opts {
    /* false: the specification's behaviour, a missing name renders as nothing and a
     * missing partial as empty text. true: a name that resolves to nothing (in a
     * variable, section or inverted section tag), a missing partial or a variable that
     * holds an object or array is an error (BL_ENOTFOUND / BL_EINVAL). A key present
     * with the value null is not missing. For checking templates against sample data
     * when they are loaded. */
    bool strict;
    /* true: {{x}} inserts values as they are, like {{{x}}}; for plain-text output
     * (subjects, text bodies), where HTML escaping would show "&amp;" to the reader.
     * false (the specification's default): {{x}} escapes & < > " ' for HTML. */
    bool no_escape;
    bl_mustache_partial_fn partial; /* NULL: no partials exist */
    void *partial_ctx;
    /* Work budget: nodes visited before failing with BL_ETOOBIG; 0 means
     * BL_MUSTACHE_DEFAULT_STEPS. */
    unsigned long max_steps;
    /* Most bytes the render may append to out, BL_ETOOBIG past it; 0 means
     * BL_MUSTACHE_DEFAULT_OUTPUT. out->max (when smaller) bounds it too. A section over a
     * list is refused before its first pass when the list's length times the section's
     * own text, or times its own tags, is already past a limit. */
    size_t max_output;
};

/* Renders t with data as the root context and appends the text to out. opts may be
 * NULL (lenient, no partials). Errors: BL_ENOTFOUND / BL_EINVAL (strict mode),
 * BL_EPARSE (a partial does not compile), BL_ETOOBIG (partials nested past
 * BL_MUSTACHE_MAX_PARTIAL_DEPTH, work budget or out->max exceeded), BL_ENOMEM, or
 * whatever the partial callback returned. On error out holds the text rendered so
 * far (the caller usually discards it). */
int bl_mustache_render(const struct bl_mustache *t, const json_t *data,
                       const struct bl_mustache_opts *opts, struct bl_buf *out,
                       struct bl_diag *d) BL_MUST_CHECK;

#endif
