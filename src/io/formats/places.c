/* places.c - ISO 3166 countries and subdivisions from Debian's iso-codes (places.h).
 *
 * Opening reads the two JSON lists into one array sorted by code ("CN", "CN-ZJ", ...);
 * a loaded locale is its iso_3166-2 gettext catalogue turned into (English, translated)
 * pairs sorted by the English name. Country names in a language come from ICU.
 * Design: docs/internals/places.md.
 */
#include "ballast/places.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>

#include "ballast/file.h"
#include "ballast/str.h"

#define CODE_CAP 8          /* "CC-SSS" and NUL */
#define LIST_MAX (4u << 20) /* the lists are 30 KB and 500 KB today */
#define MO_MAX (4u << 20)
#define LOCALES_MAX 32
#define PACKAGE "Debian's iso-codes package (apt-get install iso-codes)"

struct place {
    char code[CODE_CAP];
    char *name; /* English, owned */
};

struct pair {
    const char *from, *to; /* into the catalogue's bytes */
};

struct cat {
    char tag[16]; /* POSIX form: "pt_BR", "es" */
    char *bytes;  /* the .mo file, owned */
    struct pair *pairs;
    size_t n;
};

struct bl_places {
    struct place *v;
    size_t n, cap;
    char mo_root[512];
    struct cat cats[LOCALES_MAX];
    size_t ncats;
};

/* ---- the lists ------------------------------------------------------------ */

static int cmp_place(const void *a, const void *b)
{
    return strcmp(((const struct place *)a)->code, ((const struct place *)b)->code);
}

static int add_place(struct bl_places *p, const char *code, const char *name)
{
    if (strlen(code) >= CODE_CAP)
        return BL_OK; /* no ISO code is that long; ignore rather than truncate */
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 512;
        struct place *v = realloc(p->v, cap * sizeof(*v));
        if (!v)
            return BL_ENOMEM;
        p->v = v;
        p->cap = cap;
    }
    struct place *e = &p->v[p->n];
    bl_str_copy(e->code, sizeof(e->code), bl_str_c(code));
    e->name = strdup(name);
    if (!e->name)
        return BL_ENOMEM;
    p->n++;
    return BL_OK;
}

/* Reads dir/file's array under key; code_key names each entry's code. */
static int load_list(struct bl_places *p, const char *dir, const char *file, const char *key,
                     const char *code_key, struct bl_diag *d)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/%s", dir, file);
    struct bl_buf b = {.max = LIST_MAX};
    int rc = bl_file_read(path, LIST_MAX, &b, d);
    if (rc)
        return bl_diag_set(d, rc == BL_ENOTFOUND ? BL_EIO : rc,
                           "%s: cannot read the ISO 3166 list; it comes from %s", path, PACKAGE);
    json_error_t je;
    json_t *root = json_loadb(b.ptr, b.len, 0, &je);
    bl_buf_release(&b);
    json_t *arr = root ? json_object_get(root, key) : NULL;
    if (!json_is_array(arr)) {
        json_decref(root);
        return bl_diag_set(d, BL_EPARSE, "%s: line %d: expected a JSON object with a '%s' list",
                           path, root ? 1 : je.line, key);
    }
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) {
        const char *code = json_string_value(json_object_get(e, code_key));
        const char *name = json_string_value(json_object_get(e, "common_name"));
        if (!name)
            name = json_string_value(json_object_get(e, "name"));
        if (!code || !name)
            continue;
        if ((rc = add_place(p, code, name)) != BL_OK)
            break;
    }
    json_decref(root);
    return rc ? bl_diag_set(d, rc, "%s: out of memory", path) : BL_OK;
}

