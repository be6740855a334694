/* cmd_logistics.c - `ballast channels|calendars list|import`, `ballast quote` and
 * `ballast route`: the shell around the pure logistics engine (logistics.h). It
 * loads the catalogue (channels, rates, calendars, disruptions) and the open
 * orders from the store, calls the engine, and prints the decisions. Read-only.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/out.h"
#include "cli/logistics_load.h"

#include "ballast/alloc.h"
#include "ballast/assess.h" /* BL_NO_TIME */
#include "ballast/logistics.h"
#include "ballast/map.h"
#include "ballast/money.h"
#include "ballast/region.h"
#include "ballast/time.h"

/* ---------------------------------------------------------------- loading */


void bl__lg_loader_release(struct bl__lg_loader *L)
{
    bl_lg_free(L->lg);
    for (size_t i = 0; i < L->ntz; i++)
        bl_tz_free(L->tzs[i]);
    bl_free(L->tzs);
    bl_map_release(&L->tz_ids);
    bl_free(L->ch);
    bl_free(L->ch_ids);
    bl_free(L->exps);
    bl_free(L->rates);
    bl_free(L->rate_ch);
    bl_free(L->cals);
    bl_free(L->cl);
    bl_free(L->cl_cal);
    bl_free(L->dis);
    bl_arena_release(&L->arena);
}

const char *bl__lg_keep(struct bl__lg_loader *L, const struct bl_row *r, size_t col)
{
    if (bl_row_isnull(r, col))
        return "";
    struct bl_str s = bl_row_text(r, col);
    const char *p = bl_arena_strndup(&L->arena, s.ptr, s.len);
    return p ? p : "";
}

int bl__lg_tz_get(struct bl__lg_loader *L, const char *name, const struct bl_tz **out)
{
    int64_t idx = (int64_t)L->ntz;
    bool added;
    int rc = bl_map_get_or_put(&L->tz_ids, bl_str_c(name), &idx, &added);
    if (rc)
        return rc;
    if (added) {
        struct bl_tz *tz;
        if ((rc = bl_tz_load(&tz, name, L->d)))
            return rc;
        if ((rc = bl_grow((void **)&L->tzs, &L->tz_cap, L->ntz + 1, sizeof(*L->tzs)))) {
            bl_tz_free(tz);
            return rc;
        }
        L->tzs[L->ntz++] = tz;
    }
    *out = L->tzs[idx];
    return BL_OK;
}

static int cal_row(void *ctx, const struct bl_row *r)
{
    struct bl__lg_loader *L = ctx;
    const char *name = bl__lg_keep(L, r, 0);
    if (!L->ncals || strcmp(L->cals[L->ncals - 1].name, name) != 0) {
        int rc = bl_grow((void **)&L->cals, &L->cals_cap, L->ncals + 1, sizeof(*L->cals));
        if (rc)
            return rc;
        L->cals[L->ncals++] = (struct bl_lg_calendar){name, 0, NULL, 0};
    }
    L->cals[L->ncals - 1].weekend = (uint8_t)(bl_row_int(r, 3) & 0x7f); /* latest row wins */
    if (bl_grow((void **)&L->cl, &L->cl_cap, L->ncl + 1, sizeof(*L->cl)) ||
        bl_grow((void **)&L->cl_cal, &L->cl_cal_cap, L->ncl + 1, sizeof(*L->cl_cal)))
        return BL_ENOMEM;
    L->cl[L->ncl] = (struct bl_lg_closure){bl_row_int(r, 1), bl_row_int(r, 2)};
    L->cl_cal[L->ncl++] = L->ncals - 1;
    return 0;
}

static int32_t cutoff_minutes(const char *s)
{
    if (strlen(s) != 5)
        return -1;
    return (int32_t)(((s[0] - '0') * 10 + (s[1] - '0')) * 60 + (s[3] - '0') * 10 + (s[4] - '0'));
}

static int chan_row(void *ctx, const struct bl_row *r)
{
    struct bl__lg_loader *L = ctx;
    if (bl_grow((void **)&L->ch, &L->ch_cap, L->nch + 1, sizeof(*L->ch)) ||
        bl_grow((void **)&L->ch_ids, &L->ch_ids_cap, L->nch + 1, sizeof(*L->ch_ids)) ||
        bl_grow((void **)&L->exps, &L->exps_cap, L->nch + 1, sizeof(*L->exps)))
        return BL_ENOMEM;
    struct bl_lg_channel *c = &L->ch[L->nch];
    memset(c, 0, sizeof(*c));
    L->ch_ids[L->nch] = bl_row_int(r, 0);
    c->id = bl__lg_keep(L, r, 1);
    c->carrier = bl__lg_keep(L, r, 2);
    c->mode = bl__lg_keep(L, r, 3);
    c->tier = strcmp(bl__lg_keep(L, r, 4), "backup") == 0 ? BL_LG_BACKUP : BL_LG_CORE;
    c->transit_min = (int32_t)bl_row_int(r, 5);
    c->transit_max = (int32_t)bl_row_int(r, 6);
    c->cutoff_min = cutoff_minutes(bl__lg_keep(L, r, 7));
    int rc = bl__lg_tz_get(L, bl__lg_keep(L, r, 8), &c->tz);
    if (rc)
        return rc;
    c->calendar = bl__lg_keep(L, r, 9);
    c->vol_divisor = bl_row_int(r, 10);
    c->currency = bl__lg_keep(L, r, 11);
    struct bl_currency cur;
    L->exps[L->nch] = bl_currency_lookup(bl_str_c(c->currency), &cur, NULL) ? 2 : cur.exponent;
    L->nch++;
    return 0;
}

