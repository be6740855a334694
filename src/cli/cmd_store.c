/* cmd_store.c - `ballast init`, `ballast import` and `ballast stats`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "cli/cli.h"
#include "cli/help.h"
#include "cli/out.h"
#include "cli/progress.h"

#include "app/data.h"

#include "ballast/import.h"
#include "ballast/time.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

int bl_cmd_init(struct bl_cli *cli, int argc, char **argv)
{
    if (argc > 1)
        return bl_cli_usage(cli, "init", "takes no arguments, got '%s'", argv[1]);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_store *st;
    int rc = bl_store_open(&st, cli->db_url, &d);
    if (rc)
        return bl_cli_fail(cli, &d);
    struct bl_app_init_req req = {cli->org};
    struct bl_app_init_res res;
    rc = bl_app_init(st, &req, &res, &d);
    if (rc) {
        bl_store_close(st);
        return bl_cli_fail(cli, &d);
    }
    char shown[512]; /* never the password */
    bl_store_url_shown(cli->db_url, shown, sizeof(shown));
    if (res.version_before == res.version_after)
        fprintf(cli->err, "ballast: %s store %s is up to date (schema version %d)\n",
                bl_store_kind(st), shown, res.version_after);
    else
        fprintf(cli->err, "ballast: %s store %s migrated from schema version %d to %d\n",
                bl_store_kind(st), shown, res.version_before, res.version_after);
    bl_store_close(st);
    return 0;
}

