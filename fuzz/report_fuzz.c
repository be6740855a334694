/* report_fuzz.c - libFuzzer target for the platform report adapters (amazon, shopify,
 * tiktok, temu): the first byte picks the adapter (0 amazon, 1 shopify, 2 tiktok, 3 temu), the rest is the file, imported for a shop that
 * has SKUs and orders already (so the sink's update path runs too). Any input must
 * give BL_OK or an error with a message, never a crash, a leak or a half-written
 * batch. Seeded with tests/data/reports (fuzz/corpus/report). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ballast/import.h"
#include "ballast/store.h"

static const char *const kinds[] = {"amazon", "shopify", "tiktok", "temu"};
static const char *const shops[] = {"s1", "s1", "tt1", "tm1"};

static struct bl_store *store;
static char path[64];

static void seed(const char *kind, const char *text, const char *shop)
{
    struct bl_diag d;
    FILE *f = fopen(path, "wb");
    if (!f)
        _exit(1);
    fputs(text, f);
    fclose(f);
    struct bl_import_opts o = {.kind = kind, .path = path, .shop = shop, .org_id = 1};
    struct bl_import_result r;
    if (bl_import(store, &o, &r, &d)) {
        fprintf(stderr, "report_fuzz: seed %s: %s\n", kind, d.msg);
        _exit(1);
    }
}

static void setup(void)
{
    struct bl_diag d;
    if (bl_store_open(&store, ":memory:", &d) || bl_store_migrate(store, &d)) {
        fprintf(stderr, "report_fuzz: cannot open the store: %s\n", d.msg);
        _exit(1);
    }
    snprintf(path, sizeof(path), "/tmp/report_fuzz.%d.txt", (int)getpid());
    seed("shops",
         "id,platform,currency,tz,ship_from\n"
         "s1,amazon,USD,America/Los_Angeles,CN-GD\n"
         "tt1,tiktok-shop,USD,America/Los_Angeles,US-CA\n"
         "tm1,temu,USD,America/Los_Angeles,US-CA\n",
         NULL);
    seed("skus",
         "id,name\nKB-USB2,a\nKB-LAMP,b\nKB-STAND,c\nTT-MUG,mug\nTT-CAP,cap\nTM-LAMP,lamp\n"
         "TM-BULB,bulbs\n",
         NULL);
    seed("amazon",
         "amazon-order-id\tpurchase-date\tlast-updated-date\torder-status\tfulfillment-channel\t"
         "sku\tquantity\tcurrency\titem-price\tship-country\n"
         "113-4410001-2210007\t2024-10-01T16:15:02+00:00\t2024-10-01T16:45:10+00:00\tUnshipped\t"
         "Merchant\tKB-USB2\t2\tUSD\t25.98\tUS\n"
         "113-4410005-2210035\t2024-10-01T20:30:00+00:00\t2024-10-02T01:12:40+00:00\tShipped\t"
         "Merchant\tKB-STAND\t3\tUSD\t26.85\tUS\n",
         "s1");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!store)
        setup();
    if (size < 1)
        return 0;
    const char *kind = kinds[data[0] % 4];
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    struct bl_import_opts o = {.kind = kind, .path = path, .shop = shops[data[0] % 4],
                               .org_id = 1};
    struct bl_import_result r;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_import(store, &o, &r, &d);
    if (rc < 0 && !d.msg[0])
        __builtin_trap(); /* every error must say what was expected */
    return 0;
}
