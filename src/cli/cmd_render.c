/* cmd_render.c - `ballast render`: render a Mustache template against JSON data.
 *
 *   ballast render TEMPLATE --data FILE [--case N] [--partials DIR] [--strict] [--no-escape]
 *
 * Prints exactly the rendered text, nothing added; a list of cases (a samples file:
 * an array of objects) renders each case under a "--- case K of N ---" line, or the
 * one --case N picks. Partial NAME is read from
 * DIR/NAME.mustache (no partials without --partials). Opens no store.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/alloc.h"
#include "ballast/mustache.h"
#include "ballast/str.h"
#include "cli.h"

#define MAX_FILE ((size_t)64 << 20)

static const char usage_text[] =
    "usage: ballast render TEMPLATE --data FILE [--case N] [--partials DIR] [--strict]\n"
    "                      [--no-escape]\n"
    "  prints TEMPLATE (Mustache) rendered with the JSON in FILE (a list of cases: each,\n"
    "  or the one --case N picks); partial NAME is\n"
    "  DIR/NAME.mustache; --strict fails on a missing variable or partial;\n"
    "  --no-escape: plain text, {{x}} is not HTML-escaped (subjects, .txt bodies)\n";

struct partials {
    const char *dir;
    struct bl_buf *texts; /* every partial read, alive until the render is done */
    size_t n, cap;
    char path[4096];
};

static int load_partial(void *ctx, struct bl_str name, struct bl_mustache_src *src,
                        struct bl_diag *d)
{
    struct partials *p = ctx;
    if (!p->dir)
        return BL_ENOTFOUND;
    if (memchr(name.ptr, '/', name.len) || memchr(name.ptr, '\0', name.len) || name.ptr[0] == '.')
        return bl_diag_set(d, BL_EINVAL,
                           "partial name '%.*s': must not contain '/' or start with '.'",
                           (int)(name.len > 100 ? 100 : name.len), name.ptr);
    int w = snprintf(p->path, sizeof(p->path), "%s/%.*s.mustache", p->dir, (int)name.len, name.ptr);
    if (w < 0 || (size_t)w >= sizeof(p->path))
        return bl_diag_set(d, BL_ETOOBIG, "partial path too long");
    void *items = p->texts;
    int rc = bl_grow(&items, &p->cap, p->n + 1, sizeof(*p->texts));
    if (rc)
        return bl_diag_set(d, rc, "%s", bl_strerror(rc));
    p->texts = items;
    struct bl_diag fd;
    bl_diag_clear(&fd);
    rc = bl_cli_read_file(p->path, MAX_FILE, &p->texts[p->n], &fd);
    if (rc == BL_ENOTFOUND)
        return rc;
    if (rc) {
        if (d)
            *d = fd;
        return rc;
    }
    src->text = bl_buf_str(&p->texts[p->n++]);
    src->file = p->path;
    return BL_OK;
}

/* Whether data is a list of cases (a file of templates/samples): an array of objects. */
static bool is_cases(const json_t *data)
{
    if (!json_is_array(data) || json_array_size(data) == 0)
        return false;
    size_t i;
    json_t *v;
    json_array_foreach(data, i, v)
    {
        if (!json_is_object(v))
            return false;
    }
    return true;
}

/* Renders data, or each case of a list of cases (pick > 0: that one), each headed by
 * "--- case K of N ---" when there are several. */
