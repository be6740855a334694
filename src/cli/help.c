/* help.c - `ballast help`, --help, and did-you-mean (help.h). The table is in
 * help_table.c. */
#include "cli/help.h"

#include <string.h>

#define WIDTH 92 /* help text is wrapped to this many columns */

const struct bl__help *bl__help_find(const char *cmd, const char *sub)
{
    for (const struct bl__help *e = bl__help_table; e->cmd; e++)
        if (strcmp(e->cmd, cmd) == 0 && (sub ? e->sub && strcmp(e->sub, sub) == 0 : !e->sub))
            return e;
    return NULL;
}

bool bl__help_has_subs(const char *cmd)
{
    for (const struct bl__help *e = bl__help_table; e->cmd; e++)
        if (e->sub && strcmp(e->cmd, cmd) == 0)
            return true;
    return false;
}

/* Prints text wrapped at WIDTH, each line after indent spaces (the first after first
 * columns already used). */
static void wrap(FILE *f, const char *text, size_t len, int indent, size_t first)
{
    size_t col = first;
    const char *p = text, *end = text + len;
    while (p < end) {
        while (p < end && *p == ' ')
            p++;
        const char *w = p;
        while (p < end && *p != ' ')
            p++;
        size_t n = (size_t)(p - w);
        if (!n)
            break;
        if (col > (size_t)indent && col + 1 + n > WIDTH) {
            fprintf(f, "\n%*s", indent, "");
            col = (size_t)indent;
        } else if (col > (size_t)indent) {
            fputc(' ', f);
            col++;
        } else if (col < (size_t)indent) {
            fprintf(f, "%*s", (int)((size_t)indent - col), "");
            col = (size_t)indent;
        }
        fwrite(w, 1, n, f);
        col += n;
    }
    fputc('\n', f);
}

/* about's first sentence, for a one-line list: up to its first '.', ';' or ':' outside
 * parentheses, with the parenthetical asides left out ("Decides (and records once) how
 * to refund an order: ..." -> "Decides how to refund an order"). Cut to fit buf. */
static size_t summary(const char *about, char *buf, size_t cap)
{
    size_t n = 0;
    int depth = 0;
    for (const char *p = about; *p && n + 1 < cap; p++) {
        if (*p == '(') {
            depth++;
            if (n > 0 && buf[n - 1] == ' ')
                n--; /* the space before the aside */
            continue;
        }
        if (depth > 0) {
            depth -= *p == ')';
            continue;
        }
        if (*p == '.' || *p == ';' || *p == ':')
            break;
        buf[n++] = *p;
    }
    buf[n] = '\0';
    return n;
}

/* One line of a list of commands: the name at two spaces, the summary at column 24. */
static void list_line(FILE *f, const struct bl__help *e)
{
    char s[512];
    int n = e->sub ? fprintf(f, "  %s %s", e->cmd, e->sub) : fprintf(f, "  %s", e->cmd);
    wrap(f, s, summary(e->about, s, sizeof(s)), 24, n < 0 ? 0 : (size_t)n);
}

/* "usage: ballast " and the usage; a line starting with the command is another way to
 * call it ("       ballast ..."), any other line continues the one before. */
static void print_usage(FILE *f, const struct bl__help *e)
{
    const char *p = e->usage;
    size_t clen = strlen(e->cmd);
    for (bool first = true; *p; first = false) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, "\n");
        bool again = strncmp(p, e->cmd, clen) == 0 && p[clen] == ' ';
        fprintf(f, "%s%.*s\n",
                first   ? "usage: ballast "
                : again ? "       ballast "
                        : "               ",
                (int)n, p);
        p += n + (p[n] == '\n');
    }
}

static const char as_of_note[] =
    "a date (YYYY-MM-DD) is the end of that day in --tz (default UTC); an instant "
    "(2024-11-15T08:00:00Z, or a local time in --tz) is that instant. The same everywhere.";
static const char list_note[] =
    "rows OFFSET+1 to OFFSET+N of the list, and how many more there are. Tables on a "
    "terminal show 50 rows unless --limit says otherwise (--limit 0: all); piped, csv and "
    "json output has every row.";

void bl__help_print(FILE *f, const struct bl__help *e)
{
    print_usage(f, e);
    fputc('\n', f);
    wrap(f, e->about, strlen(e->about), 0, 0);
    bool opts = e->options || (e->flags & (BL_HELP_AS_OF | BL_HELP_LIST));
    if (opts)
        fputs("\noptions:\n", f);
    if (e->options)
        fputs(e->options, f);
    if (e->flags & BL_HELP_AS_OF) {
        fputs("  --as-of T        ", f);
        wrap(f, as_of_note, strlen(as_of_note), 19, 19);
    }
    if ((e->flags & BL_HELP_LIST) && !(e->flags & BL_HELP_OWN_LIMIT)) {
        fputs("  --limit N, --offset OFFSET\n                   ", f);
        wrap(f, list_note, strlen(list_note), 19, 19);
    }
    bool head = false;
    for (const struct bl__help *s = bl__help_table; !e->sub && s->cmd; s++) {
        if (!s->sub || strcmp(s->cmd, e->cmd) != 0)
            continue;
        if (!head)
            fputs("\nsubcommands ('ballast help CMD SUB' for each):\n", f);
        head = true;
        list_line(f, s);
    }
    fprintf(f, "\nexample:\n  %s\n", e->example);
    fputs("\nglobal options (before the command): --db URL, --org NAME, --format "
          "table|csv|json\n",
          f);
}

