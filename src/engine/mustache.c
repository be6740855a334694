/* mustache.c - Mustache templates: compiler and renderer.
 *
 * See include/ballast/mustache.h for the contract and docs/internals/mustache.md for
 * the design. Pure: no I/O, no clock, no mutable state. A template compiles into a
 * flat array of nodes; a section node records the index just past its last child, so
 * rendering walks the array and recurses only into sections and partials (both
 * bounded, see the limits in the header).
 */
#include "ballast/mustache.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/alloc.h"

#define MAX_TEXT ((size_t)64 << 20)
#define MAX_DELIM 32
#define MAX_FRAMES 1024
#define SHOW 60 /* bytes of a tag shown in a message (buffers of SHOW + 4) */

enum kind { K_TEXT, K_VAR, K_RAW, K_SECTION, K_INVERTED, K_PARTIAL };

struct node {
    enum kind kind;
    int64_t line;         /* line of the tag (of the text's start for K_TEXT) */
    struct bl_str text;   /* K_TEXT: the text; otherwise the trimmed name */
    struct bl_str tag;    /* the tag as written, delimiters included (messages) */
    struct bl_str indent; /* K_PARTIAL: whitespace before a standalone partial tag */
    size_t end;           /* K_SECTION / K_INVERTED: index just past the section */
    /* K_SECTION: what one pass over the body costs at least (its own nodes, not those of
     * sections inside it): nodes visited and bytes of text written (summarise) */
    size_t body_nodes, body_text;
};

struct bl_mustache {
    char name[256];
    char *src; /* owned copy of the text; every bl_str in nodes points into it */
    size_t src_len;
    struct node *nodes;
    size_t n, cap;
};

static int fail_at(struct bl_diag *d, const char *file, int64_t line, int code, const char *fmt,
                   ...) BL_PRINTF(5, 6);

