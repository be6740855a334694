/* csv.c - streaming CSV reader on libcsv, plain or gzip input, with SHA-256.
 *
 * Layers, bottom up:
 *   raw bytes   read(2) in 256 KiB chunks, hashed as read (compressed bytes for gzip);
 *   text        the raw bytes themselves, or zlib's inflate of them when the input
 *               starts with the gzip magic 1f 8b;
 *   lines       one physical line at a time (memchr for '\n'), so the line number
 *               is always known; a line longer than the text buffer is fed in pieces;
 *   fields      a whole line that starts a record and has no quote and no CR but
 *               that of a final CRLF (nearly every line) is split at its separators
 *               here, the fields being views into the text buffer (split_line); any
 *   libcsv      other line goes to csv_parse(), whose field callback copies the field
 *               into the record buffer and whose row callback marks the record complete.
 * With quoting off (tab-separated flat files) libcsv is never used: every line is split
 * here, a line longer than the text buffer after being gathered in the record buffer.
 * See docs/internals/csv.md.
 */
#include "ballast/csv.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "ballast/alloc.h"
#include "ballast/jsonl.h"

#define IO_CHUNK (256u * 1024)  /* raw read size, text buffer size */
#define PIECE_MAX (256u * 1024) /* most bytes handed to csv_parse at once */
#define PARSER_BLK (64u * 1024) /* libcsv grows its field buffer by this much */
#define RECBUF_MIN 4096u

enum rstate { RS_OK, RS_EOF, RS_FAILED };

struct bl_csv {
    struct csv_parser parser;
    const char *name; /* for diagnostics, "" for an in-memory buffer */
    char *name_owned;

    /* raw input */
    int fd; /* -1 for an in-memory buffer or a source */
    const struct bl_csv_source *src; /* bl_csv_open_source: the caller's reader */
    bool close_fd;
    bool raw_eof;
    bool sniffed; /* gzip magic checked */
    uint64_t bytes_read, bytes_total;

    /* gzip */
    bool gz;
    bool zs_live;       /* inflateInit2 done */
    bool gz_member_end; /* last inflate call ended a gzip member */
    z_stream zs;
    unsigned char *raw;

    /* decoded text: text[tpos..tlen) not yet consumed */
    char *tbuf;       /* owned buffer (files); NULL for in-memory input */
    const char *text; /* tbuf, or the caller's buffer */
    size_t tcap, tpos, tlen;
    bool text_eof;
    bool bom_checked;

    /* hash of the raw bytes */
    EVP_MD_CTX *sha; /* OpenSSL's SHA-256 (SHA-NI where the CPU has it: ~8x libsodium's) */
    bool hashing;
    bool hash_done;
    char hex[65];

    /* the record being assembled: by the callbacks into rbuf, or by split_line as
     * views into the text itself (fbase then points at the line) */
    const char *fbase; /* off[] is relative to this: rbuf or the line */
    char *rbuf;
    size_t rlen, rcap;
    size_t nfields; /* fields seen, may exceed BL_CSV_MAX_FIELDS (then rec_err) */
    size_t off[BL_CSV_MAX_FIELDS];
    size_t flen[BL_CSV_MAX_FIELDS];
    bool row_done;
    int rec_err;      /* first problem with this record (record stays consumable) */
    size_t err_field; /* 1-based field of rec_err */
    unsigned err_byte;
    int cb_fatal; /* BL_ENOMEM / BL_ETOOBIG from a callback: reader cannot go on */

    /* positions */
    int64_t line;     /* physical line last fed, 1-based */
    bool line_start;  /* the next byte fed begins a new physical line */
    bool in_record;   /* a record has begun but not ended */
    int64_t rec_line; /* line where the current record began */
    int64_t index;    /* records returned (or rejected) so far */
    bool cr_mode;     /* parser uses cr_term and the CR-trimming space class (set_cr_mode) */

    /* dialect (bl_csv_set_sep, bl_csv_set_quoting), fixed before the first record */
    char sep;
    bool unquoted; /* quoting off: '"' is data, a line is a record */
    bool started; /* the first record was asked for */

    int state; /* RS_FAILED after a final error: nothing more is read */

    /* JSON Lines (bl_csv_set_jsonl): the columns, the header handed out, a line longer
     * than the text buffer gathered here */
    const char *const *jnames;
    size_t njnames;
    bool jheader_done;
    char *jline;
    size_t jlen, jcap;

    /* records read ahead (bl_csv_read_ahead), handed out before any other: in abuf, each
     * a struct ahead_rec, its fields' lengths (uint32_t) and their bytes; after them, the
     * error that stopped the reading, if one did */
    char *abuf;
    size_t alen, acap, apos;
    int aerr;
    struct bl_diag *adiag;
};

struct ahead_rec {
    int64_t line, index;
    uint64_t nfields;
};

/* ---------------------------------------------------------------- diagnostics */

static void put_diag(const struct bl_csv *c, struct bl_diag *d, int code, int64_t line,
                     const char *msg)
{
    if (!d)
        return;
    bl_diag_at(d, c->name, 0, "");
    d->line = line;
    bl_diag_set(d, code, "%s", msg);
}