static int rate_row(void *ctx, const struct bl_row *r)
{
    struct bl__lg_loader *L = ctx;
    if (bl_grow((void **)&L->rates, &L->rates_cap, L->nrates + 1, sizeof(*L->rates)) ||
        bl_grow((void **)&L->rate_ch, &L->rate_ch_cap, L->nrates + 1, sizeof(*L->rate_ch)))
        return BL_ENOMEM;
    int64_t cid = bl_row_int(r, 0);
    size_t lo = 0, hi = L->nch; /* channels are loaded in id order */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (L->ch_ids[mid] < cid)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == L->nch || L->ch_ids[lo] != cid)
        return 0; /* a rate without its channel: ignore */
    L->rates[L->nrates] = (struct bl_lg_rate){bl__lg_keep(L, r, 1),    bl__lg_keep(L, r, 2),    bl_row_int(r, 3),
                                              bl_row_int(r, 4), bl_row_int(r, 5), bl_row_int(r, 6)};
    L->rate_ch[L->nrates++] = lo;
    return 0;
}

static int dis_row(void *ctx, const struct bl_row *r)
{
    struct bl__lg_loader *L = ctx;
    if (bl_grow((void **)&L->dis, &L->dis_cap, L->ndis + 1, sizeof(*L->dis)))
        return BL_ENOMEM;
    const char *scope = bl__lg_keep(L, r, 3);
    int64_t ends = bl_row_int(r, 7);
    if (!bl_row_isnull(r, 8) && bl_row_int(r, 8) < ends)
        ends = bl_row_int(r, 8); /* lifted early */
    L->dis[L->ndis++] =
        (struct bl_lg_disruption){bl__lg_keep(L, r, 0),
                                  bl__lg_keep(L, r, 1),
                                  bl__lg_keep(L, r, 2),
                                  strcmp(scope, "origin") == 0        ? BL_LG_ORIGIN
                                  : strcmp(scope, "destination") == 0 ? BL_LG_DESTINATION
                                                                      : BL_LG_BOTH,
                                  bl__lg_keep(L, r, 4),
                                  bl__lg_keep(L, r, 5),
                                  bl_row_int(r, 6),
                                  ends};
    return 0;
}

/* Loads and compiles the catalogue of org. Prints the error and returns 1. */
int bl__lg_load(struct bl_cli *cli, struct bl_store *st, int64_t org, struct bl__lg_loader *L)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    memset(L, 0, sizeof(*L));
    bl_arena_init(&L->arena, 0);
    bl_map_init(&L->tz_ids, &L->arena);
    L->d = &d;
    struct bl_val p = bl_val_int(org);
    int rc = bl_store_query(st,
                            "SELECT calendar, date_from, date_to, weekend FROM calendar_closure "
                            "WHERE org_id = $1 ORDER BY calendar, id",
                            &p, 1, cal_row, L, &d);
    if (!rc)
        rc = bl_store_query(st,
                            "SELECT id, ext_id, carrier, mode, tier, transit_min, transit_max, "
                            "cutoff, tz, calendar, volumetric_divisor, currency FROM channel "
                            "WHERE org_id = $1 ORDER BY id",
                            &p, 1, chan_row, L, &d);
    if (!rc)
        rc = bl_store_query(st,
                            "SELECT channel_id, origin, destination, min_g, max_g, base, per_kg "
                            "FROM channel_rate WHERE org_id = $1 ORDER BY channel_id, line_no",
                            &p, 1, rate_row, L, &d);
    if (!rc)
        rc = bl_store_query(st,
                            "SELECT ext_id, kind, region, scope, channel, supplier, starts_at, "
                            "ends_at, lifted_at FROM disruption WHERE org_id = $1 ORDER BY id",
                            &p, 1, dis_row, L, &d);
    if (!rc) {
        /* closures and rates are grouped in load order: point each owner at its run */
        for (size_t i = 0, k = 0; i < L->ncals; i++) {
            L->cals[i].closures = L->cl + k;
            while (k < L->ncl && L->cl_cal[k] == i)
                k++;
            L->cals[i].nclosures = (size_t)(L->cl + k - L->cals[i].closures);
        }
        /* A channel naming a calendar that is not loaded: weekends only, and say so
         * once per calendar (the engine itself refuses unknown names). */
        for (size_t i = 0; i < L->nch; i++) {
            const char *cal = L->ch[i].calendar;
            bool known = !cal[0];
            for (size_t k = 0; !known && k < L->ncals; k++)
                known = strcmp(L->cals[k].name, cal) == 0;
            if (known)
                continue;
            for (size_t j = i + 1; j < L->nch; j++)
                if (strcmp(L->ch[j].calendar, cal) == 0)
                    L->ch[j].calendar = "";
            fprintf(cli->err,
                    "ballast: warning: calendar '%s' (channel %s) is not loaded: counting "
                    "Saturday and Sunday as its only closed days; import it with 'ballast "
                    "calendars import FILE'\n",
                    cal, L->ch[i].id);
            L->ch[i].calendar = "";
        }
        for (size_t i = 0, k = 0; i < L->nch; i++) {
            L->ch[i].rates = L->rates + k;
            while (k < L->nrates && L->rate_ch[k] == i)
                k++;
            L->ch[i].nrates = (size_t)(L->rates + k - L->ch[i].rates);
        }
        struct bl_lg_input in = {L->ch, L->nch, L->cals, L->ncals, L->dis, L->ndis};
        rc = bl_lg_compile(&in, &L->lg, &d);
    }
    L->d = NULL;
    if (rc) {
        if (!d.code)
            bl_diag_set(&d, rc, "loading the channel catalogue: %s", bl_strerror(rc));
        return bl_cli_fail(cli, &d);
    }
    return 0;
}

/* ---------------------------------------------------------------- formatting */

static const char *const tier_names[] = {"core", "backup"};

static const char *date_text(int64_t day, char *buf)
{
    return bl_date_format(day, buf);
}

const char *bl__lg_money_text(int64_t minor, int exp, char *buf, size_t cap)
{
    if (bl_money_format(minor, exp, buf, cap) < 0)
        snprintf(buf, cap, "%lld", (long long)minor);
    return buf;
}

void bl__lg_dis_text(const struct bl_lg *lg, int32_t i, char *buf, size_t cap)
{
    const struct bl_lg_disruption *x = bl_lg_disruption(lg, (size_t)i);
    snprintf(buf, cap, "suspended by disruption %s (%s in %s)", x->id[0] ? x->id : "(no id)",
             x->kind, x->region);
}