static int render_cases(struct bl_mustache *t, json_t *data, const struct bl_mustache_opts *o,
                        int64_t pick, const char *path, struct bl_buf *out, struct bl_diag *d)
{
    if (!is_cases(data)) {
        if (pick)
            return bl_diag_set(d, BL_EINVAL, "%s is not a list of cases: --case has none to pick",
                               path);
        return bl_mustache_render(t, data, o, out, d);
    }
    size_t n = json_array_size(data);
    if (pick && (size_t)pick > n)
        return bl_diag_set(d, BL_ERANGE, "--case %lld: %s has %zu case%s", (long long)pick, path, n,
                           n == 1 ? "" : "s");
    if (pick || n == 1)
        return bl_mustache_render(t, json_array_get(data, pick ? (size_t)pick - 1 : 0), o, out, d);
    int rc = BL_OK;
    for (size_t k = 0; !rc && k < n; k++) {
        char head[64];
        snprintf(head, sizeof(head), "%s--- case %zu of %zu ---\n", k ? "\n" : "", k + 1, n);
        rc = bl_buf_adds(out, bl_str_c(head));
        if (!rc)
            rc = bl_mustache_render(t, json_array_get(data, k), o, out, d);
        if (rc && !d->code)
            bl_diag_set(d, rc, "out of memory");
        if (rc)
            bl_diag_set(d, d->code, "case %zu of %zu: %s", k + 1, n, d->msg);
    }
    return rc;
}

int bl_cmd_render(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"data", required_argument, NULL, 'd'},
        {"partials", required_argument, NULL, 'p'},
        {"strict", no_argument, NULL, 's'},
        {"no-escape", no_argument, NULL, 'e'},
        {"case", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *data_path = NULL;
    int64_t pick = 0; /* --case N: one case of a list of cases; 0: every case */
    struct partials parts = {0};
    struct bl_mustache_opts o = {0};
#ifdef __GLIBC__
    optind = 0; /* a full reset: getopt may have run before */
#else
    optind = 1;
#endif
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            data_path = optarg;
            break;
        case 'p':
            parts.dir = optarg;
            break;
        case 's':
            o.strict = true;
            break;
        case 'e':
            o.no_escape = true;
            break;
        case 'c':
            if (bl_cli_parse_int(cli, "render", "--case", optarg, 1, 1000000, &pick))
                return 2;
            break;
        case 'h':
            fputs(usage_text, cli->out);
            return 0;
        default:
            return bl_cli_bad_option(cli, "render", argv, longopts);
        }
    }
    if (optind >= argc)
        return bl_cli_usage(cli, "render", "TEMPLATE is missing\n%s", usage_text);
    const char *tpl_path = argv[optind];
    if (optind + 1 < argc)
        return bl_cli_usage(cli, "render", "unexpected argument '%s'", argv[optind + 1]);
    if (!data_path)
        return bl_cli_usage(cli, "render", "--data FILE is required: the JSON to render with");

    struct bl_diag d;
    bl_diag_clear(&d);
    json_error_t jerr;
    json_t *data = json_load_file(data_path, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    if (!data) {
        bl_diag_at(&d, data_path, jerr.line > 0 ? jerr.line : 0, NULL);
        if (json_error_code(&jerr) == json_error_cannot_open_file)
            bl_diag_set(&d, BL_EIO, "%s", jerr.text);
        else
            bl_diag_set(&d, BL_EPARSE, "invalid JSON: %s", jerr.text);
        return bl_cli_fail(cli, &d);
    }
    struct bl_buf text = BL_BUF_INIT, out = BL_BUF_INIT;
    struct bl_mustache *t = NULL;
    int rc = bl_cli_read_file(tpl_path, MAX_FILE, &text, &d);
    if (!rc)
        rc = bl_mustache_compile(&t, tpl_path, bl_buf_str(&text), &d);
    if (!rc) {
        o.partial = load_partial;
        o.partial_ctx = &parts;
        rc = render_cases(t, data, &o, pick, data_path, &out, &d);
    }
    int status = 0;
    if (rc) {
        status = bl_cli_fail(cli, &d);
    } else if (fwrite(bl_buf_cstr(&out), 1, out.len, cli->out) != out.len ||
               fflush(cli->out) != 0) {
        fprintf(cli->err, "ballast: render: cannot write the output: %s\n", strerror(errno));
        status = 1;
    }
    for (size_t i = 0; i < parts.n; i++)
        bl_buf_release(&parts.texts[i]);
    bl_free(parts.texts);
    bl_mustache_free(t);
    bl_buf_release(&text);
    bl_buf_release(&out);
    json_decref(data);
    return status;
}
