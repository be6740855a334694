/* cmd_messages_plan.c - `ballast messages plan`: parses the options, calls
 * bl_app_messages_plan (app/messages.h) and prints what was planned. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/msg_common.h"
#include "cli/out.h"

#include "ballast/notify.h"
#include "ballast/time.h"

#define NC(a) (sizeof(a) / sizeof((a)[0]))

int bl_cmd_messages_plan(struct bl_cli *cli, int argc, char **argv);

static const char *text_or_empty(const char *s)
{
    return s ? s : "";
}

static int plan_rows(struct bl_cli *cli, const struct bl_app_messages_plan_req *rq,
                     const struct bl_app_messages_plan_res *res, const struct bl_msg_names *nm)
{
    static const char *const cols[] = {"idem", "kind",  "order",     "shop",    "customer",
                                       "locale", "state", "recipient", "subject", "held_because"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, NC(cols));
    int rc = 0;
    for (size_t k = 0; !rc && k < res->n; k++) {
        const struct bl_app_message_planned *m = &res->msgs[k];
        if (!rq->dry_run && !m->added && !(m->redone && !m->hold))
            continue; /* planned by a concurrent run, or held before and still held */
        char why[2000] = "";
        if (m->hold)
            bl_msg_hold_words(m->hold, m->shop, bl_msg_shop_name(nm, m->shop), why, sizeof(why));
        struct bl_val v[] = {bl_val_text(bl_str_c(m->idem)),
                             bl_val_text(bl_str_c(bl_msg_kind_name(m->kind))),
                             m->order ? bl_val_text(bl_str_c(m->order)) : bl_val_null(),
                             bl_val_text(bl_str_c(text_or_empty(m->shop))),
                             bl_val_text(bl_str_c(text_or_empty(m->customer))),
                             bl_val_text(bl_str_c(m->locale)),
                             bl_val_text(bl_str_c(m->hold       ? "held"
                                                  : m->approval ? "planned"
                                                                : "approved")),
                             bl_val_text(bl_str_c(m->recipient)),
                             bl_val_text(bl_str_c(m->subject)),
                             m->hold ? bl_val_text(bl_str_c(why)) : bl_val_null()};
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    return rc || erc;
}

static void plan_summary(struct bl_cli *cli, const struct bl_app_messages_plan_req *rq,
                         const struct bl_app_messages_plan_res *res)
{
    FILE *e = cli->err;
    fprintf(e, "ballast: %zu message%s planned%s", res->n, res->n == 1 ? "" : "s",
            rq->dry_run ? " (dry run: nothing stored)" : "");
    if (!rq->dry_run)
        fprintf(e, ", %zu stored", res->added);
    if (res->redone)
        fprintf(e, ", %zu held one%s rendered again", res->redone, res->redone == 1 ? "" : "s");
    if (res->unreachable)
        fprintf(e, "; %zu affected order%s no customer id: not messaged", res->unreachable,
                res->unreachable == 1 ? " has" : "s have");
    if (res->too_old)
        fprintf(e,
                "; %zu order%s whose late shipment, late delivery or disruption fell before "
                "the horizon (%s): not messaged",
                res->too_old, res->too_old == 1 ? "" : "s",
                rq->horizon_days >= 0 ? "--horizon"
                                      : "each shop's profile, messaging.horizon_days");
    fputc('\n', e);
    if (res->waiting)
        fprintf(e,
                "ballast: %zu wait%s for a person's approval ('ballast messages approve ID | "
                "--all'; auto-send per shop: 'ballast messages policy')\n",
                res->waiting, res->waiting == 1 ? "s" : "");
    if (!res->held)
        return;
    fprintf(e, "ballast: %zu held, never sent until fixed ('ballast messages list --state held'):",
            res->held);
    const char *sep = " ";
    for (unsigned k = 0; k < BL_HOLD__COUNT; k++)
        if (res->held_reason[k]) {
            fprintf(e, "%s%s %zu", sep, bl_msg_hold_short((enum bl_hold)k), res->held_reason[k]);
            sep = ", ";
        }
    fputc('\n', e);
}

/* How many messages are not in the buyer's language, and why. */
static void fallback_summary(struct bl_cli *cli, const struct bl_app_messages_plan_res *res)
{
    size_t nopack = res->fallback[BL_LANG_NO_PACK], unknown = res->fallback[BL_LANG_UNKNOWN];
    if (nopack || unknown)
        fprintf(cli->err,
                "ballast: %zu message%s not in the buyer's language: %zu with no template pack "
                "for it, %zu with no language known (the default pack)\n",
                nopack + unknown, nopack + unknown == 1 ? "" : "s", nopack, unknown);
}

static int plan_run(struct bl_cli *cli, const struct bl_app_messages_plan_req *rq,
                    struct bl_diag *d)
{
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_app_messages_plan_res res;
    int rc = bl_app_messages_plan(st, org, rq, &res, d);
    struct bl_msg_names nm = {0};
    struct bl_diag nd;
    bl_diag_clear(&nd);
    if (!rc && res.held && bl_msg_names_load(st, org, &nm, &nd))
        bl_msg_names_release(&nm); /* the plan is stored: its reasons name shops by id */
    bl_store_close(st);
    if (rc) {
        bl_app_messages_plan_res_release(&res);
        plan_rows(cli, rq, &res, NULL); /* the table's header, empty, as always */
        return bl_cli_fail(cli, d);
    }
    int erc = plan_rows(cli, rq, &res, &nm);
    bl_msg_names_release(&nm);
    if (!erc) {
        plan_summary(cli, rq, &res);
        fallback_summary(cli, &res);
    }
    bl_app_messages_plan_res_release(&res);
    return erc ? 1 : 0;
}

