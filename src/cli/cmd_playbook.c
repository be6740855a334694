/* cmd_playbook.c - `ballast playbook` and `ballast actions` (options parsed in
 * cmd_plan.c): call the use cases of src/app/stock.h, render. With --locale zh-CN the
 * tables are worded from the Chinese pack (app/action_cells.h); csv and json keep codes. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "app/action_cells.h"
#include "app/action_set.h"
#include "app/action_words.h"
#include "app/digest.h"
#include "ballast/l10n.h"
#include "ballast/time.h"
#include "cli/disrupt_common.h"
#include "cli/out.h"
#include "cli/plan_args.h"

#define usage(cli, cmd, fmt, arg) bl_cli_usage((cli), (cmd), fmt, (arg))

/* The Chinese pack for --locale zh-CN, else none. 0, or 1 when it cannot be read (d says). */
static int open_zh(const struct bl_cli *cli, struct bl_words **zh, struct bl_diag *d)
{
    *zh = NULL;
    if (!cli->locale || strcmp(cli->locale, "zh-CN") != 0)
        return 0;
    return bl_app_words_open(NULL, "zh-CN", zh, d) ? 1 : 0;
}

/* The pack a table's values are worded from: zh, else the English one (mail on, mail
 * paused); none in csv and json, which keep codes. 0, or 1 when it cannot be read. */
static int open_values(const struct bl_cli *cli, struct bl_words *zh, struct bl_words **en,
                       struct bl_diag *d)
{
    *en = NULL;
    if (zh || cli->format != BL_FMT_TABLE)
        return 0;
    return bl_app_words_open(NULL, "en", en, d) ? 1 : 0;
}

/* The words of a table: pack zh in a table; none in csv and json, which keep codes. */
static const struct bl_words *table_words(const struct bl_cli *cli, const struct bl_words *zh)
{
    return cli->format == BL_FMT_TABLE ? zh : NULL;
}

/* The word of code in group for a table in Chinese; the code itself otherwise. */
static const char *word(const struct bl_words *zh, const char *group, const char *code)
{
    return zh ? bl_app_action_word(zh, group, code) : code;
}

/* A field's value: in words in a table (pack vals: English or Chinese), its code in csv
 * and json. */
static void value_text(const struct bl_cli *cli, const struct bl_words *vals, enum bl_pb_kind k,
                       int64_t v, char *buf, size_t cap)
{
    if (cli->format == BL_FMT_TABLE)
        bl_app_action_value(vals, k, v, buf, cap);
    else if (k == BL_PB_OUT_OF_STOCK || k == BL_PB_DELIST)
        snprintf(buf, cap, "%s", bl_pb_listing_name(v));
    else
        snprintf(buf, cap, "%lld", (long long)v);
}

/* The column titles cols, in the pack's words when there is one. */
static void titles(const struct bl_words *zh, const char *const *cols, size_t n, const char **out)
{
    for (size_t i = 0; i < n; i++)
        out[i] = word(zh, "action_columns", cols[i]);
}

static const char *const outcome_names[] = {"to apply", "to propose", "pending",  "applied",
                                            "proposed", "reverted",   "withdrawn"};
static const char *const outcome_codes[] = {"to_apply", "to_propose", "pending",  "applied",
                                            "proposed", "reverted",   "withdrawn"};

/* The preview (or what --apply did); zh: the Chinese pack (NULL: English); vals: the
 * values' pack (open_values). */