/* ---------------------------------------------------------------- channels, calendars */

static int redirect_import(struct bl_cli *cli, const char *kind, int argc, char **argv)
{
    /* `channels import FILE [opts]` is `import channels FILE [opts]` */
    char *args[64];
    if (argc < 2 || argc > 60)
        return bl_cli_usage(cli, kind, "usage: %s import FILE [--tz ZONE]", kind);
    args[0] = (char *)"import";
    args[1] = (char *)kind;
    for (int i = 1; i < argc; i++) /* argv[0] is "import" */
        args[i + 1] = argv[i];
    args[argc + 1] = NULL;
    return bl_cmd_import(cli, argc + 1, args);
}

static int list_query(struct bl_cli *cli, const char *cmd, int argc, char **argv, const char *sql,
                      const char *const *cols, size_t ncols,
                      int (*row)(void *, const struct bl_row *))
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
        if (c != 'f' || bl_cli_set_format(cli, optarg))
            return bl_cli_usage(cli, cmd, "usage: %s list [--format table|csv|json]", cmd);
    if (optind != argc)
        return bl_cli_usage(cli, cmd, "list takes no arguments");
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_out o;
    bl_out_begin(&o, cli, cols, ncols);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_val p = bl_val_int(org);
    int rc = bl_store_query(st, sql, &p, 1, row, &o, &d);
    int rc2 = bl_out_end(&o);
    bl_store_close(st);
    if (rc || rc2) {
        if (!d.code)
            bl_diag_set(&d, rc ? rc : rc2, "%s", bl_strerror(rc ? rc : rc2));
        return bl_cli_fail(cli, &d);
    }
    return 0;
}

static struct bl_val tv(const struct bl_row *r, size_t col)
{
    return bl_row_isnull(r, col) ? bl_val_null() : bl_val_text(bl_row_text(r, col));
}

static const char *const chan_cols[] = {"channel", "carrier",  "mode",     "tier",
                                        "lanes",   "bands",    "transit",  "cutoff",
                                        "tz",      "calendar", "sla_days", "currency"};

static int chan_list_row(void *ctx, const struct bl_row *r)
{
    char transit[48];
    snprintf(transit, sizeof(transit), "%lld-%lld", (long long)bl_row_int(r, 6),
             (long long)bl_row_int(r, 7));
    struct bl_val v[12] = {tv(r, 0),
                           tv(r, 1),
                           tv(r, 2),
                           tv(r, 3),
                           bl_val_int(bl_row_int(r, 4)),
                           bl_val_int(bl_row_int(r, 5)),
                           bl_val_text(bl_str_c(transit)),
                           tv(r, 8),
                           tv(r, 9),
                           tv(r, 10),
                           bl_row_isnull(r, 11) ? bl_val_null() : bl_val_int(bl_row_int(r, 11)),
                           tv(r, 12)};
    return bl_out_row(ctx, v);
}

int bl_cmd_channels(struct bl_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "import") == 0)
        return redirect_import(cli, "channels", argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return list_query(
            cli, "channels", argc - 1, argv + 1,
            "SELECT c.ext_id, c.carrier, c.mode, c.tier,"
            " (SELECT COUNT(DISTINCT r.origin || ' ' || r.destination) FROM channel_rate r"
            "  WHERE r.org_id = c.org_id AND r.channel_id = c.id),"
            " (SELECT COUNT(*) FROM channel_rate r WHERE r.org_id = c.org_id AND"
            "  r.channel_id = c.id),"
            " c.transit_min, c.transit_max, c.cutoff, c.tz, c.calendar, c.sla_days, c.currency"
            " FROM channel c WHERE c.org_id = $1 ORDER BY c.tier, c.ext_id",
            chan_cols, 12, chan_list_row);
    return bl_cli_usage(cli, "channels", "expected 'list' or 'import FILE'");
}

static const char *const cal_cols[] = {"calendar", "weekend", "closures", "first", "last"};

static int cal_list_row(void *ctx, const struct bl_row *r)
{
    static const char *const wd[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    char weekend[40] = "", first[BL_ISO_MAX], last[BL_ISO_MAX];
    int64_t m = bl_row_int(r, 1);
    for (int k = 0; k < 7; k++)
        if (m & (1 << k)) {
            size_t n = strlen(weekend);
            snprintf(weekend + n, sizeof(weekend) - n, "%s%s", n ? "+" : "", wd[k]);
        }
    struct bl_val v[5] = {tv(r, 0), bl_val_text(bl_str_c(weekend[0] ? weekend : "none")),
                          bl_val_int(bl_row_int(r, 2)),
                          bl_val_text(bl_str_c(date_text(bl_row_int(r, 3), first))),
                          bl_val_text(bl_str_c(date_text(bl_row_int(r, 4), last)))};
    return bl_out_row(ctx, v);
}

int bl_cmd_calendars(struct bl_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "import") == 0)
        return redirect_import(cli, "calendars", argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return list_query(cli, "calendars", argc - 1, argv + 1,
                          "SELECT calendar, (SELECT k.weekend FROM calendar_closure k WHERE"
                          " k.org_id = c.org_id AND k.calendar = c.calendar ORDER BY k.id DESC"
                          " LIMIT 1), COUNT(*), MIN(date_from), MAX(date_to)"
                          " FROM calendar_closure c WHERE org_id = $1"
                          " GROUP BY org_id, calendar ORDER BY calendar",
                          cal_cols, 5, cal_list_row);
    return bl_cli_usage(cli, "calendars", "expected 'list' or 'import FILE'");
}

/* ---------------------------------------------------------------- quote */

int bl__lg_parse_region(struct bl_cli *cli, const char *cmd, const char *opt, const char *text,
                        char *out)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_region_parse(bl_str_c(text), out, &d))
        return bl_cli_usage(cli, cmd, "%s %s: %s", opt, text, d.msg);
    return 0;
}

