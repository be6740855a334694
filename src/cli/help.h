/* help.h - the one table of ballast's commands and subcommands (internal to src/cli).
 *
 * Every command and subcommand the dispatcher knows has one entry: how to call it, what
 * it does, one real example. main.c dispatches commands through it, answers --help / -h
 * anywhere after the command from it (before the command runs), prints `ballast help`
 * from it, and refuses a subcommand it does not list (with the nearest match), so a
 * command or subcommand cannot be added without its help. The entries are static.
 */
#ifndef BL_CLI_HELP_H
#define BL_CLI_HELP_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"

enum {
    BL_HELP_SUBS = 1,      /* command: a first word that is not an option must be a subcommand */
    BL_HELP_LIST = 2,      /* prints a list: takes --limit N / --offset N (out.c) */
    BL_HELP_OWN_LIMIT = 4, /* --limit means something else here: the command parses it */
    BL_HELP_AS_OF = 8,     /* takes --as-of: its help states the one meaning */
};

struct bl__help {
    const char *cmd;                          /* "orders" */
    const char *sub;                          /* "list"; NULL: the command itself */
    const char *group;                        /* command entries: the heading in `ballast help` */
    int (*fn)(struct bl_cli *, int, char **); /* command entries: what runs it */
    unsigned flags;                           /* BL_HELP_* */
    const char *usage;                        /* after "ballast ": "orders list [--shop S] ..." */
    const char *about;   /* one or two sentences; the first is the listing's line */
    const char *example; /* one real command line */
    const char *options; /* NULL, or option lines ("  --x N   what it does\n") */
};

/* The table, ending with an entry whose cmd is NULL. */
extern const struct bl__help bl__help_table[];

/* The entry of cmd (sub NULL) or of cmd sub; NULL when there is none. */
const struct bl__help *bl__help_find(const char *cmd, const char *sub);

/* Whether cmd has subcommand entries. */
bool bl__help_has_subs(const char *cmd);

/* Prints the full help of e (usage, about, options, the as-of and list notes, the
 * example, and for a command its subcommands) to f. */
void bl__help_print(FILE *f, const struct bl__help *e);

/* Prints the overview: global options and every command grouped for a person. */
void bl__help_overview(FILE *f);

/* `ballast help [CMD [SUB]]`. */
int bl_cmd_help(struct bl_cli *cli, int argc, char **argv);

/* Did-you-mean: try every candidate, then ask for the nearest one (NULL when none is
 * close enough to suggest: a few edits away for the word's length, or the word is a
 * prefix of it). word and the candidates must outlive n. */
struct bl__near {
    const char *word;
    const char *best;
    size_t dist;
};
void bl__near_init(struct bl__near *n, const char *word);
void bl__near_try(struct bl__near *n, const char *cand);
const char *bl__near_best(const struct bl__near *n);

#endif