int bl_places_open(const char *json_dir, const char *mo_root, struct bl_places **out,
                   struct bl_diag *d)
{
    *out = NULL;
    if (!json_dir)
        json_dir = getenv("BALLAST_ISO_CODES");
    if (!json_dir || !json_dir[0])
        json_dir = "/usr/share/iso-codes/json";
    struct bl_places *p = calloc(1, sizeof(*p));
    if (!p)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    bl_str_copy(p->mo_root, sizeof(p->mo_root), bl_str_c(mo_root ? mo_root : "/usr/share/locale"));
    int rc = load_list(p, json_dir, "iso_3166-1.json", "3166-1", "alpha_2", d);
    if (!rc)
        rc = load_list(p, json_dir, "iso_3166-2.json", "3166-2", "code", d);
    if (rc) {
        bl_places_close(p);
        return rc;
    }
    qsort(p->v, p->n, sizeof(*p->v), cmp_place);
    *out = p;
    return BL_OK;
}

static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static struct bl_places *shared; /* the process's read-only lists (bl_places_shared) */

int bl_places_shared(const struct bl_places **out, struct bl_diag *d)
{
    pthread_mutex_lock(&shared_lock);
    int rc = shared ? BL_OK : bl_places_open(NULL, NULL, &shared, d);
    *out = shared;
    pthread_mutex_unlock(&shared_lock);
    return rc;
}

static struct bl_places *shared_l10n; /* the same, with translations (bl_places_shared_l10n) */

int bl_places_shared_l10n(const struct bl_places **out, struct bl_diag *d)
{
    static const char *const locales[] = {BL_PLACES_SHARED_LOCALES};
    pthread_mutex_lock(&shared_lock);
    int rc = BL_OK;
    if (!shared_l10n) {
        struct bl_places *p = NULL;
        rc = bl_places_open(NULL, NULL, &p, d);
        for (size_t i = 0; !rc && i < sizeof(locales) / sizeof(locales[0]); i++)
            rc = bl_places_load_locale(p, locales[i], d);
        if (rc)
            bl_places_close(p);
        else
            shared_l10n = p;
    }
    *out = shared_l10n;
    pthread_mutex_unlock(&shared_lock);
    return rc;
}

size_t bl_places_count(const struct bl_places *p)
{
    return p->n;
}

const char *bl_places_code_at(const struct bl_places *p, size_t i)
{
    return i < p->n ? p->v[i].code : NULL;
}

void bl_places_close(struct bl_places *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i].name);
    for (size_t i = 0; i < p->ncats; i++) {
        free(p->cats[i].bytes);
        free(p->cats[i].pairs);
    }
    free(p->v);
    free(p);
}

static const struct place *find(const struct bl_places *p, const char *code)
{
    struct place k;
    if (strlen(code) >= sizeof(k.code))
        return NULL;
    bl_str_copy(k.code, sizeof(k.code), bl_str_c(code));
    return bsearch(&k, p->v, p->n, sizeof(*p->v), cmp_place);
}

/* The "CC" and "CC-SSS" parts of a code (a postal suffix after ':' dropped). */
static void split(const char *code, char cc[3], char sub[CODE_CAP])
{
    cc[0] = code[0];
    cc[1] = code[0] ? code[1] : '\0';
    cc[2] = '\0';
    size_t n = strcspn(code, ":");
    sub[0] = '\0';
    if (n > 3 && code[2] == '-' && n < CODE_CAP) {
        memcpy(sub, code, n);
        sub[n] = '\0';
    }
}

bool bl_places_known(const struct bl_places *p, const char *code)
{
    char cc[3], sub[CODE_CAP];
    split(code, cc, sub);
    if (strlen(cc) != 2 || !find(p, cc))
        return false;
    size_t n = strcspn(code, ":");
    if (n == 2)
        return true;
    return sub[0] && find(p, sub);
}

/* ---- did you mean ---------------------------------------------------------- */

/* Levenshtein distance of two short ASCII strings (at most CODE_CAP characters). */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[CODE_CAP + 1];
    if (la > CODE_CAP || lb > CODE_CAP)
        return SIZE_MAX;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

/* The one candidate nearest to want among codes of the given shape (countries when
 * prefix is NULL, else subdivisions of that country), comparing the part after
 * skip: distance first, then a shared first character; NULL on a tie or when the
 * nearest is further than 1. */
