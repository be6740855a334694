/* programs_explain.c - bl_app_program_explain: one shop's decision in one programme, with
 * the places in the reader's words (programs.h). */
#include <string.h>

#include "app/programs.h"
#include "app/words.h"
#include "ballast/assess.h" /* BL_NO_TIME */
#include "store/message.h"

/* The covering disruption's kind and region. */
static int covering(struct bl_store *st, int64_t org, struct bl_app_pg_explain *out,
                    const struct bl__words *w, const char *locale, struct bl_diag *d)
{
    struct bl_msg_disruption *x = NULL;
    size_t n = 0;
    int rc = bl_store_message_disruptions(st, org, out->as_of, &out->res.arena, &x, &n, d);
    for (size_t i = 0; !rc && i < n; i++)
        if (x[i].id == out->x->v.disruption) {
            out->kind = x[i].kind;
            rc = bl__words_place(w, locale, x[i].cover.region, out->dis_region,
                                 sizeof(out->dis_region), d);
        }
    bl_free(x);
    return rc;
}

static int words(struct bl_store *st, int64_t org, const char *locale,
                 struct bl_app_pg_explain *out, struct bl_diag *d)
{
    struct bl__words w;
    memset(&w, 0, sizeof(w));
    const char *const locales[] = {locale};
    int rc = bl__words_open(&w, st, org, locales, 1, d);
    if (!rc && out->x->shop->region)
        rc = bl__words_place(&w, locale, out->x->shop->region, out->region, sizeof(out->region), d);
    if (!rc && out->x->v.disruption)
        rc = covering(st, org, out, &w, locale, d);
    bl__words_release(&w);
    return rc;
}

/* Whether s is the shop called name: its id in the marketplace's own organisation, or
 * MERCHANT/SHOP for a shop of a merchant organisation it governs. */
static bool is_shop(const struct bl_pg_shop_row *s, int64_t org, const char *name)
{
    if (s->org == org)
        return strcmp(s->ext, name) == 0;
    size_t n = strlen(s->org_name);
    return strncmp(name, s->org_name, n) == 0 && name[n] == '/' &&
           strcmp(name + n + 1, s->ext) == 0;
}

int bl_app_program_explain(struct bl_store *st, int64_t org, const char *ext, const char *shop,
                           int64_t as_of, const char *locale, struct bl_app_pg_explain *out,
                           struct bl_diag *d)
{
    memset(out, 0, sizeof(*out));
    out->as_of = as_of;
    out->stored.since = out->stored.lost_at = BL_NO_TIME;
    struct bl_app_programs_eval_req req = {.as_of = as_of, .dry_run = true, .program = ext};
    int rc = bl_app_programs_eval(st, org, &req, &out->res, d);
    for (size_t i = 0; !rc && i < out->res.n && !out->x; i++)
        if (is_shop(out->res.d[i].shop, org, shop))
            out->x = &out->res.d[i];
    if (!rc && !out->x) {
        bl_diag_at(d, NULL, 0, "explain");
        return bl_diag_set(d, BL_ENOTFOUND, "no shop '%s'", shop);
    }
    for (size_t i = 0; !rc && i < out->res.n; i++)
        out->members += out->res.d[i].v.reason == BL_PG_OK;
    struct bl_member_row *m = NULL;
    size_t nm = 0;
    rc = rc ? rc
            : bl_store_program_members(st, org, out->res.programs[0].id, &out->res.arena, &m, &nm,
                                       d);
    for (size_t i = 0; !rc && i < nm; i++)
        if (m[i].shop_id == out->x->shop->id && m[i].shop_org == out->x->shop->org) {
            out->stored = m[i];
            out->has_stored = true;
        }
    bl_free(m);
    return rc ? rc : words(st, org, locale, out, d);
}

void bl_app_pg_explain_release(struct bl_app_pg_explain *e)
{
    bl_app_programs_eval_res_release(&e->res);
    memset(e, 0, sizeof(*e));
}
