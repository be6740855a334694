/* shop_settings_fuzz.c - libFuzzer target for `ballast shops import FILE`
 * (bl_app_shop_settings_import): the input is the settings file, read into a store with
 * two shops. Any input gives BL_OK or an error with a message, never a crash or a
 * leak; a failed import changes no shop (all or nothing), and one that succeeds leaves
 * only valid settings behind. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/messages.h"
#include "ballast/import.h"
#include "ballast/store.h"

static struct bl_store *store;
static char path[64];

static void setup(void)
{
    struct bl_diag d;
    if (bl_store_open(&store, ":memory:", &d) || bl_store_migrate(store, &d)) {
        fprintf(stderr, "shop_settings_fuzz: cannot open the store: %s\n", d.msg);
        _exit(1);
    }
    snprintf(path, sizeof(path), "/tmp/shop_settings_fuzz.%d.csv", (int)getpid());
    FILE *f = fopen(path, "wb");
    if (!f)
        _exit(1);
    fputs("id,platform,currency,tz\ns1,amazon,USD,UTC\ns2,temu,EUR,UTC\n", f);
    fclose(f);
    struct bl_import_opts o = {.kind = "shops", .path = path, .org_id = 1};
    struct bl_import_result r;
    if (bl_import(store, &o, &r, &d)) {
        fprintf(stderr, "shop_settings_fuzz: seed: %s\n", d.msg);
        _exit(1);
    }
}

/* A fingerprint of every shop's settings. */
static int64_t state(void)
{
    struct bl_diag d;
    int64_t n = 0;
    if (bl_store_query_int(store,
                           "SELECT COALESCE(SUM(LENGTH(COALESCE(account_url, ''))"
                           " + 3 * LENGTH(COALESCE(support_contact, ''))"
                           " + 5 * LENGTH(COALESCE(signature, ''))"
                           " + 7 * LENGTH(COALESCE(sender_address, ''))), -1) + COUNT(*) * 100000"
                           " FROM shop_setting",
                           NULL, 0, &n, &d))
        __builtin_trap();
    return n;
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
    int64_t before = state();
    struct bl_diag d;
    bl_diag_clear(&d);
    size_t set = 0;
    int rc = bl_app_shop_settings_import(store, 1, path, 1, &set, &d);
    if (rc < 0 && !d.msg[0])
        __builtin_trap(); /* every error says what was wrong */
    if (rc && (set || state() != before))
        __builtin_trap(); /* all or nothing */
    int64_t bad = 0;
    if (bl_store_query_int(store,
                           "SELECT COUNT(*) FROM shop_setting WHERE (account_url IS NOT NULL"
                           " AND account_url NOT LIKE 'http%://%')"
                           " OR (sender_address IS NOT NULL AND sender_address NOT LIKE '%@%.%')",
                           NULL, 0, &bad, &d) ||
        bad)
        __builtin_trap();
    return 0;
}
