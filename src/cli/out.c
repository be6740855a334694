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
    o->limit = bl_cli_row_limit(cli);
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

/* A table cell: text with what a terminal would obey spelt out (line breaks kept: such a
 * row is printed as a block). */
static int val_text(struct bl_buf *b, const struct bl_val *v)
{
    switch (v->kind) {
    case BL_VAL_INT:
        return bl_buf_add_i64(b, v->i);
    case BL_VAL_TEXT:
    case BL_VAL_NUM:
        return bl_buf_add_shown(b, v->s, BL_SHOWN_KEEP_NL);
    default:
        return BL_OK;
    }
}

int bl_out_text(FILE *f, struct bl_str s, unsigned keep)
{
    struct bl_buf b = BL_BUF_INIT;
    int rc = bl_buf_add_shown(&b, s, keep);
    if (!rc && b.len && fwrite(b.ptr, 1, b.len, f) != b.len)
        rc = BL_EIO;
    bl_buf_release(&b);
    return rc;
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

/* A CSV cell: "=1+1" as "'=1+1", for spreadsheets; on a terminal (shown, not kept) with
 * its control characters spelt out like a table's. */
static int csv_cell(struct bl_out *o, struct bl_str s)
{
    if (!o->cli->out_tty)
        return bl_csv_add_cell(&o->line, s);
    struct bl_buf shown = BL_BUF_INIT;
    int rc = bl_buf_add_shown(&shown, s, BL_SHOWN_KEEP_NL | BL_SHOWN_KEEP_TAB);
    if (!rc)
        rc = bl_csv_add_cell(&o->line, bl_buf_str(&shown));
    bl_buf_release(&shown);
    return rc;
}

int bl_out_row(struct bl_out *o, const struct bl_val *vals)
{
    struct bl_cli *cli = o->cli;
    int rc = BL_OK;
    if (o->skipped < cli->offset) { /* the window: --offset, then the row limit */
        o->skipped++;
        return BL_OK;
    }
    if (o->limit >= 0 && (int64_t)o->nrows >= o->limit) {
        o->more++;
        return BL_OK;
    }
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
                rc = csv_cell(o, v->s);
        }
        if (!rc)
            rc = bl_buf_addc(line, '\n');
        if (!rc && fwrite(line->ptr, 1, line->len, cli->out) != line->len)
            rc = BL_EIO;
    } else if (cli->format == BL_FMT_JSON) {
        json_t *obj = bl_out_json_object(o->cols, o->ncols, vals);
        if (!obj)
            return BL_ENOMEM;
        char *s =
            rc ? NULL
               : json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
        if (s)
            fprintf(cli->out, "%s\n%s", o->nrows ? "," : "", s);
        else
            rc = BL_ENOMEM;
        free(s);
        json_decref(obj);
    } else {
        if (bl_grow((void **)&o->offs, &o->offs_cap, (o->nrows + 1) * o->ncols, sizeof(*o->offs)))
            return BL_ENOMEM;
        for (size_t i = 0; !rc && i < o->ncols; i++) {
            o->offs[o->nrows * o->ncols + i] = o->cells.len;
            rc = val_text(&o->cells, &vals[i]);
            if (!rc)
                rc = bl_buf_addc(&o->cells, '\0');
            if (vals[i].kind == BL_VAL_TEXT && o->right)
                o->right[i] = 0;
            if (vals[i].kind == BL_VAL_TEXT && memchr(vals[i].s.ptr, '\n', vals[i].s.len))
                o->multiline = true;
        }
    }
    if (!rc)
        o->nrows++;
    return rc;
}

/* The display width of the UTF-8 code point at p (n bytes): East Asian wide ones count
 * twice. */
static size_t cp_width(const unsigned char *p, size_t n)
{
    if (n != 3)
        return 1;
    uint32_t cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    return cp >= 0x2E80 && cp <= 0xFFDC ? 2 : 1;
}

static size_t cp_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

size_t bl_out_width(const char *s)
{
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = cp_len(*p), k = 0;
        while (k < n && p[k])
            k++;
        w += cp_width(p, k);
        p += k;
    }
    return w;
}

/* Writes s in at most max columns: cut with an ellipsis when longer. Its width. */
static size_t put_fit(FILE *f, const char *s, size_t max)
{
    size_t w = bl_out_width(s);
    if (w <= max) {
        fputs(s, f);
        return w;
    }
    const unsigned char *p = (const unsigned char *)s;
    size_t used = 0;
    while (*p) {
        size_t n = cp_len(*p), k = 0;
        while (k < n && p[k])
            k++;
        size_t cw = cp_width(p, k);
        if (used + cw + 1 > max)
            break;
        fwrite(p, 1, k, f);
        used += cw;
        p += k;
    }
    fputs("\xE2\x80\xA6", f); /* U+2026 HORIZONTAL ELLIPSIS */
    return used + 1;
}

static const char *cell(const struct bl_out *o, size_t r, size_t i)
{
    return o->cells.ptr + o->offs[r * o->ncols + i];
}

/* Fits the column widths w into the terminal's width: the widest text column is narrowed
 * first, never below its header nor below CUT_MIN (short values - ids, times, codes - are
 * never cut), numbers never. False when it cannot fit: print blocks instead. */