/* Records an error; fatal ones stop the reader for good. Returns code. */
BL_PRINTF(6, 7)
static int fail(struct bl_csv *c, struct bl_diag *d, bool fatal, int code, int64_t line,
                const char *fmt, ...)
{
    char msg[sizeof(d->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (fatal)
        c->state = RS_FAILED;
    put_diag(c, d, code, line, msg);
    return code;
}

/* ---------------------------------------------------------------- raw input */

static void hash_finish(struct bl_csv *c)
{
    if (!c->hashing || c->hash_done)
        return;
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(c->sha, out, &n) != 1 || n != 32) {
        c->hashing = false; /* bl_csv_sha256 reports it */
        return;
    }
    sodium_bin2hex(c->hex, sizeof(c->hex), out, n);
    c->hash_done = true;
}

/* Reads up to cap raw bytes into dst, hashing them. *got = 0 means end of file. */
static int raw_read(struct bl_csv *c, void *dst, size_t cap, size_t *got, struct bl_diag *d)
{
    *got = 0;
    if (c->raw_eof)
        return BL_OK;
    ssize_t n;
    if (c->src) {
        char why[200] = "";
        n = c->src->read(c->src->ctx, dst, cap, why, sizeof(why));
        if (n < 0)
            return fail(c, d, true, (int)n, c->line, "%s", why[0] ? why : "cannot read");
    } else {
        do {
            n = read(c->fd, dst, cap);
        } while (n < 0 && errno == EINTR);
    }
    if (n < 0)
        return fail(c, d, true, BL_EIO, 0, "cannot read: %s", strerror(errno));
    if (n == 0) {
        c->raw_eof = true;
        hash_finish(c);
        return BL_OK;
    }
    if (EVP_DigestUpdate(c->sha, dst, (size_t)n) != 1)
        c->hashing = false;
    c->bytes_read += (uint64_t)n;
    *got = (size_t)n;
    return BL_OK;
}

static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
    (void)opaque;
    return bl_calloc(items, size);
}

static void z_free(voidpf opaque, voidpf p)
{
    (void)opaque;
    bl_free(p);
}

/* First read: decides between plain text and gzip by the magic bytes. */
static int sniff(struct bl_csv *c, struct bl_diag *d)
{
    c->sniffed = true;
    while (c->tlen < 2 && !c->raw_eof) {
        size_t got;
        int rc = raw_read(c, c->tbuf + c->tlen, c->tcap - c->tlen, &got, d);
        if (rc)
            return rc;
        c->tlen += got;
    }
    if (c->tlen < 2 || (unsigned char)c->tbuf[0] != 0x1f || (unsigned char)c->tbuf[1] != 0x8b)
        return BL_OK;
    c->raw = bl_malloc(IO_CHUNK);
    if (!c->raw)
        return fail(c, d, true, BL_ENOMEM, 0, "out of memory for the gzip buffer");
    memcpy(c->raw, c->tbuf, c->tlen);
    c->zs.zalloc = z_alloc;
    c->zs.zfree = z_free;
    c->zs.opaque = Z_NULL;
    c->zs.next_in = c->raw;
    c->zs.avail_in = (uInt)c->tlen;
    c->tlen = 0;
    c->gz = true;
    int zr = inflateInit2(&c->zs, 15 + 32); /* 32: accept the gzip header */
    if (zr != Z_OK)
        return fail(c, d, true, zr == Z_MEM_ERROR ? BL_ENOMEM : BL_EIO, 0,
                    "cannot start gzip decompression (zlib error %d)", zr);
    c->zs_live = true;
    return BL_OK;
}

/* Inflates into text[tlen..tcap) until at least one byte came out or the input ended. */
static int gz_fill(struct bl_csv *c, struct bl_diag *d)
{
    while (c->tlen < c->tcap) {
        if (c->zs.avail_in == 0 && !c->raw_eof) {
            size_t got;
            int rc = raw_read(c, c->raw, IO_CHUNK, &got, d);
            if (rc)
                return rc;
            c->zs.next_in = c->raw;
            c->zs.avail_in = (uInt)got;
        }
        if (c->zs.avail_in == 0 && c->raw_eof) {
            if (!c->gz_member_end)
                return fail(c, d, true, BL_EPARSE, 0,
                            "truncated gzip data: the file ends inside the compressed "
                            "stream (incomplete download?)");
            c->text_eof = true;
            return BL_OK;
        }
        if (c->gz_member_end) { /* another gzip member follows (concatenated .gz) */
            if (inflateReset(&c->zs) != Z_OK)
                return fail(c, d, true, BL_EIO, 0, "cannot restart gzip decompression");
            c->gz_member_end = false;
        }
        size_t room = c->tcap - c->tlen;
        c->zs.next_out = (Bytef *)c->tbuf + c->tlen;
        c->zs.avail_out = (uInt)room;
        int zr = inflate(&c->zs, Z_NO_FLUSH);
        size_t produced = room - c->zs.avail_out;
        c->tlen += produced;
        if (zr == Z_STREAM_END) {
            c->gz_member_end = true;
        } else if (zr == Z_MEM_ERROR) {
            return fail(c, d, true, BL_ENOMEM, 0, "out of memory in gzip decompression");
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            return fail(c, d, true, BL_EPARSE, 0, "corrupt gzip data after %llu bytes: %s",
                        (unsigned long long)c->bytes_read,
                        c->zs.msg ? c->zs.msg : "inflate failed");
        }
        if (produced)
            return BL_OK;
    }
    return BL_OK;
}

