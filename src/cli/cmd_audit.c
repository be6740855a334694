/* cmd_audit.c - `ballast audit`: the audit log of the organisation, newest first
 * (src/app/audit.h): who changed what, when, from where, before and after. A table shows
 * what changed in words ("to: none -> 2024-11-20T00:00:00Z"); csv and json the stored
 * before and after, as JSON text. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "app/audit.h"
#include "cli/cli.h"
#include "cli/out.h"

#include "ballast/time.h"

static const char *const cols[] = {"id",     "at",     "actor",     "via",    "source",
                                   "action", "object", "object_id", "before", "after"};

/* A key as a person reads it: "messages_waiting" -> "messages waiting". */
static int key_text(struct bl_buf *b, const char *key)
{
    int rc = 0;
    for (const char *k = key; *k && !rc; k++)
        rc = bl_buf_adds(b, *k == '_' ? BL_STR(" ") : (struct bl_str){k, 1});
    return rc;
}

static int value_text(struct bl_buf *b, json_t *v);

/* An object inside a value (a cycle's summary): "key value, ..." without its zeros and
 * nulls, or "nothing" when every one is. */
static int object_text(struct bl_buf *b, json_t *o)
{
    const char *key;
    json_t *v;
    int rc = 0;
    size_t start = b->len;
    json_object_foreach(o, key, v)
    {
        if (json_is_null(v) || (json_is_integer(v) && json_integer_value(v) == 0))
            continue;
        rc = rc ? rc : bl_buf_adds(b, bl_str_c(b->len > start ? ", " : ""));
        rc = rc ? rc : key_text(b, key);
        rc = rc ? rc : bl_buf_adds(b, BL_STR(" "));
        rc = rc ? rc : value_text(b, v);
    }
    return rc ? rc : b->len > start ? 0 : bl_buf_adds(b, BL_STR("nothing"));
}

/* One JSON value as a person reads it: text as it is, null as "none", true/false as
 * yes/no, an object as its members, a list by its length (csv and json output have
 * each), numbers as they are. */
static int value_text(struct bl_buf *b, json_t *v)
{
    if (!v || json_is_null(v))
        return bl_buf_adds(b, BL_STR("none"));
    if (json_is_string(v))
        return bl_buf_adds(b, bl_str_c(json_string_value(v)));
    if (json_is_boolean(v))
        return bl_buf_adds(b, json_is_true(v) ? BL_STR("yes") : BL_STR("no"));
    if (json_is_object(v))
        return object_text(b, v);
    if (json_is_array(v)) {
        char n[48];
        snprintf(n, sizeof(n), "%zu item%s (--format json lists them)", json_array_size(v),
                 json_array_size(v) == 1 ? "" : "s");
        return bl_buf_adds(b, bl_str_c(n));
    }
    char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    int rc = t ? bl_buf_adds(b, bl_str_c(t)) : BL_ENOMEM;
    free(t);
    return rc;
}

/* "key: value" pairs of o, each "; "-separated; only those that differ from was when
 * there is a was. */
static int pairs_text(struct bl_buf *b, json_t *o, json_t *was_o)
{
    const char *key;
    json_t *v;
    int rc = 0;
    size_t start = b->len;
    json_object_foreach(o, key, v)
    {
        json_t *was = was_o ? json_object_get(was_o, key) : NULL;
        if (was_o && was && json_equal(was, v))
            continue;
        rc = rc ? rc : bl_buf_adds(b, bl_str_c(b->len > start ? "; " : ""));
        if (!was_o && !strcmp(key, "ms") && json_is_integer(v)) { /* a cycle's duration */
            char t[48];
            snprintf(t, sizeof(t), "took %.2f s", (double)json_integer_value(v) / 1000.0);
            rc = rc ? rc : bl_buf_adds(b, bl_str_c(t));
            continue;
        }
        rc = rc ? rc : key_text(b, key);
        rc = rc ? rc : bl_buf_adds(b, BL_STR(": "));
        if (was_o) {
            rc = rc ? rc : value_text(b, was);
            rc = rc ? rc : bl_buf_adds(b, BL_STR(" -> "));
        }
        rc = rc ? rc : value_text(b, v);
    }
    return rc;
}

/* A table's "change" cell: what differs, "key: before -> after; ...", the object made or
 * removed ("key: value; ..."), or "unchanged (key: value; ...)" when a change set what
 * was already there. Keys of after first, then those only before had. */
