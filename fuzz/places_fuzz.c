/* places_fuzz.c - libFuzzer target for the gettext catalogue reader of places.c.
 *
 * Input: the bytes of a .mo file. It is loaded as a catalogue; a well-formed one must
 * then answer name lookups (every answer a NUL-terminated string that fits), and a
 * malformed one must be refused with BL_EPARSE and nothing leaked.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/places.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Loading the whole ISO lists costs 30 ms a run: the fuzzer gets a directory with a few
 * entries of each, written once. */
static char dir[] = "/tmp/places_fuzz.XXXXXX";

static void put(const char *name, const char *text)
{
    char path[sizeof(dir) + 32];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!mkdtemp(dir))
        abort();
    put("iso_3166-1.json", "{\"3166-1\": [{\"alpha_2\": \"CN\", \"name\": \"China\"},"
                           " {\"alpha_2\": \"US\", \"name\": \"United States\"}]}");
    put("iso_3166-2.json", "{\"3166-2\": [{\"code\": \"CN-ZJ\", \"name\": \"Zhejiang Sheng\"},"
                           " {\"code\": \"US-CA\", \"name\": \"California\"}]}");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_places *p = NULL;
    if (bl_places_open(dir, NULL, &p, &d) != BL_OK)
        abort();
    char *bytes = malloc(size ? size : 1);
    if (!bytes)
        abort();
    memcpy(bytes, data, size);
    int rc = bl__places_load_mo(p, "qq", bytes, size, "fuzz.mo", &d);
    if (rc != BL_OK && rc != BL_EPARSE && rc != BL_ENOMEM)
        abort();
    char out[64];
    const char *codes[] = {"CN-ZJ", "US-CA", "BR-SP", "CN"};
    for (size_t i = 0; i < 4; i++)
        if (bl_places_name(p, codes[i], "qq", out, sizeof(out), &d) == BL_OK &&
            strlen(out) >= sizeof(out))
            abort();
    bl_places_close(p);
    return 0;
}
