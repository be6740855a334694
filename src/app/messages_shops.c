/* messages_shops.c - what the outbox knows of each shop: its settings, its platform's
 * messaging rules, its auto-send opt-ins and its horizon (app_msg.h); and the
 * settings use cases (messages.h). */
#include <stdlib.h>
#include <string.h>

#include "app/app_msg.h"
#include "app/audit.h"
#include "ballast/app.h"
#include "ballast/csv.h"
#include "ballast/map.h"
#include "ballast/profile.h"
#include "ballast/time.h"

/* ---------------------------------------------------------------- loading */

static int by_id(const void *k, const void *e)
{
    int64_t a = *(const int64_t *)k, b = ((const struct bl_msg_shop_set *)e)->id;
    return (a > b) - (a < b);
}

const struct bl__msg_shop *bl__msg_shop_find(const struct bl__msg_shops *s, int64_t id)
{
    const struct bl_msg_shop_set *x = s->n ? bsearch(&id, s->sets, s->n, sizeof(*s->sets), by_id)
                                           : NULL;
    return x ? &s->x[x - s->sets] : NULL;
}

void bl__msg_shops_release(struct bl__msg_shops *s)
{
    bl_free(s->sets);
    bl_free(s->x);
    memset(s, 0, sizeof(*s));
}

/* The rules of each shop's profile, read once per profile. */
static int load_rules(struct bl__msg_shops *s, struct bl_diag *d)
{
    for (size_t i = 0; i < s->n; i++) {
        const char *prof = s->sets[i].profile ? s->sets[i].profile : "";
        size_t same = 0;
        while (same < i && strcmp(s->sets[same].profile ? s->sets[same].profile : "", prof))
            same++;
        if (same < i) {
            s->x[i].rules = s->x[same].rules;
            continue;
        }
        struct bl_diag pd;
        bl_diag_clear(&pd);
        int rc = prof[0] ? bl_profile_messaging_load(bl_profile_dir(), prof, &s->x[i].rules, &pd)
                         : BL_ENOTFOUND;
        if (rc == BL_ENOTFOUND || rc == BL_EINVAL)
            bl_msg_rules_default(&s->x[i].rules); /* no profile: no platform rule */
        else if (rc) {
            *d = pd;
            return rc;
        }
    }
    return BL_OK;
}

int bl__msg_shops_load(struct bl_store *st, int64_t org, int64_t as_of, int horizon_days,
                       struct bl_arena *a, struct bl__msg_shops *out, struct bl_diag *d)
{
    memset(out, 0, sizeof(*out));
    struct bl_msg_auto *au = NULL;
    size_t nau = 0;
    int rc = bl_store_shop_settings(st, org, a, &out->sets, &out->n, d);
    if (!rc && out->n && !(out->x = bl_calloc(out->n, sizeof(*out->x))))
        rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    if (!rc)
        rc = load_rules(out, d);
    if (!rc)
        rc = bl_store_message_auto(st, org, a, &au, &nau, d);
    uint32_t every = 0;
    for (size_t k = 0; !rc && k < nau; k++) {
        enum bl_msg_kind kind = bl_msg_kind_from_name(au[k].kind);
        if (kind == BL_MSG__COUNT)
            continue;
        if (au[k].shop_id == 0)
            every |= BL_MSG_BIT(kind);
        else if (bl__msg_shop_find(out, au[k].shop_id))
            out->x[bl__msg_shop_find(out, au[k].shop_id) - out->x].autosend |= BL_MSG_BIT(kind);
    }
    for (size_t i = 0; !rc && i < out->n; i++) {
        struct bl__msg_shop *x = &out->x[i];
        x->s = &out->sets[i];
        x->autosend |= every;
        int days = horizon_days >= 0 ? horizon_days : x->rules.horizon_days;
        x->since = as_of - (int64_t)days * BL_DAY_SECS;
    }
    bl_free(au);
    if (rc)
        bl__msg_shops_release(out);
    return rc;
}

/* ---------------------------------------------------------------- settings in text */

#define MARK '\x1e'

static const char *marker(enum bl_msg_setting k)
{
    static const char *const m[BL_SET__COUNT] = {
        "\x1e" "account_url\x1e", "\x1e" "support_contact\x1e", "\x1e" "support_hours\x1e",
        "\x1e" "signature\x1e", "\x1e" "sender\x1e"};
    return m[k];
}