/* Makes more text available after text[tlen], moving the unconsumed rest to the front. */
static int fill(struct bl_csv *c, struct bl_diag *d)
{
    if (c->text_eof)
        return BL_OK;
    if (c->tpos) {
        memmove(c->tbuf, c->tbuf + c->tpos, c->tlen - c->tpos);
        c->tlen -= c->tpos;
        c->tpos = 0;
    }
    if (!c->sniffed) {
        int rc = sniff(c, d);
        if (rc)
            return rc;
        if (!c->gz) { /* sniff read the first plain bytes (or hit the end) */
            c->text_eof = c->raw_eof;
            return BL_OK;
        }
    }
    if (c->gz)
        return gz_fill(c, d);
    size_t got;
    int rc = raw_read(c, c->tbuf + c->tlen, c->tcap - c->tlen, &got, d);
    if (rc)
        return rc;
    c->tlen += got;
    c->text_eof = c->raw_eof;
    return BL_OK;
}

/* Next piece of text to feed: a whole physical line with its '\n' when it fits, else
 * at most PIECE_MAX bytes of it. Returns 1 with a piece, 0 at the end, or an error. */
static int next_piece(struct bl_csv *c, const char **out, size_t *n, struct bl_diag *d)
{
    for (;;) {
        size_t avail = c->tlen - c->tpos;
        const char *s = c->text + c->tpos;
        const char *nl = avail ? memchr(s, '\n', avail) : NULL;
        size_t take;
        if (nl) {
            take = (size_t)(nl - s) + 1;
        } else if (c->text_eof || avail == c->tcap) {
            if (!avail)
                return 0;
            take = avail; /* last line without '\n', or a line longer than the buffer */
        } else {
            int rc = fill(c, d);
            if (rc)
                return rc;
            continue;
        }
        if (take > PIECE_MAX)
            take = PIECE_MAX;
        c->tpos += take;
        *out = s;
        *n = take;
        return 1;
    }
}

/* Skips a UTF-8 byte order mark; refuses UTF-16 with a clear message. */
static int check_bom(struct bl_csv *c, struct bl_diag *d)
{
    c->bom_checked = true;
    while (c->tlen - c->tpos < 3 && !c->text_eof) {
        int rc = fill(c, d);
        if (rc)
            return rc;
    }
    const unsigned char *s = (const unsigned char *)c->text + c->tpos;
    size_t avail = c->tlen - c->tpos;
    if (avail >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf)
        c->tpos += 3;
    else if (avail >= 2 && ((s[0] == 0xff && s[1] == 0xfe) || (s[0] == 0xfe && s[1] == 0xff)))
        return fail(c, d, true, BL_EUTF8, 1,
                    "the file is UTF-16 (byte order mark 0x%02x 0x%02x); save it as UTF-8", s[0],
                    s[1]);
    return BL_OK;
}

/* ---------------------------------------------------------------- libcsv callbacks */

/* True when every byte is 0x01..0x7f (the common case: no UTF-8 or NUL check needed). */
static bool plain_ascii(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if ((w | ((w - ones) & ~w)) & highs)
            return false;
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] - 1u >= 0x7fu)
            return false;
    return true;
}

static void check_field(struct bl_csv *c, const char *s, size_t n)
{
    if (plain_ascii(s, n))
        return;
    const char *nul = memchr(s, '\0', n);
    size_t bad;
    if (nul) {
        c->rec_err = BL_EPARSE;
        c->err_byte = 0;
    } else if (!bl_utf8_valid(s, n, &bad)) {
        c->rec_err = BL_EUTF8;
        c->err_byte = (unsigned char)s[bad];
    } else {
        return;
    }
    c->err_field = c->nfields + 1;
}

/* Makes room for n more bytes in the record buffer; false with cb_fatal set when the
 * record would pass the limit or memory runs out. */
static bool rbuf_room(struct bl_csv *c, size_t n)
{
    size_t need;
    if (__builtin_add_overflow(c->rlen, n, &need) || need > BL_CSV_MAX_RECORD) {
        c->cb_fatal = BL_ETOOBIG;
        return false;
    }
    if (need > c->rcap || !c->rbuf) { /* allocated even for "": views never hold NULL */
        size_t ncap = c->rcap ? c->rcap : RECBUF_MIN;
        while (ncap < need)
            ncap *= 2;
        char *p = bl_realloc(c->rbuf, ncap);
        if (!p) {
            c->cb_fatal = BL_ENOMEM;
            return false;
        }
        c->rbuf = p;
        c->rcap = ncap;
    }
    return true;
}

static void on_field(void *field, size_t n, void *data)
{
    struct bl_csv *c = data;
    if (c->cb_fatal)
        return;
    if (c->nfields >= BL_CSV_MAX_FIELDS) {
        if (!c->rec_err) {
            c->rec_err = BL_ETOOBIG;
            c->err_field = c->nfields + 1;
        }
        c->nfields++;
        return;
    }
    if (!rbuf_room(c, n))
        return;
    size_t need = c->rlen + n;
    if (n)
        memcpy(c->rbuf + c->rlen, field, n);
    if (!c->rec_err)
        check_field(c, c->rbuf + c->rlen, n);
    c->off[c->nfields] = c->rlen;
    c->flen[c->nfields] = n;
    c->rlen = need;
    c->nfields++;
}

static void on_row(int term, void *data)
{
    (void)term;
    struct bl_csv *c = data;
    c->row_done = true;
}

/* Trimmed around an unquoted field: spaces, and tabs unless they separate fields (libcsv's
 * rule); CR only where it cannot be a line end (a final CRLF is cut before splitting). */
static bool trimmed(const struct bl_csv *c, char ch)
{
    return ch == ' ' || (ch == '\t' && c->sep != '\t') || ch == '\r';
}

