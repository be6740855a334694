/* temu_fuzz.c - libFuzzer target for Temu's order export (temu.c): the zone suffixes, the 12-hour
 * clock, consecutive order rows. Any input must give BL_OK or an error with a message, never a
 * crash, a leak or a half-written batch. Seeded from fuzz/corpus/temu/ (the test exports). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ballast/import.h"
#include "ballast/store.h"

static struct bl_store *store;
static char path[64];

static void put(const char *text)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        _exit(1);
    fputs(text, f);
    fclose(f);
}

static void setup(void)
{
    struct bl_diag d;
    if (bl_store_open(&store, ":memory:", &d) || bl_store_migrate(store, &d)) {
        fprintf(stderr, "temu_fuzz: cannot open the store: %s\n", d.msg);
        _exit(1);
    }
    snprintf(path, sizeof(path), "/tmp/temu_fuzz.%d.csv", (int)getpid());
    const char *seed[][2] = {
        {"shops", "id,platform,currency,tz,ship_from\ntm1,temu,USD,America/Los_Angeles,US-CA\n"},
        {"skus", "id,name\nTM-LAMP,lamp\nTM-BULB,bulbs\n"}};
    for (size_t i = 0; i < 2; i++) {
        put(seed[i][1]);
        struct bl_import_opts o = {.kind = seed[i][0], .path = path, .org_id = 1};
        struct bl_import_result r;
        if (bl_import(store, &o, &r, &d)) {
            fprintf(stderr, "temu_fuzz: seed %s: %s\n", seed[i][0], d.msg);
            _exit(1);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!store)
        setup();
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    struct bl_import_opts o = {.kind = "temu", .path = path, .org_id = 1, .shop = "tm1"};
    struct bl_import_result r;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_import(store, &o, &r, &d);
    if (rc < 0 && !d.msg[0])
        __builtin_trap(); /* every error must say what was expected */
    return 0;
}