static const char *setting(const struct bl__msg_shop *sh, enum bl_msg_setting k)
{
    const char *v = sh && sh->s ? sh->s->set[k] : NULL;
    return v && v[0] ? v : marker(k);
}

int bl__msg_settings_data(const struct bl__msg_shop *sh, const struct bl_app_messages_plan_req *rq,
                          struct bl_app_messages_plan_req *out, json_t *j)
{
    *out = *rq;
    out->account_url = setting(sh, BL_SET_ACCOUNT_URL);
    out->support_contact = setting(sh, BL_SET_SUPPORT);
    out->support_hours = setting(sh, BL_SET_SUPPORT_HOURS);
    json_t *v = json_string(setting(sh, BL_SET_SIGNATURE));
    return !v || json_object_set_new(j, "signature", v) ? BL_ENOMEM : BL_OK;
}

int bl__msg_settle(struct bl_buf *text, struct bl_buf *tmp, uint32_t *missing)
{
    *missing = 0;
    if (!memchr(text->ptr ? text->ptr : "", MARK, text->len))
        return BL_OK;
    bl_buf_reset(tmp);
    const char *p = text->ptr, *end = text->ptr + text->len;
    int rc = BL_OK;
    while (!rc && p < end) {
        const char *m = memchr(p, MARK, (size_t)(end - p));
        const char *close = m ? memchr(m + 1, MARK, (size_t)(end - m - 1)) : NULL;
        if (!m || !close) {
            rc = bl_buf_add(tmp, p, (size_t)(end - p));
            break;
        }
        struct bl_str name = {m + 1, (size_t)(close - m - 1)};
        enum bl_msg_setting k = bl_msg_setting_from_name(name);
        rc = bl_buf_add(tmp, p, (size_t)(m - p));
        if (!rc && k != BL_SET__COUNT) {
            *missing |= 1u << k;
            rc = bl_buf_addf(tmp, "[not set: %s]", bl_msg_setting_name(k));
        }
        p = close + 1;
    }
    if (rc) {
        *missing = 0;
        return BL_ENOMEM;
    }
    bl_buf_reset(text);
    return tmp->len ? bl_buf_add(text, tmp->ptr, tmp->len) : BL_OK;
}

/* ---------------------------------------------------------------- use cases */

int bl_app_shop_settings(struct bl_store *st, int64_t org, struct bl_app_shop_settings_res *res,
                         struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 0);
    struct bl_msg_shop_set *s = NULL;
    size_t n = 0;
    int rc = bl_store_shop_settings(st, org, &res->arena, &s, &n, d);
    if (!rc && n && !(res->shops = bl_calloc(n, sizeof(*res->shops))))
        rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        struct bl_app_shop_settings *x = &res->shops[res->n++];
        *x = (struct bl_app_shop_settings){.shop = s[i].ext, .name = s[i].name,
                                           .platform = s[i].platform,
                                           .sender_name = s[i].sender_name};
        memcpy(x->set, s[i].set, sizeof(x->set));
    }
    bl_free(s);
    return rc;
}

void bl_app_shop_settings_res_release(struct bl_app_shop_settings_res *res)
{
    bl_free(res->shops);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}

static bool is_address(const char *s)
{
    const char *at = strchr(s, '@');
    return at && at > s && strchr(at + 1, '.') && !strchr(at + 1, '@') &&
           !strpbrk(s, " <>\t\r\n,;\"");
}

static int check(const struct bl_app_shop_settings_req *rq, struct bl_diag *d)
{
    const char *u = rq->set[BL_SET_ACCOUNT_URL], *f = rq->set[BL_SET_SENDER],
               *c = rq->set[BL_SET_SUPPORT];
    if (u && u[0] && ((strncmp(u, "https://", 8) && strncmp(u, "http://", 7)) ||
                      strpbrk(u, " \t\r\n") || strlen(u) < 10))
        return bl_diag_set(d, BL_EINVAL, "account page URL '%s': expected a web "
                                         "address (https://...)", u);
    if (f && f[0] && !is_address(f))
        return bl_diag_set(d, BL_EINVAL, "sender '%s': expected an e-mail address "
                                         "(name@domain)", f);
    if (c && strchr(c, '@') && !is_address(c))
        return bl_diag_set(d, BL_EINVAL, "support contact '%s': expected an e-mail "
                                         "address, a phone number or a web address", c);
    for (unsigned k = 0; k < BL_SET__COUNT; k++)
        if (rq->set[k] && (strlen(rq->set[k]) > 2000 || strchr(rq->set[k], MARK)))
            return bl_diag_set(d, BL_EINVAL, "%s: at most 2000 characters of text",
                               bl_msg_setting_name((enum bl_msg_setting)k));
    return BL_OK;
}

