/* packs.h - the template packs on disk (internal to src/app): one directory per
 * locale (en/, zh-CN/...) holding KIND.subject.mustache, KIND.txt.mustache and
 * partials/. The outbox (messages) and the shop banners render from them.
 *
 * Ownership: struct bl_packs owns the compiled templates and partial texts it read
 * until bl__packs_release; dir is borrowed (must outlive the packs). */
#ifndef BL_APP_PACKS_H
#define BL_APP_PACKS_H

#include <jansson.h>

#include "ballast/alloc.h"
#include "ballast/err.h"
#include "ballast/mustache.h"
#include "ballast/str.h"

struct bl_packs {
    const char *dir;
    const char *locales[16]; /* packs found (subdirectories with a
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

/* Finds the packs under dir. BL_ENOTFOUND when there is no en pack. */
int bl__packs_open(struct bl_packs *p, const char *dir, struct bl_diag *d) BL_MUST_CHECK;
void bl__packs_release(struct bl_packs *p); /* safe on a zeroed struct */

/* Renders KIND's subject (one line, newline stripped) and plain-text body from the
 * locale's pack with data, strictly (a missing variable is an error) and without
 * HTML escaping. Appends to subject and body. Compiled templates are cached. */
int bl__packs_render(struct bl_packs *p, const char *locale, const char *kind,
                     const json_t *data, struct bl_buf *subject, struct bl_buf *body,
                     struct bl_diag *d) BL_MUST_CHECK;

/* The same for a shop on platform (NULL or "": none): KIND.PLATFORM.subject.mustache
 * and KIND.PLATFORM.txt.mustache where the pack has them, each on its own, else the
 * general ones (templates/README.md, "Per-platform wording"). */
int bl__packs_render_for(struct bl_packs *p, const char *locale, const char *kind,
                         const char *platform, const json_t *data, struct bl_buf *subject,
                         struct bl_buf *body, struct bl_diag *d) BL_MUST_CHECK;

#endif
