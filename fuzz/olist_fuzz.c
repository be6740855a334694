/* olist_fuzz.c - libFuzzer target for the Olist dataset adapter (`import olist DIR`).
 *
 * Input: the dataset's six files, separated by NUL bytes, in the order sellers,
 * category translation, products, customers, orders, items (a missing part is an empty
 * file; a file past the sixth is ignored). They are written to a directory and imported
 * into an in-memory store that already has an earlier Olist batch (so the "already in
 * the store" paths run too). Any input must give BL_OK or an error with a message,
 * never a crash, a leak or a half-written batch: a failed import leaves the store's row
 * counts as they were. Seeded with a small consistent slice of the real dataset
 * (fuzz/corpus/olist, scripts/fuzz-seed.sh). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ballast/import.h"
#include "ballast/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const files[] = {
    "olist_sellers_dataset.csv",  "product_category_name_translation.csv",
    "olist_products_dataset.csv", "olist_customers_dataset.csv",
    "olist_orders_dataset.csv",   "olist_order_items_dataset.csv"};
#define NFILES (sizeof(files) / sizeof(files[0]))

static struct bl_store *store;
static char dir[64];

static void put(const char *name, const void *p, size_t n)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
        abort();
}

/* The rows of the tables an import writes, summed: equal before and after a failure. */
static int64_t rows(void)
{
    int64_t n = 0;
    struct bl_diag d;
    if (bl_store_query_int(store,
                           "SELECT (SELECT COUNT(*) FROM shop) + (SELECT COUNT(*) FROM sku) + "
                           "(SELECT COUNT(*) FROM orders) + (SELECT COUNT(*) FROM order_line) + "
                           "(SELECT COUNT(*) FROM import_batch)",
                           NULL, 0, &n, &d))
        abort();
    return n;
}

/* The directory goes when the fuzzer exits (each fork-mode job is a process). */
static void cleanup(void)
{
    char path[128];
    for (size_t i = 0; i < NFILES; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static void setup(void)
{
    struct bl_diag d;
    if (bl_store_open(&store, ":memory:", &d) || bl_store_migrate(store, &d)) {
        fprintf(stderr, "olist_fuzz: cannot open the store: %s\n", d.msg);
        _exit(1);
    }
    snprintf(dir, sizeof(dir), "/tmp/olist_fuzz.%d", (int)getpid());
    char cmd[96];
    snprintf(cmd, sizeof(cmd), "mkdir -p %s", dir);
    if (system(cmd) != 0)
        _exit(1);
    atexit(cleanup);
    /* An earlier batch: one seller, product, customer and order with its item. */
    static const char *const seed[NFILES] = {
        "seller_id,seller_zip_code_prefix,seller_city,seller_state\ns1,01310,sao paulo,SP\n",
        "product_category_name,product_category_name_english\nutilidades,housewares\n",
        "product_id,product_category_name,product_weight_g\np1,utilidades,500\n",
        "customer_id,customer_unique_id,customer_zip_code_prefix,customer_city,"
        "customer_state\nc1,u1,20040,rio de janeiro,RJ\n",
        "order_id,customer_id,order_status,order_purchase_timestamp,order_approved_at,"
        "order_delivered_carrier_date,order_delivered_customer_date,"
        "order_estimated_delivery_date\no1,c1,delivered,2018-05-02 10:00:00,,"
        "2018-05-04 10:00:00,2018-05-10 10:00:00,2018-05-20 00:00:00\n",
        "order_id,order_item_id,product_id,seller_id,shipping_limit_date,price,"
        "freight_value\no1,1,p1,s1,2018-05-06 10:00:00,10.50,2.00\n"};
    for (size_t i = 0; i < NFILES; i++)
        put(files[i], seed[i], strlen(seed[i]));
    struct bl_import_opts o = {.kind = "olist", .path = dir, .org_id = 1};
    struct bl_import_result r;
    if (bl_import(store, &o, &r, &d)) {
        fprintf(stderr, "olist_fuzz: the seed batch: %s\n", d.msg);
        _exit(1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!store)
        setup();
    size_t start = 0;
    for (size_t f = 0; f < NFILES; f++) {
        const uint8_t *nul = start < size ? memchr(data + start, 0, size - start) : NULL;
        size_t end = nul ? (size_t)(nul - data) : size;
        put(files[f], data + (start < size ? start : size), start < size ? end - start : 0);
        start = end + 1;
    }
    int64_t before = rows();
    struct bl_import_opts o = {.kind = "olist", .path = dir, .org_id = 1};
    struct bl_import_result r;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_import(store, &o, &r, &d);
    if (rc < 0 && !d.msg[0])
        __builtin_trap(); /* every error must say what was expected */
    if (rc < 0 && rows() != before)
        __builtin_trap(); /* all or nothing */
    return 0;
}