/* Decimal text with up to `exp` decimals, scaled: "1.25" kg at exp 3 = 1250 g. */
static int parse_scaled(struct bl_cli *cli, const char *cmd, const char *opt, const char *text,
                        int exp, int64_t *out)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_money_parse(bl_str_c(text), exp, out, &d) || *out < 0)
        return bl_cli_usage(cli, cmd, "%s %s: expected a number >= 0 with at most %d decimals", opt,
                            text, exp);
    return 0;
}

static int parse_dims(struct bl_cli *cli, const char *text, int64_t *mm)
{
    char part[3][32];
    const char *p = text;
    for (int k = 0; k < 3; k++) {
        const char *x = strchr(p, 'x');
        size_t n = k < 2 ? (x ? (size_t)(x - p) : SIZE_MAX) : strlen(p);
        if (n == SIZE_MAX || n == 0 || n >= sizeof(part[k]))
            return bl_cli_usage(cli, "quote",
                                "--dims %s: expected LxWxH in centimetres, e.g. 30x20x10", text);
        memcpy(part[k], p, n);
        part[k][n] = '\0';
        p += n + 1;
        struct bl_diag d;
        if (bl_money_parse(bl_str_c(part[k]), 1, &mm[k], &d) || mm[k] <= 0)
            return bl_cli_usage(cli, "quote",
                                "--dims %s: expected LxWxH in centimetres, each > 0 with at most "
                                "one decimal, e.g. 30x20x10",
                                text);
    }
    return 0;
}

static const char *const quote_cols[] = {"channel",   "carrier", "mode",     "tier",
                                         "weight_kg", "price",   "currency", "departs",
                                         "earliest",  "latest",  "meets_by", "status"};

int bl_cmd_quote(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"from", required_argument, NULL, 'F'},    {"to", required_argument, NULL, 'T'},
        {"weight", required_argument, NULL, 'w'},  {"dims", required_argument, NULL, 'D'},
        {"ship-at", required_argument, NULL, 's'}, {"by", required_argument, NULL, 'b'},
        {"format", required_argument, NULL, 'f'},  {NULL, 0, NULL, 0},
    };
    char from[BL_REGION_MAX] = "", to[BL_REGION_MAX] = "";
    struct bl_lg_shipment s = {0, 0, -1, {0, 0, 0}, bl_cli_now(), BL_LG_NO_PROMISE};
    bool has_by = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'F':
            if (bl__lg_parse_region(cli, "quote", "--from", optarg, from))
                return 2;
            break;
        case 'T':
            if (bl__lg_parse_region(cli, "quote", "--to", optarg, to))
                return 2;
            break;
        case 'w':
            if (parse_scaled(cli, "quote", "--weight", optarg, 3, &s.weight_g))
                return 2;
            break;
        case 'D':
            if (parse_dims(cli, optarg, s.dims_mm))
                return 2;
            break;
        case 's':
            if (bl_cli_parse_instant(cli, "quote", "--ship-at", optarg, &s.ship_at))
                return 2;
            break;
        case 'b': {
            struct bl_diag d;
            bl_diag_clear(&d);
            if (bl_date_parse(bl_str_c(optarg), &s.by_day, &d))
                return bl_cli_usage(cli, "quote", "--by %s: %s", optarg, d.msg);
            has_by = true;
            break;
        }
        case 'f':
            if (bl_cli_set_format(cli, optarg))
                return 2;
            break;
        default:
            return bl_cli_usage(cli, "quote",
                                "usage: quote --from REGION --to REGION --weight KG "
                                "[--dims LxWxH] [--ship-at T] [--by DATE]");
        }
    }
    if (optind != argc || !from[0] || !to[0] || s.weight_g < 0)
        return bl_cli_usage(cli, "quote", "--from, --to and --weight are required");
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl__lg_loader L;
    int status = bl__lg_load(cli, st, org, &L);
    bl_store_close(st);
    if (status) {
        bl__lg_loader_release(&L);
        return status;
    }
    s.from = bl_lg_locate(L.lg, bl_str_c(from));
    s.to = bl_lg_locate(L.lg, bl_str_c(to));
    size_t cap = bl_lg_nchannels(L.lg) ? bl_lg_nchannels(L.lg) : 1, n = 0;
    struct bl_lg_option *opt = bl_calloc(cap, sizeof(*opt));
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = opt ? bl_lg_quote(L.lg, &s, opt, cap, &n, &d) : BL_ENOMEM;
    struct bl_out o;
    bl_out_begin(&o, cli, quote_cols, 12);
    for (size_t i = 0; !rc && i < n; i++) {
        const struct bl_lg_channel *ch = bl_lg_channel(L.lg, (size_t)opt[i].channel);
        char kg[40], price[40], dep[BL_ISO_MAX], e[BL_ISO_MAX], l[BL_ISO_MAX], st_text[300];
        if (opt[i].disruption >= 0)
            bl__lg_dis_text(L.lg, opt[i].disruption, st_text, sizeof(st_text));
        else
            snprintf(st_text, sizeof(st_text), "available");
        struct bl_val v[12] = {
            bl_val_text(bl_str_c(ch->id)),
            bl_val_text(bl_str_c(ch->carrier)),
            bl_val_text(bl_str_c(ch->mode)),
            bl_val_text(bl_str_c(tier_names[ch->tier])),
            bl_val_text(bl_str_c(bl__lg_money_text(opt[i].weight_g, 3, kg, sizeof(kg)))),
            bl_val_text(
                bl_str_c(bl__lg_money_text(opt[i].price, L.exps[opt[i].channel], price, sizeof(price)))),
            bl_val_text(bl_str_c(ch->currency)),
            bl_val_text(bl_str_c(date_text(opt[i].depart_day, dep))),
            bl_val_text(bl_str_c(date_text(opt[i].earliest_day, e))),
            bl_val_text(bl_str_c(date_text(opt[i].latest_day, l))),
            has_by ? bl_val_text(bl_str_c(opt[i].meets ? "yes" : "no")) : bl_val_null(),
            bl_val_text(bl_str_c(st_text)),
        };
        rc = bl_out_row(&o, v);
    }
    int rc2 = bl_out_end(&o);
    bl_free(opt);
    bl__lg_loader_release(&L);
    if (rc || rc2) {
        if (!d.code)
            bl_diag_set(&d, rc ? rc : rc2, "%s", bl_strerror(rc ? rc : rc2));
        return bl_cli_fail(cli, &d);
    }
    if (n == 0)
        fprintf(cli->err, "ballast: no channel serves %s -> %s at this weight\n", from, to);
    return 0;
}

