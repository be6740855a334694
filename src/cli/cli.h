/* cli.h - shared pieces of the ballast command (internal to src/cli).
 *
 * Each command is a function bl_cmd_<name>(cli, argc, argv) where argv[0] is the
 * command name and the global options (--db, --org, --format) were already taken
 * out. It returns the process exit status: 0 success, 1 a failure the user can
 * fix (bad input, not found), 2 wrong usage. Only main() exits.
 */
#ifndef BL_CLI_H
#define BL_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "ballast/err.h"
#include "ballast/store.h"

enum bl_fmt { BL_FMT_TABLE = 0, BL_FMT_CSV, BL_FMT_JSON };

struct bl_cli {
    const char *db_url;  /* --db, default ./ballast.db */
    const char *org;     /* --org, default "default" */
    enum bl_fmt format;  /* --format table|csv|json */
    bool format_set;     /* --format was given */
    bool tty;            /* stderr is a terminal: progress bars allowed */
    bool out_tty;        /* stdout is a terminal: tables fit its width, 50 rows by default */
    int columns;         /* the terminal's width ($COLUMNS, else TIOCGWINSZ); 0: unknown */
    int64_t limit;       /* --limit N after a list command; -1: not given (0: all rows) */
    int64_t offset;      /* --offset N: rows skipped first */
    bool window;         /* the command is a list: main took --limit/--offset for it */
    const char *locale;  /* words for people: en (default) or zh-CN (--locale, cycle) */
    FILE *out;           /* stdout */
    FILE *err;           /* stderr */
};

/* Opens the store named by --db, migrates it if asked, and resolves --org.
 * On failure prints the error and returns nonzero. */
int bl_cli_open(struct bl_cli *cli, bool migrate, struct bl_store **st, int64_t *org_id);

/* Prints "ballast: <formatted diag>" to stderr. Returns 1. */
int bl_cli_fail(struct bl_cli *cli, const struct bl_diag *d);

/* Prints "ballast <cmd>: <message>" and a usage hint; returns 2. */
int bl_cli_usage(struct bl_cli *cli, const char *cmd, const char *fmt, ...) BL_PRINTF(3, 4);

/* Parses a --format value into cli->format; returns 0, or 2 after printing why. */
int bl_cli_set_format(struct bl_cli *cli, const char *val);

/* Parses an ISO 8601 instant (a local form is read as UTC) given to option opt of
 * cmd: 0, or 2 after printing what was expected. */
int bl_cli_parse_instant(struct bl_cli *cli, const char *cmd, const char *opt, const char *text,
                         int64_t *t);

/* Reads the whole file at path into b (initialised here, at most max bytes; the
 * caller releases it). BL_ENOTFOUND when it does not exist; else d names the file. */
int bl_cli_read_file(const char *path, size_t max, struct bl_buf *b,
                     struct bl_diag *d) BL_MUST_CHECK;

/* A whole number from lo to hi given to option opt of cmd: 0, or 2 after printing
 * what was expected. */
int bl_cli_parse_int(struct bl_cli *cli, const char *cmd, const char *opt, const char *text,
                     int64_t lo, int64_t hi, int64_t *out);

/* An as-of, the one meaning every command gives it (args.c): an ISO 8601 instant (local
 * forms read in zone), or a date YYYY-MM-DD meaning the end of that day (its next local
 * midnight) in zone; zone NULL: UTC. BL_OK, or an error in d. */
int bl_cli_parse_as_of(const char *text, const char *zone, int64_t *t, struct bl_diag *d);
/* An instant as a person in zone reads it: "the end of 2018-06-10 (America/Sao_Paulo)" at
 * a local midnight, else the local time with its offset; zone NULL is UTC (ISO 8601 UTC
 * when the zone does not load). Returns out. */
const char *bl_cli_when(int64_t t, const char *zone, char *out, size_t cap);

/* The same for --as-of of cmd: 0, or 2 after printing what was expected. */
int bl_cli_as_of(struct bl_cli *cli, const char *cmd, const char *text, const char *zone,
                 int64_t *t);

/* --as-of for a command that works in whole days (plan, alerts, playbook, the cycle's
 * stock steps): the local day in zone the as-of instant falls in, whose history is the
 * days before it. A date D is the end of D, so its day is D + 1. 0, or 2 (printed). */
