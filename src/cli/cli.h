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

/* An as-of: an ISO 8601 instant (local forms read in zone), or a date YYYY-MM-DD
 * meaning the end of that day (its next local midnight) in zone; zone NULL: UTC.
 * BL_OK, or an error in d. */
int bl_cli_parse_as_of(const char *text, const char *zone, int64_t *t, struct bl_diag *d);

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
int bl_cmd_messages(struct bl_cli *cli, int argc, char **argv); /* cmd_messages.c */
int bl_cmd_banners(struct bl_cli *cli, int argc, char **argv);  /* cmd_banners.c */
int bl_cmd_cycle(struct bl_cli *cli, int argc, char **argv);    /* cmd_cycle.c */
int bl_cmd_notify(struct bl_cli *cli, int argc, char **argv);   /* cmd_notify.c */

#endif
