/* message_settings.c - what a shop's messages need: its settings (account page,
 * support contact and hours, signature, sender) and its auto-send opt-ins
 * (message.h). */
#include <string.h>

#include "store/load.h"
#include "store/message.h"

#define NC(a) (sizeof(a) / sizeof((a)[0]))

/* Runs the query into l (load.h) and hands its items over. */
static int run(struct bl_store *st, const char *sql, const struct bl_val *p, size_t np,
               bl_row_fn fn, struct bl__load *l, void **out, size_t *n, struct bl_diag *d)
{
    int rc = bl__load_run(st, sql, p, np, fn, l, n, d);
    *out = l->items;
    return rc;
}

static int set_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_msg_shop_set *s = bl__load_next(l);
    if (!s)
        return BL_ENOMEM;
    s->id = bl_row_int(r, 0);
    s->ext = bl__load_keep(l, r, 1);
    s->name = bl__load_keep(l, r, 2);
    s->platform = bl__load_keep(l, r, 3);
    s->profile = bl__load_keep(l, r, 4);
    for (size_t k = 0; k < BL_SET__COUNT; k++)
        s->set[k] = bl__load_keep(l, r, 5 + k);
    s->sender_name = bl__load_keep(l, r, 5 + BL_SET__COUNT);
    s->updated_at =
        bl_row_isnull(r, 6 + BL_SET__COUNT) ? BL_NO_TIME : bl_row_int(r, 6 + BL_SET__COUNT);
    return l->rc;
}

int bl_store_shop_settings(struct bl_store *st, int64_t org, struct bl_arena *a,
                           struct bl_msg_shop_set **out, size_t *n, struct bl_diag *d)
{
    struct bl__load l = {.a = a, .size = sizeof(**out)};
    struct bl_val p = bl_val_int(org);
    return run(st,
               "SELECT s.id, s.ext_id, s.name, s.platform, s.profile, g.account_url,"
               " g.support_contact, g.support_hours, g.signature, g.sender_address,"
               " g.sender_name, g.updated_at"
               " FROM shop s LEFT JOIN shop_setting g ON g.org_id = s.org_id AND g.shop_id = s.id"
               " WHERE s.org_id = $1 ORDER BY s.id",
               &p, 1, set_row, &l, (void **)out, n, d);
}

static struct bl_val text_or_null(const char *s)
{
    return s && s[0] ? bl_val_text(bl_str_c(s)) : bl_val_null();
}

int bl_store_shop_settings_put(struct bl_store *st, int64_t org, const struct bl_msg_shop_set *s,
                               int64_t now, struct bl_diag *d)
{
    struct bl_val v[] = {bl_val_int(org),
                         bl_val_int(s->id),
                         text_or_null(s->set[BL_SET_ACCOUNT_URL]),
                         text_or_null(s->set[BL_SET_SUPPORT]),
                         text_or_null(s->set[BL_SET_SUPPORT_HOURS]),
                         text_or_null(s->set[BL_SET_SIGNATURE]),
                         text_or_null(s->set[BL_SET_SENDER]),
                         text_or_null(s->sender_name),
                         bl_val_int(now)};
    return bl_store_exec(st,
                         "INSERT INTO shop_setting (org_id, shop_id, account_url, support_contact,"
                         " support_hours, signature, sender_address, sender_name, updated_at)"
                         " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                         " ON CONFLICT (org_id, shop_id) DO UPDATE SET"
                         " account_url = excluded.account_url,"
                         " support_contact = excluded.support_contact,"
                         " support_hours = excluded.support_hours, signature = excluded.signature,"
                         " sender_address = excluded.sender_address,"
                         " sender_name = excluded.sender_name, updated_at = excluded.updated_at",
                         v, NC(v), NULL, d);
}

static int auto_row(void *ctx, const struct bl_row *r)
{
    struct bl__load *l = ctx;
    struct bl_msg_auto *x = bl__load_next(l);
    if (!x)
        return BL_ENOMEM;
    x->shop_id = bl_row_int(r, 0);
    x->shop = bl__load_keep(l, r, 1);
    x->kind = bl__load_keep(l, r, 2);
    return l->rc;
}

int bl_store_message_auto(struct bl_store *st, int64_t org, struct bl_arena *a,
                          struct bl_msg_auto **out, size_t *n, struct bl_diag *d)
{
    struct bl__load l = {.a = a, .size = sizeof(**out)};
    struct bl_val p = bl_val_int(org);
    return run(st,
               "SELECT m.shop_id, s.ext_id, m.kind FROM message_auto m"
               " LEFT JOIN shop s ON s.org_id = m.org_id AND s.id = m.shop_id"
               " WHERE m.org_id = $1 ORDER BY m.shop_id, m.kind",
               &p, 1, auto_row, &l, (void **)out, n, d);
}

int bl_store_message_auto_set(struct bl_store *st, int64_t org, int64_t shop_id, const char *kind,
                              bool on, int64_t now, struct bl_diag *d)
{
    struct bl_val v[4] = {bl_val_int(org), bl_val_int(shop_id), bl_val_text(bl_str_c(kind)),
                          bl_val_int(now)};
    if (!on)
        return bl_store_exec(st,
                             "DELETE FROM message_auto WHERE org_id = $1 AND shop_id = $2"
                             " AND kind = $3",
                             v, 3, NULL, d);
    return bl_store_exec(st,
                         "INSERT INTO message_auto (org_id, shop_id, kind, created_at)"
                         " VALUES ($1, $2, $3, $4) ON CONFLICT (org_id, shop_id, kind) DO NOTHING",
                         v, 4, NULL, d);
}
