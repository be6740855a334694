/* cmd_banners.c - `ballast banners [--as-of T]`: the notices a shop shows while a
 * disruption affects it, per shop and locale: the home-page banner
 * (homepage_notice), the Shipping Information page (shipping_info_notice) and the
 * handling time on product pages (handling_time), rendered from the template packs.
 *
 * A shop is affected when a disruption active at T covers its ship-from region
 * (scope origin or both; not supplier-only) or names a channel its orders use.
 * Dates are in the shop's time zone; the expected end is the latest end of those
 * disruptions. Details: docs/internals/notify.md.
 */
#include <getopt.h>
#include <string.h>

#include "cli/msg_common.h"
#include "cli/out.h"
#include "ballast/l10n.h"
#include "ballast/region.h"
#include "ballast/time.h"

struct bshop {
    int64_t id;
    char ext[128], name[256], tz[64], from[64];
    char region[64];
    int64_t ends;
    bool hit;
};

struct bload {
    struct bshop *s;
    size_t n, cap;
    int64_t tmin, tmax, hmin, hmax;
};

static int shop_row(void *ctx, const struct bl_row *r)
{
    struct bload *c = ctx;
    void *items = c->s;
    if (bl_grow(&items, &c->cap, c->n + 1, sizeof(*c->s)))
        return BL_ENOMEM;
    c->s = items;
    struct bshop *s = &c->s[c->n++];
    memset(s, 0, sizeof(*s));
    s->id = bl_row_int(r, 0);
    bl_str_copy(s->ext, sizeof(s->ext), bl_row_text(r, 1));
    bl_str_copy(s->name, sizeof(s->name), bl_row_text(r, 2));
    bl_str_copy(s->tz, sizeof(s->tz), bl_row_text(r, 3));
    bl_str_copy(s->from, sizeof(s->from), bl_row_text(r, 4));
    return 0;
}

/* rows: shop id (or NULL for a ship-from match), region, end */
static int hit_row(void *ctx, const struct bl_row *r)
{
    struct bload *c = ctx;
    char region[64];
    bl_str_copy(region, sizeof(region), bl_row_text(r, 1));
    int64_t ends = bl_row_int(r, 2);
    for (size_t i = 0; i < c->n; i++) {
        struct bshop *s = &c->s[i];
        bool match = bl_row_isnull(r, 0)
                         ? s->from[0] && bl_region_contains(bl_str_c(region), bl_str_c(s->from))
                         : bl_row_int(r, 0) == s->id;
        if (!match)
            continue;
        if (!s->hit || ends > s->ends) {
            s->ends = ends;
            bl_str_copy(s->region, sizeof(s->region), bl_str_c(region));
        }
        s->hit = true;
    }
    return 0;
}

static int range_row(void *ctx, const struct bl_row *r)
{
    int64_t *v = ctx;
    if (!bl_row_isnull(r, 0) && !bl_row_isnull(r, 1)) {
        v[0] = bl_row_int(r, 0);
        v[1] = bl_row_int(r, 1);
    }
    return 0;
}

static int set(json_t *o, const char *k, const char *v)
{
    return json_object_set_new(o, k, json_string(v)) ? BL_ENOMEM : BL_OK;
}

int bl_cmd_banners(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},
        {"account-url", required_argument, NULL, 'u'},
        {"templates", required_argument, NULL, 'T'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    int64_t as_of = bl_cli_now();
    const char *account = "https://shop.example/account", *templates = bl_packs_default_dir();
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'a') {
            if (bl_msg_parse_instant(cli, "banners", "--as-of", optarg, &as_of))
                return 2;
        } else if (c == 'u') {
            account = optarg;
        } else if (c == 'T') {
            templates = optarg;
        } else if (c == 'f') {
            if (bl_cli_set_format(cli, optarg))
                return 2;
        } else {
            return bl_cli_usage(cli, "banners",
                                "usage: banners [--as-of T] [--account-url URL] [--templates DIR]");
        }
    }
    if (optind != argc)
        return bl_cli_usage(cli, "banners", "unexpected argument '%s'", argv[optind]);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bload L = {.tmin = 7, .tmax = 14, .hmin = 1, .hmax = 3};
    struct bl_val p2[2] = {bl_val_int(org), bl_val_int(as_of)};
    int rc = bl_store_query(st, "SELECT id, ext_id, name, tz, COALESCE(ship_from, '') FROM shop"
                                " WHERE org_id = $1 ORDER BY ext_id",
                            p2, 1, shop_row, &L, &d);
#define ACTIVE                                                                                 \
    " d.org_id = $1 AND d.starts_at <= $2 AND d.ends_at > $2"                                 \
    " AND (d.lifted_at IS NULL OR d.lifted_at > $2)"                                          \
    " AND (d.supplier IS NULL OR d.supplier = '')"
