/* main.c - the ballast command: global options and dispatch.
 *
 *   ballast [--db URL] [--org NAME] [--format table|csv|json] <command> [args]
 *
 * The commands, their subcommands and their help are one table (help.h, help_table.c):
 * main answers --help anywhere after the command from it, refuses an unknown command or
 * subcommand with the nearest one, and takes --limit/--offset of a list (args.c) before
 * the command runs.
 */
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <pwd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/assess_common.h"
#include "cli/cli.h"
#include "cli/help.h"

#include "app/data.h"
#include "ballast/app.h"
#include "ballast/file.h"
#include "ballast/time.h"

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
    /* the help of "orders list" when it has one, else of "orders" */
    const char *sp = strchr(cmd, ' ');
    int n = sp ? (int)(sp - cmd) : (int)strlen(cmd);
    char first[64];
    snprintf(first, sizeof(first), "%.*s", n, cmd);
    if (sp && bl__help_find(first, sp + 1))
        n = (int)strlen(cmd);
    fprintf(cli->err, "\n(see 'ballast help %.*s')\n", n, cmd);
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

int64_t bl_cli_now(void)
{
    return bl_app_now();
}

/* Only init creates a store: any other command on a missing SQLite file is an error. */
static bool missing_file(const char *url)
{
    if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0 ||
        strcmp(url, ":memory:") == 0)
        return false;
    return access(url, F_OK) != 0 && errno == ENOENT;
}

/* Who acts through the command line, for the audit log: the local user (its login name,
 * else "uid N") on this host. */
static void local_actor(struct bl_store *st)
{
    struct bl_store_actor a = {.via = "cli"};
    const struct passwd *pw = getpwuid(geteuid());
    if (pw && pw->pw_name && pw->pw_name[0])
        snprintf(a.name, sizeof(a.name), "%s", pw->pw_name);
    else
        snprintf(a.name, sizeof(a.name), "uid %lu", (unsigned long)geteuid());
    if (gethostname(a.source, sizeof(a.source) - 1) != 0)
        a.source[0] = '\0';
    bl_store_set_actor(st, &a);
}

int bl_cli_open(struct bl_cli *cli, bool migrate, struct bl_store **st, int64_t *org_id)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    *st = NULL;
    if (missing_file(cli->db_url)) {
        bl_diag_set(&d, BL_ENOTFOUND,
                    "no store at %s: run 'ballast --db %s init' to create one (only init "
                    "creates a store)",
                    cli->db_url, cli->db_url);
        return bl_cli_fail(cli, &d);
    }
    int rc = bl_store_open(st, cli->db_url, &d);
    if (rc)
        return bl_cli_fail(cli, &d);
    local_actor(*st);
    int version = 0;
    rc = migrate ? bl_store_migrate(*st, &d) : bl_store_version(*st, &version, &d);
    if (!rc && !migrate && version < bl_store_latest_version()) {
        char shown[512]; /* never the password */
        bl_store_url_shown(cli->db_url, shown, sizeof(shown));
        bl_diag_set(&d, BL_ESCHEMA,
                    "the store %s is not initialised or is older than this program "
                    "(schema %d, need %d): run 'ballast --db %s init'",
                    shown, version, bl_store_latest_version(), shown);
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

/* The terminal's width: $COLUMNS, else the window's; 0 when unknown. */
static int term_columns(void)
{
    const char *env = getenv("COLUMNS");
    int64_t v;
    if (env && bl_str_to_i64(bl_str_c(env), &v) == BL_OK && v >= 20 && v <= 10000)
        return (int)v;
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 0;
}

static int unknown(const char *what, const char *word, const char *best, const char *hint)
{
    fprintf(stderr, "ballast: unknown %s '%s'", what, word);
    if (best)
        fprintf(stderr, "; did you mean '%s'?", best);
    fprintf(stderr, "\n(%s)\n", hint);
    return 2;
}

/* The global options before the command: the index of the command, or -(exit status). */
static int global_options(struct bl_cli *cli, int argc, char **argv)
{
    static const char *const names[] = {"db", "org", "format", "help", "version"};
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            bl__help_overview(stdout);
            return 0;
        }
        if (strcmp(a, "--version") == 0) {
            printf("ballast %s\n", BL_VERSION);
            return 0;
        }
        const char *eq = strchr(a, '=');
        size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
        const char *name = a + (strncmp(a, "--", 2) == 0 ? 2 : 1);
        char word[64];
        snprintf(word, sizeof(word), "%.*s", (int)(nlen - (size_t)(name - a)), name);
        if (strcmp(word, "db") && strcmp(word, "org") && strcmp(word, "format")) {
            struct bl__near n;
            bl__near_init(&n, word);
            for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++)
                bl__near_try(&n, names[k]);
            const char *best = bl__near_best(&n);
            char opt[80];
            snprintf(opt, sizeof(opt), "--%s", best ? best : "");
            return -unknown("option", a, best ? opt : NULL,
                            "global options: --db URL, --org NAME, --format table|csv|json; "
                            "'ballast help'");
        }
        const char *val = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
        if (!val) {
            fprintf(stderr, "ballast: --%s needs a value\n('ballast help')\n", word);
            return -2;
        }
        if (strcmp(word, "db") == 0)
            cli->db_url = val;
        else if (strcmp(word, "org") == 0)
            cli->org = val;
        else if (bl_cli_set_format(cli, val))
            return -2;
    }
    if (i >= argc) {
        bl__help_overview(stderr);
        return -2;
    }
    return i;
}

