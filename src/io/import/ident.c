/* ident.c - a batch's identity by content (import_impl.h, docs/internals/import.md).
 *
 * The hash is not of the bytes but of the records as the importer reads them: every
 * data record, after decompression, line-end normalisation and CSV parsing, with blank
 * lines gone, its fields taken in the order of the kind's column specs (so the order of
 * the columns in the file does not matter either; an absent column hashes as empty).
 * Each field is hashed as its 4-byte length and its bytes, a record as its field count
 * first, a file as its kind's first column name. What else changes the meaning of the
 * records is kept beside the hash as opts: the zone of --tz when it read a time that
 * has no offset, the shop of a platform report. Same kind, hash and opts: the same
 * batch.
 */
#include "io/import/import_impl.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <sodium.h>

#define HBUF_CAP 65536

static void flush(struct bl__imp *im)
{
    if (im->hlen && im->hctx && EVP_DigestUpdate(im->hctx, im->hbuf, im->hlen) != 1)
        im->hfail = true;
    im->hlen = 0;
}

static void put(struct bl__imp *im, const void *p, size_t n)
{
    if (!im->hctx)
        return;
    if (im->hlen + n > HBUF_CAP)
        flush(im);
    if (n > HBUF_CAP) {
        if (EVP_DigestUpdate(im->hctx, p, n) != 1)
            im->hfail = true;
        return;
    }
    memcpy(im->hbuf + im->hlen, p, n);
    im->hlen += n;
}

static void put_len(struct bl__imp *im, size_t n)
{
    unsigned char b[4] = {(unsigned char)(n & 0xff), (unsigned char)((n >> 8) & 0xff),
                          (unsigned char)((n >> 16) & 0xff), (unsigned char)((n >> 24) & 0xff)};
    put(im, b, sizeof(b));
}

int bl__ident_begin(struct bl__imp *im)
{
    im->hbuf = bl_malloc(HBUF_CAP);
    im->hctx = EVP_MD_CTX_new();
    if (!im->hbuf || !im->hctx || EVP_DigestInit_ex(im->hctx, EVP_sha256(), NULL) != 1)
        return bl_diag_set(im->d, BL_ENOMEM, "cannot set up SHA-256 hashing (OpenSSL)");
    return BL_OK;
}

void bl__ident_file(struct bl__imp *im)
{
    const char *first = im->nspec ? im->spec[0].name : "";
    put_len(im, strlen(first));
    put(im, first, strlen(first));
}

void bl__ident_record(struct bl__imp *im)
{
    put_len(im, im->nspec);
    for (size_t i = 0; i < im->nspec; i++) {
        struct bl_str v = bl__imp_raw(im, (int)i);
        put_len(im, v.len);
        put(im, v.ptr, v.len);
    }
}

/* Whether an ISO 8601 text carries its own offset (Z, +hh:mm, -hh:mm after the date). */
static bool has_offset(struct bl_str v)
{
    for (size_t i = 10; i < v.len; i++)
        if (v.ptr[i] == 'Z' || v.ptr[i] == 'z' || v.ptr[i] == '+' || v.ptr[i] == '-')
            return true;
    return false;
}

void bl__ident_instant(struct bl__imp *im, const struct bl_tz *tz, struct bl_str v)
{
    if (tz && tz == im->tz && !has_offset(v))
        im->tz_used = true;
}

void bl__ident_opts(const struct bl__imp *im, char *out, size_t cap)
{
    const char *shop = bl_import_kind_report(im->opts->kind) ? im->opts->shop : NULL;
    snprintf(out, cap, "%s%s%s%s%s", im->tz_used ? "tz=" : "",
             im->tz_used ? bl_tz_name(im->tz) : "", im->tz_used && shop ? ";" : "",
             shop ? "shop=" : "", shop ? shop : "");
}

int bl__ident_end(struct bl__imp *im)
{
    if (im->sha[0])
        return BL_OK; /* the kind set its own (olist: its files' bytes) */
    flush(im);
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!im->hctx || im->hfail || EVP_DigestFinal_ex(im->hctx, out, &n) != 1 || n != 32)
        return bl_diag_set(im->d, BL_ENOMEM, "cannot compute the content hash (OpenSSL)");
    sodium_bin2hex(im->sha, sizeof(im->sha), out, n);
    return BL_OK;
}