/* Splits s[0..end) (one line without its line end) at the separator into views relative
 * to s, trimming each field. False when it has more fields than the limit: with quoting
 * on, libcsv then parses the line and reports it; with quoting off the record is
 * rejected here. */
static bool split_fields(struct bl_csv *c, const char *s, size_t end)
{
    bool ascii = plain_ascii(s, end);
    size_t nf = 0, pos = 0;
    for (;;) {
        const char *sep = memchr(s + pos, c->sep, end - pos);
        size_t stop = sep ? (size_t)(sep - s) : end;
        if (nf == BL_CSV_MAX_FIELDS) {
            if (c->unquoted) {
                c->rec_err = BL_ETOOBIG;
                c->err_field = nf + 1;
                c->nfields = nf;
                c->fbase = s;
                c->row_done = true;
                return true;
            }
            c->nfields = 0;
            c->rec_err = 0;
            return false;
        }
        size_t a = pos, b = stop;
        while (a < b && trimmed(c, s[a]))
            a++;
        while (b > a && trimmed(c, s[b - 1]))
            b--;
        c->off[nf] = a;
        c->flen[nf] = b - a;
        if (!ascii && !c->rec_err) {
            c->nfields = nf;
            check_field(c, s + a, b - a);
        }
        nf++;
        if (!sep)
            break;
        pos = stop + 1;
    }
    c->nfields = nf;
    c->fbase = s;
    c->row_done = true;
    return true;
}

/* The fast path: a whole physical line (ending in '\n') of a new record, with no quote
 * and no CR but that of a final CRLF, is split at its separators here instead of by
 * libcsv, and its fields are views into the text buffer (no copy). The rules are
 * libcsv's for such a line: the line end ends the record, spaces (and tabs, unless they
 * separate) around each field are trimmed. With quoting off any line is split here.
 * Returns true when the line was split. */
static bool split_line(struct bl_csv *c, const char *s, size_t n)
{
    size_t end = n - 1; /* drop '\n' */
    if (end && s[end - 1] == '\r')
        end--;
    if (!c->unquoted && (memchr(s, '"', end) || memchr(s, '\r', end)))
        return false;
    return split_fields(c, s, end);
}

/* libcsv's default character classes (no callback per byte, the fast path) end a record
 * at CR or LF and trim spaces and tabs around fields. That is right for LF and CRLF line
 * ends. A piece with any other CR is parsed with these instead, so that CR is never a
 * record end there: only LF ends a record, and CR is trimmed like a space at the edges
 * of unquoted fields (data inside them and inside quoted fields). */
static int cr_term(unsigned char ch)
{
    return ch == '\n';
}

