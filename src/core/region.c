/* region.c - region codes (ISO 3166 country, subdivision, postal prefix) and
 * the interned region trie.
 *
 * See include/ballast/region.h for the contract and docs/internals/region.md for
 * the design. Pure: no I/O, no clock, no mutable globals; the country list is
 * ICU's static data, read on every call.
 */
#include "ballast/region.h"

#include <string.h>

#include <unicode/uloc.h>

#define SUB_MAX 3     /* subdivision: 1-3 letters/digits */
#define POSTAL_MAX 10 /* postal prefix: 1-10 letters/digits */
/* Longest canonical code "CC-SSS:PPPPPPPPPP" plus NUL. */
#define NAME_CAP (2 + 1 + SUB_MAX + 1 + POSTAL_MAX + 1)
#define STEPS_MAX (2 + POSTAL_MAX) /* country, subdivision, postal characters */

#define EXAMPLE "expected a region code such as CN, BR-SP or BR-SP:013"

_Static_assert(NAME_CAP <= BL_REGION_MAX, "canonical codes must fit BL_REGION_MAX");

/* ---- characters and messages ------------------------------------------- */

static bool is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* ASCII letter or digit, upper-cased into *out. */
static bool alnum_upper(char c, char *out)
{
    if (c >= 'a' && c <= 'z')
        c = (char)(c - 'a' + 'A');
    if (!is_upper(c) && !is_digit(c))
        return false;
    *out = c;
    return true;
}

/* ---- countries (ICU) ------------------------------------------------------ */

static int cmp_country(const char *e, char c0, char c1)
{
    if (e[0] != c0)
        return (unsigned char)e[0] < (unsigned char)c0 ? -1 : 1;
    if (e[1] != c1)
        return (unsigned char)e[1] < (unsigned char)c1 ? -1 : 1;
    return e[2] == '\0' ? 0 : 1;
}

/* Whether "c0c1" (upper case) is in ICU's ISO 3166-1 list. ICU keeps that list
 * sorted, so a binary search finds every hit; a miss is confirmed by a linear
 * scan so that an unsorted list could only cost time, never a wrong answer. */
static bool country_known(char c0, char c1)
{
    const char *const *list = uloc_getISOCountries();
    if (!list)
        return false;
    size_t n = 0;
    while (list[n])
        n++;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_country(list[mid], c0, c1);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = 0; i < n; i++)
        if (cmp_country(list[i], c0, c1) == 0)
            return true;
    return false;
}

/* ---- parsing and containment -------------------------------------------- */

int bl_region_parse(struct bl_str s, char *out, struct bl_diag *d)
{
    char buf[NAME_CAP], shown[48];
    size_t o = 0, i = 2;
    out[0] = '\0';
    if (s.len < 2 || !alnum_upper(s.ptr[0], &buf[0]) || !alnum_upper(s.ptr[1], &buf[1]) ||
        !is_upper(buf[0]) || !is_upper(buf[1]) || (s.len > 2 && s.ptr[2] != '-' && s.ptr[2] != ':'))
        return bl_diag_set(d, BL_EPARSE, EXAMPLE ", got '%s'", bl_str_show(s, BL_SHOW, shown));
    o = 2;

    if (i < s.len && s.ptr[i] == '-') {
        buf[o++] = s.ptr[i++];
        size_t n = 0;
        while (i < s.len && n <= SUB_MAX && alnum_upper(s.ptr[i], &buf[o])) {
            o++;
            n++;
            i++;
        }
        if (n == 0 || n > SUB_MAX || (i < s.len && s.ptr[i] != ':'))
            return bl_diag_set(d, BL_EPARSE,
                               "bad subdivision in region '%s': expected 1-%d letters or digits "
                               "after '-', as in BR-SP",
                               bl_str_show(s, BL_SHOW, shown), SUB_MAX);
    }

    if (i < s.len) { /* s.ptr[i] == ':' here */
        buf[o++] = s.ptr[i++];
        size_t n = 0;
        for (; i < s.len; i++) {
            char c = s.ptr[i];
            if (c == ' ' || c == '-')
                continue;
            if (n == POSTAL_MAX || !alnum_upper(c, &buf[o]))
                break;
            o++;
            n++;
        }
        if (n == 0 || i < s.len)
            return bl_diag_set(d, BL_EPARSE,
                               "bad postal prefix in region '%s': expected 1-%d letters or "
                               "digits after ':' (spaces and '-' are dropped), as in BR-SP:013",
                               bl_str_show(s, BL_SHOW, shown), POSTAL_MAX);
    }
    buf[o] = '\0';

    if (!country_known(buf[0], buf[1]))
        return bl_diag_set(d, BL_EPARSE,
                           "unknown country '%c%c' in region '%s': expected an ISO 3166-1 "
                           "alpha-2 code such as BR, CN, US",
                           buf[0], buf[1], bl_str_show(s, BL_SHOW, shown));
    memcpy(out, buf, o + 1);
    return BL_OK;
}