static int fail_at(struct bl_diag *d, const char *file, int64_t line, int code, const char *fmt,
                   ...)
{
    if (!d)
        return code;
    char msg[sizeof(d->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    bl_diag_clear(d);
    bl_diag_at(d, file, line, NULL);
    return bl_diag_set(d, code, "%s", msg);
}

/* ---- compiling ----------------------------------------------------------- */

struct parser {
    struct bl_mustache *t;
    const char *s;
    size_t n;
    size_t pos;      /* start of the text not yet emitted */
    size_t line_off; /* line counting: `line` is the line of offset line_off */
    int64_t line;
    size_t last_tag_end; /* end of the previous tag (0 before the first) */
    struct bl_str otag, ctag;
    size_t open[BL_MUSTACHE_MAX_NESTING]; /* node indices of the open sections */
    size_t depth;
    struct bl_diag *d;
};

static int64_t line_at(struct parser *p, size_t off)
{
    for (; p->line_off < off; p->line_off++)
        if (p->s[p->line_off] == '\n')
            p->line++;
    return p->line;
}

static const void *find(const char *hay, size_t hn, struct bl_str needle)
{
    if (needle.len == 0)
        return NULL;
    const char *p = hay, *end = hay + hn;
    while ((size_t)(end - p) >= needle.len) {
        p = memchr(p, needle.ptr[0], (size_t)(end - p) - needle.len + 1);
        if (!p)
            return NULL;
        if (memcmp(p, needle.ptr, needle.len) == 0)
            return p;
        p++;
    }
    return NULL;
}

static int add_node(struct parser *p, struct node nd)
{
    struct bl_mustache *t = p->t;
    void *items = t->nodes;
    int rc = bl_grow(&items, &t->cap, t->n + 1, sizeof(struct node));
    if (rc)
        return fail_at(p->d, t->name, 0, rc, "%s", bl_strerror(rc));
    t->nodes = items;
    t->nodes[t->n++] = nd;
    return BL_OK;
}

static int add_text(struct parser *p, size_t from, size_t to, int64_t line)
{
    if (to <= from)
        return BL_OK;
    struct node nd = {.kind = K_TEXT, .line = line};
    nd.text = (struct bl_str){p->s + from, to - from};
    return add_node(p, nd);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static struct bl_str trim_all(struct bl_str s)
{
    while (s.len && is_space(s.ptr[0])) {
        s.ptr++;
        s.len--;
    }
    while (s.len && is_space(s.ptr[s.len - 1]))
        s.len--;
    return s;
}

/* A name is "." or dot-separated non-empty parts without whitespace or braces. */
static bool name_ok(struct bl_str name)
{
    if (name.len == 0)
        return false;
    if (name.len == 1 && name.ptr[0] == '.')
        return true;
    if (name.ptr[0] == '.' || name.ptr[name.len - 1] == '.')
        return false;
    for (size_t i = 0; i < name.len; i++) {
        char c = name.ptr[i];
        if (is_space(c) || (c == '.' && name.ptr[i + 1] == '.'))
            return false;
    }
    return true;
}

/* Parses "OPEN CLOSE" of a set-delimiter tag into p->otag / p->ctag. */
static bool set_delims(struct parser *p, struct bl_str body)
{
    body = trim_all(body);
    size_t i = 0;
    while (i < body.len && !is_space(body.ptr[i]))
        i++;
    struct bl_str o = {body.ptr, i};
    struct bl_str c = trim_all((struct bl_str){body.ptr + i, body.len - i});
    if (o.len == 0 || c.len == 0 || o.len > MAX_DELIM || c.len > MAX_DELIM)
        return false;
    for (size_t k = 0; k < c.len; k++)
        if (is_space(c.ptr[k]) || c.ptr[k] == '=')
            return false;
    for (size_t k = 0; k < o.len; k++)
        if (o.ptr[k] == '=')
            return false;
    p->otag = o;
    p->ctag = c;
    return true;
}

static int parse(struct parser *p)
{
    struct bl_mustache *t = p->t;
    const char *s = p->s;
    char shown[SHOW + 4], shown2[SHOW + 4];
    int rc;
    while (p->pos < p->n) {
        const char *hit = find(s + p->pos, p->n - p->pos, p->otag);
        if (!hit)
            break;
        size_t start = (size_t)(hit - s);
        int64_t text_line = line_at(p, p->pos);
        size_t q = start + p->otag.len;
        char type = q < p->n ? s[q] : '\0';
        /* The closing sequence: "}" + ctag for {{{x}}}, "=" + ctag for {{=a b=}}. */
        char closebuf[MAX_DELIM + 1];
        struct bl_str close = p->ctag;
        if (type == '{' || type == '=') {
            closebuf[0] = type == '{' ? '}' : '=';
            memcpy(closebuf + 1, p->ctag.ptr, p->ctag.len);
            close = (struct bl_str){closebuf, p->ctag.len + 1};
        }
        size_t body_from = q;
        if (type == '#' || type == '^' || type == '/' || type == '!' || type == '>' ||
            type == '&' || type == '=' || type == '{')
            body_from++;
        const char *cl = body_from <= p->n ? find(s + body_from, p->n - body_from, close) : NULL;
        int64_t line = line_at(p, start);
        if (!cl) {
            size_t e = start;
            while (e < p->n && s[e] != '\n')
                e++;
            return fail_at(p->d, t->name, line, BL_EPARSE, "unclosed tag %s (expected %.*s)",
                           bl_str_show((struct bl_str){s + start, e - start}, SHOW, shown),
                           (int)close.len, close.ptr);
        }
        size_t body_to = (size_t)(cl - s);
        size_t end = body_to + close.len;
        struct bl_str tag = {s + start, end - start};
        struct bl_str name = trim_all((struct bl_str){s + body_from, body_to - body_from});

        enum kind kind = K_VAR;
        bool block = true; /* may stand alone on its line */
        switch (type) {
        case '#':
            kind = K_SECTION;
            break;
        case '^':
            kind = K_INVERTED;
            break;
        case '>':
            kind = K_PARTIAL;
            break;
        case '/':
        case '!':
        case '=':
            break;
        case '{':
        case '&':
            kind = K_RAW;
            block = false;
            break;
        default:
            block = false;
            break;
        }

        /* Standalone: only whitespace around the tag on its line, and no other tag. */
        size_t ls = start;
        while (ls > 0 && (s[ls - 1] == ' ' || s[ls - 1] == '\t'))
            ls--;
        size_t next = end;
        bool standalone = false;
        if (block && (ls == 0 || s[ls - 1] == '\n') && ls >= p->last_tag_end && ls >= p->pos) {
            size_t j = end;
            while (j < p->n && (s[j] == ' ' || s[j] == '\t'))
                j++;
            if (j == p->n) {
                standalone = true;
                next = j;
            } else if (s[j] == '\n') {
                standalone = true;
                next = j + 1;
            } else if (s[j] == '\r' && j + 1 < p->n && s[j + 1] == '\n') {
                standalone = true;
                next = j + 2;
            }
        }
        rc = add_text(p, p->pos, standalone ? ls : start, text_line);
        if (rc)
            return rc;
        p->last_tag_end = end;
        p->pos = standalone ? next : end;

        if (type == '!')
            continue;
        if (type == '=') {
            if (!set_delims(p, name))
                return fail_at(p->d, t->name, line, BL_EPARSE,
                               "bad delimiter tag %s (expected two delimiters without "
                               "spaces or '=', each at most %d bytes, as in {{=<%% %%>=}})",
                               bl_str_show(tag, SHOW, shown), MAX_DELIM);
            continue;
        }
        if (!name_ok(name))
            return fail_at(p->d, t->name, line, BL_EPARSE, "%s tag %s",
                           name.len ? "bad name in" : "empty", bl_str_show(tag, SHOW, shown));
        if (type == '/') {
            if (p->depth == 0)
                return fail_at(p->d, t->name, line, BL_EPARSE, "%s closes no open section",
                               bl_str_show(tag, SHOW, shown));
            struct node *op = &t->nodes[p->open[p->depth - 1]];
            if (!bl_str_eq(op->text, name))
                return fail_at(p->d, t->name, line, BL_EPARSE,
                               "%s does not close %s (opened on line %lld)",
                               bl_str_show(tag, SHOW, shown), bl_str_show(op->tag, SHOW, shown2),
                               (long long)op->line);
            op->end = t->n;
            p->depth--;
            continue;
        }
        struct node nd = {.kind = kind, .line = line, .text = name, .tag = tag};
        if (kind == K_PARTIAL && standalone)
            nd.indent = (struct bl_str){s + ls, start - ls};
        if (kind == K_SECTION || kind == K_INVERTED) {
            if (p->depth == BL_MUSTACHE_MAX_NESTING)
                return fail_at(p->d, t->name, line, BL_ETOOBIG,
                               "sections nested deeper than %d at %s", BL_MUSTACHE_MAX_NESTING,
                               bl_str_show(tag, SHOW, shown));
            p->open[p->depth++] = t->n;
        }
        rc = add_node(p, nd);
        if (rc)
            return rc;
    }
    rc = add_text(p, p->pos, p->n, line_at(p, p->pos));
    if (rc)
        return rc;
    if (p->depth) {
        const struct node *op = &t->nodes[p->open[p->depth - 1]];
        return fail_at(p->d, t->name, op->line, BL_EPARSE, "unclosed section %s",
                       bl_str_show(op->tag, SHOW, shown));
    }
    return BL_OK;
}

/* Fills body_nodes and body_text of every section: the work and output of one pass over
 * its body whatever the data, so that a loop over a long list is refused before it
 * starts (render_list). */
static void summarise(struct bl_mustache *t)
{
    for (size_t i = 0; i < t->n; i++) {
        struct node *nd = &t->nodes[i];
        if (nd->kind != K_SECTION)
            continue;
        for (size_t j = i + 1; j < nd->end;) {
            const struct node *c = &t->nodes[j];
            nd->body_nodes++;
            if (c->kind == K_TEXT)
                nd->body_text += c->text.len;
            j = c->kind == K_SECTION || c->kind == K_INVERTED ? c->end : j + 1;
        }
    }
}

int bl_mustache_compile(struct bl_mustache **out, const char *name, struct bl_str text,
                        struct bl_diag *d)
{
    *out = NULL;
    if (!name)
        name = "template";
    if (text.len > MAX_TEXT)
        return fail_at(d, name, 0, BL_ETOOBIG, "template is %zu bytes, more than %zu", text.len,
                       MAX_TEXT);
    struct bl_mustache *t = bl_calloc(1, sizeof(*t));
    if (!t)
        return fail_at(d, name, 0, BL_ENOMEM, "out of memory");
    bl_str_copy(t->name, sizeof(t->name), bl_str_c(name));
    t->src = bl_malloc(text.len + 1);
    if (!t->src) {
        bl_free(t);
        return fail_at(d, name, 0, BL_ENOMEM, "out of memory");
    }
    if (text.len)
        memcpy(t->src, text.ptr, text.len);
    t->src[text.len] = '\0';
    t->src_len = text.len;

    struct parser p = {.t = t, .s = t->src, .n = text.len, .line = 1, .d = d};
    p.otag = BL_STR("{{");
    p.ctag = BL_STR("}}");
    int rc = parse(&p);
    if (rc) {
        bl_mustache_free(t);
        return rc;
    }
    summarise(t);
    *out = t;
    return BL_OK;
}

void bl_mustache_free(struct bl_mustache *t)
{
    if (!t)
        return;
    bl_free(t->nodes);
    bl_free(t->src);
    bl_free(t);
}

const char *bl_mustache_name(const struct bl_mustache *t)
{
    return t->name;
}

/* ---- rendering ----------------------------------------------------------- */

#define BUF_DEFAULT_MAX ((size_t)1 << 30) /* a struct bl_buf's max when it is 0 (str.h) */

struct partial {
    char *key; /* name, NUL, indentation */
    size_t name_len, indent_len;
    struct bl_mustache *t; /* NULL: no such partial */
};

struct render {
    const struct bl_mustache_opts *o;
    struct bl_buf *out;
    struct bl_diag *d;
    const json_t **stack; /* context stack, root first */
    size_t sn, scap;
    struct partial *parts; /* partials compiled so far, per name and indentation */
    size_t pn, pcap;
    unsigned long steps, max_steps;
    size_t base, max_output; /* out->len when the render began; bytes it may add */
    unsigned frames;
};

static int out_err(struct render *r, const struct bl_mustache *t, const struct node *nd, int rc)
{
    if (rc == BL_ETOOBIG)
        return fail_at(r->d, t->name, nd->line, rc,
                       "the output would be larger than %zu bytes (the limit of a render)",
                       r->out->max - r->base);
    return fail_at(r->d, t->name, nd->line, rc, "%s", bl_strerror(rc));
}

static int push(struct render *r, const json_t *v)
{
    void *items = r->stack;
    int rc = bl_grow(&items, &r->scap, r->sn + 1, sizeof(*r->stack));
    if (rc)
        return rc;
    r->stack = items;
    r->stack[r->sn++] = v;
    return BL_OK;
}

/* Resolves a name against the context stack: "." is the top; otherwise the first
 * part is looked up from the top down and the other parts only inside what it found.
 * NULL when the name resolves to nothing. */
static const json_t *lookup(const struct render *r, struct bl_str name)
{
    if (name.len == 1 && name.ptr[0] == '.')
        return r->sn ? r->stack[r->sn - 1] : NULL;
    const char *dot = memchr(name.ptr, '.', name.len);
    size_t first = dot ? (size_t)(dot - name.ptr) : name.len;
    const json_t *v = NULL;
    for (size_t k = r->sn; k-- > 0;) {
        if (json_is_object(r->stack[k])) {
            v = json_object_getn(r->stack[k], name.ptr, first);
            if (v)
                break;
        }
    }
    size_t i = first;
    while (v && i < name.len) {
        i++; /* the dot */
        const char *nd = memchr(name.ptr + i, '.', name.len - i);
        size_t e = nd ? (size_t)(nd - name.ptr) : name.len;
        v = json_is_object(v) ? json_object_getn(v, name.ptr + i, e - i) : NULL;
        i = e;
    }
    return v;
}

static bool truthy(const json_t *v)
{
    if (!v || json_is_null(v) || json_is_false(v))
        return false;
    if (json_is_array(v))
        return json_array_size(v) > 0;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    return true;
}

static int add_escaped(struct bl_buf *b, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *rep;
        switch (s[i]) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            continue;
        }
        int rc = bl_buf_add(b, s + run, i - run);
        if (!rc)
            rc = bl_buf_adds(b, bl_str_c(rep));
        if (rc)
            return rc;
        run = i + 1;
    }
    return bl_buf_add(b, s + run, n - run);
}

/* Shortest "%.*g" text that reads back as the same double. */
static int format_real(double x, char *out, size_t cap)
{
    int n = 0;
    for (int prec = 1; prec <= 17; prec++) {
        n = snprintf(out, cap, "%.*g", prec, x);
        if (n > 0 && (size_t)n < cap && strtod(out, NULL) == x)
            break;
    }
    return n;
}

static int interpolate(struct render *r, const struct bl_mustache *t, const struct node *nd)
{
    char shown[SHOW + 4];
    const json_t *v = lookup(r, nd->text);
    if (!v) {
        if (r->o->strict)
            return fail_at(r->d, t->name, nd->line, BL_ENOTFOUND, "missing variable %s",
                           bl_str_show(nd->tag, SHOW, shown));
        return BL_OK;
    }
    char num[48];
    const char *p = NULL;
    size_t n = 0;
    switch (json_typeof(v)) {
    case JSON_STRING:
        p = json_string_value(v);
        n = json_string_length(v);
        break;
    case JSON_INTEGER: {
        int k = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        p = num;
        n = k > 0 ? (size_t)k : 0;
        break;
    }
    case JSON_REAL: {
        int k = format_real(json_real_value(v), num, sizeof(num));
        p = num;
        n = k > 0 ? (size_t)k : 0;
        break;
    }
    case JSON_TRUE:
        p = "true";
        n = 4;
        break;
    case JSON_FALSE:
        p = "false";
        n = 5;
        break;
    case JSON_NULL:
        return BL_OK;
    case JSON_OBJECT:
    case JSON_ARRAY:
    default:
        if (r->o->strict)
            return fail_at(r->d, t->name, nd->line, BL_EINVAL, "%s is %s, not a value to print",
                           bl_str_show(nd->tag, SHOW, shown),
                           json_is_object(v) ? "an object" : "a list");
        return BL_OK;
    }
    int rc =
        nd->kind == K_RAW || r->o->no_escape ? bl_buf_add(r->out, p, n) : add_escaped(r->out, p, n);
    return rc ? out_err(r, t, nd, rc) : BL_OK;
}

static int render_range(struct render *r, const struct bl_mustache *t, size_t from, size_t to,
                        unsigned pdepth);

/* Finds or compiles the partial for nd (indentation applied to its every line). */
static int get_partial(struct render *r, const struct bl_mustache *t, const struct node *nd,
                       const struct bl_mustache **out)
{
    char shown[SHOW + 4];
    *out = NULL;
    for (size_t i = 0; i < r->pn; i++) {
        const struct partial *pp = &r->parts[i];
        if (pp->name_len == nd->text.len && pp->indent_len == nd->indent.len &&
            memcmp(pp->key, nd->text.ptr, nd->text.len) == 0 &&
            (nd->indent.len == 0 ||
             memcmp(pp->key + pp->name_len + 1, nd->indent.ptr, nd->indent.len) == 0)) {
            *out = pp->t;
            goto found;
        }
    }
    struct bl_mustache_src src = {{"", 0}, NULL};
    int rc = r->o->partial ? r->o->partial(r->o->partial_ctx, nd->text, &src, r->d) : BL_ENOTFOUND;
    if (rc && rc != BL_ENOTFOUND) {
        if (r->d && !r->d->file[0])
            bl_diag_at(r->d, t->name, nd->line, NULL);
        return rc;
    }
    struct bl_mustache *pt = NULL;
    if (rc == BL_OK) {
        char pname[256];
        if (src.file)
            bl_str_copy(pname, sizeof(pname), bl_str_c(src.file));
        else
            bl_str_copy(pname, sizeof(pname), nd->text);
        struct bl_buf text = BL_BUF_INIT;
        struct bl_str body = src.text;
        if (nd->indent.len) {
            for (size_t i = 0; i < src.text.len && !rc; i++) {
                if (i == 0 || src.text.ptr[i - 1] == '\n')
                    rc = bl_buf_adds(&text, nd->indent);
                if (!rc)
                    rc = bl_buf_addc(&text, src.text.ptr[i]);
            }
            if (rc) {
                bl_buf_release(&text);
                return out_err(r, t, nd, rc);
            }
            body = bl_buf_str(&text);
        }
        rc = bl_mustache_compile(&pt, pname, body, r->d);
        bl_buf_release(&text);
        if (rc)
            return rc;
    }
    void *items = r->parts;
    char *key = bl_malloc(nd->text.len + nd->indent.len + 2);
    rc = key ? bl_grow(&items, &r->pcap, r->pn + 1, sizeof(*r->parts)) : BL_ENOMEM;
    if (rc) {
        bl_free(key);
        bl_mustache_free(pt);
        return out_err(r, t, nd, rc);
    }
    r->parts = items;
    memcpy(key, nd->text.ptr, nd->text.len);
    key[nd->text.len] = '\0';
    if (nd->indent.len)
        memcpy(key + nd->text.len + 1, nd->indent.ptr, nd->indent.len);
    key[nd->text.len + 1 + nd->indent.len] = '\0';
    r->parts[r->pn++] = (struct partial){key, nd->text.len, nd->indent.len, pt};
    *out = pt;
found:
    if (!*out && r->o->strict)
        return fail_at(r->d, t->name, nd->line, BL_ENOTFOUND, "missing partial %s",
                       bl_str_show(nd->tag, SHOW, shown));
    return BL_OK;
}

/* Renders section nodes[i] once per item of the list v. A list whose length times what one
 * pass costs at least (summarise) is past the work or output limit is refused before the
 * first pass: a long list under a long body fails at once, not after a gigabyte. */
static int render_list(struct render *r, const struct bl_mustache *t, size_t i, const json_t *v,
                       unsigned pdepth)
{
    char shown[SHOW + 4];
    const struct node *nd = &t->nodes[i];
    size_t n = json_array_size(v), work, text;
    if (__builtin_mul_overflow(n, nd->body_nodes, &work) || work > r->max_steps - r->steps)
        return fail_at(r->d, t->name, nd->line, BL_ETOOBIG,
                       "section %s repeats %zu times over %zu tags and text pieces: more work "
                       "than the limit of %lu steps per render (a loop over too much data?)",
                       bl_str_show(nd->tag, SHOW, shown), n, nd->body_nodes, r->max_steps);
    if (__builtin_mul_overflow(n, nd->body_text, &text) ||
        text > r->out->max - r->out->len)
        return fail_at(r->d, t->name, nd->line, BL_ETOOBIG,
                       "section %s repeats %zu times over %zu bytes of text: the output would "
                       "be larger than %zu bytes (the limit of a render)",
                       bl_str_show(nd->tag, SHOW, shown), n, nd->body_text,
                       r->out->max - r->base);
    int rc = BL_OK;
    for (size_t k = 0; k < n && !rc; k++) {
        rc = push(r, json_array_get(v, k));
        if (rc)
            return out_err(r, t, nd, rc);
        rc = render_range(r, t, i + 1, nd->end, pdepth);
        r->sn--;
    }
    return rc;
}

static int render_range(struct render *r, const struct bl_mustache *t, size_t from, size_t to,
                        unsigned pdepth)
{
    char shown[SHOW + 4];
    int rc = BL_OK;
    if (from >= to)
        return BL_OK;
    if (++r->frames > MAX_FRAMES) {
        const struct node *nd = &t->nodes[from > 0 ? from - 1 : from];
        return fail_at(r->d, t->name, nd->line, BL_ETOOBIG,
                       "sections and partials nested deeper than %d at %s", MAX_FRAMES,
                       bl_str_show(nd->tag, SHOW, shown));
    }
    for (size_t i = from; i < to && !rc;) {
        const struct node *nd = &t->nodes[i];
        if (++r->steps > r->max_steps)
            return fail_at(r->d, t->name, nd->line, BL_ETOOBIG,
                           "rendering takes more than %lu steps (a loop over too much data?)",
                           r->max_steps);
        switch (nd->kind) {
        case K_TEXT:
            rc = bl_buf_adds(r->out, nd->text);
            if (rc)
                rc = out_err(r, t, nd, rc);
            i++;
            break;
        case K_VAR:
        case K_RAW:
            rc = interpolate(r, t, nd);
            i++;
            break;
        case K_SECTION:
        case K_INVERTED: {
            const json_t *v = lookup(r, nd->text);
            if (!v && r->o->strict)
                return fail_at(r->d, t->name, nd->line, BL_ENOTFOUND,
                               "missing variable in section %s", bl_str_show(nd->tag, SHOW, shown));
            if (nd->kind == K_INVERTED) {
                if (!truthy(v))
                    rc = render_range(r, t, i + 1, nd->end, pdepth);
            } else if (json_is_array(v)) {
                rc = render_list(r, t, i, v, pdepth);
            } else if (truthy(v)) {
                rc = push(r, v);
                if (rc)
                    return out_err(r, t, nd, rc);
                rc = render_range(r, t, i + 1, nd->end, pdepth);
                r->sn--;
            }
            i = nd->end;
            break;
        }
        case K_PARTIAL: {
            if (pdepth >= BL_MUSTACHE_MAX_PARTIAL_DEPTH)
                return fail_at(r->d, t->name, nd->line, BL_ETOOBIG,
                               "partials nested deeper than %d at %s",
                               BL_MUSTACHE_MAX_PARTIAL_DEPTH, bl_str_show(nd->tag, SHOW, shown));
            const struct bl_mustache *pt;
            rc = get_partial(r, t, nd, &pt);
            if (!rc && pt)
                rc = render_range(r, pt, 0, pt->n, pdepth + 1);
            i++;
            break;
        }
        }
    }
    r->frames--;
    return rc;
}

int bl_mustache_render(const struct bl_mustache *t, const json_t *data,
                       const struct bl_mustache_opts *opts, struct bl_buf *out, struct bl_diag *d)
{
    static const struct bl_mustache_opts lenient = {0};
    struct render r = {.o = opts ? opts : &lenient, .out = out, .d = d};
    r.max_steps = r.o->max_steps ? r.o->max_steps : BL_MUSTACHE_DEFAULT_STEPS;
    /* The output limit rides on out->max for the render (every add checks it) and the
     * caller's own maximum is put back at the end. */
    size_t caller_max = out->max, limit;
    size_t buf_max = caller_max ? caller_max : BUF_DEFAULT_MAX;
    r.base = out->len;
    r.max_output = r.o->max_output ? r.o->max_output : BL_MUSTACHE_DEFAULT_OUTPUT;
    if (__builtin_add_overflow(r.base, r.max_output, &limit) || limit > buf_max)
        limit = buf_max;
    out->max = limit;
    int rc = data ? push(&r, data) : BL_OK;
    if (rc)
        rc = fail_at(d, t->name, 0, rc, "%s", bl_strerror(rc));
    if (!rc && t->n)
        rc = render_range(&r, t, 0, t->n, 0);
    for (size_t i = 0; i < r.pn; i++) {
        bl_free(r.parts[i].key);
        bl_mustache_free(r.parts[i].t);
    }
    bl_free(r.parts);
    bl_free(r.stack);
    out->max = caller_max;
    return rc;
}