static const char overview_head[] =
    "usage: ballast [--db URL] [--org NAME] [--format table|csv|json] <command> [args]\n"
    "\n"
    "  --db URL        the store: an SQLite file (default ./ballast.db, or $BALLAST_DB) or\n"
    "                  postgres://...; 'ballast --db FILE init' creates one\n"
    "  --org NAME      the organisation (default \"default\")\n"
    "  --format F      table for people (default), csv or json for machines\n"
    "\n"
    "'ballast help COMMAND' (or 'ballast COMMAND --help') tells more about a command.\n"
    "--as-of T everywhere: a date (YYYY-MM-DD) is the end of that day in --tz (default\n"
    "UTC); an instant (2024-11-15T08:00:00Z) is that instant.\n"
    "Lists take --limit N and --offset N; a table on a terminal shows 50 rows unless told.\n";

/* Whether e is the first top-level command of its group in the table. */
static bool first_of_group(const struct bl__help *e)
{
    for (const struct bl__help *x = bl__help_table; x != e; x++)
        if (!x->sub && x->group && strcmp(x->group, e->group) == 0)
            return false;
    return true;
}

/* The commands by group, each group once, in the order the table first names it; each
 * command followed by its subcommands. */
void bl__help_overview(FILE *f)
{
    fputs(overview_head, f);
    for (const struct bl__help *g = bl__help_table; g->cmd; g++) {
        if (g->sub || !g->group || !first_of_group(g))
            continue;
        fprintf(f, "\n%s:\n", g->group);
        for (const struct bl__help *e = g; e->cmd; e++) {
            if (e->sub || !e->group || strcmp(e->group, g->group) != 0)
                continue;
            list_line(f, e);
            for (const struct bl__help *s = bl__help_table; s->cmd; s++)
                if (s->sub && strcmp(s->cmd, e->cmd) == 0)
                    list_line(f, s);
        }
    }
    fputs("\nFile formats: docs/formats.md. Metrics: docs/metrics.md.\n", f);
}

/* Prints "unknown WHAT 'word'", the nearest name when there is one, and the hint. */
static int unknown(struct bl_cli *cli, const char *what, const char *word, const char *best,
                   const char *hint)
{
    fprintf(cli->err, "ballast: unknown %s '%s'", what, word);
    if (best)
        fprintf(cli->err, "; did you mean '%s'?", best);
    fprintf(cli->err, "\n(%s)\n", hint);
    return 2;
}

int bl_cmd_help(struct bl_cli *cli, int argc, char **argv)
{
    if (argc < 2) {
        bl__help_overview(cli->out);
        return 0;
    }
    if (strcmp(argv[1], "--list") == 0) { /* for scripts and shell completion */
        for (const struct bl__help *e = bl__help_table; e->cmd; e++)
            fprintf(cli->out, "%s%s%s\n", e->cmd, e->sub ? " " : "", e->sub ? e->sub : "");
        return 0;
    }
    const struct bl__help *e = bl__help_find(argv[1], NULL);
    if (!e) {
        struct bl__near n;
        bl__near_init(&n, argv[1]);
        for (const struct bl__help *c = bl__help_table; c->cmd; c++)
            bl__near_try(&n, c->cmd);
        return unknown(cli, "command", argv[1], bl__near_best(&n), "'ballast help' lists them");
    }
    if (argc >= 3) {
        const struct bl__help *s = bl__help_find(argv[1], argv[2]);
        if (!s) {
            struct bl__near n;
            bl__near_init(&n, argv[2]);
            for (const struct bl__help *c = bl__help_table; c->cmd; c++)
                if (c->sub && strcmp(c->cmd, argv[1]) == 0)
                    bl__near_try(&n, c->sub);
            char hint[128];
            snprintf(hint, sizeof(hint), "'ballast help %s' lists its subcommands", argv[1]);
            return unknown(cli, "subcommand", argv[2], bl__near_best(&n), hint);
        }
        e = s;
    }
    bl__help_print(cli->out, e);
    return 0;
}

/* ---------------------------------------------------------------- did you mean */

void bl__near_init(struct bl__near *n, const char *word)
{
    n->word = word;
    n->best = NULL;
    n->dist = (size_t)-1;
}

/* Optimal string alignment distance (edits, adjacent swaps) of short words; longer
 * words count as far apart. */
static size_t distance(const char *a, const char *b)
{
    enum { MAX = 40 };
    size_t la = strlen(a), lb = strlen(b);
    if (la >= MAX || lb >= MAX)
        return (size_t)-1;
    size_t dp[MAX + 1][MAX + 1];
    for (size_t i = 0; i <= la; i++)
        dp[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        dp[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = dp[i - 1][j] + 1;
            if (dp[i][j - 1] + 1 < v)
                v = dp[i][j - 1] + 1;
            if (dp[i - 1][j - 1] + cost < v)
                v = dp[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                dp[i - 2][j - 2] + 1 < v)
                v = dp[i - 2][j - 2] + 1;
            dp[i][j] = v;
        }
    return dp[la][lb];
}

void bl__near_try(struct bl__near *n, const char *cand)
{
    size_t wl = strlen(n->word);
    size_t d = distance(n->word, cand);
    if (wl >= 3 && strncmp(cand, n->word, wl) == 0 && d > 1)
        d = 1; /* a prefix: "mess" is near "messages" */
    if (d < n->dist) {
        n->dist = d;
        n->best = cand;
    }
}

const char *bl__near_best(const struct bl__near *n)
{
    size_t wl = strlen(n->word);
    size_t max = wl <= 4 ? 1 : wl <= 8 ? 2 : 3;
    return n->best && n->dist > 0 && n->dist <= max ? n->best : NULL;
}