bool bl_region_contains(struct bl_str outer, struct bl_str inner)
{
    if (outer.len == 0)
        return true;
    if (!bl_str_starts(inner, outer))
        return false;
    if (inner.len == outer.len)
        return true;
    /* Postal prefixes nest character by character; above them, only whole
     * segments count ("BR-S" does not contain "BR-SP"). */
    if (memchr(outer.ptr, ':', outer.len))
        return true;
    char next = inner.ptr[outer.len];
    return next == '-' || next == ':';
}

/* ---- canonical code as trie steps ----------------------------------------- */

/* One edge of the trie: the label that leads from a parent to a child, and the
 * length of the child's code (a prefix of the code being walked). */
struct step {
    uint32_t label;
    uint32_t end;
};

/* Labels: the separator in the top byte (0 for a country, '-' for a
 * subdivision, ':' for a postal character), the segment's characters below. */
static uint32_t pack(uint32_t sep, const char *p, size_t n)
{
    uint32_t v = 0;
    for (size_t i = 0; i < 3; i++)
        v = (v << 8) | (i < n ? (uint32_t)(unsigned char)p[i] : 0u);
    return (sep << 24) | v;
}

/* Splits a canonical code into steps; 0 if the code is not canonical. */
static size_t split(struct bl_str c, struct step *steps)
{
    const char *p = c.ptr;
    size_t len = c.len, i = 2, k = 0;
    if (len < 2 || !is_upper(p[0]) || !is_upper(p[1]))
        return 0;
    steps[k++] = (struct step){pack(0, p, 2), 2};
    if (i < len && p[i] == '-') {
        size_t s = ++i;
        while (i < len && i - s < SUB_MAX && (is_upper(p[i]) || is_digit(p[i])))
            i++;
        if (i == s)
            return 0;
        steps[k++] = (struct step){pack('-', p + s, i - s), (uint32_t)i};
    }
    if (i < len && p[i] == ':') {
        size_t s = ++i;
        while (i < len && i - s < POSTAL_MAX && (is_upper(p[i]) || is_digit(p[i]))) {
            steps[k++] = (struct step){pack(':', p + i, 1), (uint32_t)(i + 1)};
            i++;
        }
        if (i == s)
            return 0;
    }
    return i == len ? k : 0;
}

/* ---- the trie ------------------------------------------------------------- */

/* Nodes live in fixed chunks so ids stay stable and growing never copies them;
 * only the small chunk directory and the edge table are re-allocated. */
#define CHUNK_SHIFT 9
#define CHUNK_NODES (1u << CHUNK_SHIFT)
#define NODES_MAX (1u << 30) /* keeps table sizes and ids far from overflow */

struct node {
    uint32_t parent;
    uint8_t depth;
    char name[NAME_CAP];
};

/* One edge in the open-addressing table: (parent, label) -> child. child 0 marks
 * an empty slot (the root is never a child). */
struct slot {
    uint32_t parent;
    uint32_t label;
    uint32_t child;
};