static int print_actions(struct bl_cli *cli, const struct bl_app_playbook_res *res,
                         const struct bl_words *zh, const struct bl_words *vals)
{
    struct bl_l10n *l10n = zh ? bl_l10n_open() : NULL; /* NULL: uncached, still right */
    static const char *const cols[] = {"op",     "kind",  "target", "field",
                                       "before", "after", "state",  "reason"};
    static const char *const ops[] = {"new", "revert", "withdraw"};
    const struct bl_words *tw = table_words(cli, zh);
    const char *heads[8];
    titles(tw, cols, 8, heads);
    const struct bl_stock_snap *s = &res->day->snap;
    struct bl_out out;
    bl_out_begin(&out, cli, heads, 8);
    char bv[80], av[80], why[2048];
    int rc = 0;
    for (size_t i = 0; i < res->n && !rc; i++) {
        const struct bl_pb_action *x = &res->acts[i];
        value_text(cli, vals, x->kind, x->before, bv, sizeof(bv));
        value_text(cli, vals, x->kind, x->after, av, sizeof(av));
        const char *outcome = tw ? word(tw, "playbook_outcomes", outcome_codes[res->outcome[i]])
                                 : outcome_names[res->outcome[i]];
        struct bl_val v[8] = {
            bl_val_text(bl_str_c(word(tw, "playbook_ops", ops[x->op]))),
            bl_val_text(bl_str_c(word(tw, "action_kinds", bl_pb_kind_name(x->kind)))),
            bl_val_text(bl_str_c(x->shop ? s->shop_ext[x->target] : s->sku_ext[x->target])),
            bl_val_text(bl_str_c(word(tw, "action_fields", bl_app_action_field(x->kind)))),
            bl_val_text(bl_str_c(bv)),
            bl_val_text(bl_str_c(av)),
            bl_val_text(bl_str_c(outcome)),
            bl_val_text(
                bl_str_c(bl_app_playbook_reason(zh, "zh-CN", l10n, res, i, why, sizeof(why))))};
        rc = bl_out_row(&out, v);
    }
    int rc2 = bl_out_end(&out);
    bl_l10n_close(l10n);
    return rc || rc2;
}

int bl_cmd_playbook(struct bl_cli *cli, int argc, char **argv)
{
    struct bl__plan_args a;
    int rc = bl__plan_parse_args(cli, "playbook", argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!a.have_as_of)
        return usage(cli, "playbook", "%s", "--as-of DAY is required");
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_playbook_req req = {.now = bl_cli_now(), .opts = a.o, .apply = a.apply};
    struct bl_app_playbook_res res;
    rc = bl_app_playbook(st, org, &req, &res, &d);
    if (rc) {
        bl_app_playbook_res_release(&res);
        bl_store_close(st);
        return bl_cli_fail(cli, &d);
    }
    bl__plan_timing(cli, &a, res.day);
    struct bl_words *zh = NULL, *en = NULL;
    if (open_zh(cli, &zh, &d) || open_values(cli, zh, &en, &d)) {
        bl_app_words_free(zh);
        bl_app_playbook_res_release(&res);
        bl_store_close(st);
        return bl_cli_fail(cli, &d);
    }
    rc = print_actions(cli, &res, zh, zh ? zh : en);
    bl_app_words_free(en);
    char more[200];
    if (!a.apply && res.n &&
        bl_app_action_decision(zh, "more", NULL, (int64_t)res.n, more, sizeof(more)))
        fprintf(cli->err, "ballast: %s\n", more);
    else if (!a.apply && res.n)
        fprintf(cli->err, "ballast: %zu action%s; run with --apply to record %s\n", res.n,
                res.n == 1 ? "" : "s", res.n == 1 ? "it" : "them");
    bl_app_words_free(zh);
    bl_app_playbook_res_release(&res);
    bl_store_close(st);
    return rc ? 1 : 0;
}

/* ---------------------------------------------------------------- actions */

static struct bl_val time_val(int64_t t, char *buf)
{
    return t == BL_STOCK_NULL ? bl_val_null() : bl_val_text(bl_str_c(bl_time_format(t, buf)));
}

static struct bl_val text_or_null(const char *s)
{
    return s ? bl_val_text(bl_str_c(s)) : bl_val_null();
}

static const char *const action_cols[] = {
    "id",    "kind",   "target",        "field",      "before",     "after",        "state",
    "as_of", "reason", "reverted_when", "decided_by", "decided_at", "decision_note"};
#define NACTION_COLS (sizeof(action_cols) / sizeof(action_cols[0]))

/* The reason as listed: the stored English sentence (with why it closed), or in the
 * words of pack zh (app/action_words.h), then why it closed unless it expired: in the
 * pack's words from the numbers kept, else the stored close reason (an older close). */
