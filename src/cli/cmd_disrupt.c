/* cmd_disrupt.c - `ballast disruption add|list|lift` and `ballast protect [list]`.
 *
 * Hand-entered disruptions and protection windows, in the same tables and with the
 * same rules as `ballast import disruptions|protections` (docs/formats.md). Records
 * entered here carry batch_id 0: import batches are numbered from 1, so 0 means
 * "entered by hand, no import batch". Ids are taken as the importer takes them,
 * COALESCE(MAX(id), 0) + 1 per organisation, inside the one transaction that inserts.
 *
 * The effective end of a disruption is min(ends_at, lifted_at): lifting keeps ends_at
 * (what was announced) and records when it really ended.
 *
 * Exit status: 2 for a bad or missing flag (the message names the flag and what was
 * expected), 1 for data errors (unknown shop or disruption, duplicate --id, already
 * lifted, store failures).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/out.h"

#include "ballast/region.h"
#include "ballast/time.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The same words as the importer (src/io/import_native.c, docs/formats.md). */
static const char *const scopes[] = {"origin", "destination", "both", NULL};
static const char *const kinds[] = {"lockdown",
                                    "strike",
                                    "route_suspension",
                                    "carrier_suspension",
                                    "supplier_shutdown",
                                    "holiday",
                                    "weather",
                                    "other",
                                    NULL};
static const char kinds_text[] = "lockdown, strike, route_suspension, carrier_suspension, "
                                 "supplier_shutdown, holiday, weather or other";

static int find_word(const char *const *list, const char *s)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return i;
    return -1;
}

static void rollback_quietly(struct bl_store *st)
{
    struct bl_diag ignore;
    if (bl_store_rollback(st, &ignore) != BL_OK)
        return; /* the connection is gone; closing it discards the transaction */
}

/* ---------------------------------------------------------------- argument checks */

/* Text from the command line must be UTF-8 (it goes into the store and into JSON). */
static int check_text(struct bl_cli *cli, const char *cmd, const char *flag, const char *val,
                      const char *expect)
{
    size_t bad;
    if (!val[0])
        return bl_cli_usage(cli, cmd, "%s is empty: expected %s", flag, expect);
    if (!bl_utf8_valid(val, strlen(val), &bad))
        return bl_cli_usage(cli, cmd, "%s: invalid UTF-8 at byte %zu: expected %s", flag, bad + 1,
                            expect);
    return 0;
}

/* An id of the user's systems: 1 to 200 bytes, no control characters (as on import). */
static int check_id(struct bl_cli *cli, const char *cmd, const char *flag, const char *val,
                    const char *expect)
{
    if (check_text(cli, cmd, flag, val, expect))
        return 2;
    size_t n = strlen(val);
    if (n > 200)
        return bl_cli_usage(cli, cmd, "%s is %zu bytes long: expected %s of at most 200 bytes",
                            flag, n, expect);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)val[i] < 0x20 || val[i] == 0x7f)
            return bl_cli_usage(cli, cmd,
                                "%s has a control character (byte %zu): expected %s in "
                                "printable text",
                                flag, i + 1, expect);
    return 0;
}

static int load_tz(struct bl_cli *cli, const char *cmd, const char *name, struct bl_tz **tz)
{
    *tz = NULL;
    if (!name)
        return 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_tz_load(tz, name, &d))
        return bl_cli_usage(cli, cmd, "--tz %s: %s", name, d.msg[0] ? d.msg : bl_strerror(d.code));
    return 0;
}

/* Reads an instant: ISO 8601 with Z or an offset, or local text read in tz. A local
 * time without tz gets an error that says to give --tz. */
