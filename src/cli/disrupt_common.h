/* disrupt_common.h - what `disruption` and `protect` share (internal to src/cli): checks
 * of flag values, reading instants with or without --tz, printing a new record's id.
 * Each check returns 0, or 2 after printing a usage message that names the flag. */
#ifndef BL_CLI_DISRUPT_COMMON_H
#define BL_CLI_DISRUPT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"
#include "ballast/region.h"
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

/* The disruption's words, "lockdown, strike, ..., weather or other", for messages. */
const char *bl__dis_kinds_text(void);

/* The flags of `add` and `edit` (NULL: not given). */
struct bl__dis_args {
    const char *region, *scope, *from, *to, *kind, *channel, *supplier, *note, *ext, *tz;
};

/* One option of add or edit (getopt_long's c, optarg) into a: 0; 2 after a usage message
 * (a bad --format); -1 when c is not one of theirs. */
int bl__dis_take_option(struct bl_cli *cli, int c, struct bl__dis_args *a);

/* A region code given to flag: canonical (into region) and known to ISO 3166. 0; 2 after
 * a usage message with a did-you-mean ("--region CN-ZZ: CN-ZZ is not an ISO 3166-2
 * subdivision of China; did you mean CN-ZJ (Zhejiang)?"); 1 when the ISO 3166 lists
 * cannot be read. */
int bl__dis_check_region(struct bl_cli *cli, const char *cmd, const char *flag, const char *text,
                         char region[BL_REGION_MAX]);

/* Checks the values given in a: region (canonicalised into region, known to ISO 3166),
 * scope, kind (their indexes into bl_dis_scopes, bl_dis_kinds; 0 when not given), ids,
 * note. 0, 2 after a usage message, or 1. */
int bl__dis_check_values(struct bl_cli *cli, const char *cmd, const struct bl__dis_args *a,
                         char region[BL_REGION_MAX], int *scope, int *kind);

/* Reads --from and --to when given (in --tz); both given: the end must be after the
 * start. 0, or 2 after a usage message. */
int bl__dis_read_window(struct bl_cli *cli, const char *cmd, const struct bl__dis_args *a,
                        int64_t *from, int64_t *to);

/* A disruption's ID: a whole number > 0; 0, or 2 after a usage message. */
int bl__dis_read_id(struct bl_cli *cli, const char *cmd, const char *id_s, int64_t *id);

/* `disruption edit` (cmd_disrupt_edit.c). */
int bl__dis_edit(struct bl_cli *cli, int argc, char **argv);

/* Who runs the command, for a disruption's history: $BALLAST_USER, else the login
 * name ($USER, else the password entry of the user id); NULL when none is known. */
const char *bl__dis_who(void);

/* An end as a person reads it: "until further notice" for an open end, else ISO 8601
 * UTC (into buf). */
const char *bl__dis_end_text(int64_t end, char buf[BL_ISO_MAX]);

/* The columns of `disruption list` (13) and one disruption's values for them: open
 * ends are "until further notice" in a table, null in CSV and JSON. t: 4 buffers. */
struct bl_app_disruption_item;
extern const char *const bl__dis_cols[13];
void bl__dis_vals(const struct bl_cli *cli, const struct bl_app_disruption_item *it,
                  char t[4][BL_ISO_MAX], struct bl_val v[13]);

/* Prints what a disruption touches (the result of bl_app_disruption_impact): sentences
 * and tables for people, rows for CSV and JSON (cmd_disrupt_show.c). 0, or 1. */
struct bl_app_disruption_impact_res;
int bl__dis_print_impact(struct bl_cli *cli, const struct bl_app_disruption_impact_res *res);

/* Measures disruption id as of now (BL_NO_TIME: its default) and prints it; 0, or 1
 * after saying why. */
int bl__dis_impact_of(struct bl_cli *cli, struct bl_store *st, int64_t org, int64_t id,
                      int64_t as_of);

/* "N unsent customer messages withdrawn: ..." when n > 0 (table output). */
void bl__dis_say_withdrawn(struct bl_cli *cli, int64_t n);

/* `disruption show ID` and `disruption impact ID` (cmd_disrupt_show.c). */
int bl__dis_show(struct bl_cli *cli, int argc, char **argv);
int bl__dis_impact(struct bl_cli *cli, int argc, char **argv);

#endif