void bl__ident_release(struct bl__imp *im)
{
    EVP_MD_CTX_free(im->hctx);
    im->hctx = NULL;
    bl_free(im->hbuf);
    im->hbuf = NULL;
}

static int prev_row(void *ctx, const struct bl_row *r)
{
    struct bl__prev *p = ctx;
    if (p->id)
        return 0;
    p->id = bl_row_int(r, 0);
    p->at = bl_row_int(r, 1);
    p->legacy = bl_row_isnull(r, 2);
    bl_str_copy(p->opts, sizeof(p->opts), bl_row_text(r, 2));
    return 0;
}

int bl__ident_find(struct bl__imp *im, const char *kind, struct bl__prev *prev)
{
    memset(prev, 0, sizeof(*prev));
    const char *bytes = im->bytes_sha[0] ? im->bytes_sha : im->sha;
    struct bl_val p[5] = {bl_val_int(im->org), bl_val_text(bl_str_c(kind)),
                          bl_val_text(bl_str_c(im->sha)), bl_val_text(bl_str_c(bytes)),
                          bl_val_int(im->replace)};
    /* a batch being replaced is not a duplicate of its own new content. The hashes as
     * an IN list and the order by id + 0: SQLite then seeks import_batch_hash (org, kind,
     * hash) and sorts the few rows found; written as an OR with ORDER BY id it
     * walked every batch of the organisation backwards along the primary key, a cost in
     * every upload's turn that grew with the store (0.3 ms after 2,000 uploads). */
    return bl_store_query(im->st,
                          "SELECT id, created_at, opts FROM import_batch WHERE org_id = $1 AND "
                          "kind = $2 AND sha256 IN ($3, $4) AND (sha256 = $3 OR opts IS NULL) "
                          "AND id <> $5 ORDER BY id + 0 DESC",
                          p, 5, prev_row, prev, im->d);
}

/* "with --tz Asia/Shanghai", "without --tz", "for shop s1 ...", from opts text. */
static void opts_words(const char *opts, char *out, size_t cap)
{
    const char *tz = strstr(opts, "tz="), *shop = strstr(opts, "shop=");
    int tzlen = tz ? (int)strcspn(tz + 3, ";") : 0;
    snprintf(out, cap, "%s%.*s%s%s", tz ? "with --tz " : "without --tz", tzlen, tz ? tz + 3 : "",
             shop ? " for --shop " : "", shop ? shop + 5 : "");
}

int bl__ident_check(struct bl__imp *im, struct bl_import_result *res)
{
    struct bl__prev prev;
    TRY(bl__ident_find(im, im->opts->kind, &prev));
    if (!prev.id)
        return 0;
    char opts[128], day[16];
    bl__ident_opts(im, opts, sizeof(opts));
    bl_date_format(prev.at >= 0 ? prev.at / BL_DAY_SECS : (prev.at + 1) / BL_DAY_SECS - 1, day);
    if (prev.legacy || strcmp(prev.opts, opts) == 0) {
        res->already = true;
        res->batch_id = prev.id;
        res->batch_at = prev.at;
        res->records = 0;
        return 1;
    }
    char was[160], now[160];
    opts_words(prev.opts, was, sizeof(was));
    opts_words(opts, now, sizeof(now));
    bl_diag_clear(im->d);
    bl_diag_at(im->d, im->file, 0, NULL);
    return bl_diag_set(
        im->d, BL_EEXISTS,
        "these records were imported as batch %lld on %s %s; %s they are read "
        "differently. To correct batch %lld, replace it: ballast import %s %.200s%s%s "
        "--replace %lld",
        (long long)prev.id, day, was, now, (long long)prev.id, im->opts->kind, im->opts->path,
        im->tz_used ? " --tz " : "", im->tz_used ? bl_tz_name(im->tz) : "", (long long)prev.id);
}