static int parse_time(struct bl_cli *cli, const char *cmd, const char *flag, const char *text,
                      const struct bl_tz *tz, int64_t *t)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_time_parse(bl_str_c(text), tz, t, &d);
    if (!rc)
        return 0;
    if (!tz) {
        /* Would it read with a zone? Then the only thing missing is --tz. */
        struct bl_tz *utc = NULL;
        struct bl_diag d2;
        int64_t ignore;
        bl_diag_clear(&d2);
        bool local = bl_tz_load(&utc, "UTC", &d2) == BL_OK &&
                     bl_time_parse(bl_str_c(text), utc, &ignore, &d2) == BL_OK;
        bl_tz_free(utc);
        if (local)
            return bl_cli_usage(cli, cmd,
                                "%s %s: a local date or time needs --tz ZONE (an IANA zone "
                                "such as America/Sao_Paulo); or give an instant with Z or an "
                                "offset, as in 2018-05-21T08:00:00Z or 2018-05-21T08:00:00-03:00",
                                flag, text);
    }
    return bl_cli_usage(cli, cmd, "%s %s: %s", flag, text, d.msg[0] ? d.msg : bl_strerror(rc));
}

/* getopt_long ran with opterr = 0 and optstring ":": say which option was wrong. */
static int bad_option(struct bl_cli *cli, const char *cmd, int c, char **argv, const char *usage)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    if (c == ':')
        return bl_cli_usage(cli, cmd, "%s needs a value: %s", arg, usage);
    return bl_cli_usage(cli, cmd, "unknown option '%s': %s", arg, usage);
}

/* "--to 2018-05-21T08:00" plus the UTC instant it was read as, when that differs. */
static const char *shown_time(const char *text, int64_t t, char *out, size_t cap)
{
    char iso[BL_ISO_MAX];
    bl_time_format(t, iso);
    if (strcmp(text, iso) == 0)
        snprintf(out, cap, "%s", text);
    else
        snprintf(out, cap, "%.60s (%s)", text, iso);
    return out;
}

static int need(struct bl_cli *cli, const char *cmd, const char *val, const char *flag,
                const char *expect)
{
    if (val)
        return 0;
    return bl_cli_usage(cli, cmd, "missing %s: expected %s", flag, expect);
}

/* Prints the id of a new record: the bare number for people, one "id" row for machines. */
static int print_id(struct bl_cli *cli, int64_t id)
{
    if (cli->format == BL_FMT_TABLE) {
        fprintf(cli->out, "%lld\n", (long long)id);
        return 0;
    }
    static const char *const cols[] = {"id"};
    struct bl_out o;
    bl_out_begin(&o, cli, cols, 1);
    struct bl_val v = bl_val_int(id);
    int rc = bl_out_row(&o, &v);
    int rc2 = bl_out_end(&o);
    return rc ? rc : rc2;
}

/* The id of the record of `table` with ext_id = ext (BL_ENOTFOUND when none). */
static int find_ext(struct bl_store *st, const char *table, int64_t org, const char *ext,
                    int64_t *id, struct bl_diag *d)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT id FROM %s WHERE org_id = $1 AND ext_id = $2", table);
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(ext))};
    struct bl_diag tmp;
    bl_diag_clear(&tmp);
    int rc = bl_store_query_int(st, sql, p, 2, id, &tmp);
    if (rc && rc != BL_ENOTFOUND && d)
        *d = tmp;
    return rc;
}

static int next_id(struct bl_store *st, const char *table, int64_t org, int64_t *next,
                   struct bl_diag *d)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT COALESCE(MAX(id), 0) + 1 FROM %s WHERE org_id = $1", table);
    struct bl_val p = bl_val_int(org);
    return bl_store_query_int(st, sql, &p, 1, next, d);
}

/* ---------------------------------------------------------------- disruption add */

static const char add_usage[] =
    "usage: disruption add --region R --scope origin|destination|both --from T --to T "
    "--kind K [--channel C] [--supplier S] [--note TEXT] [--id EXT] [--tz ZONE]";

