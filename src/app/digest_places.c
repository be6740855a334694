/* digest_places.c - the places the digest names, read while the store is at hand: the
 * regions of the disruptions changed since the previous cycle, in each language the
 * digest is written in (digest_impl.h). */
#include <string.h>

#include "app/digest_impl.h"
#include "app/words.h"

int bl__digest_places(struct bl_store *st, int64_t org, struct bl_app_cycle_res *res,
                      struct bl_diag *d)
{
    struct bl_digest_facts *f = &res->facts;
    memset(res->dis_place, 0, sizeof(res->dis_place));
    if (!f->ndisruption)
        return BL_OK;
    static const char *const locales[2] = {"en", "zh-CN"};
    struct bl__words w;
    int rc = bl__words_open(&w, st, org, locales, 2, d);
    for (size_t i = 0; !rc && i < f->ndisruption; i++) {
        if (!f->disruption[i].kind[0])
            continue; /* removed since: nothing to name */
        for (size_t k = 0; !rc && k < 2; k++) {
            char buf[256];
            rc = bl__words_place(&w, locales[k], f->disruption[i].region, buf, sizeof(buf), d);
            if (!rc && !(res->dis_place[i][k] = bl_arena_strndup(&f->arena, buf, strlen(buf))))
                rc = bl_diag_set(d, BL_ENOMEM, "digest: out of memory");
        }
    }
    bl__words_release(&w);
    return rc;
}
