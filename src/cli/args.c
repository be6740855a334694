/* args.c - what every command's arguments share (cli.h): the one reporter of getopt's
 * errors, the one meaning of --as-of, and the list window (--limit, --offset). */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/help.h"

#include "ballast/time.h"

/* The option of opts whose val is optopt (long options only). */
static const struct option *by_val(const struct option *opts, int val)
{
    for (const struct option *o = opts; val && o->name; o++)
        if (!o->flag && o->val == val)
            return o;
    return NULL;
}

int bl_cli_list_args(struct bl_cli *cli, const char *cmd, int argc, char **argv,
                     const char *name, const char **value)
{
    const struct option opts[] = {
        {name, required_argument, NULL, 'v'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c == 'v')
            *value = optarg;
        else if (c != 'f')
            return bl_cli_bad_option(cli, cmd, argv, opts);
        else if (bl_cli_set_format(cli, optarg))
            return 2;
    }
    if (optind != argc)
        return bl_cli_usage(cli, cmd, "unexpected argument '%s': list takes options only",
                            argv[optind]);
    return 0;
}

int bl_cli_bad_option(struct bl_cli *cli, const char *cmd, char **argv, const struct option *opts)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    bool is_long = strncmp(arg, "--", 2) == 0;
    const struct option *o = is_long ? by_val(opts, optopt) : NULL;
    if (o && o->has_arg == required_argument)
        return bl_cli_usage(cli, cmd, "--%s needs a value", o->name);
    if (o && o->has_arg == no_argument)
        return bl_cli_usage(cli, cmd, "--%s takes no value, got '%s'", o->name, arg);
    if (!is_long)
        return bl_cli_usage(cli, cmd, "unknown option '%s' (options are long: --name)", arg);
    const char *name = arg + 2;
    size_t len = strcspn(name, "=");
    char word[64];
    snprintf(word, sizeof(word), "%.*s", (int)len, name);
    size_t prefixed = 0;
    struct bl__near n;
    bl__near_init(&n, word);
    for (const struct option *p = opts; p->name; p++) {
        prefixed += len && strncmp(p->name, word, len) == 0;
        bl__near_try(&n, p->name);
    }
    if (cli->window) { /* main's options of a list */
        bl__near_try(&n, "limit");
        bl__near_try(&n, "offset");
    }
    if (prefixed > 1) /* getopt's unambiguous prefixes are fine; these are not */
        return bl_cli_usage(cli, cmd, "option '--%s' is ambiguous: give more of its name", word);
    const char *best = bl__near_best(&n);
    if (best)
        return bl_cli_usage(cli, cmd, "unknown option '--%s'; did you mean '--%s'?", word, best);
    return bl_cli_usage(cli, cmd, "unknown option '--%s'", word);
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
    else if ((rc = bl_time_parse(s, tz, t, &tmp)) != BL_OK)
        bl_diag_set(d, rc,
                    "%s: expected a date (YYYY-MM-DD, the end of that day) or an instant "
                    "(2024-11-15T08:00:00Z): %s",
                    text, tmp.msg);
    bl_tz_free(tz);
    return rc;
}

const char *bl_cli_when(int64_t t, const char *zone, char *out, size_t cap)
{
    struct bl_tz *tz = NULL;
    struct bl_diag ig;
    bl_diag_clear(&ig);
    char iso[BL_ISO_MAX];
    if (bl_tz_load(&tz, zone ? zone : "UTC", &ig) != BL_OK) {
        snprintf(out, cap, "%s", bl_time_format(t, iso));
        return out;
    }
    int64_t local = t + bl_tz_offset(tz, t);
    if (local % BL_DAY_SECS == 0) /* a local midnight: the end of the day before */
        snprintf(out, cap, "the end of %s (%s)", bl_date_format(local / BL_DAY_SECS - 1, iso),
                 bl_tz_name(tz));
    else
        snprintf(out, cap, "%s", bl_time_format_local(t, tz, iso));
    bl_tz_free(tz);
    return out;
}

int bl_cli_as_of(struct bl_cli *cli, const char *cmd, const char *text, const char *zone,
                 int64_t *t)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_cli_parse_as_of(text, zone, t, &d) == BL_OK)
        return 0;
    if (strncmp(d.msg, text, strlen(text)) != 0) /* the zone failed, not the text */
        return bl_cli_usage(cli, cmd, "--tz %s: %s", zone ? zone : "UTC", d.msg);
    return bl_cli_usage(cli, cmd, "--as-of %s", d.msg);
}

int bl_cli_as_of_day(struct bl_cli *cli, const char *cmd, const char *text, const char *zone,
                     int64_t *day)
{
    int64_t t;
    int rc = bl_cli_as_of(cli, cmd, text, zone, &t);
    if (rc)
        return rc;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_tz *tz;
    if (bl_tz_load(&tz, zone ? zone : "UTC", &d))
        return bl_cli_fail(cli, &d);
    int64_t local = t + bl_tz_offset(tz, t);
    bl_tz_free(tz);
    *day = local >= 0 ? local / BL_DAY_SECS : -((-local + BL_DAY_SECS - 1) / BL_DAY_SECS);
    return 0;
}

/* ---------------------------------------------------------------- --limit, --offset */

/* Reads N of "--NAME N" or "--NAME=N" at argv[*i] into *out, consuming the value. 1 when
 * argv[*i] is that option, 0 when it is not, -2 after a usage error. */
static int take(struct bl_cli *cli, const char *cmd, const char *name, int argc, char **argv,
                int *i, int64_t *out)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
        return 0;
    const char *val = a[n] == '=' ? a + n + 1 : *i + 1 < argc ? argv[++*i] : NULL;
    if (!val) {
        bl_cli_usage(cli, cmd, "%s needs a value", name);
        return -2;
    }
    if (bl_cli_parse_int(cli, cmd, name, val, 0, INT64_MAX, out))
        return -2;
    return 1;
}

int bl__cli_take_window(struct bl_cli *cli, const char *cmd, int *argc, char **argv)
{
    cli->window = true;
    int w = 1;
    for (int i = 1; i < *argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            while (i < *argc)
                argv[w++] = argv[i++];
            break;
        }
        int64_t v;
        int r = take(cli, cmd, "--limit", *argc, argv, &i, &v);
        if (r == 1)
            cli->limit = v;
        else if (r == 0 && (r = take(cli, cmd, "--offset", *argc, argv, &i, &v)) == 1)
            cli->offset = v;
        if (r < 0)
            return 2;
        if (r == 0)
            argv[w++] = argv[i];
    }
    *argc = w;
    argv[w] = NULL;
    return 0;
}

int64_t bl_cli_row_limit(const struct bl_cli *cli)
{
    if (cli->limit >= 0)
        return cli->limit == 0 ? -1 : cli->limit;
    return cli->out_tty && cli->format == BL_FMT_TABLE ? BL_CLI_TTY_ROWS : -1;
}

int64_t bl_cli_sql_limit(const struct bl_cli *cli, int64_t beyond)
{
    int64_t lim = bl_cli_row_limit(cli);
    if (lim < 0)
        return -1;
    return cli->offset + lim + beyond;
}