/* The request's values over the shop's (NULL: left as they are). */
static void apply(const struct bl_app_shop_settings_req *req, struct bl_msg_shop_set *x)
{
    for (unsigned k = 0; k < BL_SET__COUNT; k++)
        if (req->set[k])
            x->set[k] = req->set[k];
    if (req->sender_name)
        x->sender_name = req->sender_name;
}

/* The columns of a settings file: shop, then any of the settings by their option's
 * name (account_url, support, support_hours, signature, sender, sender_name). */
static const char *const import_cols[BL_SET__COUNT + 2] = {
    "account_url", "support", "support_hours", "signature", "sender", "sender_name", "shop"};

/* A shop's settings as the audit log keeps them. */
static json_t *settings_json(const struct bl_msg_shop_set *x)
{
    json_t *j = json_object();
    for (unsigned k = 0; j && k < BL_SET__COUNT; k++)
        if (json_object_set_new(j, import_cols[k],
                                x->set[k] ? json_string(x->set[k]) : json_null()))
            json_decref(j), j = NULL;
    if (j && json_object_set_new(j, "sender_name",
                                 x->sender_name ? json_string(x->sender_name) : json_null()))
        json_decref(j), j = NULL;
    return j;
}

int bl_app_shop_settings_set(struct bl_store *st, int64_t org,
                             const struct bl_app_shop_settings_req *req, struct bl_diag *d)
{
    int rc = check(req, d);
    if (rc)
        return rc;
    struct bl_arena a;
    bl_arena_init(&a, 0);
    struct bl_msg_shop_set *s = NULL, *x = NULL;
    size_t n = 0;
    rc = bl_store_shop_settings(st, org, &a, &s, &n, d);
    for (size_t i = 0; !rc && i < n && !x; i++)
        if (s[i].ext && strcmp(s[i].ext, req->shop ? req->shop : "") == 0)
            x = &s[i];
    if (!rc && !x)
        rc = bl_diag_set(d, BL_ENOTFOUND, "no shop '%s' (see 'ballast shops list')",
                         req->shop ? req->shop : "");
    json_t *before = x ? settings_json(x) : NULL;
    rc = rc ? rc : bl_store_begin(st, d);
    if (!rc) {
        apply(req, x);
        rc = bl_store_shop_settings_put(st, org, x, bl_app_now_or(req->now), d);
        rc = rc ? rc
                : bl_app_audit(st, org, req->now, "shop.settings", "shop", x->ext, before,
                               settings_json(x), d);
        before = NULL;
        rc = bl_store_end(st, rc, d);
    }
    json_decref(before);
    bl_free(s);
    bl_arena_release(&a);
    return rc;
}

/* ---------------------------------------------------------------- import */

static int import_header(const struct bl_csv_record *rec, const char *path, int col[],
                         struct bl_diag *d)
{
    for (size_t k = 0; k < BL_SET__COUNT + 2; k++)
        col[k] = -1;
    for (size_t i = 0; i < rec->nfields; i++) {
        size_t k = 0;
        while (k < BL_SET__COUNT + 2 && !bl_str_eq_c(rec->field[i], import_cols[k]))
            k++;
        if (k == BL_SET__COUNT + 2 || col[k] >= 0)
            return bl_diag_set(d, BL_EPARSE, "%s:%lld: column '%.*s': %s", path,
                               (long long)rec->line, (int)rec->field[i].len, rec->field[i].ptr,
                               k < BL_SET__COUNT + 2 ? "given twice"
                                                     : "unknown (expected shop, account_url, "
                                                       "support, support_hours, signature, "
                                                       "sender, sender_name)");
        col[k] = (int)i;
    }
    return col[BL_SET__COUNT + 1] < 0
               ? bl_diag_set(d, BL_EPARSE, "%s: no column 'shop'", path)
               : BL_OK;
}

/* The shops of an import, loaded once: by external id. */
struct shops_by_ext {
    struct bl_msg_shop_set *s;
    size_t n;
    struct bl_map ext; /* ext -> index */
};

