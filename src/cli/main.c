/* main.c - the ballast command: global options and dispatch.
 *
 *   ballast [--db URL] [--org NAME] [--format table|csv|json] <command> [args]
 */
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/assess_common.h"
#include "cli/cli.h"

#include "app/data.h"
#include "ballast/app.h"
#include "ballast/file.h"
#include "ballast/time.h"

static const char usage_text[] =
    "usage: ballast [--db URL] [--org NAME] [--format table|csv|json] <command> [args]\n"
    "\n"
    "  --db URL        store: an SQLite file path (default ./ballast.db) or postgres://...\n"
    "                  (or set BALLAST_DB)\n"
    "  --org NAME      organisation (default \"default\")\n"
    "  --format F      output for people (table) or machines (csv, json)\n"
    "\n"
    "the day:\n"
    "  cycle --as-of A [--all-orgs | --shard K/N] [--dry-run]  the whole daily pass: forecast,\n"
    "                               plan, alerts, playbook, route, assess, compensate, SLA\n"
    "                               waivers, messages, banners; a summary of what needs a\n"
    "                               decision (docs/internals/cycle.md)\n"
    "  cycle list | show ID         past cycles, and one cycle's steps\n"
    "  notify add|list|remove       who gets the operator's digest after each cycle: e-mail,\n"
    "                               Slack, Feishu/Lark, DingTalk (--webhook URL --kind K)\n"
    "\n"
    "the store and its data:\n"
    "  init                         create or upgrade the store (and the --org)\n"
    "  import KIND FILE [--tz Z]    import a native CSV (shops, skus, warehouses, stock,\n"
    "                               suppliers, inbound, orders, sales, channels,\n"
    "                               disruptions, protections, customers); .csv.gz too.\n"
    "                               Known orders are updated (--corrections: identity\n"
    "                               and recorded times may change, as corrections)\n"
    "  import amazon|shopify|tiktok|temu FILE --shop S\n"
    "                               a platform's own order report, as exported\n"
    "  import olist DIR [--tz Z]    import the Olist public dataset directory\n"
    "  stats                        rows per table\n"
    "  orders list [filters]        orders (--shop S --status S --from T --to T --limit N)\n"
    "  orders show ORDER [--shop S] one order with its lines and its history\n"
    "  gen --out DIR [options]      write a synthetic dataset in the native formats\n"
    "\n"
    "disruptions:\n"
    "  disruption add [options]     record a disruption (--region R --scope S --kind K\n"
    "                               --from T --to T [--tz Z] ...)\n"
    "  disruption list|lift ID      list (--active-at T --region R); lift ID --at T\n"
    "  disruption edit ID [--from T] [--to T] [--region R] [--scope S] [--kind K] [--note N]\n"
    "                               correct a disruption (its window, region, scope, kind)\n"
    "  protect --shop S ... | list  record or list a shop's approved protection windows\n"
    "\n"
    "demand and stock:\n"
    "  forecast [--input FILE] [opts]  daily demand per SKU (--horizon, --model, --holdout)\n"
    "  plan --as-of DAY [opts]      replenishment plan: cover, stock-out, reorder, order-by\n"
    "  alerts --as-of DAY [opts]    low stock, stock-out forecast, stocking reminders\n"
    "  playbook --as-of DAY [--apply]  stock-out actions (delist, pause ads, vacation...)\n"
    "  actions [--sku S] [--approve ID] [--policy KIND=propose|apply]  recorded actions\n"
    "\n"
    "logistics:\n"
    "  channels list|import FILE    logistics channels (import = import channels FILE)\n"
    "  calendars list|import FILE   working calendars of channels (data/calendars.csv)\n"
    "  quote --from R --to R --weight KG [--dims LxWxH] [--ship-at T] [--by DATE]\n"
    "                               every channel serving a shipment: price, window\n"
    "  route --as-of T [--policy cheapest|fastest|preferred:CARRIER] [--explain ORDER]\n"
    "                               a channel and delivery window for every open order\n"
    "                               (each shop's policy unless --policy overrides it)\n"
    "  route policy --shop S P | list | import FILE  per-shop routing policy\n"
    "  promise [--sku S] [--shop S | --from R] [--to R] [--as-of T] [--policy P]\n"
    "                               listing delivery windows per SKU and destination\n"
    "  refund ORDER [--reason TEXT] [--as-of T]  decide (and record once) a refund\n"
    "  refund policy --shop S SHARE | list  partial-refund threshold share (default 0.5)\n"
    "  windows [--policy P] [--channel C] [--from R]  catalogue windows vs real deliveries\n"
    "  sla --as-of T [--dry-run]    carrier SLA breaches: freight waivers to the ledger\n"
    "\n"
    "shop assessment (docs/metrics.md):\n"
    "  assess --as-of T --profile P [--window D] [--shop S | --all-shops] [--explain ORDER]\n"
    "                               shop metrics and rating, disruptions excluded\n"
    "  compensate --as-of T --profile P  coupons for late shipments, from the deposit\n"
    "  coupons [--shop S]           coupons issued\n"
    "  ledger --shop S              a shop's deposit: balance and entries\n"
    "\n"
    "customers:\n"
    "  messages plan --as-of T      plan customer messages into the outbox (once per event,\n"
    "                               inside the horizon); each waits for approval unless its\n"
    "                               shop opted in (messages policy set ... --auto)\n"
    "  messages preview ORDER KIND  one message with the order's real data, not sent\n"
    "  messages list|show|approve|policy|send --via smtp|webhook|csv  the outbox\n"
    "  shops list | set SHOP ... | import FILE  what a shop's messages say: --account-url,\n"
    "                               --support, --support-hours, --signature, --sender\n"
    "  banners [--as-of T]          homepage, shipping-page and product-page notices\n"
    "  render TPL --data F [--partials DIR]  print a Mustache template rendered with JSON\n"
    "\n"
    "File formats: docs/formats.md.\n";