static const struct place *nearest(const struct bl_places *p, const char *prefix, size_t skip,
                                   const char *want)
{
    const struct place *best = NULL;
    size_t best_score = SIZE_MAX;
    bool tie = false;
    for (size_t i = 0; i < p->n; i++) {
        const char *c = p->v[i].code;
        bool is_sub = strchr(c, '-') != NULL;
        if (prefix ? !is_sub || strncmp(c, prefix, 3) != 0 : is_sub)
            continue;
        size_t dist = distance(c + skip, want);
        if (dist > 1)
            continue;
        size_t score = dist * 2 + (c[skip] != want[0]);
        if (score < best_score) {
            best = &p->v[i];
            best_score = score;
            tie = false;
        } else if (score == best_score) {
            tie = true;
        }
    }
    return tie ? NULL : best;
}

/* A mistyped country with a subdivision ("CM-ZJ"): the one country a letter away that
 * has that very subdivision ("CN-ZJ"), or NULL. */
static const struct place *same_sub(const struct bl_places *p, const char *cc, const char *sub)
{
    const struct place *hit = NULL;
    for (size_t i = 0; i < p->n; i++) {
        const char *c = p->v[i].code;
        if (c[2] != '-' || strcmp(c + 3, sub) != 0)
            continue;
        char other[3] = {c[0], c[1], '\0'};
        if (distance(other, cc) != 1)
            continue;
        if (hit)
            return NULL;
        hit = &p->v[i];
    }
    return hit;
}

bool bl_places_suggest(const struct bl_places *p, const char *code, char *out, size_t cap)
{
    if (bl_places_known(p, code))
        return false;
    char cc[3], sub[CODE_CAP];
    split(code, cc, sub);
    const struct place *hit = NULL;
    if (strlen(cc) == 2 && find(p, cc)) {
        if (!sub[0])
            return false;
        char prefix[4] = {cc[0], cc[1], '-', '\0'};
        hit = nearest(p, prefix, 3, sub + 3);
        if (!hit)
            hit = same_sub(p, cc, sub + 3);
    } else if (strlen(cc) == 2 && !sub[0]) {
        hit = nearest(p, NULL, 0, cc);
    } else if (strlen(cc) == 2) {
        hit = same_sub(p, cc, sub + 3);
    }
    if (!hit || strlen(hit->code) >= cap)
        return false;
    bl_str_copy(out, cap, bl_str_c(hit->code));
    return true;
}

/* ---- catalogues ------------------------------------------------------------ */

static uint32_t word(const unsigned char *b, size_t off, bool swap)
{
    uint32_t v = (uint32_t)b[off] | (uint32_t)b[off + 1] << 8 | (uint32_t)b[off + 2] << 16 |
                 (uint32_t)b[off + 3] << 24;
    return swap ? __builtin_bswap32(v) : v;
}

static int cmp_pair(const void *a, const void *b)
{
    return strcmp(((const struct pair *)a)->from, ((const struct pair *)b)->from);
}

/* The string at table entry i (length, offset), checked to lie inside the file and to
 * be NUL-terminated there, as the format promises. */
static const char *mo_string(const unsigned char *b, size_t n, size_t table, uint32_t i, bool swap)
{
    size_t at = table + (size_t)i * 8;
    if (at > n || n - at < 8)
        return NULL;
    size_t len = word(b, at, swap), off = word(b, at + 4, swap);
    if (off > n || n - off <= len || b[off + len] != '\0')
        return NULL;
    return (const char *)b + off;
}

/* Turns a GNU .mo catalogue (bytes, owned by c from here on) into sorted pairs. The
 * header entry (empty msgid) and untranslated entries are skipped. */
