/* programs_opts.c - the options of `programs eval` and `programs members`, in one table
 * (programs_text.h): each option once, with the subcommands that take it. */
#include <getopt.h>
#include <string.h>

#include "cli/programs_text.h"

struct pg_opt {
    struct option o;
    unsigned which; /* BL__PGO_* */
};

static const struct pg_opt table[] = {
    {{"as-of", required_argument, NULL, 'a'}, BL__PGO_EVAL | BL__PGO_MEMBERS},
    {{"tz", required_argument, NULL, 'z'}, BL__PGO_EVAL | BL__PGO_MEMBERS},
    {{"locale", required_argument, NULL, 'L'}, BL__PGO_EVAL | BL__PGO_MEMBERS},
    {{"format", required_argument, NULL, 'f'}, BL__PGO_EVAL | BL__PGO_MEMBERS},
    {{"program", required_argument, NULL, 'p'}, BL__PGO_EVAL},
    {{"dry-run", no_argument, NULL, 'n'}, BL__PGO_EVAL},
    {{"explain", required_argument, NULL, 'e'}, BL__PGO_MEMBERS},
};
#define NOPTS (sizeof(table) / sizeof(table[0]))

static int one(struct bl_cli *cli, const char *cmd, int c, struct bl__pg_opts *o)
{
    switch (c) {
    case 'a':
        o->as_of = optarg;
        return 0;
    case 'z':
        o->tz = optarg;
        return 0;
    case 'p':
        o->program = optarg;
        return 0;
    case 'n':
        o->dry_run = true;
        return 0;
    case 'e':
        o->explain = optarg;
        return 0;
    case 'f':
        return bl_cli_set_format(cli, optarg) ? 2 : 0;
    default:
        break;
    }
    if (strcmp(optarg, "en") != 0 && strcmp(optarg, "zh-CN") != 0)
        return bl_cli_usage(cli, cmd, "--locale %s: expected en or zh-CN", optarg);
    cli->locale = optarg;
    return 0;
}

int bl__pg_opts_parse(struct bl_cli *cli, const char *cmd, unsigned which, int argc, char **argv,
                      struct bl__pg_opts *o)
{
    struct option opts[NOPTS + 1];
    size_t n = 0;
    for (size_t i = 0; i < NOPTS; i++)
        if (table[i].which & which)
            opts[n++] = table[i].o;
    opts[n] = (struct option){NULL, 0, NULL, 0};
    int c, rc = 0;
    optind = 0;
    opterr = 0;
    while (!rc && (c = getopt_long(argc, argv, ":", opts, NULL)) != -1)
        rc = c == '?' || c == ':' ? bl_cli_bad_option(cli, cmd, argv, opts) : one(cli, cmd, c, o);
    return rc;
}
