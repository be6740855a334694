/* cmd_render.c - `ballast render`: render a Mustache template against JSON data.
 *
 *   ballast render TEMPLATE --data FILE [--partials DIR] [--strict] [--no-escape]
 *
 * Prints exactly the rendered text, nothing added. Partial NAME is read from
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
    "usage: ballast render TEMPLATE --data FILE [--partials DIR] [--strict] [--no-escape]\n"
    "  prints TEMPLATE (Mustache) rendered with the JSON in FILE; partial NAME is\n"
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

int bl_cmd_render(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"data", required_argument, NULL, 'd'}, {"partials", required_argument, NULL, 'p'},
        {"strict", no_argument, NULL, 's'},     {"no-escape", no_argument, NULL, 'e'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    const char *data_path = NULL;
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
        rc = bl_mustache_render(t, data, &o, &out, &d);
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