static int dis_add(struct bl_cli *cli, int argc, char **argv)
{
    static const char cmd[] = "disruption add";
    static const struct option opts[] = {
        {"region", required_argument, NULL, 'r'},   {"scope", required_argument, NULL, 's'},
        {"from", required_argument, NULL, 'F'},     {"to", required_argument, NULL, 'T'},
        {"kind", required_argument, NULL, 'k'},     {"channel", required_argument, NULL, 'c'},
        {"supplier", required_argument, NULL, 'u'}, {"note", required_argument, NULL, 'n'},
        {"id", required_argument, NULL, 'i'},       {"tz", required_argument, NULL, 'z'},
        {"format", required_argument, NULL, 'f'},   {NULL, 0, NULL, 0},
    };
    const char *region_s = NULL, *scope_s = NULL, *from_s = NULL, *to_s = NULL, *kind_s = NULL;
    const char *channel = NULL, *supplier = NULL, *note = NULL, *ext = NULL, *tz_s = NULL;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'r':
            region_s = optarg;
            break;
        case 's':
            scope_s = optarg;
            break;
        case 'F':
            from_s = optarg;
            break;
        case 'T':
            to_s = optarg;
            break;
        case 'k':
            kind_s = optarg;
            break;
        case 'c':
            channel = optarg;
            break;
        case 'u':
            supplier = optarg;
            break;
        case 'n':
            note = optarg;
            break;
        case 'i':
            ext = optarg;
            break;
        case 'z':
            tz_s = optarg;
            break;
        case 'f':
            if (bl_cli_set_format(cli, optarg))
                return 2;
            break;
        default:
            return bad_option(cli, cmd, c, argv, add_usage);
        }
    }
    if (optind != argc)
        return bl_cli_usage(cli, cmd, "unexpected argument '%s': %s", argv[optind], add_usage);
    if (need(cli, cmd, region_s, "--region", "a region code such as BR or BR-SP") ||
        need(cli, cmd, scope_s, "--scope", "origin, destination or both") ||
        need(cli, cmd, kind_s, "--kind", kinds_text) ||
        need(cli, cmd, from_s, "--from", "the instant it begins") ||
        need(cli, cmd, to_s, "--to", "the instant it ends (exclusive)"))
        return 2;

    char region[BL_REGION_MAX];
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_region_parse(bl_str_c(region_s), region, &d))
        return bl_cli_usage(cli, cmd, "--region %s: %s", region_s, d.msg);
    int scope = find_word(scopes, scope_s);
    if (scope < 0)
        return bl_cli_usage(cli, cmd, "--scope %s: expected origin, destination or both", scope_s);
    int kind = find_word(kinds, kind_s);
    if (kind < 0)
        return bl_cli_usage(cli, cmd, "--kind %s: expected %s", kind_s, kinds_text);
    if ((ext && check_id(cli, cmd, "--id", ext, "your id for the disruption")) ||
        (channel && check_id(cli, cmd, "--channel", channel, "a channel id")) ||
        (supplier && check_id(cli, cmd, "--supplier", supplier, "a supplier id")))
        return 2;
    if (note && note[0] && check_text(cli, cmd, "--note", note, "free text"))
        return 2;

    struct bl_tz *tz;
    if (load_tz(cli, cmd, tz_s, &tz))
        return 2;
    int64_t from, to;
    int urc = parse_time(cli, cmd, "--from", from_s, tz, &from);
    if (!urc)
        urc = parse_time(cli, cmd, "--to", to_s, tz, &to);
    bl_tz_free(tz);
    if (urc)
        return urc;
    if (to <= from) {
        char a[128], b[128];
        return bl_cli_usage(
            cli, cmd, "--to %s is not after --from %s: expected an end after the start",
            shown_time(to_s, to, a, sizeof(a)), shown_time(from_s, from, b, sizeof(b)));
    }

    struct bl_store *st;
    int64_t org, id = 0, other;
    if (bl_cli_open(cli, true, &st, &org))
        return 1;
    int rc = bl_store_begin(st, &d);
    if (!rc && ext) {
        rc = find_ext(st, "disruption", org, ext, &other, &d);
        if (rc == BL_OK)
            rc = bl_diag_set(&d, BL_EEXISTS,
                             "--id %s: disruption %lld already has this id: expected an id "
                             "not used by another disruption",
                             ext, (long long)other);
        else if (rc == BL_ENOTFOUND)
            rc = BL_OK;
    }
    const char *refs[2][2] = {{"channel", channel}, {"supplier", supplier}};
    for (size_t k = 0; !rc && k < 2; k++) {
        if (!refs[k][1])
            continue;
        rc = find_ext(st, refs[k][0], org, refs[k][1], &other, &d);
        if (rc == BL_ENOTFOUND)
            rc = bl_diag_set(&d, BL_ENOTFOUND,
                             "--%s %s: unknown %s: expected the id of a %s in the store "
                             "(import %ss first)",
                             refs[k][0], refs[k][1], refs[k][0], refs[k][0], refs[k][0]);
    }
    if (!rc)
        rc = next_id(st, "disruption", org, &id, &d);
    if (!rc) {
        struct bl_val v[] = {bl_val_int(org),
                             bl_val_int(id),
                             ext ? bl_val_text(bl_str_c(ext)) : bl_val_null(),
                             bl_val_text(bl_str_c(region)),
                             bl_val_text(bl_str_c(scopes[scope])),
                             bl_val_text(bl_str_c(kinds[kind])),
                             channel ? bl_val_text(bl_str_c(channel)) : bl_val_null(),
                             supplier ? bl_val_text(bl_str_c(supplier)) : bl_val_null(),
                             bl_val_int(from),
                             bl_val_int(to),
                             note && note[0] ? bl_val_text(bl_str_c(note)) : bl_val_null(),
                             bl_val_int(0)};
        rc = bl_store_exec(st,
                           "INSERT INTO disruption (org_id, id, ext_id, region, scope, kind, "
                           "channel, supplier, starts_at, ends_at, note, batch_id) VALUES ($1, "
                           "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                           v, NELEM(v), NULL, &d);
    }
    if (!rc)
        rc = bl_store_commit(st, &d);
    if (rc) {
        rollback_quietly(st);
        bl_store_close(st);
        return bl_cli_fail(cli, &d);
    }
    bl_store_close(st);
    return print_id(cli, id) ? 1 : 0;
}

