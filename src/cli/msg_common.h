/* msg_common.h - what `messages` and `banners` share (internal to src/cli): option
 * parsing of instants, the template packs on disk and rendering a kind from them. */
#ifndef BL_CLI_MSG_COMMON_H
#define BL_CLI_MSG_COMMON_H

#include <jansson.h>

#include "cli/cli.h"
#include "ballast/alloc.h"
#include "ballast/mustache.h"
#include "ballast/str.h"

/* An instant (ISO 8601) or a date YYYY-MM-DD meaning the end of that UTC day.
 * Returns 0, or 2 after printing usage. */
int bl_msg_parse_instant(struct bl_cli *cli, const char *cmd, const char *opt, const char *text,
                         int64_t *t);

/* The template packs: --templates DIR, else $BALLAST_TEMPLATES, else the source
 * tree's templates/, else ./templates. Compiled templates are cached per locale and
 * kind until bl_packs_release. */
struct bl_packs {
    const char *dir;
    const char *locales[16]; /* packs found (subdirectories with a partials/ or
                                late_shipment.subject.mustache); "en" first */
    size_t nlocales;
    char names[16][32];
    struct bl_packs_entry *cache;
    size_t ncache, capcache;
    struct bl_buf *texts; /* partial texts read during renders */
    size_t ntexts, captexts;
    char path[4096];
    const char *cur_locale;
};

const char *bl_packs_default_dir(void);
/* Finds the packs under dir. BL_ENOTFOUND when there is no en pack. */
int bl_packs_open(struct bl_packs *p, const char *dir, struct bl_diag *d) BL_MUST_CHECK;
void bl_packs_release(struct bl_packs *p);

/* Renders KIND's subject (one line, newline stripped) and plain-text body from the
 * locale's pack with data, strictly (a missing variable is an error) and without
 * HTML escaping. Appends to subject and body. */
int bl_packs_render(struct bl_packs *p, const char *locale, const char *kind, const json_t *data,
                    struct bl_buf *subject, struct bl_buf *body, struct bl_diag *d) BL_MUST_CHECK;

#endif