static const char *reason_text(const struct bl_stock_action *x, const struct bl_words *zh,
                               struct bl_l10n *l10n, char *buf, size_t cap)
{
    if (!zh)
        return x->reason;
    bl_app_action_reason(zh, "zh-CN", l10n, x, buf, cap);
    size_t at = strlen(buf);
    char closed[400];
    const char *why = bl_app_action_close_text(zh, "zh-CN", l10n, x, closed, sizeof(closed));
    if (x->close_reason && x->close_reason[0] && strcmp(x->state, "expired") != 0)
        snprintf(buf + at, cap - at, " / %s", why ? why : x->close_reason);
    return buf;
}

/* Action x's row; zh: the Chinese pack (NULL: English), worded cells in a table only;
 * vals: the values' pack (open_values). */
static int action_row(struct bl_cli *cli, struct bl_out *out, const struct bl_stock_action *x,
                      const struct bl_words *zh, const struct bl_words *vals, struct bl_l10n *l10n)
{
    const struct bl_words *tw = table_words(cli, zh);
    char bv[80], av[80], asof[64], decided[96], who[400], reason_zh[2048];
    const char *reason = reason_text(x, zh, l10n, reason_zh, sizeof(reason_zh));
    enum bl_pb_kind kind = x->kind_known ? x->kind : BL_PB_PAUSE_MAIL;
    value_text(cli, vals, kind, x->before, bv, sizeof(bv));
    value_text(cli, vals, kind, x->after, av, sizeof(av));
    if (tw)
        bl_app_action_day(l10n, "zh-CN", x->as_of, asof, sizeof(asof));
    else
        bl_date_format(x->as_of, asof);
    struct bl_val at = bl_val_null();
    if (x->decided_at != BL_STOCK_NULL && tw)
        at = bl_val_text(bl_str_c(
            bl_app_action_instant(l10n, "zh-CN", x->decided_at, decided, sizeof(decided))));
    else if (x->decided_at != BL_STOCK_NULL)
        at = time_val(x->decided_at, decided);
    struct bl_val v[NACTION_COLS] = {
        bl_val_int(x->id),
        bl_val_text(bl_str_c(word(tw, "action_kinds", x->kind_text))),
        bl_val_text(bl_str_c(x->target)),
        bl_val_text(bl_str_c(word(tw, "action_fields", x->field))),
        bl_val_text(bl_str_c(bv)),
        bl_val_text(bl_str_c(av)),
        bl_val_text(bl_str_c(word(tw, "action_states", x->state))),
        bl_val_text(bl_str_c(asof)),
        bl_val_text(bl_str_c(reason)),
        x->kind_known ? bl_val_text(bl_str_c(bl_app_action_reverts_text(tw, x->kind)))
                      : bl_val_null(),
        x->decided_by && tw
            ? bl_val_text(bl_str_c(bl_app_action_actor(tw, x->decided_by, who, sizeof(who))))
            : text_or_null(x->decided_by),
        at,
        text_or_null(x->decision_note)};
    return bl_out_row(out, v);
}

static int list_actions(struct bl_cli *cli, struct bl_store *st, int64_t org,
                        const struct bl__plan_args *a, struct bl_diag *d)
{
    struct bl_app_actions_req req = {a->sku, a->state, 0, 0, 0, a->kind, a->plan_set, a->shop};
    struct bl_app_actions_res res;
    if (bl_app_actions(st, org, &req, &res, d)) {
        bl_app_actions_res_release(&res);
        return bl_cli_fail(cli, d);
    }
    struct bl_words *zh = NULL, *en = NULL; /* the Chinese pack, for --locale zh-CN */
    if (open_zh(cli, &zh, d) || open_values(cli, zh, &en, d)) {
        bl_app_words_free(zh);
        bl_app_actions_res_release(&res);
        return bl_cli_fail(cli, d);
    }
    struct bl_l10n *l10n = zh ? bl_l10n_open() : NULL; /* NULL: uncached, still right */
    const char *heads[NACTION_COLS];
    titles(table_words(cli, zh), action_cols, NACTION_COLS, heads);
    struct bl_out out;
    bl_out_begin(&out, cli, heads, NACTION_COLS);
    int rc = 0;
    for (size_t i = 0; i < res.n && !rc; i++)
        rc = action_row(cli, &out, &res.rows[i], zh, zh ? zh : en, l10n);
    int rc2 = bl_out_end(&out);
    bl_l10n_close(l10n);
    bl_app_words_free(en);
    bl_app_words_free(zh);
    bl_app_actions_res_release(&res);
    return rc || rc2 ? 1 : 0;
}