/* ---------------------------------------------------------------- disruption list */

static const char *const dis_cols[] = {
    "id",        "ext_id",  "region",    "scope",         "kind", "channel", "supplier",
    "starts_at", "ends_at", "lifted_at", "effective_end", "note", "batch"};

/* Effective end: min(ends_at, lifted_at), written portably. */
#define EFFECTIVE_END                                                                              \
    "CASE WHEN lifted_at IS NOT NULL AND lifted_at < ends_at THEN lifted_at "                      \
    "ELSE ends_at END"

struct dis_ctx {
    struct bl_out *out;
    const char *region; /* filter: contains or is contained by, NULL for all */
};

static struct bl_val text_col(const struct bl_row *r, size_t col)
{
    return bl_row_isnull(r, col) ? bl_val_null() : bl_val_text(bl_row_text(r, col));
}

static struct bl_val time_col(const struct bl_row *r, size_t col, char *buf)
{
    if (bl_row_isnull(r, col))
        return bl_val_null();
    return bl_val_text(bl_str_c(bl_time_format(bl_row_int(r, col), buf)));
}

static int dis_row(void *vctx, const struct bl_row *r)
{
    struct dis_ctx *c = vctx;
    struct bl_str region = bl_row_text(r, 2);
    if (c->region) {
        struct bl_str want = bl_str_c(c->region);
        if (!bl_region_contains(region, want) && !bl_region_contains(want, region))
            return 0;
    }
    char t[4][BL_ISO_MAX];
    struct bl_val v[NELEM(dis_cols)] = {
        bl_val_int(bl_row_int(r, 0)),
        text_col(r, 1),
        text_col(r, 2),
        text_col(r, 3),
        text_col(r, 4),
        text_col(r, 5),
        text_col(r, 6),
        time_col(r, 7, t[0]),
        time_col(r, 8, t[1]),
        time_col(r, 9, t[2]),
        time_col(r, 10, t[3]),
        text_col(r, 11),
        bl_val_int(bl_row_int(r, 12)),
    };
    return bl_out_row(c->out, v);
}

