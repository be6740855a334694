/* user_lang.c - a user's language: the dashboard's switch, kept for the user (user.h). */
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "app/user.h"

static const char *const languages[] = {"en", "zh-CN"};

int bl_app_user_language_check(const char *language, struct bl_diag *d)
{
    if (!language)
        return BL_OK;
    for (size_t i = 0; i < sizeof(languages) / sizeof(languages[0]); i++)
        if (strcmp(language, languages[i]) == 0)
            return BL_OK;
    char shown[BL_SHOW_BUF];
    bl_diag_at(d, NULL, 0, "language");
    return bl_diag_set(d, BL_EINVAL, "language %s: expected en or zh-CN (or null: none)",
                       bl_str_show(bl_str_c(language), BL_SHOW, shown));
}

static json_t *lang_json(const char *name, const char *language)
{
    return json_pack("{s:s, s:s?}", "name", name, "language",
                     language && language[0] ? language : NULL);
}

int bl_app_user_language_set(struct bl_store *st, int64_t org, int64_t user_id,
                             const char *language, int64_t now, struct bl_diag *d)
{
    int rc = bl_app_user_language_check(language, d);
    if (rc)
        return rc;
    struct bl_user_row u;
    rc = bl_store_begin(st, d);
    rc = rc ? rc : bl_store_user_by_id(st, org, user_id, &u, d);
    if (rc == BL_ENOTFOUND)
        rc = bl_diag_set(d, BL_ENOTFOUND, "no such user (removed since this session began?)");
    bool same = !rc && strcmp(u.language, language ? language : "") == 0;
    rc = rc || same ? rc : bl_store_user_set_language(st, org, user_id, language, d);
    rc = rc || same ? rc
                    : bl_app_audit(st, org, bl_app_now_or(now), "user.language", "user", u.name,
                                   lang_json(u.name, u.language), lang_json(u.name, language), d);
    return bl_store_end(st, rc, d);
}

int bl_app_user_language(struct bl_store *st, int64_t org, int64_t user_id, char *out, size_t cap,
                         struct bl_diag *d)
{
    struct bl_user_row u;
    int rc = bl_store_user_by_id(st, org, user_id, &u, d);
    if (rc)
        return rc;
    snprintf(out, cap, "%s", u.language);
    return BL_OK;
}