static double now_secs(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* What an import did, in words. */
static int import_said(struct bl_cli *cli, const char *path, const struct bl_app_import_res *res,
                       double secs)
{
    if (res->already) {
        char day[16];
        int64_t at = res->batch_at;
        bl_date_format(at >= 0 ? at / BL_DAY_SECS : (at + 1) / BL_DAY_SECS - 1, day);
        fprintf(cli->err,
                "ballast: %s was already imported as batch %lld on %s (the same records); "
                "nothing added\n",
                path, (long long)res->batch_id, day);
        return 0;
    }
    if (res->nothing) {
        int64_t n = res->orders ? res->unchanged : res->kept;
        fprintf(cli->err,
                "ballast: %s changes nothing: its %lld %s%s in the store as %s; "
                "nothing added\n",
                path, (long long)n, res->orders ? "order" : "record", n == 1 ? " is" : "s are",
                n == 1 ? "it is" : "they are");
        return 0;
    }
    if (res->replaced) {
        fprintf(cli->err,
                "ballast: replaced what batch %lld imported with %s: %lld added, %lld removed, "
                "%lld changed, %lld as they were (%.2f s)\n",
                (long long)res->batch_id, path, (long long)res->added, (long long)res->removed,
                (long long)res->changed, (long long)res->kept, secs);
        if (res->changes)
            fprintf(cli->err, "ballast: %lld change%s recorded in the orders' history\n",
                    (long long)res->changes, res->changes == 1 ? "" : "s");
        return 0;
    }
    if (res->orders)
        fprintf(cli->err,
                "ballast: imported %s as batch %lld: %lld row%s, %lld new, %lld updated, %lld "
                "unchanged shop order%s in %.2f s\n",
                path, (long long)res->batch_id, (long long)res->rows, res->rows == 1 ? "" : "s",
                (long long)res->fresh, (long long)res->updated, (long long)res->unchanged,
                res->unchanged == 1 ? "" : "s", secs); /* the noun agrees with the nearest count */
    else
        fprintf(cli->err,
                "ballast: imported %s as batch %lld: %lld row%s, %lld record%s in %.2f s\n", path,
                (long long)res->batch_id, (long long)res->rows, res->rows == 1 ? "" : "s",
                (long long)res->records, res->records == 1 ? "" : "s", secs);
    if (res->changes)
        fprintf(cli->err, "ballast: %lld change%s recorded in the orders' history\n",
                (long long)res->changes, res->changes == 1 ? "" : "s");
    if (res->corrections)
        fprintf(cli->err, "ballast: %lld of them %s (--corrections)\n", (long long)res->corrections,
                res->corrections == 1 ? "a correction" : "corrections");
    if (res->note[0])
        fprintf(cli->err, "ballast: note: %s\n", res->note);
    return 0;
}

static const char *const batch_cols[] = {"batch",       "kind",        "file",     "rows",
                                         "imported_at", "replaced_at", "read_with"};

/* "tz=Asia/Shanghai;shop=s1" as the options that say it: "--tz Asia/Shanghai --shop s1". */
static const char *read_with(const char *opts, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    while (opts && *opts && len < cap) {
        size_t n = strcspn(opts, ";"), eq = strcspn(opts, "=");
        if (eq < n)
            len += (size_t)snprintf(out + len, cap - len, "%s--%.*s %.*s", len ? " " : "",
                                    (int)eq, opts, (int)(n - eq - 1), opts + eq + 1);
        opts += n + (opts[n] == ';');
    }
    return out;
}

static int batch_out(struct bl_out *o, const struct bl_batch *b)
{
    char t[2][BL_ISO_MAX], w[160];
    struct bl_val v[NELEM(batch_cols)] = {
        bl_val_int(b->id),
        bl_val_text(bl_str_c(b->kind)),
        bl_val_text(bl_str_c(b->source)),
        bl_val_int(b->rows),
        bl_val_text(bl_str_c(bl_time_format(b->created_at, t[0]))),
        b->replaced_at ? bl_val_text(bl_str_c(bl_time_format(b->replaced_at, t[1])))
                       : bl_val_null(),
        b->opts ? bl_val_text(bl_str_c(read_with(b->opts, w, sizeof(w)))) : bl_val_null(),
    };
    return bl_out_row(o, v);
}

static int import_list(struct bl_cli *cli, int argc, char **argv)
{
    const char *kind = NULL;
    if (bl_cli_list_args(cli, "import list", argc, argv, "kind", &kind))
        return 2;
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_import_list_req req = {kind};
    struct bl_app_import_list_res res;
    int rc = bl_app_import_list(st, org, &req, &res, &d);
    bl_store_close(st);
    struct bl_out o;
    if (!rc) {
        bl_out_begin(&o, cli, batch_cols, NELEM(batch_cols));
        for (size_t i = 0; !rc && i < res.n; i++)
            rc = batch_out(&o, &res.items[i]);
        int rc2 = bl_out_end(&o);
        rc = rc ? rc : rc2;
        if (rc && !d.code)
            bl_diag_set(&d, rc, "%s", bl_strerror(rc));
    }
    bl_app_import_list_res_release(&res);
    return rc ? bl_cli_fail(cli, &d) : 0;
}

int bl_cmd_import(struct bl_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return import_list(cli, argc - 1, argv + 1);
    static const struct option opts[] = {
        {"tz", required_argument, NULL, 't'},   {"format", required_argument, NULL, 'f'},
        {"shop", required_argument, NULL, 's'}, {"corrections", no_argument, NULL, 'c'},
        {"replace", required_argument, NULL, 'r'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *tz = NULL, *format = "native", *shop = NULL;
    bool corrections = false;
    int64_t replace = 0;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 't')
            tz = optarg;
        else if (c == 'f')
            format = optarg;
        else if (c == 's')
            shop = optarg;
        else if (c == 'c')
            corrections = true;
        else if (c == 'r') {
            if (bl_cli_parse_int(cli, "import", "--replace", optarg, 1, INT64_MAX, &replace))
                return 2;
        } else
            return bl_cli_bad_option(cli, "import", argv, opts);
    }
    if (argc - optind != 2)
        return bl_cli_usage(cli, "import", "expected KIND and FILE (or: olist DIR)");
    const char *kind = argv[optind], *path = argv[optind + 1];
    if (strcmp(format, "olist") == 0)
        kind = "olist";
    else if (strcmp(format, "native") != 0)
        return bl_cli_usage(cli, "import", "--format %s: expected native or olist", format);
    bool known = false;
    struct bl_buf kinds = BL_BUF_INIT;
    for (const char *const *k = bl_import_kinds; *k; k++) {
        known = known || strcmp(*k, kind) == 0;
        if (bl_buf_addf(&kinds, "%s%s", k == bl_import_kinds ? "" : k[1] ? ", " : " or ", *k))
            break;
    }
    if (!known) {
        struct bl__near n;
        bl__near_init(&n, kind);
        for (const char *const *k = bl_import_kinds; *k; k++)
            bl__near_try(&n, *k);
        const char *best = bl__near_best(&n);
        if (best)
            bl_cli_usage(cli, "import", "unknown kind '%s'; did you mean '%s'? (expected %s)", kind,
                         best, bl_buf_cstr(&kinds));
        else
            bl_cli_usage(cli, "import", "unknown kind '%s': expected %s", kind,
                         bl_buf_cstr(&kinds));
        bl_buf_release(&kinds);
        return 2;
    }
    bl_buf_release(&kinds);
    if (bl_import_kind_report(kind) && !shop)
        return bl_cli_usage(cli, "import",
                            "a %s report is one shop's: give --shop SHOP (the shop's id, as "
                            "imported)",
                            kind);
    if (shop && !bl_import_kind_report(kind))
        return bl_cli_usage(cli, "import",
                            "--shop is for a platform's report (amazon, shopify, ...); the "
                            "%s file names its shops in its own columns",
                            kind);

    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, true, &st, &org))
        return 1;
    char what[300];
    snprintf(what, sizeof(what), "importing %s", path);
    struct bl_progress prog;
    bl_progress_init(&prog, cli, what, "MB");
    struct bl_app_import_req req = {.kind = kind,
                                    .path = path,
                                    .tz = tz,
                                    .now = bl_cli_now(),
                                    .shop = shop,
                                    .corrections = corrections,
                                    .replace = replace};
    if (bl_progress_on(&prog)) {
        req.progress = bl_progress_cb;
        req.progress_ctx = &prog;
    }
    struct bl_app_import_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    double t0 = now_secs();
    int rc = bl_app_import(st, org, &req, &res, &d);
    double secs = now_secs() - t0;
    bl_progress_end(&prog);
    bl_store_close(st);
    if (rc) {
        bl_cli_fail(cli, &d);
        fprintf(cli->err, "ballast: nothing was imported from %s\n", path);
        return 1;
    }
    return import_said(cli, path, &res, secs);
}

int bl_cmd_stats(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'f' || bl_cli_set_format(cli, optarg))
            return c != 'f' ? bl_cli_bad_option(cli, "stats", argv, opts) : 2;
    }
    if (optind != argc)
        return bl_cli_usage(cli, "stats", "takes no arguments");
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_stats_res res;
    int rc = bl_app_stats(st, org, &res, &d);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    static const char *const cols[] = {"table", "rows"};
    struct bl_out o;
    bl_out_begin(&o, cli, cols, 2);
    for (size_t i = 0; !rc && i < res.n; i++) {
        struct bl_val row[2] = {bl_val_text(bl_str_c(res.t[i].table)), bl_val_int(res.t[i].rows)};
        rc = bl_out_row(&o, row);
    }
    int rc2 = bl_out_end(&o);
    if (rc || rc2) {
        bl_diag_set(&d, rc ? rc : rc2, "%s", bl_strerror(rc ? rc : rc2));
        return bl_cli_fail(cli, &d);
    }
    return 0;
}