static int dis_list(struct bl_cli *cli, int argc, char **argv)
{
    static const char cmd[] = "disruption list";
    static const struct option opts[] = {
        {"active-at", required_argument, NULL, 'a'},
        {"region", required_argument, NULL, 'r'},
        {"tz", required_argument, NULL, 'z'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *at_s = NULL, *region_s = NULL, *tz_s = NULL;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            at_s = optarg;
            break;
        case 'r':
            region_s = optarg;
            break;
        case 'z':
            tz_s = optarg;
            break;
        case 'f':
            if (bl_cli_set_format(cli, optarg))
                return 2;
            break;
        default:
            return bad_option(cli, cmd, c, argv,
                              "usage: disruption list [--active-at T [--tz ZONE]] "
                              "[--region R] [--format table|csv|json]");
        }
    }
    if (optind != argc)
        return bl_cli_usage(cli, cmd, "unexpected argument '%s': list takes options only",
                            argv[optind]);
    char region[BL_REGION_MAX];
    struct bl_diag d;
    bl_diag_clear(&d);
    if (region_s && bl_region_parse(bl_str_c(region_s), region, &d))
        return bl_cli_usage(cli, cmd, "--region %s: %s", region_s, d.msg);
    if (tz_s && !at_s)
        return bl_cli_usage(cli, cmd,
                            "--tz %s without --active-at: --tz only says how to read a local "
                            "--active-at time (listed times are always UTC)",
                            tz_s);
    int64_t at = 0;
    if (at_s) {
        struct bl_tz *tz;
        if (load_tz(cli, cmd, tz_s, &tz))
            return 2;
        int urc = parse_time(cli, cmd, "--active-at", at_s, tz, &at);
        bl_tz_free(tz);
        if (urc)
            return urc;
    }

    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_val p[2] = {bl_val_int(org), bl_val_int(at)};
    const char *sql =
        at_s ? "SELECT id, ext_id, region, scope, kind, channel, supplier, starts_at, ends_at, "
               "lifted_at, " EFFECTIVE_END ", note, batch_id FROM disruption WHERE org_id = $1 "
               "AND starts_at <= $2 AND $2 < ends_at AND (lifted_at IS NULL OR $2 < lifted_at) "
               "ORDER BY id"
             : "SELECT id, ext_id, region, scope, kind, channel, supplier, starts_at, ends_at, "
               "lifted_at, " EFFECTIVE_END ", note, batch_id FROM disruption WHERE org_id = $1 "
               "ORDER BY id";
    struct bl_out o;
    bl_out_begin(&o, cli, dis_cols, NELEM(dis_cols));
    struct dis_ctx dc = {&o, region_s ? region : NULL};
    int rc = bl_store_query(st, sql, p, at_s ? 2 : 1, dis_row, &dc, &d);
    int rc2 = bl_out_end(&o);
    bl_store_close(st);
    if (rc || rc2) {
        if (!d.code)
            bl_diag_set(&d, rc ? rc : rc2, "%s", bl_strerror(rc ? rc : rc2));
        return bl_cli_fail(cli, &d);
    }
    return 0;
}

/* ---------------------------------------------------------------- disruption lift */

struct lift_ctx {
    bool found;
    int64_t starts, ends, lifted;
    bool is_lifted;
};

static int lift_row(void *vctx, const struct bl_row *r)
{
    struct lift_ctx *c = vctx;
    c->found = true;
    c->starts = bl_row_int(r, 0);
    c->ends = bl_row_int(r, 1);
    c->is_lifted = !bl_row_isnull(r, 2);
    c->lifted = bl_row_int(r, 2);
    return 0;
}