/* The entry of the subcommand argv[1] of e, or NULL; *status 2 (printed) when e takes only
 * subcommands and argv[1] is none of them. */
static const struct bl__help *subcommand(const struct bl__help *e, int argc, char **argv,
                                         int *status)
{
    *status = 0;
    if (argc < 2 || argv[1][0] == '-' || !bl__help_has_subs(e->cmd))
        return NULL;
    const struct bl__help *s = bl__help_find(e->cmd, argv[1]);
    if (s || !(e->flags & BL_HELP_SUBS))
        return s;
    struct bl__near n;
    bl__near_init(&n, argv[1]);
    for (const struct bl__help *c = bl__help_table; c->cmd; c++)
        if (c->sub && strcmp(c->cmd, e->cmd) == 0)
            bl__near_try(&n, c->sub);
    const char *subs[16];
    size_t ns = 0;
    for (const struct bl__help *c = bl__help_table; c->cmd && ns < 16; c++)
        if (c->sub && strcmp(c->cmd, e->cmd) == 0)
            subs[ns++] = c->sub;
    char hint[256];
    size_t len = (size_t)snprintf(hint, sizeof(hint), "%s takes", e->cmd);
    for (size_t k = 0; k < ns && len < sizeof(hint); k++)
        len += (size_t)snprintf(hint + len, sizeof(hint) - len, "%s %s",
                                !k           ? ""
                                : k + 1 < ns ? ","
                                             : " or",
                                subs[k]);
    if (len < sizeof(hint))
        snprintf(hint + len, sizeof(hint) - len, "; 'ballast help %s'", e->cmd);
    *status = unknown("subcommand", argv[1], bl__near_best(&n), hint);
    return NULL;
}

static bool asks_help(int argc, char **argv)
{
    for (int k = 1; k < argc && strcmp(argv[k], "--") != 0; k++)
        if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0)
            return true;
    return false;
}

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
    cli.out_tty = isatty(1);
    cli.columns = cli.out_tty ? term_columns() : 0;
    cli.limit = -1;
    int i = global_options(&cli, argc, argv);
    if (i <= 0)
        return -i;
    opterr = 0; /* getopt's own messages never reach a person: bl_cli_bad_option does */
    const struct bl__help *e = bl__help_find(argv[i], NULL);
    if (!e) {
        struct bl__near n;
        bl__near_init(&n, argv[i]);
        for (const struct bl__help *c = bl__help_table; c->cmd; c++)
            bl__near_try(&n, c->cmd);
        return unknown("command", argv[i], bl__near_best(&n), "'ballast help' lists them");
    }
    int cargc = argc - i, status;
    char **cargv = argv + i;
    const struct bl__help *s = subcommand(e, cargc, cargv, &status);
    if (status)
        return status;
    const struct bl__help *h = s ? s : e;
    if (asks_help(cargc, cargv)) {
        bl__help_print(stdout, h);
        return 0;
    }
    char label[64];
    snprintf(label, sizeof(label), "%s%s%s", e->cmd, s ? " " : "", s ? s->sub : "");
    if ((h->flags & BL_HELP_LIST) && !(h->flags & BL_HELP_OWN_LIMIT) &&
        bl__cli_take_window(&cli, label, &cargc, cargv))
        return 2;
    return e->fn(&cli, cargc, cargv);
}
