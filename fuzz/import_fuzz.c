/* import_fuzz.c - libFuzzer target for the importers: the first byte picks a native
 * kind, the rest is the file. Any input must give BL_OK or an error with a message,
 * never a crash, a leak or a half-written batch. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ballast/import.h"
#include "ballast/store.h"

static const char *const kinds[] = {"shops",    "skus",        "warehouses",  "stock",
                                    "suppliers", "inbound",    "orders",      "sales",
                                    "channels", "disruptions", "protections", "calendars",
                                    "rates",    "sku_suppliers", "areas"};

static struct bl_store *store;
static char path[64];

static void setup(void)
{
    struct bl_diag d;
    if (bl_store_open(&store, ":memory:", &d) || bl_store_migrate(store, &d)) {
        fprintf(stderr, "import_fuzz: cannot open the store: %s\n", d.msg);
        _exit(1);
    }
    snprintf(path, sizeof(path), "/tmp/import_fuzz.%d.csv", (int)getpid());
    static const char shops[] = "id,platform,currency,tz,ship_from\n"
                                "s1,amazon,USD,Asia/Shanghai,CN-GD\ns2,temu,EUR,UTC,CN\n";
    static const char skus[] = "id,name\nk1,a\nk2,b\n";
    static const char whs[] = "id,region\nw1,CN-GD\n";
    static const char sups[] = "id,region,lead_days\nsup1,CN-ZJ,10\nsup2,VN,8\n";
    const char *seed[][2] = {
        {"shops", shops}, {"skus", skus}, {"warehouses", whs}, {"suppliers", sups}};
    for (size_t i = 0; i < 4; i++) {
        FILE *f = fopen(path, "wb");
        if (!f)
            _exit(1);
        fputs(seed[i][1], f);
        fclose(f);
        struct bl_import_opts o = {.kind = seed[i][0], .path = path, .org_id = 1};
        struct bl_import_result r;
        if (bl_import(store, &o, &r, &d)) {
            fprintf(stderr, "import_fuzz: seed %s: %s\n", seed[i][0], d.msg);
            _exit(1);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!store)
        setup();
    if (size < 1)
        return 0;
    const char *kind = kinds[data[0] % (sizeof(kinds) / sizeof(kinds[0]))];
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    struct bl_import_opts o = {.kind = kind, .path = path, .org_id = 1};
    struct bl_import_result r;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_import(store, &o, &r, &d);
    if (rc < 0 && !d.msg[0])
        __builtin_trap(); /* every error must say what was expected */
    return 0;
}