static int dis_lift(struct bl_cli *cli, int argc, char **argv)
{
    static const char cmd[] = "disruption lift";
    static const struct option opts[] = {
        {"at", required_argument, NULL, 'a'},
        {"tz", required_argument, NULL, 'z'},
        {NULL, 0, NULL, 0},
    };
    const char *at_s = NULL, *tz_s = NULL;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c == 'a')
            at_s = optarg;
        else if (c == 'z')
            tz_s = optarg;
        else
            return bad_option(cli, cmd, c, argv, "usage: disruption lift ID --at T [--tz ZONE]");
    }
    if (argc - optind != 1)
        return bl_cli_usage(cli, cmd,
                            "expected one disruption ID (the number 'disruption list' shows)");
    const char *id_s = argv[optind];
    int64_t id;
    if (bl_str_to_i64(bl_str_c(id_s), &id) || id <= 0)
        return bl_cli_usage(cli, cmd,
                            "ID %s: expected a disruption id, a whole number greater than 0 "
                            "(the number 'disruption list' shows)",
                            id_s);
    if (need(cli, cmd, at_s, "--at", "the instant it was lifted"))
        return 2;
    struct bl_tz *tz;
    if (load_tz(cli, cmd, tz_s, &tz))
        return 2;
    int64_t at;
    int urc = parse_time(cli, cmd, "--at", at_s, tz, &at);
    bl_tz_free(tz);
    if (urc)
        return urc;

    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_val p[3] = {bl_val_int(org), bl_val_int(id), bl_val_int(at)};
    struct lift_ctx lc = {0};
    char a[BL_ISO_MAX], b[BL_ISO_MAX], sa[128];
    int rc = bl_store_begin(st, &d);
    if (!rc)
        rc = bl_store_query(st,
                            "SELECT starts_at, ends_at, lifted_at FROM disruption "
                            "WHERE org_id = $1 AND id = $2",
                            p, 2, lift_row, &lc, &d);
    if (!rc && !lc.found)
        rc = bl_diag_set(&d, BL_ENOTFOUND,
                         "unknown disruption %lld: expected an id that 'disruption list' shows",
                         (long long)id);
    if (!rc && lc.is_lifted)
        rc = bl_diag_set(&d, BL_ECONFLICT, "disruption %lld was already lifted at %s",
                         (long long)id, bl_time_format(lc.lifted, a));
    if (!rc && at < lc.starts)
        rc = bl_diag_set(&d, BL_ERANGE,
                         "--at %s is before disruption %lld starts (%s): expected a time at "
                         "or after its start",
                         shown_time(at_s, at, sa, sizeof(sa)), (long long)id,
                         bl_time_format(lc.starts, b));
    int64_t changes = 0;
    if (!rc)
        rc = bl_store_exec(st,
                           "UPDATE disruption SET lifted_at = $3 WHERE org_id = $1 AND id = $2 "
                           "AND lifted_at IS NULL",
                           p, 3, &changes, &d);
    if (!rc && changes != 1)
        rc = bl_diag_set(&d, BL_ECONFLICT, "disruption %lld changed while lifting it: try again",
                         (long long)id);
    if (!rc)
        rc = bl_store_commit(st, &d);
    if (rc) {
        rollback_quietly(st);
        bl_store_close(st);
        return bl_cli_fail(cli, &d);
    }
    bl_store_close(st);
    if (at >= lc.ends)
        fprintf(cli->err,
                "ballast: disruption %lld already ended at %s; lifted_at recorded, its "
                "effective end stays %s\n",
                (long long)id, bl_time_format(lc.ends, a), a);
    return 0;
}

int bl_cmd_disruption(struct bl_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return bl_cli_usage(cli, "disruption", "expected add, list or lift");
    if (strcmp(argv[1], "add") == 0)
        return dis_add(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0)
        return dis_list(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "lift") == 0)
        return dis_lift(cli, argc - 1, argv + 1);
    return bl_cli_usage(cli, "disruption", "unknown subcommand '%s': expected add, list or lift",
                        argv[1]);
}