static const char plan_usage[] =
    "usage: messages plan --as-of T [--tz ZONE] [--horizon DAYS] [--lookahead HOURS]\n"
    "         [--channel email|webhook|csv] [--to-domain D] [--templates DIR] [--coupon-days N]\n"
    "         [--promo CODE --discount TEXT --promo-expires DATE] [--service-resumed DATE]\n"
    "         [--dry-run]\n"
    "  --horizon: only events (a missed ship-by or delivery, a coupon) at most DAYS before\n"
    "  the as-of are written about (default: each shop's profile, messaging.horizon_days, 3)";

/* One option of plan into pa (seen: 1 --as-of, 2 --promo-expires; the as-of and its
 * zone are parsed once all are read). 0, else the exit status after printing usage. */
static int plan_opt(struct bl_cli *cli, int c, struct bl_app_messages_plan_req *pa,
                    unsigned *seen, const char **as_of, const char **tz)
{
    int64_t v;
    switch (c) {
    case 'a':
        *as_of = optarg;
        *seen |= 1;
        break;
    case 'z':
        *tz = optarg;
        break;
    case 'H':
        if (bl_cli_parse_int(cli, "messages plan", "--horizon", optarg, 0, 3650, &v))
            return 2;
        pa->horizon_days = (int)v;
        break;
    case 'L':
    case 'k':
        if (bl_cli_parse_int(cli, "messages plan", c == 'L' ? "--lookahead" : "--coupon-days",
                             optarg, 0, 24 * 3650, &v))
            return 2;
        if (c == 'L')
            pa->lookahead = v * 3600;
        else
            pa->coupon_days = v;
        break;
    case 'c':
        if (strcmp(optarg, "email") && strcmp(optarg, "webhook") && strcmp(optarg, "csv"))
            return bl_cli_usage(cli, "messages plan", "--channel %s: expected email, "
                                "webhook or csv", optarg);
        pa->channel = optarg;
        break;
    case 't':
        pa->to_domain = optarg;
        break;
    case 'T':
        pa->templates = optarg;
        break;
    case 'p':
        pa->promo = optarg;
        break;
    case 'D':
        pa->discount = optarg;
        break;
    case 'e':
        if (bl_msg_parse_instant(cli, "messages plan", "--promo-expires", optarg,
                                 &pa->promo_expires))
            return 2;
        pa->promo_expires -= 1; /* the end of that day is "before" */
        *seen |= 2;
        break;
    case 'r': {
        int64_t day;
        struct bl_diag dd;
        if (bl_date_parse(bl_str_c(optarg), &day, &dd))
            return bl_cli_usage(cli, "messages plan", "--service-resumed %s: expected "
                                "YYYY-MM-DD", optarg);
        pa->service_resumed = optarg;
        break;
    }
    case 'n':
        pa->dry_run = true;
        break;
    case 'f':
        if (bl_cli_set_format(cli, optarg))
            return 2;
        break;
    default:
        return bl_cli_usage(cli, "messages plan", "%s", plan_usage);
    }
    return 0;
}

int bl_cmd_messages_plan(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},     {"horizon", required_argument, NULL, 'H'},
        {"tz", required_argument, NULL, 'z'},        {"lookahead", required_argument, NULL, 'L'},
        {"channel", required_argument, NULL, 'c'},   {"to-domain", required_argument, NULL, 't'},
        {"templates", required_argument, NULL, 'T'},
        {"promo", required_argument, NULL, 'p'},     {"discount", required_argument, NULL, 'D'},
        {"promo-expires", required_argument, NULL, 'e'},
        {"service-resumed", required_argument, NULL, 'r'},
        {"coupon-days", required_argument, NULL, 'k'}, {"dry-run", no_argument, NULL, 'n'},
        {"format", required_argument, NULL, 'f'},    {NULL, 0, NULL, 0},
    };
    struct bl_app_messages_plan_req pa;
    bl_app_messages_plan_defaults(&pa);
    pa.now = bl_cli_now();
    unsigned seen = 0;
    const char *as_of = NULL, *tz = NULL;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int status = c == '?' ? bl_cli_bad_option(cli, "messages plan", argv, opts)
                              : plan_opt(cli, c, &pa, &seen, &as_of, &tz);
        if (status)
            return status;
    }
    if (optind != argc || !(seen & 1))
        return bl_cli_usage(cli, "messages plan", "--as-of is required\n%s", plan_usage);
    if (bl_msg_parse_as_of(cli, "messages plan", "--as-of", as_of, tz, &pa.as_of))
        return 2;
    if (pa.promo && (!pa.discount || !(seen & 2)))
        return bl_cli_usage(cli, "messages plan", "--promo needs --discount and --promo-expires");
    if (pa.to_domain && (strchr(pa.to_domain, '@') || strpbrk(pa.to_domain, " <>\r\n")))
        return bl_cli_usage(cli, "messages plan", "--to-domain %s: a domain name", pa.to_domain);
    struct bl_diag d;
    bl_diag_clear(&d);
    return plan_run(cli, &pa, &d);
}