/* ---------------------------------------------------------------- route */

struct order {
    const char *ext, *shop, *from, *to;
    const char *policy; /* the shop's routing policy, "" for the default */
    int64_t placed, promised;
    bool has_promise;
};

struct orders_load {
    struct bl__lg_loader *L;
    struct bl_cli *cli;
    struct order *o;
    struct bl_lg_shipment *s;
    size_t n, cap, scap;
    int64_t as_of;
    const char *only; /* --explain: this order only */
};

static int order_row(void *ctx, const struct bl_row *r)
{
    struct orders_load *c = ctx;
    struct bl__lg_loader *L = c->L;
    if (c->only && !bl_str_eq_c(bl_row_text(r, 0), c->only))
        return 0;
    if (bl_grow((void **)&c->o, &c->cap, c->n + 1, sizeof(*c->o)) ||
        bl_grow((void **)&c->s, &c->scap, c->n + 1, sizeof(*c->s)))
        return BL_ENOMEM;
    struct order *o = &c->o[c->n];
    struct bl_lg_shipment *s = &c->s[c->n];
    o->ext = bl__lg_keep(L, r, 0);
    o->shop = bl__lg_keep(L, r, 1);
    o->from = bl__lg_keep(L, r, 2);
    o->to = bl__lg_keep(L, r, 3);
    o->placed = bl_row_int(r, 4);
    o->policy = bl__lg_keep(L, r, 8);
    o->has_promise = !bl_row_isnull(r, 5);
    o->promised = bl_row_int(r, 5);
    const struct bl_tz *tz;
    int rc = bl__lg_tz_get(L, bl__lg_keep(L, r, 6), &tz);
    if (rc)
        return rc;
    memset(s, 0, sizeof(*s));
    s->from = o->from[0] ? bl_lg_locate(L->lg, bl_str_c(o->from)) : 0;
    s->to = o->to[0] ? bl_lg_locate(L->lg, bl_str_c(o->to)) : 0;
    s->weight_g = bl_row_int(r, 7);
    s->ship_at = c->as_of > o->placed ? c->as_of : o->placed;
    /* a promise instant at local midnight ends the day before */
    s->by_day = o->has_promise ? bl_tz_local_day(tz, o->promised - 1) : BL_LG_NO_PROMISE;
    c->n++;
    return 0;
}

static const char *const route_cols[] = {"order",  "shop",     "channel",       "carrier",
                                         "tier",   "price",    "currency",      "earliest",
                                         "latest", "promised", "meets_promise", "note"};

static int parse_policy(struct bl_cli *cli, const char *text, struct bl_lg_policy *p)
{
    if (bl__lg_policy_parse(text, p))
        return bl_cli_usage(cli, "route",
                            "--policy %s: expected cheapest, fastest or preferred:CARRIER", text);
    return 0;
}

/* The policy order i routes under: --policy, else its shop's, else cheapest. */
static struct bl_lg_policy order_policy(const struct orders_load *ol, size_t i,
                                        const struct bl_lg_policy *forced)
{
    struct bl_lg_policy p = {BL_LG_CHEAPEST, NULL};
    if (forced)
        return *forced;
    if (ol->o[i].policy[0] && bl__lg_policy_parse(ol->o[i].policy, &p))
        p = (struct bl_lg_policy){BL_LG_CHEAPEST, NULL};
    return p;
}

/* Routes every order under its own policy: one bl_lg_route call per distinct
 * policy (a handful), so the per-call scratch is still not per order. */
static int route_by_policy(const struct bl_lg *lg, const struct orders_load *ol,
                           const struct bl_lg_policy *forced, struct bl_lg_route *res,
                           struct bl_diag *d)
{
    if (forced)
        return bl_lg_route(lg, forced, ol->s, ol->n, res, d);
    size_t n = ol->n;
    uint8_t *done = bl_calloc(n ? n : 1, 1);
    size_t *idx = bl_calloc(n ? n : 1, sizeof(*idx));
    struct bl_lg_shipment *s = bl_calloc(n ? n : 1, sizeof(*s));
    struct bl_lg_route *r = bl_calloc(n ? n : 1, sizeof(*r));
    int rc = done && idx && s && r ? BL_OK : BL_ENOMEM;
    for (size_t i = 0; !rc && i < n; i++) {
        if (done[i])
            continue;
        const char *key = ol->o[i].policy;
        size_t m = 0;
        for (size_t j = i; j < n; j++)
            if (!done[j] && strcmp(ol->o[j].policy, key) == 0) {
                done[j] = 1;
                idx[m] = j;
                s[m++] = ol->s[j];
            }
        struct bl_lg_policy p = order_policy(ol, i, NULL);
        rc = bl_lg_route(lg, &p, s, m, r, d);
        for (size_t k = 0; !rc && k < m; k++)
            res[idx[k]] = r[k];
    }
    bl_free(done);
    bl_free(idx);
    bl_free(s);
    bl_free(r);
    return rc;
}