/* Approves, rejects or reverts action idtext (verb): `actions --approve ID`,
 * `actions approve|reject|revert ID [--note TEXT]`. */
static int decide(struct bl_cli *cli, struct bl_store *st, int64_t org, const char *idtext,
                  const char *verb, const char *note, struct bl_diag *d)
{
    bool reject = strcmp(verb, "reject") == 0, revert = strcmp(verb, "revert") == 0;
    double v;
    if (!bl__plan_num(idtext, 1, 9e15, &v))
        return usage(cli, "actions",
                     "%s: expected an action id (the number 'ballast actions' shows)", idtext);
    struct bl_app_action_approve_req req = {bl_cli_now(), (int64_t)v, bl__dis_who(), note};
    struct bl_app_action_approve_res res;
    int rc = revert   ? bl_app_action_revert(st, org, &req, &res, d)
             : reject ? bl_app_action_reject(st, org, &req, &res, d)
                      : bl_app_action_approve(st, org, &req, &res, d);
    struct bl_words *zh = NULL;
    if (rc || open_zh(cli, &zh, d))
        return bl_cli_fail(cli, d);
    char said[400];
    const char *key = revert ? "reverted" : reject ? "rejected" : "approved";
    if (bl_app_action_decision(zh, key, idtext, 0, said, sizeof(said)))
        fprintf(cli->out, "%s\n", said);
    else
        fprintf(cli->out, "action %s %s\n", idtext,
                revert   ? "reverted: its field is back to the value before it, and the playbook "
                           "leaves it so while its condition holds"
                : reject ? "rejected"
                         : "applied");
    bl_app_words_free(zh);
    return 0;
}

static int set_policy(struct bl_cli *cli, struct bl_store *st, int64_t org, const char *spec,
                      struct bl_diag *d)
{
    const char *eq = strchr(spec, '=');
    char kindb[40];
    struct bl_app_action_policy_req req;
    if (!eq || (size_t)(eq - spec) >= sizeof(kindb))
        return usage(cli, "actions", "--policy %s: expected KIND=propose|apply", spec);
    memcpy(kindb, spec, (size_t)(eq - spec));
    kindb[eq - spec] = 0;
    if (bl_pb_kind_parse(kindb, &req.kind) ||
        (strcmp(eq + 1, "propose") != 0 && strcmp(eq + 1, "apply") != 0))
        return usage(cli, "actions",
                     "--policy %s: expected KIND=propose|apply, KIND one of out_of_stock, "
                     "delist, pause_promotion, pause_mail, extend_handling, vacation (a "
                     "what-if's purchase_order, transfer, handling_until, reroute and "
                     "promotion_until are always proposed)",
                     spec);
    req.mode = strcmp(eq + 1, "apply") == 0 ? BL_PB_APPLY : BL_PB_PROPOSE;
    struct bl_words *zh = NULL;
    if (bl_app_action_policy(st, org, &req, d) || open_zh(cli, &zh, d))
        return bl_cli_fail(cli, d);
    char said[200];
    if (bl_app_action_policy_text(zh, req.kind, req.mode == BL_PB_APPLY, said, sizeof(said)))
        fprintf(cli->out, "%s\n", said);
    else
        fprintf(cli->out, "%s: %s\n", kindb, eq + 1);
    bl_app_words_free(zh);
    return 0;
}