/* ---------------------------------------------------------------- protect */

struct shop_ctx {
    bool found;
    int64_t id;
    char tz[64];
};

static int shop_row(void *vctx, const struct bl_row *r)
{
    struct shop_ctx *c = vctx;
    c->found = true;
    c->id = bl_row_int(r, 0);
    bl_str_copy(c->tz, sizeof(c->tz), bl_row_text(r, 1));
    return 0;
}

static const char protect_usage[] =
    "usage: protect --shop S --from T --to T --reason TEXT [--tz ZONE]  or  protect list "
    "[--shop S]";

static int protect_add(struct bl_cli *cli, int argc, char **argv)
{
    static const char cmd[] = "protect";
    static const struct option opts[] = {
        {"shop", required_argument, NULL, 's'},
        {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},
        {"reason", required_argument, NULL, 'r'},
        {"tz", required_argument, NULL, 'z'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *shop = NULL, *from_s = NULL, *to_s = NULL, *reason = NULL, *tz_s = NULL;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            shop = optarg;
            break;
        case 'F':
            from_s = optarg;
            break;
        case 'T':
            to_s = optarg;
            break;
        case 'r':
            reason = optarg;
            break;
        case 'z':
            tz_s = optarg;
            break;
        case 'f':
            if (bl_cli_set_format(cli, optarg))
                return 2;
            break;
        default:
            return bad_option(cli, cmd, c, argv, protect_usage);
        }
    }
    if (optind != argc)
        return bl_cli_usage(cli, cmd, "unexpected argument '%s': %s", argv[optind], protect_usage);
    if (need(cli, cmd, shop, "--shop", "a shop id") ||
        need(cli, cmd, from_s, "--from", "the instant it begins") ||
        need(cli, cmd, to_s, "--to", "the instant it ends (exclusive)") ||
        need(cli, cmd, reason, "--reason", "why it was granted") ||
        check_id(cli, cmd, "--shop", shop, "a shop id") ||
        check_text(cli, cmd, "--reason", reason, "why it was granted"))
        return 2;
    struct bl_tz *tz;
    if (load_tz(cli, cmd, tz_s, &tz))
        return 2;

    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, true, &st, &org)) {
        bl_tz_free(tz);
        return 1;
    }
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_val q[2] = {bl_val_int(org), bl_val_text(bl_str_c(shop))};
    struct shop_ctx sc = {0};
    int rc = bl_store_begin(st, &d);
    if (!rc)
        rc = bl_store_query(st, "SELECT id, tz FROM shop WHERE org_id = $1 AND ext_id = $2", q, 2,
                            shop_row, &sc, &d);
    if (!rc && !sc.found)
        rc = bl_diag_set(&d, BL_ENOTFOUND,
                         "--shop %s: unknown shop: expected the id of a shop in the store "
                         "(import shops first)",
                         shop);
    /* Local times: --tz, otherwise the shop's zone (as `import protections` does). */
    if (!rc && !tz && bl_tz_load(&tz, sc.tz, &d))
        rc = d.code;
    int64_t from = 0, to = 0, id = 0;
    int urc = 0;
    if (!rc) {
        urc = parse_time(cli, cmd, "--from", from_s, tz, &from);
        if (!urc)
            urc = parse_time(cli, cmd, "--to", to_s, tz, &to);
        if (!urc && to <= from) {
            char a[128], b[128];
            urc = bl_cli_usage(cli, cmd,
                               "--to %s is not after --from %s: expected an end after the "
                               "start",
                               shown_time(to_s, to, a, sizeof(a)),
                               shown_time(from_s, from, b, sizeof(b)));
        }
    }
    bl_tz_free(tz);
    if (!rc && !urc)
        rc = next_id(st, "protection", org, &id, &d);
    if (!rc && !urc) {
        struct bl_val v[] = {bl_val_int(org),  bl_val_int(id), bl_val_int(sc.id),
                             bl_val_int(from), bl_val_int(to), bl_val_text(bl_str_c(reason)),
                             bl_val_int(0)};
        rc = bl_store_exec(st,
                           "INSERT INTO protection (org_id, id, shop_id, starts_at, ends_at, "
                           "reason, batch_id) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                           v, NELEM(v), NULL, &d);
    }
    if (!rc && !urc)
        rc = bl_store_commit(st, &d);
    if (rc || urc) {
        rollback_quietly(st);
        bl_store_close(st);
        return urc ? urc : bl_cli_fail(cli, &d);
    }
    bl_store_close(st);
    return print_id(cli, id) ? 1 : 0;
}