int bl_cli_fail(struct bl_cli *cli, const struct bl_diag *d)
{
    char msg[1200];
    bl_diag_format(d, msg, sizeof(msg));
    fprintf(cli->err, "ballast: %s\n", msg);
    return 1;
}

int bl_cli_usage(struct bl_cli *cli, const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(cli->err, "ballast %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(cli->err, fmt, ap);
    va_end(ap);
    fprintf(cli->err, "\n(see 'ballast --help' and docs/formats.md)\n");
    return 2;
}

int bl_cli_set_format(struct bl_cli *cli, const char *val)
{
    if (strcmp(val, "table") == 0)
        cli->format = BL_FMT_TABLE;
    else if (strcmp(val, "csv") == 0)
        cli->format = BL_FMT_CSV;
    else if (strcmp(val, "json") == 0)
        cli->format = BL_FMT_JSON;
    else {
        fprintf(cli->err, "ballast: --format %s: expected table, csv or json\n", val);
        return 2;
    }
    cli->format_set = true;
    return 0;
}

int bl_cli_parse_instant(struct bl_cli *cli, const char *cmd, const char *opt, const char *text,
                         int64_t *t)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_tz *utc;
    if (bl_tz_load(&utc, "UTC", &d))
        return bl_cli_fail(cli, &d);
    int rc = bl_time_parse(bl_str_c(text), utc, t, &d);
    bl_tz_free(utc);
    if (rc)
        return bl_cli_usage(cli, cmd, "%s %s: %s", opt, text, d.msg);
    return 0;
}

int bl_cli_read_file(const char *path, size_t max, struct bl_buf *b, struct bl_diag *d)
{
    return bl_file_read(path, max, b, d);
}

int bl_cli_parse_int(struct bl_cli *cli, const char *cmd, const char *opt, const char *text,
                     int64_t lo, int64_t hi, int64_t *out)
{
    int64_t v;
    if (bl_str_to_i64(bl_str_c(text), &v) == BL_OK && v >= lo && v <= hi) {
        *out = v;
        return 0;
    }
    if (hi == INT64_MAX)
        return bl_cli_usage(cli, cmd, "%s '%s': expected a whole number, %lld or more", opt, text,
                            (long long)lo);
    return bl_cli_usage(cli, cmd, "%s '%s': expected a whole number from %lld to %lld", opt, text,
                        (long long)lo, (long long)hi);
}

int bl_cli_parse_as_of(const char *text, const char *zone, int64_t *t, struct bl_diag *d)
{
    struct bl_tz *tz;
    int rc = bl_tz_load(&tz, zone ? zone : "UTC", d);
    if (rc)
        return rc;
    struct bl_str s = bl_str_c(text);
    int64_t day;
    struct bl_diag tmp;
    bl_diag_clear(&tmp);
    if (s.len == 10 && bl_date_parse(s, &day, &tmp) == BL_OK)
        *t = bl_tz_local_to_utc(tz, (day + 1) * BL_DAY_SECS); /* the end of that day */
    else
        rc = bl_time_parse(s, tz, t, d);
    bl_tz_free(tz);
    return rc;
}

int64_t bl_cli_now(void)
{
    return bl_app_now();
}