/* `actions approve|reject --plan P | --kind K | --shop S | --all`: the set, all or none. */
static int decide_set(struct bl_cli *cli, struct bl_store *st, int64_t org,
                      const struct bl_app_action_set_req *req, struct bl_diag *d)
{
    struct bl_app_action_set_res res;
    int rc = bl_app_action_set(st, org, req, &res, d);
    const char *verb = req->reject ? "rejected" : "approved";
    struct bl_words *zh = NULL;
    if (rc || open_zh(cli, &zh, d)) {
        bl_app_action_set_res_release(&res);
        return bl_cli_fail(cli, d);
    }
    char said[400];
    const char *key = !res.n ? (req->reject ? "none_rejected" : "none_approved")
                             : (req->reject ? "set_rejected" : "set_approved");
    if (bl_app_action_decision(zh, key, NULL, (int64_t)res.n, said, sizeof(said)))
        fprintf(cli->out, "%s\n", said);
    else if (!res.n)
        fprintf(cli->out, "no proposed action is of that set: none %s\n", verb);
    else
        fprintf(cli->out, "%zu proposed action%s %s (%s)\n", res.n, res.n == 1 ? "" : "s", verb,
                req->reject  ? "nothing changed"
                : res.n == 1 ? "applied now, as 'ballast actions approve ID' would"
                             : "each applied now, as 'ballast actions approve ID' would");
    bl_app_words_free(zh);
    bl_app_action_set_res_release(&res);
    return 0;
}

#define DECIDE_USAGE                                                                               \
    "usage: actions approve|reject|revert ID [--note TEXT] [--locale L]\n"                         \
    "       actions approve|reject --plan PLAN | --kind KIND | --shop SHOP | --all\n"              \
    "       [--note TEXT] [--locale L]"

/* `actions approve|reject|revert ID [--note TEXT]`, or a set (decide_set). */
static int decide_cmd(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {{"note", required_argument, NULL, 'n'},
                                         {"plan", required_argument, NULL, 'p'},
                                         {"kind", required_argument, NULL, 'k'},
                                         {"shop", required_argument, NULL, 's'},
                                         {"all", no_argument, NULL, 'a'},
                                         {"locale", required_argument, NULL, 'l'},
                                         {NULL, 0, NULL, 0}};
    struct bl_app_action_set_req set = {.now = bl_cli_now(),
                                        .reject = strcmp(argv[1], "reject") == 0};
    bool many = false;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc - 1, argv + 1, ":", opts, NULL)) != -1) {
        if (c == 'n')
            set.note = optarg;
        else if (c == 'p')
            set.plan = optarg, many = true;
        else if (c == 'k')
            set.kind = optarg, many = true;
        else if (c == 's')
            set.shop = optarg, many = true;
        else if (c == 'a')
            set.all = many = true;
        else if (c == 'l' && (strcmp(optarg, "en") == 0 || strcmp(optarg, "zh-CN") == 0))
            cli->locale = optarg;
        else if (c == 'l')
            return usage(cli, "actions", "--locale %s: expected en or zh-CN", optarg);
        else
            return bl_cli_bad_option(cli, "actions", argv + 1, opts);
    }
    if (many ? optind != argc - 1 || strcmp(argv[1], "revert") == 0 : optind != argc - 2)
        return usage(cli, "actions", "%s", DECIDE_USAGE);
    if (set.note && bl__dis_check_text(cli, "actions", "--note", set.note, "why"))
        return 2;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    set.by = bl__dis_who();
    int rc = many ? decide_set(cli, st, org, &set, &d)
                  : decide(cli, st, org, argv[optind + 1], argv[1], set.note, &d);
    bl_store_close(st);
    return rc;
}

int bl_cmd_actions(struct bl_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && (strcmp(argv[1], "approve") == 0 || strcmp(argv[1], "reject") == 0 ||
                      strcmp(argv[1], "revert") == 0))
        return decide_cmd(cli, argc, argv);
    struct bl__plan_args a;
    int rc = bl__plan_parse_args(cli, "actions", argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    rc = a.approve  ? decide(cli, st, org, a.approve, "approve", NULL, &d)
         : a.policy ? set_policy(cli, st, org, a.policy, &d)
                    : list_actions(cli, st, org, &a, &d);
    bl_store_close(st);
    return rc;
}