static int route_print(struct bl_cli *cli, struct bl__lg_loader *L, const struct orders_load *ol,
                       const struct bl_lg_route *res)
{
    struct bl_out o;
    bl_out_begin(&o, cli, route_cols, 12);
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < ol->n; i++) {
        const struct bl_lg_route *r = &res[i];
        const struct order *od = &ol->o[i];
        const struct bl_lg_channel *ch =
            r->channel >= 0 ? bl_lg_channel(L->lg, (size_t)r->channel) : NULL;
        char price[40], e[BL_ISO_MAX], l[BL_ISO_MAX], pr[BL_ISO_MAX], note[300] = "";
        switch (r->state) {
        case BL_LG_LATE:
            snprintf(note, sizeof(note), "cannot meet promise");
            break;
        case BL_LG_SUSPENDED:
            bl__lg_dis_text(L->lg, r->disruption, note, sizeof(note));
            break;
        case BL_LG_NO_CHANNEL:
            if (!od->from[0] || !od->to[0])
                snprintf(note, sizeof(note), "no ship_from or ship_to region");
            else
                snprintf(note, sizeof(note), "no channel serves %s -> %s at %lld g", od->from,
                         od->to, (long long)ol->s[i].weight_g);
            break;
        default:
            break;
        }
        bool promise = ol->s[i].by_day != BL_LG_NO_PROMISE;
        struct bl_val v[12] = {
            bl_val_text(bl_str_c(od->ext)),
            bl_val_text(bl_str_c(od->shop)),
            ch ? bl_val_text(bl_str_c(ch->id)) : bl_val_null(),
            ch ? bl_val_text(bl_str_c(ch->carrier)) : bl_val_null(),
            ch ? bl_val_text(bl_str_c(tier_names[ch->tier])) : bl_val_null(),
            ch ? bl_val_text(
                     bl_str_c(bl__lg_money_text(r->price, L->exps[r->channel], price, sizeof(price))))
               : bl_val_null(),
            ch ? bl_val_text(bl_str_c(ch->currency)) : bl_val_null(),
            ch ? bl_val_text(bl_str_c(date_text(r->earliest_day, e))) : bl_val_null(),
            ch ? bl_val_text(bl_str_c(date_text(r->latest_day, l))) : bl_val_null(),
            promise ? bl_val_text(bl_str_c(date_text(ol->s[i].by_day, pr))) : bl_val_null(),
            bl_val_text(bl_str_c(r->state == BL_LG_ROUTED ? "yes" : "no")),
            note[0] ? bl_val_text(bl_str_c(note)) : bl_val_null(),
        };
        rc = bl_out_row(&o, v);
    }
    int rc2 = bl_out_end(&o);
    return rc ? rc : rc2;
}

int bl_cmd_route(struct bl_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "policy") == 0)
        return bl__lg_route_policy(cli, argc - 1, argv + 1);
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},
        {"policy", required_argument, NULL, 'p'},
        {"explain", required_argument, NULL, 'e'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    struct bl_lg_policy pol = {BL_LG_CHEAPEST, NULL};
    bool forced = false;
    int64_t as_of = 0;
    bool has_as_of = false;
    const char *explain = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            if (bl_cli_parse_instant(cli, "route", "--as-of", optarg, &as_of))
                return 2;
            has_as_of = true;
            break;
        case 'p':
            if (parse_policy(cli, optarg, &pol))
                return 2;
            forced = true;
            break;
        case 'e':
            explain = optarg;
            break;
        case 'f':
            if (bl_cli_set_format(cli, optarg))
                return 2;
            break;
        default:
            return bl_cli_usage(cli, "route",
                                "usage: route --as-of T [--policy cheapest|fastest|"
                                "preferred:CARRIER] [--explain ORDER]");
        }
    }
    if (optind != argc || !has_as_of)
        return bl_cli_usage(cli, "route", "--as-of is required (the instant to route at)");
    struct bl_store *st;
    int64_t org;
    struct bl__lg_loader L;
    if (bl__lg_open(cli, &st, &org, &L))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    L.d = &d;
    struct orders_load ol = {.L = &L, .cli = cli, .as_of = as_of, .only = explain};
    /* Open as of the instant: placed by then, and not yet shipped, delivered or
     * cancelled at that instant (events after as_of are unknown). */
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(as_of)};
    int rc =
        bl_store_query(st,
                       "SELECT o.ext_id, s.ext_id, o.ship_from, o.ship_to, o.placed_at, "
                       "o.promised_at, s.tz," BL__ORDER_WEIGHT_SQL ", COALESCE(y.route_policy, '')"
                       " FROM orders o JOIN shop s ON s.org_id = o.org_id AND s.id = o.shop_id"
                       " LEFT JOIN shop_policy y ON y.org_id = o.org_id AND y.shop_id = o.shop_id"
                       " WHERE o.org_id = $1 AND o.placed_at <= $2"
                       " AND (o.shipped_at IS NULL OR o.shipped_at > $2)"
                       " AND (o.picked_up_at IS NULL OR o.picked_up_at > $2)"
                       " AND (o.delivered_at IS NULL OR o.delivered_at > $2)"
                       " AND (o.cancelled_at IS NULL OR o.cancelled_at > $2)"
                       " ORDER BY o.placed_at, o.id",
                       p, 2, order_row, &ol, &d);
    bl_store_close(st);
    L.d = NULL;
    struct bl_lg_route *res = NULL;
    if (!rc && explain && ol.n == 0)
        rc = bl_diag_set(&d, BL_ENOTFOUND, "no open order '%s' as of that instant", explain);
    if (!rc && explain) {
        struct bl_buf b = BL_BUF_INIT;
        for (size_t i = 0; !rc && i < ol.n; i++) {
            char t[BL_ISO_MAX];
            rc =
                bl_buf_addf(&b, "%sorder %s (shop %s): %s -> %s, %lld g, ships %s\n", i ? "\n" : "",
                            ol.o[i].ext, ol.o[i].shop, ol.o[i].from[0] ? ol.o[i].from : "(none)",
                            ol.o[i].to[0] ? ol.o[i].to : "(none)", (long long)ol.s[i].weight_g,
                            bl_time_format(ol.s[i].ship_at, t));
            struct bl_lg_policy op = order_policy(&ol, i, forced ? &pol : NULL);
            if (!rc)
                rc = bl_buf_addf(&b, "policy: %s%s (%s)\n",
                                 op.kind == BL_LG_FASTEST     ? "fastest"
                                 : op.kind == BL_LG_PREFERRED ? "preferred:"
                                                              : "cheapest",
                                 op.kind == BL_LG_PREFERRED ? op.carrier : "",
                                 forced ? "--policy" : ol.o[i].policy[0] ? "the shop's" : "default");
            if (!rc)
                rc = bl_lg_explain(L.lg, &op, &ol.s[i], &b, &d);
        }
        if (!rc)
            fputs(bl_buf_cstr(&b), cli->out);
        bl_buf_release(&b);
    } else if (!rc) {
        res = bl_calloc(ol.n ? ol.n : 1, sizeof(*res));
        rc = res ? route_by_policy(L.lg, &ol, forced ? &pol : NULL, res, &d) : BL_ENOMEM;
        if (!rc)
            rc = route_print(cli, &L, &ol, res);
    }
    bl_free(res);
    bl_free(ol.o);
    bl_free(ol.s);
    bl__lg_loader_release(&L);
    if (rc) {
        if (!d.code)
            bl_diag_set(&d, rc, "%s", bl_strerror(rc));
        return bl_cli_fail(cli, &d);
    }
    return 0;
}