int bl_cli_open(struct bl_cli *cli, bool migrate, struct bl_store **st, int64_t *org_id)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_store_open(st, cli->db_url, &d);
    if (rc)
        return bl_cli_fail(cli, &d);
    int version = 0;
    rc = migrate ? bl_store_migrate(*st, &d) : bl_store_version(*st, &version, &d);
    if (!rc && !migrate && version < bl_store_latest_version()) {
        bl_diag_set(&d, BL_ESCHEMA,
                    "the store %s is not initialised or is older than this program "
                    "(schema %d, need %d): run 'ballast --db %s init'",
                    cli->db_url, version, bl_store_latest_version(), cli->db_url);
        rc = BL_ESCHEMA;
    }
    if (!rc) {
        rc = bl_app_org_find(*st, cli->org, org_id, &d);
        if (rc == BL_ENOTFOUND)
            bl_diag_set(&d, BL_ENOTFOUND,
                        "unknown organisation '%s': create it with 'ballast --org %s init'",
                        cli->org, cli->org);
    }
    if (rc) {
        bl_store_close(*st);
        *st = NULL;
        return bl_cli_fail(cli, &d);
    }
    return 0;
}

struct command {
    const char *name;
    int (*fn)(struct bl_cli *, int, char **);
};

static const struct command commands[] = {
    {"init", bl_cmd_init},
    {"import", bl_cmd_import},
    {"stats", bl_cmd_stats},
    {"orders", bl_cmd_orders},
    {"gen", bl_cmd_gen},
    {"assess", bl_cmd_assess},
    {"compensate", bl_cmd_compensate},
    {"coupons", bl_cmd_coupons},
    {"ledger", bl_cmd_ledger},
    {"render", bl_cmd_render},
    {"disruption", bl_cmd_disruption},
    {"protect", bl_cmd_protect},
    {"channels", bl_cmd_channels},
    {"calendars", bl_cmd_calendars},
    {"quote", bl_cmd_quote},
    {"route", bl_cmd_route},
    {"sla", bl_cmd_sla},
    {"forecast", bl_cmd_forecast},
    {"promise", bl_cmd_promise},
    {"refund", bl_cmd_refund},
    {"windows", bl_cmd_windows},
    {"plan", bl_cmd_plan},
    {"alerts", bl_cmd_alerts},
    {"playbook", bl_cmd_playbook},
    {"actions", bl_cmd_actions},
    {"messages", bl_cmd_messages},
    {"shops", bl_cmd_shops},
    {"banners", bl_cmd_banners},
    {"cycle", bl_cmd_cycle},
    {"notify", bl_cmd_notify},
    {NULL, NULL},
};

int main(int argc, char **argv)
{
    /* The program's allocator policy: glibc gives the top of the heap back to the
     * system when 128 KiB are free there; SQLite's B-tree balancing allocates and frees
     * tens of KiB for each page split, so in a bulk insert the heap kept growing and
     * shrinking (sysmalloc and its page faults: about 4% of a 200k-line import). Up
     * to 32 MiB stay (docs/internals/store.md). */
    if (mallopt(M_TRIM_THRESHOLD, 32 << 20) != 1 || mallopt(M_MMAP_THRESHOLD, 4 << 20) != 1) {
        /* only slower */
    }
    struct bl_cli cli = {0};
    cli.db_url = getenv("BALLAST_DB") ? getenv("BALLAST_DB") : "ballast.db";
    cli.org = "default";
    cli.locale = "en";
    cli.out = stdout;
    cli.err = stderr;
    cli.tty = isatty(2);
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        const char *eq = strchr(a, '=');
        size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage_text, stdout);
            return 0;
        }
        if (strcmp(a, "--version") == 0) {
            printf("ballast 0.1.0\n");
            return 0;
        }
        if (eq)
            val = eq + 1;
        else if (i + 1 < argc)
            val = argv[++i];
        if (!val) {
            fprintf(stderr, "ballast: %s needs a value\n%s", a, usage_text);
            return 2;
        }
        if (nlen == 4 && strncmp(a, "--db", 4) == 0) {
            cli.db_url = val;
        } else if (nlen == 5 && strncmp(a, "--org", 5) == 0) {
            cli.org = val;
        } else if (nlen == 8 && strncmp(a, "--format", 8) == 0) {
            if (bl_cli_set_format(&cli, val))
                return 2;
        } else {
            fprintf(stderr, "ballast: unknown option %.*s\n%s", (int)nlen, a, usage_text);
            return 2;
        }
    }
    if (i >= argc) {
        fputs(usage_text, stderr);
        return 2;
    }
    for (const struct command *c = commands; c->name; c++)
        if (strcmp(c->name, argv[i]) == 0)
            return c->fn(&cli, argc - i, argv + i);
    fprintf(stderr, "ballast: unknown command '%s'\n%s", argv[i], usage_text);
    return 2;
}
