/* disrupt_common.h - what `disruption` and `protect` share (internal to src/cli): checks
 * of flag values, reading instants with or without --tz, printing a new record's id.
 * Each check returns 0, or 2 after printing a usage message that names the flag. */
#ifndef BL_CLI_DISRUPT_COMMON_H
#define BL_CLI_DISRUPT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"
#include "ballast/time.h"

/* Text from the command line must be UTF-8 and not empty. */
int bl__dis_check_text(struct bl_cli *cli, const char *cmd, const char *flag, const char *val,
                       const char *expect);

/* An id of the user's systems: 1 to 200 bytes, no control characters (as on import). */
int bl__dis_check_id(struct bl_cli *cli, const char *cmd, const char *flag, const char *val,
                     const char *expect);

/* Loads zone name into *tz (NULL name: *tz NULL). */
int bl__dis_load_tz(struct bl_cli *cli, const char *cmd, const char *name, struct bl_tz **tz);

/* Reads an instant: ISO 8601 with Z or an offset, or local text read in tz. A local time
 * without tz gets an error that says to give --tz. */
int bl__dis_parse_time(struct bl_cli *cli, const char *cmd, const char *flag, const char *text,
                       const struct bl_tz *tz, int64_t *t);

/* getopt_long ran with opterr = 0 and optstring ":": says which option was wrong. */
int bl__dis_bad_option(struct bl_cli *cli, const char *cmd, int c, char **argv, const char *usage);

/* "--to 2018-05-21T08:00" plus the UTC instant it was read as, when that differs. */
const char *bl__dis_shown_time(const char *text, int64_t t, char *out, size_t cap);

/* A missing flag: 0 when val is set, else 2 after saying what was expected. */
int bl__dis_need(struct bl_cli *cli, const char *cmd, const char *val, const char *flag,
                 const char *expect);

/* "--to X is not after --from Y: ..." (2). */
int bl__dis_bad_window(struct bl_cli *cli, const char *cmd, const char *from_s, int64_t from,
                       const char *to_s, int64_t to);

/* Prints the id of a new record: the bare number for people, one "id" row for machines.
 * 0, or 1 when output failed. */
int bl__dis_print_id(struct bl_cli *cli, int64_t id);

/* Prints "ballast: <formatted message>" to stderr; returns 1. */
int bl__dis_fail(struct bl_cli *cli, const char *fmt, ...) BL_PRINTF(2, 3);

#endif