/* ---------------------------------------------------------------- sla */

/* A shipment past its channel's SLA days without delivery: the carrier waives the
 * freight. `ballast sla --as-of A` records each as a credit in the shop's ledger
 * (kind sla_waiver, idempotency key sla:<order id>), once. The freight is the
 * channel's price for the order's lane and weight (bl_lg_quote). */
struct sla_claim {
    int64_t order_id, shop_id, shipped, delivered, sla_days, freight;
    const char *ext, *shop, *channel, *remedy;
    int exp;
    const char *currency;
    bool priced, claimed;
};

struct sla_load {
    struct bl__lg_loader *L;
    struct sla_claim *c;
    size_t n, cap;
    struct bl_diag *d;
};

static int sla_row(void *ctx, const struct bl_row *r)
{
    struct sla_load *c = ctx;
    struct bl__lg_loader *L = c->L;
    if (bl_grow((void **)&c->c, &c->cap, c->n + 1, sizeof(*c->c)))
        return BL_ENOMEM;
    struct sla_claim *x = &c->c[c->n];
    memset(x, 0, sizeof(*x));
    x->order_id = bl_row_int(r, 0);
    x->shop_id = bl_row_int(r, 1);
    x->ext = bl__lg_keep(L, r, 2);
    x->shop = bl__lg_keep(L, r, 3);
    x->channel = bl__lg_keep(L, r, 4);
    const char *from = bl__lg_keep(L, r, 5), *to = bl__lg_keep(L, r, 6);
    x->remedy = bl__lg_keep(L, r, 7);
    x->shipped = bl_row_int(r, 8);
    x->delivered = bl_row_isnull(r, 9) ? BL_NO_TIME : bl_row_int(r, 9);
    int64_t weight = bl_row_int(r, 10);
    x->sla_days = bl_row_int(r, 11);
    x->claimed = bl_row_int(r, 12) > 0;
    size_t ci = 0;
    while (ci < L->nch && strcmp(L->ch[ci].id, x->channel) != 0)
        ci++;
    if (ci == L->nch || !from || !to || !from[0] || !to[0]) {
        c->n++;
        return 0; /* no price: the claim is still made, with the freight unknown */
    }
    x->currency = L->ch[ci].currency;
    x->exp = L->exps[ci];
    struct bl_lg_shipment s = {bl_lg_locate(L->lg, bl_str_c(from)), bl_lg_locate(L->lg, bl_str_c(to)),
                               weight, {0, 0, 0}, x->shipped, BL_LG_NO_PROMISE};
    size_t cap = bl_lg_nchannels(L->lg), n = 0;
    struct bl_lg_option *opt = bl_calloc(cap + 1, sizeof(*opt));
    if (!opt)
        return BL_ENOMEM;
    if (s.from && s.to && bl_lg_quote(L->lg, &s, opt, cap, &n, c->d) == BL_OK) {
        for (size_t k = 0; k < n && k < cap; k++) {
            if (opt[k].channel == (int32_t)ci) {
                x->freight = opt[k].price;
                x->priced = true;
                break;
            }
        }
    }
    bl_free(opt);
    c->n++;
    return 0;
}

struct bal_sum {
    int64_t shop_id, balance;
};

static int bal_sum_row(void *ctx, const struct bl_row *r)
{
    struct bal_sum *b = ctx;
    b->balance = bl_row_int(r, 0);
    return 0;
}

static const char *const sla_cols[] = {"shop",    "order",        "channel", "shipped_at",
                                       "sla_days", "sla_deadline", "delivered_at", "freight",
                                       "currency", "remedy",       "state"};