#define ENDS " CASE WHEN d.lifted_at IS NOT NULL AND d.lifted_at < d.ends_at THEN d.lifted_at ELSE d.ends_at END"
    if (!rc)
        rc = bl_store_query(st,
                            "SELECT NULL, d.region," ENDS " FROM disruption d WHERE" ACTIVE
                            " AND d.scope IN ('origin', 'both')"
                            " AND (d.channel IS NULL OR d.channel = '') ORDER BY d.id",
                            p2, 2, hit_row, &L, &d);
    if (!rc)
        rc = bl_store_query(st,
                            "SELECT DISTINCT o.shop_id, d.region," ENDS " FROM disruption d"
                            " JOIN orders o ON o.org_id = d.org_id AND o.channel = d.channel"
                            " WHERE" ACTIVE " ORDER BY o.shop_id",
                            p2, 2, hit_row, &L, &d);
    int64_t tr[2] = {L.tmin, L.tmax}, hr[2] = {L.hmin, L.hmax};
    if (!rc)
        rc = bl_store_query(st, "SELECT MIN(transit_min), MAX(transit_max) FROM channel"
                                " WHERE org_id = $1",
                            p2, 1, range_row, tr, &d);
    if (!rc)
        rc = bl_store_query(st, "SELECT MIN(handling_min), MAX(handling_max) FROM sku"
                                " WHERE org_id = $1",
                            p2, 1, range_row, hr, &d);
    bl_store_close(st);
    struct bl_packs packs;
    bool packs_open = false;
    if (!rc) {
        rc = bl_packs_open(&packs, templates, &d);
        packs_open = !rc;
    }
    static const char *const cols[] = {"shop", "locale", "place", "title", "text", "until"};
    static const char *const kinds[] = {"homepage_notice", "shipping_info_notice", "handling_time"};
    static const char *const places[] = {"homepage", "shipping", "product"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 6);
    struct bl_buf title = BL_BUF_INIT, text = BL_BUF_INIT;
    size_t nhit = 0;
    for (size_t i = 0; !rc && i < L.n; i++) {
        const struct bshop *s = &L.s[i];
        if (!s->hit)
            continue;
        nhit++;
        /* days left until the expected end, added to handling and transit times */
        int64_t left = (s->ends - as_of + BL_DAY_SECS - 1) / BL_DAY_SECS;
        for (size_t k = 0; !rc && k < packs.nlocales; k++) {
            const char *loc = packs.locales[k];
            char region[160], until[128], today[128], dt[64], ht[64], prev[64];
            json_t *j = json_object();
            rc = j ? BL_OK : bl_diag_set(&d, BL_ENOMEM, "out of memory");
            if (!rc)
                rc = bl_l10n_region(loc, s->region, region, sizeof(region), &d);
            if (!rc)
                rc = bl_l10n_date(loc, s->tz, s->ends, until, sizeof(until), &d);
            if (!rc)
                rc = bl_l10n_date(loc, s->tz, as_of, today, sizeof(today), &d);
            if (!rc)
                rc = bl_l10n_business_days(loc, tr[0], tr[1] + left, dt, sizeof(dt), &d);
            if (!rc)
                rc = bl_l10n_business_days(loc, hr[0] + left, hr[1] + left, ht, sizeof(ht), &d);
            if (!rc)
                rc = bl_l10n_business_days(loc, hr[0], hr[1], prev, sizeof(prev), &d);
            const char *kv[][2] = {{"shop_name", s->name},       {"disruption_region", region},
                                   {"ship_start_date", until},   {"service_resume_date", until},
                                   {"account_url", account},     {"updated_on", today},
                                   {"delivery_time", dt},        {"handling_time", ht},
                                   {"previous_handling_time", prev}};
            for (size_t q = 0; !rc && q < sizeof(kv) / sizeof(kv[0]); q++)
                rc = set(j, kv[q][0], kv[q][1]);
            char untiltxt[BL_ISO_MAX];
            bl_time_format(s->ends, untiltxt);
            for (size_t q = 0; !rc && q < 3; q++) {
                bl_buf_reset(&title);
                bl_buf_reset(&text);
                rc = bl_packs_render(&packs, loc, kinds[q], j, &title, &text, &d);
                struct bl_val v[6] = {bl_val_text(bl_str_c(s->ext)), bl_val_text(bl_str_c(loc)),
                                      bl_val_text(bl_str_c(places[q])), bl_val_text(bl_buf_str(&title)),
                                      bl_val_text(bl_buf_str(&text)),
                                      bl_val_text(bl_str_c(untiltxt))};
                if (!rc)
                    rc = bl_out_row(&out, v);
            }
            json_decref(j);
        }
    }
    int erc = bl_out_end(&out);
    if (!rc && !erc && cli->format == BL_FMT_TABLE)
        fprintf(cli->err, "ballast: %zu of %zu shop(s) affected by a disruption\n", nhit, L.n);
    bl_buf_release(&title);
    bl_buf_release(&text);
    if (packs_open)
        bl_packs_release(&packs);
    bl_free(L.s);
    if (rc) {
        if (!d.code)
            bl_diag_set(&d, rc, "%s", bl_strerror(rc));
        return bl_cli_fail(cli, &d);
    }
    return erc ? 1 : 0;
}