struct bl_regions {
    struct bl_arena *arena;
    struct node **chunks;
    uint32_t nchunks, chunk_cap;
    uint32_t count;      /* nodes including the root */
    struct slot *slots;  /* power-of-two size, at most half full */
    uint32_t shift;      /* 64 - log2(table size) */
    uint32_t table_size; /* number of slots */
};

static struct node *node_at(const struct bl_regions *r, uint32_t id)
{
    return &r->chunks[id >> CHUNK_SHIFT][id & (CHUNK_NODES - 1)];
}

static uint32_t hash(const struct bl_regions *r, uint32_t parent, uint32_t label)
{
    uint64_t k = ((uint64_t)parent << 32) | label;
    return (uint32_t)((k * UINT64_C(0x9E3779B97F4A7C15)) >> r->shift);
}

static uint32_t child_of(const struct bl_regions *r, uint32_t parent, uint32_t label)
{
    uint32_t mask = r->table_size - 1;
    for (uint32_t h = hash(r, parent, label);; h = (h + 1) & mask) {
        const struct slot *s = &r->slots[h];
        if (s->child == 0)
            return 0;
        if (s->parent == parent && s->label == label)
            return s->child;
    }
}

static void put_edge(struct bl_regions *r, uint32_t parent, uint32_t label, uint32_t child)
{
    uint32_t mask = r->table_size - 1;
    uint32_t h = hash(r, parent, label);
    while (r->slots[h].child != 0)
        h = (h + 1) & mask;
    r->slots[h] = (struct slot){parent, label, child};
}

/* A zeroed table of 2^bits slots, or NULL. */
static struct slot *new_table(struct bl_arena *a, uint32_t bits)
{
    size_t bytes = ((size_t)1 << bits) * sizeof(struct slot);
    struct slot *t = bl_arena_alloc(a, bytes);
    if (t)
        memset(t, 0, bytes);
    return t;
}

/* Makes room for `more` nodes and edges. Every step either fails before
 * changing anything or leaves a larger but equivalent trie, so a failure part
 * way leaves the trie valid and unchanged in content. */
static int reserve(struct bl_regions *r, uint32_t more)
{
    if (more > NODES_MAX - r->count)
        return BL_ETOOBIG;
    uint32_t total = r->count + more;

    uint32_t chunks_needed = ((total - 1) >> CHUNK_SHIFT) + 1;
    if (chunks_needed > r->chunk_cap) {
        uint32_t cap = r->chunk_cap * 2;
        while (cap < chunks_needed)
            cap *= 2;
        struct node **dir = bl_arena_alloc(r->arena, (size_t)cap * sizeof(*dir));
        if (!dir)
            return BL_ENOMEM;
        memcpy(dir, r->chunks, (size_t)r->nchunks * sizeof(*dir));
        r->chunks = dir; /* the old directory stays in the arena, unused */
        r->chunk_cap = cap;
    }
    while (r->nchunks < chunks_needed) {
        struct node *c = bl_arena_alloc(r->arena, (size_t)CHUNK_NODES * sizeof(*c));
        if (!c)
            return BL_ENOMEM;
        r->chunks[r->nchunks++] = c;
    }

    /* Edges = nodes - 1; keep the table at most half full. */
    if ((uint64_t)(total - 1) * 2 > r->table_size) {
        uint32_t bits = 64 - r->shift;
        while (((uint64_t)1 << bits) < (uint64_t)(total - 1) * 2)
            bits++;
        struct slot *t = new_table(r->arena, bits);
        if (!t)
            return BL_ENOMEM;
        struct bl_regions grown = *r;
        grown.slots = t;
        grown.table_size = (uint32_t)1 << bits;
        grown.shift = 64 - bits;
        for (uint32_t i = 0; i < r->table_size; i++) {
            const struct slot *s = &r->slots[i];
            if (s->child)
                put_edge(&grown, s->parent, s->label, s->child);
        }
        r->slots = grown.slots; /* the old table stays in the arena, unused */
        r->table_size = grown.table_size;
        r->shift = grown.shift;
    }
    return BL_OK;
}