/* One row into the shop's settings (an empty cell leaves a setting as it is). */
static int import_row(struct bl_store *st, int64_t org, const char *path, int64_t now,
                      const struct bl_csv_record *rec, const int col[], struct shops_by_ext *sh,
                      struct bl_arena *a, struct bl_diag *d)
{
    const char *v[BL_SET__COUNT + 2] = {0};
    for (size_t k = 0; k < BL_SET__COUNT + 2; k++) {
        if (col[k] < 0 || (size_t)col[k] >= rec->nfields || !rec->field[col[k]].len)
            continue;
        v[k] = bl_arena_strndup(a, rec->field[col[k]].ptr, rec->field[col[k]].len);
        if (!v[k])
            return bl_diag_set(d, BL_ENOMEM, "out of memory");
    }
    struct bl_app_shop_settings_req rq = {.shop = v[BL_SET__COUNT + 1],
                                          .sender_name = v[BL_SET__COUNT]};
    memcpy(rq.set, v, sizeof(rq.set));
    int64_t at = -1;
    int rc = !rq.shop ? bl_diag_set(d, BL_EPARSE, "column 'shop' is empty")
             : !bl_map_get(&sh->ext, bl_str_c(rq.shop), &at)
                 ? bl_diag_set(d, BL_EPARSE, "column 'shop': no shop '%s'", rq.shop)
                 : check(&rq, d);
    if (!rc) {
        apply(&rq, &sh->s[at]);
        rc = bl_store_shop_settings_put(st, org, &sh->s[at], now, d);
    }
    if (rc && rc != BL_ENOMEM) {
        char msg[sizeof(d->msg)];
        bl_str_copy(msg, sizeof(msg), bl_str_c(d->msg));
        rc = bl_diag_set(d, BL_EPARSE, "%s:%lld: %s", path, (long long)rec->line, msg);
    }
    return rc;
}

static int import_rows(struct bl_store *st, int64_t org, const char *path, int64_t now,
                       struct bl_csv *csv, struct bl_csv_record *rec, struct bl_arena *a,
                       size_t *set, struct bl_diag *d)
{
    int col[BL_SET__COUNT + 2];
    struct shops_by_ext sh = {0};
    bl_map_init(&sh.ext, a);
    int rc = bl_csv_next(csv, rec, d);
    if (rc == 1)
        rc = import_header(rec, path, col, d);
    else if (rc == 0)
        rc = bl_diag_set(d, BL_EPARSE, "%s: empty file", path);
    if (!rc)
        rc = bl_store_shop_settings(st, org, a, &sh.s, &sh.n, d);
    for (size_t i = 0; !rc && i < sh.n; i++)
        if (sh.s[i].ext && bl_map_put(&sh.ext, bl_str_c(sh.s[i].ext), (int64_t)i))
            rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    if (!rc)
        rc = bl_store_begin(st, d);
    bool began = !rc;
    int more = 0;
    while (!rc && (more = bl_csv_next(csv, rec, d)) == 1) {
        rc = import_row(st, org, path, now, rec, col, &sh, a, d);
        *set += !rc;
    }
    if (!rc && more < 0)
        rc = more;
    if (!rc)
        rc = bl_app_audit(st, org, now, "shop.settings", "shop", NULL, NULL,
                          json_pack("{s:s, s:I}", "file", path, "shops", (json_int_t)*set), d);
    if (began)
        rc = bl_store_end(st, rc, d);
    bl_map_release(&sh.ext);
    bl_free(sh.s);
    return rc;
}

int bl_app_shop_settings_import(struct bl_store *st, int64_t org, const char *path, int64_t now,
                                size_t *set, struct bl_diag *d)
{
    *set = 0;
    struct bl_csv *csv;
    int rc = bl_csv_open(&csv, path, d);
    if (rc)
        return rc;
    struct bl_csv_record *rec = bl_malloc(sizeof(*rec));
    struct bl_arena a;
    bl_arena_init(&a, 0);
    rc = rec ? import_rows(st, org, path, bl_app_now_or(now), csv, rec, &a, set, d)
             : bl_diag_set(d, BL_ENOMEM, "out of memory");
    if (rc)
        *set = 0;
    bl_arena_release(&a);
    bl_free(rec);
    bl_csv_close(csv);
    return rc;
}
