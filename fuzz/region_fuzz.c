/* region_fuzz.c - libFuzzer target for bl_region_parse and the region trie.
 *
 * Input: up to 16 candidate codes separated by '\n'. Each is parsed; an accepted
 * code must be canonical (re-parses to itself). The accepted codes are interned
 * into a fresh trie, and for every pair the trie's containment must agree with
 * bl_region_contains on the text; find and find_prefix must agree with intern.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/alloc.h"
#include "ballast/region.h"

#define MAX_CODES 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char codes[MAX_CODES][BL_REGION_MAX];
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= size && n < MAX_CODES; i++) {
        if (i < size && data[i] != '\n')
            continue;
        struct bl_str s = {(const char *)data + start, i - start};
        start = i + 1;
        struct bl_diag d;
        bl_diag_clear(&d);
        char out[BL_REGION_MAX];
        int rc = bl_region_parse(s, out, &d);
        if (rc != BL_OK) {
            if (rc != BL_EPARSE || d.code != BL_EPARSE || d.msg[0] == '\0' || out[0] != '\0')
                abort();
            continue;
        }
        size_t len = strlen(out);
        if (len == 0 || len >= BL_REGION_MAX)
            abort();
        char again[BL_REGION_MAX];
        if (bl_region_parse((struct bl_str){out, len}, again, NULL) != BL_OK ||
            strcmp(out, again) != 0)
            abort();
        memcpy(codes[n++], out, len + 1);
    }
    if (n == 0)
        return 0;

    struct bl_arena a = BL_ARENA_INIT;
    struct bl_regions *r = bl_regions_new(&a);
    if (!r)
        abort();
    uint32_t ids[MAX_CODES];
    for (size_t i = 0; i < n; i++) {
        if (bl_regions_intern(r, bl_str_c(codes[i]), &ids[i]) != BL_OK || ids[i] == 0)
            abort();
        if (strcmp(bl_regions_name(r, ids[i]), codes[i]) != 0)
            abort();
    }
    uint32_t count = bl_regions_count(r);
    for (size_t i = 0; i < n; i++) {
        struct bl_str ci = bl_str_c(codes[i]);
        if (bl_regions_find(r, ci) != ids[i] || bl_regions_find_prefix(r, ci) != ids[i])
            abort();
        for (size_t j = 0; j < n; j++) {
            bool text = bl_region_contains(ci, bl_str_c(codes[j]));
            if (bl_regions_contains(r, ids[i], ids[j]) != text)
                abort();
        }
        /* Each parent contains its child and is one level up. */
        for (uint32_t id = ids[i]; id != 0; id = bl_regions_parent(r, id)) {
            uint32_t p = bl_regions_parent(r, id);
            if (bl_regions_depth(r, id) != bl_regions_depth(r, p) + 1 ||
                !bl_region_contains(bl_str_c(bl_regions_name(r, p)),
                                    bl_str_c(bl_regions_name(r, id))))
                abort();
        }
    }
    if (bl_regions_count(r) != count) /* lookups never create nodes */
        abort();
    bl_arena_release(&a);
    return 0;
}
