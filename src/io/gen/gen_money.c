/* gen_money.c - the generator's sourcing and money files: sku_suppliers.csv (each SKU's
 * primary supplier, the one its purchase orders go to, and for most a backup, with a
 * unit cost in CNY and sometimes a SKU-specific MOQ) and rates.csv (a daily exchange
 * rate to USD for every other currency the dataset uses, a small random walk). */
#include "io/gen/gen_impl.h"

static void seed_writer(const struct bl_gen *g, struct bl__rng *r, enum bl_gen_file f)
{
    bl__rng_seed(r, g->o.seed, 100 + (uint64_t)f);
}

int bl__write_sku_suppliers(struct bl_gen *g, struct bl__sink *s)
{
    bl__sink_header(s, "sku,supplier,rank,unit_cost,currency,moq");
    struct bl__rng r;
    seed_writer(g, &r, BL_GEN_SKU_SUPPLIERS);
    int64_t nsup = g->nsup;
    for (int64_t k = 0; k < g->o.skus; k++) {
        /* the primary is the supplier its purchase orders go to (gen_files.c, inbound) */
        int64_t prim = k % nsup;
        int64_t backup = -1;
        if (nsup > 1 && bl__rng_pm(&r, 700))
            backup = (prim + 1 + (int64_t)bl__rng_below(&r, (uint64_t)(nsup - 1))) % nsup;
        /* cost: 30-55% of the USD list price, in CNY at about 7.1 */
        int64_t cost = g->skus[k].cents * 71 * bl__rng_range(&r, 30, 55) / 1000;
        for (int rank = 1; rank <= (backup >= 0 ? 2 : 1); rank++) {
            int64_t j = rank == 1 ? prim : backup;
            const struct bl__supplier *sp = &g->sups[j];
            char *p = bl__sink_row(s);
            p = bl__put_sku_id(p, g, k);
            *p++ = ',';
            p = bl__put_sup_id(p, g, j);
            *p++ = ',';
            p = bl__put_u64(p, (uint64_t)rank);
            *p++ = ',';
            p = bl__put_money(p, rank == 1 ? cost : cost + cost / 10, 2);
            p = bl__puts(p, ",CNY,");
            /* a third of the rows agree a smaller MOQ for this SKU, in case packs */
            if (bl__rng_pm(&r, 330) && sp->moq > 2 * sp->case_pack)
                p = bl__put_u64(p, (uint64_t)((sp->moq / 2 + sp->case_pack - 1) / sp->case_pack *
                                              sp->case_pack));
            *p++ = '\n';
            bl__sink_end_row(s, p);
        }
    }
    return BL_OK;
}

int bl__write_rates(struct bl_gen *g, struct bl__sink *s)
{
    bl__sink_header(s, "date,from,to,rate");
    struct bl__rng r;
    seed_writer(g, &r, BL_GEN_RATES);
    /* 1 unit in USD, in 10^-8 */
    static const char *const cur[] = {"CNY", "EUR", "GBP", "JPY", "BRL"};
    int64_t v[] = {13900000, 108500000, 127000000, 665000, 17500000};
    /* a week before the first day, so a report of the first day finds a rate */
    for (int64_t day = g->o.start_day - 7; day < g->o.start_day + g->o.days; day++) {
        for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
            v[i] += v[i] * bl__rng_range(&r, -20, 20) / 10000;
            char *p = bl__sink_row(s);
            p = bl__put_date(p, day);
            *p++ = ',';
            p = bl__puts(p, cur[i]);
            p = bl__puts(p, ",USD,");
            p = bl__put_money(p, v[i], 8);
            *p++ = '\n';
            bl__sink_end_row(s, p);
        }
    }
    return BL_OK;
}
