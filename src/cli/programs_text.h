/* programs_text.h - the words of support programmes for a person (internal to src/cli):
 * names, conditions, benefits, reasons and states in the reader's language (the locale
 * packs' words, templates/operator/<locale>/words.json), money by ICU. */
#ifndef BL_CLI_PROGRAMS_TEXT_H
#define BL_CLI_PROGRAMS_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "app/digest.h"
#include "app/programs.h"
#include "cli/cli.h"

struct bl__pgw {
    struct bl_words *w;
    const char *locale; /* en or zh-CN */
};

/* Opens the words of cli->locale: 0, or 1 after printing why. */
int bl__pgw_open(struct bl_cli *cli, struct bl__pgw *w);
void bl__pgw_close(struct bl__pgw *w);

/* The programme's name in the reader's language. */
const char *bl__pgw_name(const struct bl__pgw *w, const struct bl_program *p);
/* A code of group (program_reasons, program_conditions, program_benefits, program_states,
 * skip_reasons...) in words. */
void bl__pgw_code(const struct bl__pgw *w, const char *group, const char *code, char *out,
                  size_t cap);
/* An amount: "R$100,000.00"; the digits and the code when ICU cannot. */
void bl__pgw_money(const struct bl__pgw *w, int64_t minor, const char *currency, int exponent,
                   char *out, size_t cap);
/* The conditions and coverage: "opened e-commerce for the first time; ...". */
void bl__pgw_conditions(const struct bl__pgw *w, const struct bl_program *p, char *out, size_t cap);
/* The benefits: "traffic subsidy R$100,000.00, by sales in the 30 days before, at most
 * R$2,000.00 each". */
void bl__pgw_benefits(const struct bl__pgw *w, const struct bl_program *p, char *out, size_t cap);
/* A member's benefits as stored (JSON text) or as decided: "traffic subsidy R$246.80". */
void bl__pgw_shares(const struct bl__pgw *w, const struct bl_program *p, const int64_t *share,
                    char *out, size_t cap);
void bl__pgw_stored_shares(const struct bl__pgw *w, const char *json, char *out, size_t cap);
/* An as-of for a person in the reader's language (bl_cli_when, in Chinese too). */
void bl__pgw_when(const struct bl__pgw *w, int64_t t, const char *tz, char *out, size_t cap);
/* When a fact became true: its day at a UTC midnight (a date as given), else the instant. */
void bl__pgw_fact_time(int64_t t, char *out, size_t cap);
/* A UTC day as YYYY-MM-DD ("" for BL_NO_TIME). */
void bl__pgw_day(int64_t t, char *out, size_t cap);
/* A day number as YYYY-MM-DD ("" for BL_NO_TIME). */
void bl__pgw_date(int64_t day, char *out, size_t cap);
/* The local day instant t falls on in tz (NULL: UTC), as YYYY-MM-DD. */
void bl__pgw_local(int64_t t, const struct bl_tz *tz, char *out, size_t cap);

/* ---- the options of programs eval and programs members: one table ------------------ */

enum { BL__PGO_EVAL = 1, BL__PGO_MEMBERS = 2 }; /* which subcommand parses */

struct bl__pg_opts {
    const char *as_of, *tz; /* both */
    const char *program;    /* eval --program; members: the PROGRAM operand */
    const char *explain;    /* members --explain SHOP */
    bool dry_run;           /* eval --dry-run */
};

/* Parses argv for cmd ("programs eval" or "programs members") with the options its
 * subcommand takes (which): --locale sets cli->locale (en or zh-CN), --format cli's
 * format; an option of the other subcommand is refused as unknown (with did-you-mean).
 * Operands are left at argv[optind..]. 0, or 2 after printing the usage. */
int bl__pg_opts_parse(struct bl_cli *cli, const char *cmd, unsigned which, int argc, char **argv,
                      struct bl__pg_opts *o);

#endif