static const char *const prot_cols[] = {"id", "shop", "starts_at", "ends_at", "reason", "batch"};

struct prot_ctx {
    struct bl_out *out;
};

static int prot_row(void *vctx, const struct bl_row *r)
{
    struct prot_ctx *c = vctx;
    char t[2][BL_ISO_MAX];
    struct bl_val v[NELEM(prot_cols)] = {
        bl_val_int(bl_row_int(r, 0)), text_col(r, 1), time_col(r, 2, t[0]),
        time_col(r, 3, t[1]),         text_col(r, 4), bl_val_int(bl_row_int(r, 5)),
    };
    return bl_out_row(c->out, v);
}

static int protect_list(struct bl_cli *cli, int argc, char **argv)
{
    static const char cmd[] = "protect list";
    static const struct option opts[] = {
        {"shop", required_argument, NULL, 's'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *shop = NULL;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c == 's')
            shop = optarg;
        else if (c != 'f')
            return bad_option(cli, cmd, c, argv, "usage: protect list [--shop S] [--format F]");
        else if (bl_cli_set_format(cli, optarg))
            return 2;
    }
    if (optind != argc)
        return bl_cli_usage(cli, cmd, "unexpected argument '%s': list takes options only",
                            argv[optind]);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = BL_OK;
    struct bl_val p[2] = {bl_val_int(org), bl_val_text(bl_str_c(shop ? shop : ""))};
    if (shop) {
        int64_t sid;
        rc = find_ext(st, "shop", org, shop, &sid, &d);
        if (rc == BL_ENOTFOUND)
            rc = bl_diag_set(&d, BL_ENOTFOUND,
                             "--shop %s: unknown shop: expected the id of a shop in the store",
                             shop);
    }
    if (rc) {
        bl_store_close(st);
        return bl_cli_fail(cli, &d);
    }
    struct bl_out o;
    bl_out_begin(&o, cli, prot_cols, NELEM(prot_cols));
    struct prot_ctx pc = {&o};
    rc = bl_store_query(st,
                        shop ? "SELECT p.id, s.ext_id, p.starts_at, p.ends_at, p.reason, "
                               "p.batch_id FROM protection p JOIN shop s ON s.org_id = p.org_id "
                               "AND s.id = p.shop_id WHERE p.org_id = $1 AND s.ext_id = $2 "
                               "ORDER BY p.id"
                             : "SELECT p.id, s.ext_id, p.starts_at, p.ends_at, p.reason, "
                               "p.batch_id FROM protection p JOIN shop s ON s.org_id = p.org_id "
                               "AND s.id = p.shop_id WHERE p.org_id = $1 ORDER BY p.id",
                        p, shop ? 2 : 1, prot_row, &pc, &d);
    int rc2 = bl_out_end(&o);
    bl_store_close(st);
    if (rc || rc2) {
        if (!d.code)
            bl_diag_set(&d, rc ? rc : rc2, "%s", bl_strerror(rc ? rc : rc2));
        return bl_cli_fail(cli, &d);
    }
    return 0;
}

int bl_cmd_protect(struct bl_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return protect_list(cli, argc - 1, argv + 1);
    return protect_add(cli, argc, argv);
}
