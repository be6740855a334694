/* out.c - table, CSV and JSON output. */
#include "cli/out.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/alloc.h"
#include "ballast/csv.h"

void bl_out_begin(struct bl_out *o, struct bl_cli *cli, const char *const *cols, size_t ncols)
{
    memset(o, 0, sizeof(*o));
    o->cli = cli;
    o->cols = cols;
    o->ncols = ncols;
    bl_buf_init(&o->cells, 0);
    o->right = bl_calloc(ncols, 1);
    if (o->right)
        memset(o->right, 1, ncols);
    if (cli->format == BL_FMT_CSV) {
        struct bl_buf line = BL_BUF_INIT;
        for (size_t i = 0; i < ncols; i++) {
            if ((i && bl_buf_addc(&line, ',')) || bl_csv_add_field(&line, bl_str_c(cols[i])))
                break;
        }
        fprintf(cli->out, "%s\n", bl_buf_cstr(&line));
        bl_buf_release(&line);
    } else if (cli->format == BL_FMT_JSON) {
        fputs("[", cli->out);
    }
}

static int val_text(struct bl_buf *b, const struct bl_val *v)
{
    switch (v->kind) {
    case BL_VAL_INT:
        return bl_buf_add_i64(b, v->i);
    case BL_VAL_TEXT:
    case BL_VAL_NUM:
        return bl_buf_adds(b, v->s);
    default:
        return BL_OK;
    }
}

json_t *bl_out_json_object(const char *const *cols, size_t ncols, const struct bl_val *vals)
{
    json_t *obj = json_object();
    if (!obj)
        return NULL;
    for (size_t i = 0; i < ncols; i++) {
        const struct bl_val *v = &vals[i];
        json_t *j;
        if (v->kind == BL_VAL_NUM && v->s.len) {
            char num[64];
            bl_str_copy(num, sizeof(num), v->s);
            j = json_real(strtod(num, NULL));
        } else {
            j = v->kind == BL_VAL_INT    ? json_integer(v->i)
                : v->kind == BL_VAL_TEXT ? json_stringn(v->s.ptr, v->s.len)
                                         : json_null();
        }
        if (!j || json_object_set_new(obj, cols[i], j)) {
            json_decref(obj);
            return NULL;
        }
    }
    return obj;
}

int bl_out_row(struct bl_out *o, const struct bl_val *vals)
{
    struct bl_cli *cli = o->cli;
    int rc = BL_OK;
    if (cli->format == BL_FMT_CSV) {
        struct bl_buf *line = &o->line; /* digits never need quotes: added straight */
        bl_buf_reset(line);
        for (size_t i = 0; !rc && i < o->ncols; i++) {
            const struct bl_val *v = &vals[i];
            if (i)
                rc = bl_buf_addc(line, ',');
            if (rc)
                break;
            if (v->kind == BL_VAL_INT)
                rc = bl_buf_add_i64(line, v->i);
            else if (v->kind == BL_VAL_TEXT || v->kind == BL_VAL_NUM)
                rc = bl_csv_add_field(line, v->s);
        }
        if (!rc)
            rc = bl_buf_addc(line, '\n');
        if (!rc && fwrite(line->ptr, 1, line->len, cli->out) != line->len)
            rc = BL_EIO;
    } else if (cli->format == BL_FMT_JSON) {
        json_t *obj = bl_out_json_object(o->cols, o->ncols, vals);
        if (!obj)
            return BL_ENOMEM;
        char *s = rc ? NULL
                     : json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
        if (s)
            fprintf(cli->out, "%s\n%s", o->nrows ? "," : "", s);
        else
            rc = BL_ENOMEM;
        free(s);
        json_decref(obj);
    } else {
        if (bl_grow((void **)&o->offs, &o->offs_cap, (o->nrows + 1) * o->ncols,
                    sizeof(*o->offs)))
            return BL_ENOMEM;
        for (size_t i = 0; !rc && i < o->ncols; i++) {
            o->offs[o->nrows * o->ncols + i] = o->cells.len;
            rc = val_text(&o->cells, &vals[i]);
            if (!rc)
                rc = bl_buf_addc(&o->cells, '\0');
            if (vals[i].kind == BL_VAL_TEXT && o->right)
                o->right[i] = 0;
        }
    }
    if (!rc)
        o->nrows++;
    return rc;
}

/* Display width of UTF-8 text: code points, counting East Asian wide ones twice. */
static size_t width(const char *s)
{
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        uint32_t cp = c;
        if (n == 3)
            cp = ((c & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        w += (n == 3 && cp >= 0x2E80 && cp <= 0xFFDC) ? 2 : 1;
        for (size_t k = 0; k < n && *p; k++)
            p++;
    }
    return w;
}

int bl_out_end(struct bl_out *o)
{
    struct bl_cli *cli = o->cli;
    int rc = BL_OK;
    if (cli->format == BL_FMT_JSON) {
        fputs(o->nrows ? "\n]\n" : "]\n", cli->out);
    } else if (cli->format == BL_FMT_TABLE) {
        size_t *w = bl_calloc(o->ncols ? o->ncols : 1, sizeof(size_t));
        if (!w) {
            rc = BL_ENOMEM;
            goto done;
        }
        for (size_t i = 0; i < o->ncols; i++)
            w[i] = width(o->cols[i]);
        for (size_t r = 0; r < o->nrows; r++)
            for (size_t i = 0; i < o->ncols; i++) {
                size_t cw = width(o->cells.ptr + o->offs[r * o->ncols + i]);
                if (cw > w[i])
                    w[i] = cw;
            }
        for (size_t r = 0; r <= o->nrows; r++) {
            for (size_t i = 0; i < o->ncols; i++) {
                const char *s = r == 0 ? o->cols[i] : o->cells.ptr + o->offs[(r - 1) * o->ncols + i];
                size_t pad = w[i] - width(s);
                bool right = r > 0 && o->right && o->right[i];
                if (right)
                    fprintf(cli->out, "%*s", (int)pad, "");
                fputs(s, cli->out);
                if (i + 1 < o->ncols)
                    fprintf(cli->out, "%*s", (int)(right ? 2 : pad + 2), "");
            }
            fputc('\n', cli->out);
        }
        bl_free(w);
    }
done:
    bl_buf_release(&o->cells);
    bl_free(o->offs);
    bl_free(o->right);
    bl_buf_release(&o->line);
    return rc;
}