static int change_text(const struct bl_audit_row *r, struct bl_buf *b)
{
    json_t *be = r->before ? json_loads(r->before, 0, NULL) : NULL;
    json_t *af = r->after ? json_loads(r->after, 0, NULL) : NULL;
    int rc = pairs_text(b, af ? af : be, af ? be : NULL);
    if (!rc && !b->len && be && af && json_object_size(af)) {
        rc = bl_buf_adds(b, BL_STR("unchanged ("));
        rc = rc ? rc : pairs_text(b, af, NULL);
        rc = rc ? rc : bl_buf_adds(b, BL_STR(")"));
    }
    json_decref(be);
    json_decref(af);
    return rc;
}

static int print_table(struct bl_cli *cli, const struct bl_app_audit_res *res)
{
    static const char *const tcols[] = {"id",     "at",     "actor",  "via",
                                        "source", "action", "object", "change"};
    struct bl_out out;
    bl_out_begin(&out, cli, tcols, 8);
    out.capped = res->more;
    struct bl_buf b = BL_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < res->n && !rc; i++) {
        const struct bl_audit_row *r = &res->rows[i];
        char at[BL_ISO_MAX], obj[200];
        snprintf(obj, sizeof(obj), "%s%s%s", r->object_kind, r->object_id ? " " : "",
                 r->object_id ? r->object_id : "");
        bl_buf_reset(&b);
        rc = change_text(r, &b);
        struct bl_val v[8] = {
            bl_val_int(r->id),
            bl_val_text(bl_str_c(bl_time_format(r->at, at))),
            bl_val_text(bl_str_c(r->actor)),
            bl_val_text(bl_str_c(r->via)),
            r->source[0] ? bl_val_text(bl_str_c(r->source)) : bl_val_null(),
            bl_val_text(bl_str_c(r->action)),
            bl_val_text(bl_str_c(obj)),
            bl_val_text(bl_buf_str(&b)),
        };
        rc = rc ? rc : bl_out_row(&out, v);
    }
    bl_buf_release(&b);
    int erc = bl_out_end(&out);
    return rc || erc ? 1 : 0;
}

static int print_rows(struct bl_cli *cli, const struct bl_app_audit_res *res)
{
    if (cli->format == BL_FMT_TABLE)
        return print_table(cli, res);
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 10);
    out.capped = res->more;
    int rc = 0;
    for (size_t i = 0; i < res->n && !rc; i++) {
        const struct bl_audit_row *r = &res->rows[i];
        char at[BL_ISO_MAX];
        struct bl_val v[10] = {
            bl_val_int(r->id),
            bl_val_text(bl_str_c(bl_time_format(r->at, at))),
            bl_val_text(bl_str_c(r->actor)),
            bl_val_text(bl_str_c(r->via)),
            r->source[0] ? bl_val_text(bl_str_c(r->source)) : bl_val_null(),
            bl_val_text(bl_str_c(r->action)),
            bl_val_text(bl_str_c(r->object_kind)),
            r->object_id ? bl_val_text(bl_str_c(r->object_id)) : bl_val_null(),
            r->before ? bl_val_text(bl_str_c(r->before)) : bl_val_null(),
            r->after ? bl_val_text(bl_str_c(r->after)) : bl_val_null(),
        };
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    return rc || erc ? 1 : 0;
}

int bl_cmd_audit(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"since", required_argument, NULL, 's'},
        {"until", required_argument, NULL, 'u'},
        {"actor", required_argument, NULL, 'a'},
        {"action", required_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    int64_t want = bl_cli_sql_limit(cli, 1);
    struct bl_app_audit_req req = {BL_NO_TIME, BL_NO_TIME, NULL, NULL, want < 0 ? INT32_MAX : want,
                                   0};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 's' && bl_cli_parse_instant(cli, "audit", "--since", optarg, &req.since))
            return 2;
        if (c == 'u' && bl_cli_parse_instant(cli, "audit", "--until", optarg, &req.until))
            return 2;
        if (c == 'a')
            req.actor = optarg;
        else if (c == 'c')
            req.action = optarg;
        else if (c != 's' && c != 'u')
            return bl_cli_bad_option(cli, "audit", argv, opts);
    }
    if (optind < argc)
        return bl_cli_usage(cli, "audit", "unexpected '%s'", argv[optind]);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_app_audit_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_audit_list(st, org, &req, &res, &d);
    bl_store_close(st);
    if (rc) {
        bl_app_audit_list_res_release(&res);
        return bl_cli_fail(cli, &d);
    }
    rc = print_rows(cli, &res);
    bl_app_audit_list_res_release(&res);
    return rc;
}
