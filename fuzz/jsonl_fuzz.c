/* jsonl_fuzz.c - libFuzzer target for the JSON Lines reader (jsonl.h, and csv.h's JSON
 * Lines mode over a source, as an upload arrives).
 *
 * Besides "no crash, no leak, no undefined behaviour" it checks, for every line the
 * parser accepts: each value is within the line's length, valid UTF-8 without a NUL, and
 * an absent member is empty; and that the streaming reader, fed in small uneven pieces,
 * hands out records with the documented limits and lines that only move forward.
 */
#include <stdint.h>
#include <string.h>

#include "ballast/csv.h"
#include "ballast/jsonl.h"
#include "ballast/str.h"

static const char *const names[] = {"order", "shop", "sku", "qty", "unit_price", "placed_at"};
#define NN (sizeof(names) / sizeof(names[0]))

static void one_line(const char *s, size_t n)
{
    char out[4096];
    if (n > sizeof(out))
        return;
    size_t off[NN], len[NN];
    unsigned char present[NN];
    struct bl_jsonl_err e;
    if (bl_jsonl_line(s, n, names, NN, out, off, len, present, &e) != BL_OK) {
        if (!e.code || !e.msg[0] || e.at > n)
            __builtin_trap();
        return;
    }
    for (size_t i = 0; i < NN; i++) {
        if (off[i] + len[i] > n || (!present[i] && len[i]))
            __builtin_trap();
        if (!bl_utf8_valid(out + off[i], len[i], NULL) || memchr(out + off[i], '\0', len[i]))
            __builtin_trap();
    }
}

struct feed {
    const uint8_t *p;
    size_t n, at;
};

static ptrdiff_t piece(void *ctx, void *dst, size_t cap, char *why, size_t whycap)
{
    struct feed *f = ctx;
    (void)why;
    (void)whycap;
    size_t k = f->n - f->at;
    size_t step = 1 + (f->at * 7) % 13; /* small, uneven pieces */
    k = k < step ? k : step;
    k = k < cap ? k : cap;
    memcpy(dst, f->p + f->at, k);
    f->at += k;
    return (ptrdiff_t)k;
}

static void stream(const uint8_t *data, size_t size)
{
    struct feed f = {data, size, 0};
    struct bl_csv_source src = {piece, &f, "fuzz"};
    struct bl_csv *c;
    struct bl_diag d;
    if (bl_csv_open_source(&c, &src, &d) != BL_OK)
        return;
    if (bl_csv_set_jsonl(c, names, NN) != BL_OK)
        __builtin_trap();
    static struct bl_csv_record rec;
    int64_t line = -1;
    int rc;
    while ((rc = bl_csv_next(c, &rec, &d)) != 0) {
        if (rc < 0)
            continue; /* a rejected line: the next goes on */
        if (rec.nfields != NN || rec.line <= line)
            __builtin_trap();
        line = rec.line;
    }
    bl_csv_close(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    const char *nl = memchr(s, '\n', size);
    one_line(s, nl ? (size_t)(nl - s) : size);
    stream(data, size);
    return 0;
}