#define CUT_MIN 20
static bool fit(const struct bl_out *o, size_t *w)
{
    size_t cols = (size_t)o->cli->columns;
    if (!o->cli->out_tty || !cols)
        return true;
    size_t total = 0;
    for (size_t i = 0; i < o->ncols; i++)
        total += w[i] + (i ? 2 : 0);
    while (total > cols) {
        size_t best = o->ncols;
        for (size_t i = 0; i < o->ncols; i++) {
            size_t floor = bl_out_width(o->cols[i]) > CUT_MIN ? bl_out_width(o->cols[i]) : CUT_MIN;
            bool can = !(o->right && o->right[i]) && w[i] > floor;
            if (can && (best == o->ncols || w[i] > w[best]))
                best = i;
        }
        if (best == o->ncols)
            return false;
        w[best]--;
        total--;
    }
    return true;
}

/* Writes one line of a block's value in avail columns (0: as it is), wrapped at spaces
 * onto lines indented by indent; a word longer than a line is cut with an ellipsis. */
static void put_wrapped(FILE *f, const char *s, size_t len, size_t avail, size_t indent)
{
    char buf[4096];
    snprintf(buf, sizeof(buf), "%.*s", (int)len, s);
    if (!avail || bl_out_width(buf) <= avail) {
        fputs(buf, f);
        return;
    }
    size_t col = 0;
    for (char *p = buf; *p;) {
        char *sp = strchr(p, ' ');
        if (sp)
            *sp = '\0';
        size_t w = bl_out_width(p);
        if (col && col + 1 + w > avail) {
            fprintf(f, "\n%*s", (int)indent, "");
            col = 0;
        } else if (col) {
            fputc(' ', f);
            col++;
        }
        col += put_fit(f, p, avail);
        if (!sp)
            break;
        p = sp + 1;
    }
}

/* One block per row: "column: value", the lines of a multi-line value aligned, and on a
 * terminal wrapped to its width. */
static void print_blocks(const struct bl_out *o)
{
    FILE *f = o->cli->out;
    size_t nw = 0;
    for (size_t i = 0; i < o->ncols; i++)
        if (bl_out_width(o->cols[i]) > nw)
            nw = bl_out_width(o->cols[i]);
    size_t cols = o->cli->out_tty && o->cli->columns ? (size_t)o->cli->columns : 0;
    size_t avail = cols > nw + 12 ? cols - nw - 2 : 0;
    for (size_t r = 0; r < o->nrows; r++) {
        if (r)
            fputc('\n', f);
        for (size_t i = 0; i < o->ncols; i++) {
            fprintf(f, "%s:%*s", o->cols[i], (int)(nw - bl_out_width(o->cols[i]) + 1), "");
            char flow[4096]; /* on a terminal, paragraphs are reflowed to its width */
            const char *s = cell(o, r, i);
            size_t len = strlen(s);
            while (len && s[len - 1] == '\n') /* no trailing blank lines */
                len--;
            if (avail && len < sizeof(flow)) {
                for (size_t k = 0; k < len; k++)
                    flow[k] = s[k] == '\n' && (k == 0 || s[k - 1] != '\n') && s[k + 1] != '\n'
                                  ? ' '
                                  : s[k];
                s = flow;
            }
            for (size_t at = 0;;) {
                const char *nl = memchr(s + at, '\n', len - at);
                size_t n = nl ? (size_t)(nl - (s + at)) : len - at;
                put_wrapped(f, s + at, n, avail, nw + 2);
                fputc('\n', f);
                if (!nl)
                    break;
                at += n + 1;
                fprintf(f, "%*s", (int)(nw + 2), "");
            }
        }
    }
}

static void print_table(const struct bl_out *o, const size_t *w)
{
    FILE *f = o->cli->out;
    for (size_t r = 0; r <= o->nrows; r++) {
        for (size_t i = 0; i < o->ncols; i++) {
            const char *s = r == 0 ? o->cols[i] : cell(o, r - 1, i);
            bool right = r > 0 && o->right && o->right[i];
            size_t sw = bl_out_width(s) < w[i] ? bl_out_width(s) : w[i];
            if (right)
                fprintf(f, "%*s", (int)(w[i] - sw), "");
            sw = put_fit(f, s, w[i]);
            if (i + 1 < o->ncols)
                fprintf(f, "%*s", (int)(right ? 2 : w[i] - sw + 2), "");
        }
        fputc('\n', f);
    }
}

/* What the window left out, on stderr: the rows after it, and how to see them. */
static void say_more(const struct bl_out *o)
{
    struct bl_cli *cli = o->cli;
    fflush(cli->out);
    if (o->more > 0) {
        int64_t next = cli->offset + (int64_t)o->nrows;
        fprintf(cli->err, "... %s%lld more (use --offset %lld, or --limit 0 for all)\n",
                o->capped ? "at least " : "", (long long)o->more, (long long)next);
    } else if (o->skipped && !o->nrows) {
        fprintf(cli->err, "... nothing from --offset %lld: the list has %lld row%s\n",
                (long long)cli->offset, (long long)o->skipped, o->skipped == 1 ? "" : "s");
    }
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
            w[i] = bl_out_width(o->cols[i]);
        for (size_t r = 0; r < o->nrows; r++)
            for (size_t i = 0; i < o->ncols; i++) {
                size_t cw = bl_out_width(cell(o, r, i));
                if (cw > w[i])
                    w[i] = cw;
            }
        if (o->multiline || !fit(o, w))
            print_blocks(o);
        else
            print_table(o, w);
        bl_free(w);
    }
    say_more(o);
done:
    bl_buf_release(&o->cells);
    bl_free(o->offs);
    bl_free(o->right);
    bl_buf_release(&o->line);
    return rc;
}