int bl_cmd_sla(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},
        {"dry-run", no_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    int64_t as_of = 0;
    bool has_as_of = false, dry = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            if (bl_cli_parse_instant(cli, "sla", "--as-of", optarg, &as_of))
                return 2;
            has_as_of = true;
            break;
        case 'n': dry = true; break;
        case 'f':
            if (bl_cli_set_format(cli, optarg))
                return 2;
            break;
        default:
            return bl_cli_usage(cli, "sla", "usage: sla --as-of T [--dry-run]");
        }
    }
    if (optind != argc || !has_as_of)
        return bl_cli_usage(cli, "sla", "--as-of is required (an ISO 8601 instant)");
    struct bl_store *st;
    int64_t org;
    struct bl__lg_loader L;
    if (bl__lg_open(cli, &st, &org, &L))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct sla_load sl = {&L, NULL, 0, 0, &d};
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(as_of)};
    /* Shipped by A, SLA days passed by A, not delivered by the deadline (a delivery
     * after A is unknown at A, and after the deadline anyway), not cancelled. */
    int rc = bl_store_query(
        st,
        "SELECT o.id, o.shop_id, o.ext_id, s.ext_id, c.ext_id, o.ship_from, o.ship_to,"
        " COALESCE(c.remedy, ''), o.shipped_at, o.delivered_at," BL__ORDER_WEIGHT_SQL
        ", c.sla_days,"
        " (SELECT COUNT(*) FROM ledger g WHERE g.org_id = o.org_id"
        "  AND g.idem = 'sla:' || CAST(o.id AS TEXT))"
        " FROM orders o JOIN shop s ON s.org_id = o.org_id AND s.id = o.shop_id"
        " JOIN channel c ON c.org_id = o.org_id AND c.ext_id = o.channel"
        " WHERE o.org_id = $1 AND c.sla_days IS NOT NULL AND o.shipped_at IS NOT NULL"
        " AND o.shipped_at + c.sla_days * 86400 <= $2 AND o.cancelled_by IS NULL"
        " AND (o.delivered_at IS NULL OR o.delivered_at > o.shipped_at + c.sla_days * 86400)"
        " ORDER BY o.shipped_at, o.id",
        p, 2, sla_row, &sl, &d);
    if (rc == BL_ENOMEM && !d.code)
        bl_diag_set(&d, rc, "sla: out of memory");
    int64_t now = bl_cli_now();
    size_t fresh = 0;
    if (!rc && !dry) {
        rc = bl_store_begin(st, &d);
        int64_t next = 0;
        struct bl_val o1 = bl_val_int(org);
        if (!rc)
            rc = bl_store_query_int(st, "SELECT COALESCE(MAX(id), 0) + 1 FROM ledger WHERE org_id = $1",
                                    &o1, 1, &next, &d);
        for (size_t k = 0; !rc && k < sl.n; k++) {
            struct sla_claim *x = &sl.c[k];
            if (x->claimed)
                continue;
            struct bal_sum b = {x->shop_id, 0};
            struct bl_val q[2] = {o1, bl_val_int(x->shop_id)};
            rc = bl_store_query(st,
                                "SELECT s.deposit + COALESCE((SELECT SUM(g.amount) FROM ledger g"
                                " WHERE g.org_id = s.org_id AND g.shop_id = s.id"
                                " AND g.currency = s.currency AND g.kind IN ('coupon', 'topup')), 0)"
                                " FROM shop s WHERE s.org_id = $1 AND s.id = $2",
                                q, 2, bal_sum_row, &b, &d);
            char idem[64], note[300], deadline[BL_ISO_MAX];
            snprintf(idem, sizeof(idem), "sla:%lld", (long long)x->order_id);
            bl_time_format(x->shipped + x->sla_days * 86400, deadline);
            snprintf(note, sizeof(note),
                     "channel %s: not delivered within %lld days of shipping (by %s)%s%s%s",
                     x->channel, (long long)x->sla_days, deadline, x->remedy[0] ? "; " : "",
                     x->remedy, x->priced ? "" : "; freight unknown (no rate for the lane)");
            struct bl_val v[] = {o1,
                                 bl_val_int(next++),
                                 bl_val_int(x->shop_id),
                                 bl_val_text(BL_STR("sla_waiver")),
                                 bl_val_int(x->freight),
                                 bl_val_text(bl_str_c(x->currency ? x->currency : "")),
                                 bl_val_int(b.balance),
                                 bl_val_text(bl_str_c(x->ext)),
                                 bl_val_text(bl_str_c(idem)),
                                 bl_val_text(bl_str_c(note)),
                                 bl_val_int(as_of),
                                 bl_val_int(now)};
            if (!rc)
                rc = bl_store_exec(st,
                                   "INSERT INTO ledger (org_id, id, shop_id, kind, amount, currency,"
                                   " balance, ref, idem, note, as_of, at) VALUES ($1, $2, $3, $4,"
                                   " $5, $6, $7, $8, $9, $10, $11, $12)"
                                   " ON CONFLICT (org_id, idem) DO NOTHING",
                                   v, 12, NULL, &d);
            fresh++;
        }
        if (!rc)
            rc = bl_store_commit(st, &d);
        if (rc) {
            struct bl_diag ignore;
            if (bl_store_rollback(st, &ignore)) {
            }
        }
    }
    bl_store_close(st);
    if (!rc) {
        struct bl_out out;
        bl_out_begin(&out, cli, sla_cols, sizeof(sla_cols) / sizeof(sla_cols[0]));
        char t1[BL_ISO_MAX], t2[BL_ISO_MAX], t3[BL_ISO_MAX], fr[40];
        for (size_t k = 0; !rc && k < sl.n; k++) {
            const struct sla_claim *x = &sl.c[k];
            struct bl_val v[] = {
                bl_val_text(bl_str_c(x->shop)),
                bl_val_text(bl_str_c(x->ext)),
                bl_val_text(bl_str_c(x->channel)),
                bl_val_text(bl_str_c(bl_time_format(x->shipped, t1))),
                bl_val_int(x->sla_days),
                bl_val_text(bl_str_c(bl_time_format(x->shipped + x->sla_days * 86400, t2))),
                x->delivered == BL_NO_TIME ? bl_val_text(BL_STR(""))
                                           : bl_val_text(bl_str_c(bl_time_format(x->delivered, t3))),
                x->priced ? bl_val_text(bl_str_c(bl__lg_money_text(x->freight, x->exp, fr, sizeof(fr))))
                          : bl_val_text(BL_STR("")),
                bl_val_text(bl_str_c(x->currency ? x->currency : "")),
                bl_val_text(bl_str_c(x->remedy)),
                bl_val_text(bl_str_c(x->claimed ? "claimed before" : dry ? "due (dry run)" : "claimed")),
            };
            rc = bl_out_row(&out, v);
        }
        int erc = bl_out_end(&out);
        rc = rc ? rc : erc;
        if (!rc && cli->format == BL_FMT_TABLE)
            fprintf(cli->err, "ballast: %zu shipment(s) past their SLA, %zu new claim(s)%s\n", sl.n,
                    fresh, dry ? " (dry run: nothing stored)" : "");
    }
    bl_free(sl.c);
    bl__lg_loader_release(&L);
    return rc ? bl_cli_fail(cli, &d) : 0;
}

int bl__lg_open(struct bl_cli *cli, struct bl_store **st, int64_t *org, struct bl__lg_loader *L)
{
    if (bl_cli_open(cli, false, st, org))
        return 1;
    if (bl__lg_load(cli, *st, *org, L)) {
        bl_store_close(*st);
        *st = NULL;
        bl__lg_loader_release(L);
        return 1;
    }
    return 0;
}