static int mo_parse(struct cat *c, char *bytes, size_t n, const char *what, struct bl_diag *d)
{
    const unsigned char *b = (const unsigned char *)bytes;
    c->bytes = bytes;
    if (n < 20)
        return bl_diag_set(d, BL_EPARSE, "%s: not a gettext catalogue (too short)", what);
    uint32_t magic = word(b, 0, false);
    bool swap = magic == 0xde120495u;
    if (magic != 0x950412deu && !swap)
        return bl_diag_set(d, BL_EPARSE, "%s: not a gettext catalogue (bad magic)", what);
    uint32_t count = word(b, 8, swap);
    size_t orig = word(b, 12, swap), trans = word(b, 16, swap);
    if (count > n / 8)
        return bl_diag_set(d, BL_EPARSE, "%s: %u strings cannot fit in %zu bytes", what, count, n);
    c->pairs = calloc(count ? count : 1, sizeof(*c->pairs));
    if (!c->pairs)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    for (uint32_t i = 0; i < count; i++) {
        const char *from = mo_string(b, n, orig, i, swap), *to = mo_string(b, n, trans, i, swap);
        if (!from || !to)
            return bl_diag_set(d, BL_EPARSE, "%s: string %u lies outside the file", what, i);
        if (from[0] && to[0])
            c->pairs[c->n++] = (struct pair){from, to};
    }
    qsort(c->pairs, c->n, sizeof(*c->pairs), cmp_pair);
    return BL_OK;
}

/* "pt-BR", "pt_BR.UTF-8", "zh-Hans-CN" -> "pt_BR", "pt_BR", "zh_CN"; "es" -> "es". */
static void posix_tag(const char *locale, char *out, size_t cap)
{
    char lang[9] = "", region[3] = "";
    size_t n = strcspn(locale, "-_.@");
    if (n >= sizeof(lang))
        n = sizeof(lang) - 1;
    for (size_t i = 0; i < n; i++)
        lang[i] = (char)(locale[i] >= 'A' && locale[i] <= 'Z' ? locale[i] + 32 : locale[i]);
    lang[n] = '\0';
    for (const char *s = locale + n; *s == '-' || *s == '_';) {
        s++;
        size_t k = strcspn(s, "-_.@");
        if (k == 2) {
            region[0] = (char)(s[0] >= 'a' && s[0] <= 'z' ? s[0] - 32 : s[0]);
            region[1] = (char)(s[1] >= 'a' && s[1] <= 'z' ? s[1] - 32 : s[1]);
            region[2] = '\0';
            break;
        }
        s += k;
    }
    snprintf(out, cap, "%s%s%s", lang, region[0] ? "_" : "", region);
}

static const struct cat *cat_find(const struct bl_places *p, const char *tag)
{
    for (size_t i = 0; i < p->ncats; i++)
        if (strcmp(p->cats[i].tag, tag) == 0)
            return &p->cats[i];
    return NULL;
}

int bl__places_load_mo(struct bl_places *p, const char *tag, char *bytes, size_t n,
                       const char *what, struct bl_diag *d)
{
    if (p->ncats == LOCALES_MAX) {
        free(bytes);
        return bl_diag_set(d, BL_ETOOBIG, "more than %d place-name languages", LOCALES_MAX);
    }
    struct cat *c = &p->cats[p->ncats];
    memset(c, 0, sizeof(*c));
    bl_str_copy(c->tag, sizeof(c->tag), bl_str_c(tag));
    int rc = mo_parse(c, bytes, n, what, d);
    if (rc) {
        free(c->bytes);
        free(c->pairs);
        memset(c, 0, sizeof(*c));
        return rc;
    }
    p->ncats++;
    return BL_OK;
}

/* Loads root/tag/LC_MESSAGES/iso_3166-2.mo as tag; a missing file records an empty
 * catalogue so the miss is not looked up again. */
static int load_tag(struct bl_places *p, const char *tag, struct bl_diag *d)
{
    if (!tag[0] || cat_find(p, tag))
        return BL_OK;
    char path[700];
    snprintf(path, sizeof(path), "%s/%s/LC_MESSAGES/iso_3166-2.mo", p->mo_root, tag);
    struct bl_buf b = {.max = MO_MAX};
    int rc = bl_file_read(path, MO_MAX, &b, d);
    if (rc == BL_ENOTFOUND) { /* no translation for this language: names stay English */
        bl_diag_clear(d);
        if (p->ncats == LOCALES_MAX)
            return BL_OK;
        struct cat *c = &p->cats[p->ncats++];
        memset(c, 0, sizeof(*c));
        bl_str_copy(c->tag, sizeof(c->tag), bl_str_c(tag));
        return BL_OK;
    }
    if (rc)
        return rc;
    return bl__places_load_mo(p, tag, b.ptr, b.len, path, d);
}