int bl_cli_as_of_day(struct bl_cli *cli, const char *cmd, const char *text, const char *zone,
                     int64_t *day);

/* The one reporter of getopt_long's errors (the caller's default: case; main sets
 * opterr = 0): an unknown option with the nearest of opts, a missing value, a value
 * given to a flag. Returns 2. */
struct option;
int bl_cli_bad_option(struct bl_cli *cli, const char *cmd, char **argv, const struct option *opts);

/* The arguments of a list with one filter: `--NAME VALUE` (into *value, left as it is
 * when absent) and `--format F`, nothing else. 0, or 2 after the usage error. */
int bl_cli_list_args(struct bl_cli *cli, const char *cmd, int argc, char **argv,
                     const char *name, const char **value);

/* Rows a list shows by default on a terminal (tables only). */
#define BL_CLI_TTY_ROWS 50

/* How many rows a list shows: --limit, else BL_CLI_TTY_ROWS for a table on a terminal;
 * -1: all. */
int64_t bl_cli_row_limit(const struct bl_cli *cli);

/* For a list limited in SQL: the rows to ask for (--offset + the row limit + beyond, so
 * that the output can say how many more there are), or -1: all. */
int64_t bl_cli_sql_limit(const struct bl_cli *cli, int64_t beyond);

/* main.c: takes --limit N and --offset N (anywhere after the command) out of argv into
 * cli; 0, or 2 after a usage error. */
int bl__cli_take_window(struct bl_cli *cli, const char *cmd, int *argc, char **argv);

/* The store's current time for records (the shell reads the clock; the engine never). */
int64_t bl_cli_now(void);

int bl_cmd_init(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_import(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_stats(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_shops(struct bl_cli *cli, int argc, char **argv); /* cmd_shops.c */
int bl_cmd_orders(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_gen(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_render(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_disruption(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_protect(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_channels(struct bl_cli *cli, int argc, char **argv);  /* cmd_logistics.c */
int bl_cmd_calendars(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_quote(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_route(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_sla(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_forecast(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_promise(struct bl_cli *cli, int argc, char **argv); /* cmd_promise.c */
int bl_cmd_refund(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_windows(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_plan(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_alerts(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_playbook(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_actions(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_skus(struct bl_cli *cli, int argc, char **argv); /* cmd_catalog.c */
int bl_cmd_stock(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_messages(struct bl_cli *cli, int argc, char **argv); /* cmd_messages.c */
int bl_cmd_banners(struct bl_cli *cli, int argc, char **argv);  /* cmd_banners.c */
int bl_cmd_cycle(struct bl_cli *cli, int argc, char **argv);    /* cmd_cycle.c */
int bl_cmd_notify(struct bl_cli *cli, int argc, char **argv);   /* cmd_notify.c */
int bl_cmd_org(struct bl_cli *cli, int argc, char **argv);      /* cmd_org.c */
int bl_cmd_serve(struct bl_cli *cli, int argc, char **argv);    /* cmd_serve.c */
int bl_cmd_token(struct bl_cli *cli, int argc, char **argv);    /* cmd_token.c */
int bl_cmd_webhook(struct bl_cli *cli, int argc, char **argv);  /* cmd_webhook.c */
/* How webhooks are delivered (cmd_webhook.c, for serve too): the secrets' key into key
 * (BL_HOOK_KEY_BYTES; made when missing and create), BALLAST_WEBHOOK_BACKOFF and
 * BALLAST_WEBHOOK_ATTEMPTS. 0, or 1 after saying why. */
struct bl_app_hook_send;
int bl_cli_hook_send(struct bl_cli *cli, bool allow_private, bool create, unsigned char *key,
                     struct bl_app_hook_send *s);
int bl_cmd_audit(struct bl_cli *cli, int argc, char **argv);    /* cmd_audit.c */
int bl_cmd_retention(struct bl_cli *cli, int argc, char **argv);
int bl_cmd_user(struct bl_cli *cli, int argc, char **argv);     /* cmd_user.c */
int bl_cmd_comply(struct bl_cli *cli, int argc, char **argv);   /* cmd_comply.c */
int bl_cmd_programs(struct bl_cli *cli, int argc, char **argv); /* cmd_programs.c */
int bl_cmd_whatif(struct bl_cli *cli, int argc, char **argv);   /* cmd_whatif.c */

#endif
