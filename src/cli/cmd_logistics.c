/* cmd_logistics.c - `ballast channels|calendars list|import` and `ballast quote`, and
 * what the logistics commands share (logistics_load.h): the shell around the
 * logistics use cases (src/app/logistics.h). Read-only.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/logistics_load.h"
#include "cli/out.h"

#include "ballast/money.h"
#include "ballast/region.h"

/* ---------------------------------------------------------------- shared */

int bl__lg_fail(struct bl_cli *cli, struct bl_diag *d, int rc)
{
    if (!d->code)
        bl_diag_set(d, rc, "%s", bl_strerror(rc));
    return bl_cli_fail(cli, d);
}

int bl__lg_open(struct bl_cli *cli, struct bl_store **st, int64_t *org,
                struct bl_app_logistics *cat)
{
    if (bl_cli_open(cli, false, st, org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_logistics_load(*st, *org, cat, &d);
    for (size_t i = 0; !rc && i < cat->nwarn; i++)
        fprintf(cli->err,
                "ballast: warning: calendar '%s' (channel %s) is not loaded: counting "
                "Saturday and Sunday as its only closed days; import it with 'ballast "
                "calendars import FILE'\n",
                cat->warn[i].calendar, cat->warn[i].channel);
    if (rc) {
        bl_store_close(*st);
        *st = NULL;
        bl_app_logistics_release(cat);
        return bl_cli_fail(cli, &d);
    }
    return 0;
}

const char *bl__lg_tier(enum bl_lg_tier t)
{
    return bl_app_lg_tier(t);
}

const char *bl__lg_money_text(int64_t minor, int exp, char *buf, size_t cap)
{
    if (bl_money_format(minor, exp, buf, cap) < 0)
        snprintf(buf, cap, "%lld", (long long)minor);
    return buf;
}

int bl__lg_parse_region(struct bl_cli *cli, const char *cmd, const char *opt, const char *text,
                        char *out)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_region_parse(bl_str_c(text), out, &d))
        return bl_cli_usage(cli, cmd, "%s %s: %s", opt, text, d.msg);
    return 0;
}

int bl__lg_parse_policy(struct bl_cli *cli, const char *cmd, const char *text,
                        struct bl_lg_policy *p)
{
    if (bl_app_route_policy_parse(text, p))
        return bl_cli_usage(cli, cmd,
                            "--policy %s: expected cheapest, fastest or preferred:CARRIER", text);
    return 0;
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

/* `X list [--format F]`: 0 and the store opened, else the exit status. */
static int list_open(struct bl_cli *cli, const char *cmd, int argc, char **argv,
                     struct bl_store **st, int64_t *org)
{
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
        if (c != 'f' || bl_cli_set_format(cli, optarg))
            return c != 'f' ? bl_cli_bad_option(cli, cmd, argv, opts) : 2;
    if (optind != argc)
        return bl_cli_usage(cli, cmd, "list takes no arguments");
    return bl_cli_open(cli, false, st, org) ? 1 : 0;
}

static struct bl_val tn(const char *s)
{
    return s ? bl_val_text(bl_str_c(s)) : bl_val_null();
}

static const char *const chan_cols[] = {"channel", "carrier",  "mode",     "tier",
                                        "lanes",   "bands",    "transit",  "cutoff",
                                        "tz",      "calendar", "sla_days", "currency"};

static int channels_list(struct bl_cli *cli, int argc, char **argv)
{
    struct bl_store *st;
    int64_t org;
    int status = list_open(cli, "channels", argc, argv, &st, &org);
    if (status)
        return status;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_channels_res res;
    int rc = bl_app_channels_list(st, org, &res, &d);
    bl_store_close(st);
    struct bl_out o;
    bl_out_begin(&o, cli, chan_cols, 12);
    for (size_t i = 0; !rc && i < res.n; i++) {
        const struct bl_app_channel *c = &res.ch[i];
        char transit[48];
        snprintf(transit, sizeof(transit), "%lld-%lld", (long long)c->transit_min,
                 (long long)c->transit_max);
        struct bl_val v[12] = {tn(c->id),
                               tn(c->carrier),
                               tn(c->mode),
                               tn(c->tier),
                               bl_val_int(c->lanes),
                               bl_val_int(c->rates),
                               tn(transit),
                               tn(c->cutoff),
                               tn(c->tz),
                               tn(c->calendar),
                               c->has_sla ? bl_val_int(c->sla_days) : bl_val_null(),
                               tn(c->currency)};
        rc = bl_out_row(&o, v);
    }
    int rc2 = bl_out_end(&o);
    bl_app_channels_res_release(&res);
    return rc || rc2 ? bl__lg_fail(cli, &d, rc ? rc : rc2) : 0;
}

int bl_cmd_channels(struct bl_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "import") == 0)
        return redirect_import(cli, "channels", argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return channels_list(cli, argc - 1, argv + 1);
    return bl_cli_usage(cli, "channels", "expected 'list' or 'import FILE'");
}

static const char *const cal_cols[] = {"calendar", "weekend", "closures", "first", "last"};

