/* whatif_words.c - what a what-if's reader sees instead of codes (whatif.h): each event's
 * region as its area's or subdivision's name ("the area around Yiwu", "义乌一带"), and
 * each order's buyer language (the delivery country's main language), for the messages. */
#include <string.h>

#include "app/whatif_impl.h"
#include "app/words.h"
#include "ballast/l10n.h"

#define LANGS 256

/* The country node of region id r (depth 1), or 0. */
static uint32_t country(const struct bl_regions *g, uint32_t r)
{
    while (r && bl_regions_depth(g, r) > 1)
        r = bl_regions_parent(g, r);
    return r;
}

static uint8_t lang_of(struct bl__wi_app *x, const char *code)
{
    char tag[16];
    bool from_country;
    bl__words_language(NULL, code, tag, sizeof(tag), &from_country);
    if (!tag[0])
        return 0;
    for (size_t k = 1; k < x->nlangs; k++)
        if (strcmp(x->langs[k], tag) == 0)
            return (uint8_t)k;
    if (x->nlangs == LANGS)
        return 0;
    memcpy(x->langs[x->nlangs], tag, sizeof(tag));
    return (uint8_t)x->nlangs++;
}

static int languages(struct bl__wi_app *x, struct bl_diag *d)
{
    const struct bl_snapshot *s = &x->res->snap;
    uint32_t nreg = bl_regions_count(s->regions);
    x->langs = bl_arena_alloc(&x->res->arena, LANGS * sizeof(*x->langs));
    x->lang = bl_arena_alloc(&x->res->arena, s->orders.n + 1);
    int16_t *by_country = bl_arena_alloc(&x->res->arena, (nreg + 1) * sizeof(int16_t));
    if (!x->langs || !x->lang || !by_country)
        return bl_diag_set(d, BL_ENOMEM, "what-if: out of memory");
    memset(x->langs[0], 0, sizeof(x->langs[0]));
    memcpy(x->langs[0], "und", 4);
    x->nlangs = 1;
    for (uint32_t r = 0; r <= nreg; r++)
        by_country[r] = -1;
    for (size_t i = 0; i < s->orders.n; i++) {
        uint32_t c = country(s->regions, s->orders.to[i]);
        if (c > nreg)
            c = 0;
        if (by_country[c] < 0)
            by_country[c] = c ? lang_of(x, bl_regions_name(s->regions, c)) : 0;
        x->lang[i] = (uint8_t)by_country[c];
    }
    return BL_OK;
}

/* Each event's region in the reader's words. */
static int places(struct bl__wi_app *x, struct bl_diag *d)
{
    const struct bl_wi_assume *as = x->req->assume;
    size_t n = as ? as->n : 0;
    x->res->place = bl_arena_alloc(&x->res->arena, (n + 1) * sizeof(char *));
    if (!x->res->place)
        return bl_diag_set(d, BL_ENOMEM, "what-if: out of memory");
    const char *locale = x->req->locale ? x->req->locale : "en";
    struct bl__words w;
    memset(&w, 0, sizeof(w));
    int rc = n ? bl__words_open(&w, x->st, x->org, &locale, 1, d) : BL_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        char buf[200];
        x->res->place[i] = NULL;
        if (!as->ev[i].region[0])
            continue;
        rc = bl__words_place(&w, locale, as->ev[i].region, buf, sizeof(buf), d);
        if (!rc && !(x->res->place[i] = bl_arena_strndup(&x->res->arena, buf, strlen(buf))))
            rc = bl_diag_set(d, BL_ENOMEM, "what-if: out of memory");
    }
    bl__words_release(&w);
    return rc;
}

int bl__wi_words(struct bl__wi_app *x, struct bl_diag *d)
{
    int rc = languages(x, d);
    return rc ? rc : places(x, d);
}