int bl_places_load_locale(struct bl_places *p, const char *locale, struct bl_diag *d)
{
    char tag[16], lang[16];
    posix_tag(locale, tag, sizeof(tag));
    bl_str_copy(lang, sizeof(lang), bl_str_c(tag));
    lang[strcspn(lang, "_")] = '\0';
    int rc = load_tag(p, tag, d);
    if (!rc && strcmp(lang, tag) != 0)
        rc = load_tag(p, lang, d);
    return rc;
}

/* The translation of an English name for locale, or NULL. */
static const char *translate(const struct bl_places *p, const char *locale, const char *en)
{
    char tag[16];
    posix_tag(locale, tag, sizeof(tag));
    for (int pass = 0; pass < 2; pass++) {
        const struct cat *c = cat_find(p, tag);
        if (c && c->n) {
            struct pair k = {en, NULL};
            const struct pair *hit = bsearch(&k, c->pairs, c->n, sizeof(*c->pairs), cmp_pair);
            if (hit)
                return hit->to;
        }
        tag[strcspn(tag, "_")] = '\0';
    }
    return NULL;
}

/* ---- names ------------------------------------------------------------------ */

/* iso-codes names China's provinces and municipalities by their romanised official
 * names ("Zhejiang Sheng", "Beijing Shi"); English readers know them without the
 * administrative word. Only these two suffixes, only in untranslated names. */
static void plain_english(const char *code, const char *name, char *out, size_t cap)
{
    static const char *const suffixes[] = {" Sheng", " Shi"};
    size_t n = strlen(name);
    if (strncmp(code, "CN-", 3) == 0)
        for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
            size_t k = strlen(suffixes[i]);
            if (n > k && strcmp(name + n - k, suffixes[i]) == 0) {
                n -= k;
                break;
            }
        }
    snprintf(out, cap, "%.*s", (int)n, name);
}

static int put(const char *s, char *out, size_t cap, struct bl_diag *d)
{
    if (strlen(s) >= cap)
        return bl_diag_set(d, BL_ETOOBIG, "place name '%s' does not fit %zu bytes", s, cap);
    bl_str_copy(out, cap, bl_str_c(s));
    return BL_OK;
}

int bl_places_country_name(const struct bl_places *p, const char *code, const char *locale,
                           char *out, size_t cap, struct bl_diag *d)
{
    char cc[3], sub[CODE_CAP], id[8], tag[16];
    split(code, cc, sub);
    const struct place *e = strlen(cc) == 2 ? find(p, cc) : NULL;
    if (!e)
        return bl_diag_set(d, BL_ENOTFOUND, "'%s' is not an ISO 3166-1 country", cc);
    snprintf(id, sizeof(id), "und_%s", cc);
    posix_tag(locale, tag, sizeof(tag));
    UChar u[128];
    UErrorCode st = U_ZERO_ERROR;
    int32_t len = uloc_getDisplayCountry(id, tag, u, (int32_t)(sizeof(u) / sizeof(u[0])), &st);
    char utf8[512];
    int32_t n8 = 0;
    if (U_SUCCESS(st) && len > 0) {
        st = U_ZERO_ERROR;
        u_strToUTF8(utf8, (int32_t)sizeof(utf8), &n8, u, len, &st);
        /* ICU answers with the code itself when it has no name. */
        if (U_SUCCESS(st) && n8 > 0 && (size_t)n8 < sizeof(utf8) && strcmp(utf8, cc) != 0)
            return put(utf8, out, cap, d);
    }
    return put(e->name, out, cap, d);
}

int bl_places_name(const struct bl_places *p, const char *code, const char *locale, char *out,
                   size_t cap, struct bl_diag *d)
{
    char cc[3], sub[CODE_CAP];
    split(code, cc, sub);
    const struct place *e = sub[0] ? find(p, sub) : NULL;
    if (!e)
        return bl_places_country_name(p, code, locale, out, cap, d);
    const char *t = translate(p, locale, e->name);
    if (t)
        return put(t, out, cap, d);
    char plain[256];
    plain_english(e->code, e->name, plain, sizeof(plain));
    return put(plain, out, cap, d);
}