static int calendars_list(struct bl_cli *cli, int argc, char **argv)
{
    static const char *const wd[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    struct bl_store *st;
    int64_t org;
    int status = list_open(cli, "calendars", argc, argv, &st, &org);
    if (status)
        return status;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_calendars_res res;
    int rc = bl_app_calendars_list(st, org, &res, &d);
    bl_store_close(st);
    struct bl_out o;
    bl_out_begin(&o, cli, cal_cols, 5);
    for (size_t i = 0; !rc && i < res.n; i++) {
        const struct bl_app_calendar *c = &res.cal[i];
        char weekend[40] = "", first[BL_ISO_MAX], last[BL_ISO_MAX];
        for (int k = 0; k < 7; k++)
            if (c->weekend & (1 << k)) {
                size_t n = strlen(weekend);
                snprintf(weekend + n, sizeof(weekend) - n, "%s%s", n ? "+" : "", wd[k]);
            }
        struct bl_val v[5] = {tn(c->name), tn(weekend[0] ? weekend : "none"),
                              bl_val_int(c->closures), tn(bl_date_format(c->first_day, first)),
                              tn(bl_date_format(c->last_day, last))};
        rc = bl_out_row(&o, v);
    }
    int rc2 = bl_out_end(&o);
    bl_app_calendars_res_release(&res);
    return rc || rc2 ? bl__lg_fail(cli, &d, rc ? rc : rc2) : 0;
}

int bl_cmd_calendars(struct bl_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "import") == 0)
        return redirect_import(cli, "calendars", argc - 1, argv + 1);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return calendars_list(cli, argc - 1, argv + 1);
    return bl_cli_usage(cli, "calendars", "expected 'list' or 'import FILE'");
}

/* ---------------------------------------------------------------- quote */

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

static int quote_print(struct bl_cli *cli, const struct bl_app_quote_res *res, bool has_by)
{
    const struct bl_lg *lg = res->cat->lg;
    struct bl_out o;
    bl_out_begin(&o, cli, quote_cols, 12);
    int rc = BL_OK;
    for (size_t i = 0; !rc && i < res->n; i++) {
        const struct bl_lg_option *x = &res->opt[i];
        const struct bl_lg_channel *ch = bl_lg_channel(lg, (size_t)x->channel);
        char kg[40], price[40], dep[BL_ISO_MAX], e[BL_ISO_MAX], l[BL_ISO_MAX], st[300];
        const char *code;
        bl_app_quote_status(lg, x, st, sizeof(st), &code);
        struct bl_val v[12] = {
            tn(ch->id),
            tn(ch->carrier),
            tn(ch->mode),
            tn(bl__lg_tier(ch->tier)),
            tn(bl__lg_money_text(x->weight_g, 3, kg, sizeof(kg))),
            tn(bl__lg_money_text(x->price, res->cat->exps[x->channel], price, sizeof(price))),
            tn(ch->currency),
            tn(bl_date_format(x->depart_day, dep)),
            tn(bl_date_format(x->earliest_day, e)),
            tn(bl_date_format(x->latest_day, l)),
            has_by ? tn(x->meets ? "yes" : "no") : bl_val_null(),
            tn(st),
        };
        rc = bl_out_row(&o, v);
    }
    int rc2 = bl_out_end(&o);
    return rc ? rc : rc2;
}

static int quote_opts(struct bl_cli *cli, int argc, char **argv, struct bl_app_quote_req *q,
                      char *from, char *to)
{
    static const struct option opts[] = {
        {"from", required_argument, NULL, 'F'},    {"to", required_argument, NULL, 'T'},
        {"weight", required_argument, NULL, 'w'},  {"dims", required_argument, NULL, 'D'},
        {"ship-at", required_argument, NULL, 's'}, {"by", required_argument, NULL, 'b'},
        {"format", required_argument, NULL, 'f'},  {NULL, 0, NULL, 0},
    };
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        struct bl_diag d;
        bl_diag_clear(&d);
        int bad = 0;
        switch (c) {
        case 'F':
            bad = bl__lg_parse_region(cli, "quote", "--from", optarg, from);
            break;
        case 'T':
            bad = bl__lg_parse_region(cli, "quote", "--to", optarg, to);
            break;
        case 'w':
            bad = parse_scaled(cli, "quote", "--weight", optarg, 3, &q->weight_g);
            break;
        case 'D':
            bad = parse_dims(cli, optarg, q->dims_mm);
            break;
        case 's':
            bad = bl_cli_parse_instant(cli, "quote", "--ship-at", optarg, &q->ship_at);
            break;
        case 'b':
            if (bl_date_parse(bl_str_c(optarg), &q->by_day, &d))
                return bl_cli_usage(cli, "quote", "--by %s: %s", optarg, d.msg);
            break;
        case 'f':
            bad = bl_cli_set_format(cli, optarg);
            break;
        default:
            return bl_cli_bad_option(cli, "quote", argv, opts);
        }
        if (bad)
            return 2;
    }
    if (optind != argc || !from[0] || !to[0] || q->weight_g < 0)
        return bl_cli_usage(cli, "quote", "--from, --to and --weight are required");
    return 0;
}

int bl_cmd_quote(struct bl_cli *cli, int argc, char **argv)
{
    char from[BL_REGION_MAX] = "", to[BL_REGION_MAX] = "";
    struct bl_app_quote_req q = {from, to, -1, {0, 0, 0}, bl_cli_now(), BL_LG_NO_PROMISE, NULL};
    int status = quote_opts(cli, argc, argv, &q, from, to);
    if (status)
        return status;
    struct bl_store *st;
    int64_t org;
    struct bl_app_logistics cat;
    if (bl__lg_open(cli, &st, &org, &cat))
        return 1;
    q.cat = &cat;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_quote_res res;
    int rc = bl_app_quote(st, org, &q, &res, &d);
    bl_store_close(st);
    if (!rc)
        rc = quote_print(cli, &res, q.by_day != BL_LG_NO_PROMISE);
    size_t n = res.n;
    bl_app_quote_res_release(&res);
    bl_app_logistics_release(&cat);
    if (rc)
        return bl__lg_fail(cli, &d, rc);
    if (n == 0)
        fprintf(cli->err, "ballast: no channel serves %s -> %s at this weight\n", from, to);
    return 0;
}