static int cr_space(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

/* With tab as the separator a tab is never space (libcsv's default class has it). */
static int tab_space(unsigned char ch)
{
    return ch == ' ';
}

static int tab_cr_space(unsigned char ch)
{
    return ch == ' ' || ch == '\r';
}

/* True unless the piece's only CR (if any) is the CR of a final CRLF. */
static bool stray_cr(const char *s, size_t n)
{
    const char *cr = memchr(s, '\r', n);
    return cr && !(n >= 2 && cr == s + n - 2 && s[n - 1] == '\n');
}

static void set_cr_mode(struct bl_csv *c, bool on)
{
    if (c->cr_mode == on)
        return;
    c->cr_mode = on;
    csv_set_term_func(&c->parser, on ? cr_term : NULL);
    if (c->sep == '\t')
        csv_set_space_func(&c->parser, on ? tab_cr_space : tab_space);
    else
        csv_set_space_func(&c->parser, on ? cr_space : NULL);
}

/* ---------------------------------------------------------------- the reader */

static struct bl_csv *reader_new(void)
{
    struct bl_csv *c = bl_calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->fd = -1;
    c->name = "";
    c->line_start = true;
    c->sep = ',';
    csv_init(&c->parser, CSV_STRICT | CSV_STRICT_FINI);
    csv_set_realloc_func(&c->parser, bl_realloc);
    csv_set_free_func(&c->parser, bl_free);
    csv_set_blk_size(&c->parser, PARSER_BLK);
    return c;
}

static int broken_quote(struct bl_csv *c, struct bl_diag *d, const char *s, size_t n, size_t at)
{
    unsigned char ch = at < n ? (unsigned char)s[at] : 0;
    char where[96] = "";
    if (c->line != c->rec_line)
        snprintf(where, sizeof(where), " (the record starts on line %lld)", (long long)c->rec_line);
    if (ch == '"')
        return fail(c, d, true, BL_EPARSE, c->rec_line,
                    "broken quoting: a quote inside an unquoted field on line %lld%s; quote "
                    "the whole field and double the quote, as in \"5\"\" tall\"",
                    (long long)c->line, where);
    if (ch >= 0x20 && ch < 0x7f)
        return fail(c, d, true, BL_EPARSE, c->rec_line,
                    "broken quoting: '%c' after the closing quote of a field on line %lld%s; "
                    "expected a comma or the line end (a quote inside a quoted field must "
                    "be doubled)",
                    ch, (long long)c->line, where);
    return fail(c, d, true, BL_EPARSE, c->rec_line,
                "broken quoting: byte 0x%02x after the closing quote of a field on line "
                "%lld%s; expected a comma or the line end (a quote inside a quoted field "
                "must be doubled)",
                ch, (long long)c->line, where);
}

static int callback_failed(struct bl_csv *c, struct bl_diag *d)
{
    if (c->cb_fatal == BL_ENOMEM)
        return fail(c, d, true, BL_ENOMEM, c->rec_line, "out of memory reading a record");
    return fail(c, d, true, BL_ETOOBIG, c->rec_line, "record is larger than %u bytes%s",
                BL_CSV_MAX_RECORD,
                c->line > c->rec_line ? "; if a quote is never closed, the rest of the file "
                                        "becomes one field"
                                      : "");
}

/* Record-level problems: the record was consumed, the next call goes on. */
static int record_failed(struct bl_csv *c, struct bl_diag *d)
{
    switch (c->rec_err) {
    case BL_EUTF8:
        return fail(c, d, false, BL_EUTF8, c->rec_line,
                    "invalid UTF-8 in field %zu (byte 0x%02x); save the file as UTF-8",
                    c->err_field, c->err_byte);
    case BL_EPARSE:
        return fail(c, d, false, BL_EPARSE, c->rec_line,
                    "NUL byte in field %zu; a CSV file must be text (is it UTF-16 or "
                    "binary?)",
                    c->err_field);
    default:
        return fail(c, d, false, BL_ETOOBIG, c->rec_line,
                    "record has more than %d fields (the limit)", BL_CSV_MAX_FIELDS);
    }
}

/* Classic Mac OS (and Excel's "CSV (Macintosh)") ends lines with CR alone, which would
 * read as one long line and fail later as a confusing field count. Refused, saying so,
 * when the first text holds no LF at all but a CR outside quotes with more text after it
 * (a CR inside a quoted field is data; a lone final CR is a last line end). */
static int check_cr_only(struct bl_csv *c, struct bl_diag *d)
{
    const char *s = c->text + c->tpos;
    size_t n = c->tlen - c->tpos;
    if (memchr(s, '\n', n))
        return BL_OK;
    bool quoted = false;
    for (size_t i = 0; i + 1 < n; i++) {
        if (s[i] == '"' && !c->unquoted)
            quoted = !quoted;
        else if (s[i] == '\r' && !quoted)
            return fail(c, d, true, BL_EPARSE, 1,
                        "the lines end with CR alone (classic Mac OS line ends, as Excel's "
                        "\"CSV (Macintosh)\" writes them), which reads as one long line: "
                        "expected LF or CRLF line ends; save the file as \"CSV UTF-8\" or "
                        "convert it with: tr '\\r' '\\n' < FILE > NEW.csv");
    }
    return BL_OK;
}

/* ---------------------------------------------------------------- JSON Lines */

/* The header a JSON Lines input stands for: its columns, in the kind's order. */
static int jsonl_header(struct bl_csv *c, struct bl_csv_record *rec)
{
    c->jheader_done = true;
    c->index++;
    rec->nfields = c->njnames;
    for (size_t i = 0; i < c->njnames; i++)
        rec->field[i] = bl_str_c(c->jnames[i]);
    rec->line = 0;
    rec->index = c->index;
    return 1;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

/* One line (without its '\n') as a record: the values unescaped into the record buffer. */
static int jsonl_line(struct bl_csv *c, const char *s, size_t n, struct bl_csv_record *rec,
                      struct bl_diag *d)
{
    c->rlen = 0;
    if (!rbuf_room(c, n + 1))
        return callback_failed(c, d);
    c->index++;
    struct bl_jsonl_err e;
    unsigned char present[BL_CSV_MAX_FIELDS];
    if (bl_jsonl_line(s, n, c->jnames, c->njnames, c->rbuf, c->off, c->flen, present, &e)) {
        int rc = fail(c, d, false, e.code, c->rec_line, "%s", e.msg);
        if (d && e.field[0])
            bl_diag_at(d, NULL, 0, e.field);
        return rc;
    }
    rec->nfields = c->njnames;
    for (size_t i = 0; i < c->njnames; i++)
        rec->field[i] = (struct bl_str){c->rbuf + c->off[i], c->flen[i]};
    rec->line = c->rec_line;
    rec->index = c->index;
    return 1;
}

/* Appends a piece of a long line; false (fatal error set) past the record limit. */
static int jsonl_gather(struct bl_csv *c, const char *s, size_t n, struct bl_diag *d)
{
    size_t need = c->jlen + n;
    if (need > BL_CSV_MAX_RECORD + 2)
        return fail(c, d, true, BL_ETOOBIG, c->rec_line, "a line is longer than %u bytes",
                    BL_CSV_MAX_RECORD);
    if (need > c->jcap) {
        size_t ncap = c->jcap ? c->jcap * 2 : IO_CHUNK;
        while (ncap < need)
            ncap *= 2;
        char *p = bl_realloc(c->jline, ncap);
        if (!p)
            return fail(c, d, true, BL_ENOMEM, c->rec_line, "out of memory reading a line");
        c->jline = p;
        c->jcap = ncap;
    }
    memcpy(c->jline + c->jlen, s, n);
    c->jlen = need;
    return BL_OK;
}

static int jsonl_record(struct bl_csv *c, struct bl_csv_record *rec, struct bl_diag *d)
{
    if (!c->jheader_done)
        return jsonl_header(c, rec);
    bool gathering = false;
    c->jlen = 0;
    for (;;) {
        const char *s = NULL;
        size_t n = 0;
        int rc = next_piece(c, &s, &n, d);
        if (rc < 0)
            return rc;
        if (rc == 0) {
            c->state = RS_EOF;
            if (!gathering || blank(c->jline, c->jlen))
                return 0;
            return jsonl_line(c, c->jline, c->jlen, rec, d); /* no final line end */
        }
        if (c->line_start)
            c->line++;
        c->line_start = s[n - 1] == '\n';
        if (!gathering) {
            c->rec_line = c->line;
            if (s[n - 1] == '\n' && blank(s, n))
                continue;
            if (s[n - 1] == '\n')
                return jsonl_line(c, s, n - 1, rec, d);
            gathering = true;
        }
        if ((rc = jsonl_gather(c, s, n, d)) != BL_OK)
            return rc;
        if (s[n - 1] == '\n') {
            if (blank(c->jline, c->jlen)) {
                gathering = false;
                c->jlen = 0;
                continue;
            }
            return jsonl_line(c, c->jline, c->jlen - 1, rec, d);
        }
    }
}

static int read_record(struct bl_csv *c, struct bl_csv_record *rec, struct bl_diag *d)
{
    c->started = true;
    if (c->state != RS_OK)
        return 0; /* the end, or after a final error (reported once) */
    if (!c->bom_checked) {
        int rc = check_bom(c, d);
        if (!rc && !c->jnames)
            rc = check_cr_only(c, d);
        if (rc)
            return rc;
    }
    if (c->jnames)
        return jsonl_record(c, rec, d);
    c->nfields = 0;
    c->rlen = 0;
    c->row_done = false;
    c->rec_err = 0;
    c->fbase = NULL;
    while (!c->row_done) {
        const char *s = NULL;
        size_t n = 0;
        int rc = next_piece(c, &s, &n, d);
        if (rc < 0)
            return rc;
        if (rc == 0) {
            if (!c->in_record) {
                c->state = RS_EOF;
                return 0;
            }
            c->in_record = false;
            if (c->unquoted) { /* the last line, without a line end, gathered in rbuf */
                split_fields(c, c->rbuf, c->rlen);
                break;
            }
            if (csv_fini(&c->parser, on_field, on_row, c) != 0)
                return fail(c, d, true, BL_EPARSE, c->rec_line,
                            "broken quoting: a quoted field in the record starting on this "
                            "line is never closed (reached the end of the file)");
            if (c->cb_fatal)
                return callback_failed(c, d);
            if (!c->row_done) {
                c->state = RS_EOF;
                return 0;
            }
            break;
        }
        if (c->line_start)
            c->line++;
        c->line_start = s[n - 1] == '\n';
        if (!c->in_record) {
            /* libcsv skips these before a record too; a line of nothing else is blank */
            while (n && trimmed(c, *s)) {
                s++;
                n--;
            }
            if (n == 0 || (n == 1 && *s == '\n'))
                continue;
            c->in_record = true;
            c->rec_line = c->line;
            if (s[n - 1] == '\n' && split_line(c, s, n))
                break;
        }
        if (c->unquoted) {
            /* A piece of a line longer than the text buffer, or a last line without a
             * line end: gathered, then split once the line is whole. */
            if (!rbuf_room(c, n))
                return callback_failed(c, d);
            memcpy(c->rbuf + c->rlen, s, n);
            c->rlen += n;
            if (s[n - 1] == '\n') {
                c->in_record = false;
                split_line(c, c->rbuf, c->rlen);
                break;
            }
            continue;
        }
        set_cr_mode(c, stray_cr(s, n));
        size_t used = csv_parse(&c->parser, s, n, on_field, on_row, c);
        if (c->cb_fatal)
            return callback_failed(c, d);
        if (used < n) {
            int perr = csv_error(&c->parser);
            if (perr == CSV_EPARSE)
                return broken_quote(c, d, s, n, used);
            return fail(c, d, true, perr == CSV_ENOMEM ? BL_ENOMEM : BL_ETOOBIG, c->rec_line,
                        "cannot buffer the field: %s", csv_strerror(perr));
        }
        if (!c->row_done && c->rlen + c->parser.entry_pos > BL_CSV_MAX_RECORD) {
            c->cb_fatal = BL_ETOOBIG;
            return callback_failed(c, d);
        }
    }
    c->in_record = false;
    c->index++;
    if (c->rec_err)
        return record_failed(c, d);
    rec->nfields = c->nfields;
    const char *base = c->fbase ? c->fbase : c->rbuf;
    for (size_t i = 0; i < c->nfields; i++)
        rec->field[i] = (struct bl_str){base + c->off[i], c->flen[i]};
    rec->line = c->rec_line;
    rec->index = c->index;
    return 1;
}

/* ---------------------------------------------------------------- public API */

/* A reader named shown (for diagnostics) with its text buffer and hash, no input yet. */
static int reader_open(struct bl_csv **out, const char *shown, struct bl_diag *d)
{
    *out = NULL;
    struct bl_csv *c = reader_new();
    size_t len = strlen(shown);
    if (c) {
        c->name_owned = bl_malloc(len + 1);
        c->tbuf = bl_malloc(IO_CHUNK);
    }
    if (!c || !c->name_owned || !c->tbuf) {
        bl_csv_close(c);
        bl_diag_at(d, shown, 0, "");
        if (d)
            d->line = 0;
        return bl_diag_set(d, BL_ENOMEM, "out of memory opening the CSV reader");
    }
    memcpy(c->name_owned, shown, len + 1);
    c->name = c->name_owned;
    c->text = c->tbuf;
    c->tcap = IO_CHUNK;
    c->sha = EVP_MD_CTX_new();
    if (!c->sha || EVP_DigestInit_ex(c->sha, EVP_sha256(), NULL) != 1) {
        int rc = fail(c, d, false, BL_ENOMEM, 0, "cannot set up SHA-256 hashing (OpenSSL)");
        bl_csv_close(c);
        return rc;
    }
    c->hashing = true;
    *out = c;
    return BL_OK;
}

int bl_csv_open(struct bl_csv **out, const char *path, struct bl_diag *d)
{
    bool is_stdin = strcmp(path, "-") == 0;
    struct bl_csv *c;
    int rc = reader_open(&c, is_stdin ? "<stdin>" : path, d);
    if (rc)
        return rc;
    if (is_stdin) {
        c->fd = STDIN_FILENO;
    } else {
        c->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (c->fd < 0) {
            int e = errno;
            rc = fail(c, d, false, e == ENOENT ? BL_ENOTFOUND : BL_EIO, 0,
                      "cannot open for reading: %s", strerror(e));
            bl_csv_close(c);
            return rc;
        }
        c->close_fd = true;
    }
    struct stat st;
    if (fstat(c->fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            rc = fail(c, d, false, BL_EIO, 0, "is a directory, expected a CSV file");
            bl_csv_close(c);
            return rc;
        }
        if (S_ISREG(st.st_mode) && st.st_size > 0)
            c->bytes_total = (uint64_t)st.st_size;
    }
#ifdef POSIX_FADV_SEQUENTIAL
    (void)posix_fadvise(c->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
    *out = c;
    return BL_OK;
}

int bl_csv_open_source(struct bl_csv **out, const struct bl_csv_source *src, struct bl_diag *d)
{
    int rc = reader_open(out, src->name ? src->name : "", d);
    if (!rc)
        (*out)->src = src;
    return rc;
}

int bl_csv_set_jsonl(struct bl_csv *c, const char *const *names, size_t n)
{
    if (c->started || n == 0 || n > BL_CSV_MAX_FIELDS)
        return BL_EINVAL;
    c->jnames = names;
    c->njnames = n;
    return BL_OK;
}

int bl_csv_set_sep(struct bl_csv *c, char sep)
{
    if (c->started || (sep != ',' && sep != '\t' && sep != ';'))
        return BL_EINVAL;
    c->sep = sep;
    csv_set_delim(&c->parser, (unsigned char)sep);
    c->cr_mode = false;
    csv_set_term_func(&c->parser, NULL);
    csv_set_space_func(&c->parser, sep == '\t' ? tab_space : NULL);
    return BL_OK;
}

int bl_csv_set_quoting(struct bl_csv *c, bool on)
{
    if (c->started)
        return BL_EINVAL;
    c->unquoted = !on;
    return BL_OK;
}

/* ---------------------------------------------------------------- read ahead */

static bool ahead_room(struct bl_csv *c, size_t n)
{
    if (c->alen + n <= c->acap)
        return true;
    size_t ncap = c->acap ? c->acap * 2 : 65536;
    while (ncap < c->alen + n)
        ncap *= 2;
    char *p = bl_realloc(c->abuf, ncap);
    if (!p)
        return false;
    c->abuf = p;
    c->acap = ncap;
    return true;
}

static int ahead_keep(struct bl_csv *c, const struct bl_csv_record *rec)
{
    size_t bytes = sizeof(struct ahead_rec) + rec->nfields * sizeof(uint32_t);
    for (size_t i = 0; i < rec->nfields; i++)
        bytes += rec->field[i].len; /* each at most BL_CSV_MAX_RECORD */
    if (rec->nfields > BL_CSV_MAX_FIELDS || !ahead_room(c, bytes))
        return BL_ENOMEM;
    struct ahead_rec h = {.line = rec->line, .index = rec->index, .nfields = rec->nfields};
    char *p = c->abuf + c->alen;
    memcpy(p, &h, sizeof(h));
    p += sizeof(h);
    for (size_t i = 0; i < rec->nfields; i++) {
        uint32_t n = (uint32_t)rec->field[i].len;
        memcpy(p, &n, sizeof(n));
        p += sizeof(n);
    }
    for (size_t i = 0; i < rec->nfields; i++) {
        if (rec->field[i].len)
            memcpy(p, rec->field[i].ptr, rec->field[i].len);
        p += rec->field[i].len;
    }
    c->alen += bytes;
    return BL_OK;
}

int bl_csv_read_ahead(struct bl_csv *c, size_t max_bytes, struct bl_diag *d)
{
    if (c->started)
        return bl_diag_set(d, BL_EINVAL, "records can be read ahead only before the first");
    struct bl_csv_record rec;
    while (c->alen < max_bytes) {
        struct bl_diag why;
        bl_diag_clear(&why);
        int rc = read_record(c, &rec, &why);
        if (rc == 0)
            break;
        if (rc < 0) { /* handed out after the records before it, as bl_csv_next would */
            c->adiag = bl_malloc(sizeof(*c->adiag));
            if (!c->adiag)
                return bl_diag_set(d, BL_ENOMEM, "out of memory");
            *c->adiag = why;
            c->aerr = rc;
            break;
        }
        if (ahead_keep(c, &rec))
            return bl_diag_set(d, BL_ENOMEM, "out of memory reading ahead");
    }
    return BL_OK;
}

/* The next record read ahead into rec: 1, the error that stopped the reading ahead, or 0
 * when none is left (the buffer freed: rec's views of the last one are no longer used). */
static int ahead_next(struct bl_csv *c, struct bl_csv_record *rec, struct bl_diag *d)
{
    if (c->apos < c->alen) {
        struct ahead_rec h;
        memcpy(&h, c->abuf + c->apos, sizeof(h));
        const char *lens = c->abuf + c->apos + sizeof(h);
        const char *p = lens + h.nfields * sizeof(uint32_t);
        rec->nfields = (size_t)h.nfields;
        for (size_t i = 0; i < rec->nfields; i++) {
            uint32_t n;
            memcpy(&n, lens + i * sizeof(n), sizeof(n));
            rec->field[i] = (struct bl_str){p, n};
            p += n;
        }
        rec->line = h.line;
        rec->index = h.index;
        c->apos = (size_t)(p - c->abuf);
        return 1;
    }
    bl_free(c->abuf);
    c->abuf = NULL;
    c->alen = c->acap = c->apos = 0;
    if (!c->aerr)
        return 0;
    int rc = c->aerr;
    if (d)
        *d = *c->adiag;
    bl_free(c->adiag);
    c->adiag = NULL;
    c->aerr = 0;
    return rc;
}

int bl_csv_next(struct bl_csv *c, struct bl_csv_record *rec, struct bl_diag *d)
{
    if (c->abuf || c->aerr) {
        int rc = ahead_next(c, rec, d);
        if (rc)
            return rc;
    }
    return read_record(c, rec, d);
}

uint64_t bl_csv_bytes_read(const struct bl_csv *c)
{
    return c->bytes_read;
}

uint64_t bl_csv_bytes_total(const struct bl_csv *c)
{
    return c->bytes_total;
}

int bl_csv_drain(struct bl_csv *c, struct bl_diag *d)
{
    /* The unparsed text is abandoned; the text buffer is reused as scratch. */
    c->tpos = c->tlen = 0;
    c->text_eof = true;
    while (!c->raw_eof && (c->fd >= 0 || c->src)) {
        size_t got;
        int rc = raw_read(c, c->tbuf, c->tcap, &got, d);
        if (rc)
            return rc;
    }
    if (c->state != RS_FAILED)
        c->state = RS_EOF;
    return BL_OK;
}

int bl_csv_sha256(const struct bl_csv *c, char hex[65])
{
    if (!c->hash_done) {
        hex[0] = '\0';
        return BL_EINVAL;
    }
    memcpy(hex, c->hex, sizeof(c->hex));
    return BL_OK;
}

void bl_csv_close(struct bl_csv *c)
{
    if (!c)
        return;
    csv_free(&c->parser);
    EVP_MD_CTX_free(c->sha);
    if (c->zs_live)
        inflateEnd(&c->zs);
    if (c->close_fd)
        close(c->fd);
    bl_free(c->raw);
    bl_free(c->tbuf);
    bl_free(c->rbuf);
    bl_free(c->jline);
    bl_free(c->abuf);
    bl_free(c->adiag);
    bl_free(c->name_owned);
    bl_free(c);
}

int bl_csv_parse_buffer(const char *data, size_t len,
                        int (*fn)(void *ctx, const struct bl_csv_record *rec), void *ctx,
                        struct bl_diag *d)
{
    return bl_csv_parse_buffer_sep(data, len, ',', true, fn, ctx, d);
}

int bl_csv_parse_buffer_sep(const char *data, size_t len, char sep, bool quoting,
                            int (*fn)(void *ctx, const struct bl_csv_record *rec), void *ctx,
                            struct bl_diag *d)
{
    struct bl_csv *c = reader_new();
    struct bl_csv_record *rec = bl_malloc(sizeof(*rec));
    if (!c || !rec) {
        bl_free(rec);
        bl_csv_close(c);
        bl_diag_at(d, "", 0, "");
        if (d)
            d->line = 0;
        return bl_diag_set(d, BL_ENOMEM, "out of memory starting the CSV parser");
    }
    if (bl_csv_set_sep(c, sep) || bl_csv_set_quoting(c, quoting)) {
        bl_free(rec);
        bl_csv_close(c);
        bl_diag_at(d, "", 0, "");
        if (d)
            d->line = 0;
        return bl_diag_set(d, BL_EINVAL, "CSV separator must be ',', tab or ';'");
    }
    c->text = data ? data : "";
    c->tcap = c->tlen = len;
    c->text_eof = c->raw_eof = c->sniffed = true;
    int rc;
    while ((rc = read_record(c, rec, d)) == 1) {
        rc = fn(ctx, rec);
        if (rc)
            break;
    }
    bl_free(rec);
    bl_csv_close(c);
    return rc;
}

int bl_csv_add_field(struct bl_buf *b, struct bl_str s)
{
    /* Edge spaces and tabs are quoted too: the reader trims them from unquoted fields. */
    bool quote = s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t' || s.ptr[s.len - 1] == ' ' ||
                           s.ptr[s.len - 1] == '\t');
    for (size_t i = 0; i < s.len && !quote; i++) {
        char ch = s.ptr[i];
        quote = ch == ',' || ch == '"' || ch == '\r' || ch == '\n';
    }
    if (!quote)
        return bl_buf_adds(b, s);
    size_t old = b->len;
    int rc = bl_buf_addc(b, '"');
    const char *p = s.ptr, *end = s.ptr + s.len;
    while (!rc && p < end) {
        const char *q = memchr(p, '"', (size_t)(end - p));
        size_t n = q ? (size_t)(q - p) + 1 : (size_t)(end - p);
        rc = bl_buf_add(b, p, n); /* up to and including a quote ... */
        if (!rc && q)
            rc = bl_buf_addc(b, '"'); /* ... which is doubled */
        p += n;
    }
    if (!rc)
        rc = bl_buf_addc(b, '"');
    if (rc && b->ptr) {
        b->len = old;
        b->ptr[old] = '\0';
    }
    return rc;
}