struct bl_regions *bl_regions_new(struct bl_arena *a)
{
    struct bl_regions *r = bl_arena_alloc(a, sizeof(*r));
    if (!r)
        return NULL;
    const uint32_t dir_cap = 8, table_bits = 6;
    r->arena = a;
    r->chunks = bl_arena_alloc(a, dir_cap * sizeof(*r->chunks));
    struct node *first = bl_arena_alloc(a, (size_t)CHUNK_NODES * sizeof(*first));
    r->slots = new_table(a, table_bits);
    if (!r->chunks || !first || !r->slots)
        return NULL;
    r->chunks[0] = first;
    r->nchunks = 1;
    r->chunk_cap = dir_cap;
    r->table_size = (uint32_t)1 << table_bits;
    r->shift = 64 - table_bits;
    r->count = 1;
    first[0] = (struct node){0, 0, ""};
    return r;
}

int bl_regions_intern(struct bl_regions *r, struct bl_str code, uint32_t *id)
{
    struct step steps[STEPS_MAX];
    size_t n = split(code, steps);
    if (n == 0)
        return BL_EINVAL;
    uint32_t cur = 0;
    size_t k = 0;
    for (; k < n; k++) {
        uint32_t next = child_of(r, cur, steps[k].label);
        if (!next)
            break;
        cur = next;
    }
    if (k < n) {
        int rc = reserve(r, (uint32_t)(n - k));
        if (rc)
            return rc;
        for (; k < n; k++) {
            uint32_t nid = r->count++;
            struct node *nd = node_at(r, nid);
            nd->parent = cur;
            nd->depth = (uint8_t)(node_at(r, cur)->depth + 1);
            memcpy(nd->name, code.ptr, steps[k].end);
            nd->name[steps[k].end] = '\0';
            put_edge(r, cur, steps[k].label, nid);
            cur = nid;
        }
    }
    *id = cur;
    return BL_OK;
}

/* Walks code down the trie; returns the deepest node reached and whether the
 * whole code was found. */
static uint32_t walk(const struct bl_regions *r, struct bl_str code, bool *whole)
{
    struct step steps[STEPS_MAX];
    size_t n = split(code, steps);
    *whole = false;
    if (n == 0)
        return 0;
    uint32_t cur = 0;
    for (size_t k = 0; k < n; k++) {
        uint32_t next = child_of(r, cur, steps[k].label);
        if (!next)
            return cur;
        cur = next;
    }
    *whole = true;
    return cur;
}

uint32_t bl_regions_find(const struct bl_regions *r, struct bl_str code)
{
    bool whole;
    uint32_t id = walk(r, code, &whole);
    return whole ? id : 0;
}

uint32_t bl_regions_find_prefix(const struct bl_regions *r, struct bl_str code)
{
    bool whole;
    return walk(r, code, &whole);
}

bool bl_regions_contains(const struct bl_regions *r, uint32_t outer, uint32_t inner)
{
    if (outer >= r->count || inner >= r->count)
        return false;
    uint32_t od = node_at(r, outer)->depth;
    const struct node *in = node_at(r, inner);
    if (in->depth < od)
        return false;
    while (in->depth > od) {
        inner = in->parent;
        in = node_at(r, inner);
    }
    return inner == outer;
}

uint32_t bl_regions_parent(const struct bl_regions *r, uint32_t id)
{
    return id < r->count ? node_at(r, id)->parent : 0;
}

uint32_t bl_regions_depth(const struct bl_regions *r, uint32_t id)
{
    return id < r->count ? node_at(r, id)->depth : 0;
}

const char *bl_regions_name(const struct bl_regions *r, uint32_t id)
{
    return id < r->count ? node_at(r, id)->name : NULL;
}

uint32_t bl_regions_count(const struct bl_regions *r)
{
    return r->count;
}
