/* comply_rules_fuzz.c - libFuzzer target for bl_comply_rules_parse (data/comply/rules.csv,
 * the tax threshold rules) and the engine over what it accepts.
 *
 * Checks: any input either parses into rules whose invariants hold (a code, a name,
 * regions, a currency, a test with a value above zero, "and" only with both tests, a
 * known period) or fails with a documented code, a message and the file's name; the
 * engine then runs over a few orders to every region of the rules without error and
 * with progress that only grows with the sales. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/comply.h"
#include "ballast/time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_rule(const struct bl_comply_rule *r)
{
    if (!r->code[0] || !r->name[0] || !r->nregions || r->nregions > BL_COMPLY_REGIONS_MAX ||
        strlen(r->currency) != 3 || r->line < 2 || !r->source[0])
        abort();
    if (!r->amount.set && !r->count.set)
        abort();
    if ((r->amount.set && r->amount.value <= 0) || (r->count.set && r->count.value <= 0))
        abort();
    if (r->both && !(r->amount.set && r->count.set))
        abort();
    if ((int)r->period < 0 || (int)r->period > BL_COMPLY_TWELVE_MONTHS)
        abort();
    int64_t a = bl_comply_progress_bp(r, 0, 0), b = bl_comply_progress_bp(r, INT64_MAX / 4, 1000);
    if (a != 0 || b < a)
        abort();
}

/* One order to each region of each rule (up to 64), in the rule's currency. */
static void run(const struct bl_comply_rules *rules)
{
    const char *dests[64];
    struct bl_comply_order o[64];
    struct bl_comply_cur curs[64];
    size_t n = 0;
    int64_t t0 = bl_days_from_civil(2024, 1, 1) * BL_DAY_SECS;
    for (size_t k = 0; k < rules->n && n < 64; k++)
        for (size_t i = 0; i < rules->r[k].nregions && n < 64; i++, n++) {
            dests[n] = rules->r[k].regions[i];
            memcpy(curs[n].code, rules->r[k].currency, 4);
            curs[n].exponent = rules->r[k].exponent;
            o[n] = (struct bl_comply_order){.at = t0 + (int64_t)n * 3600, .amount = 100000,
                                            .dest = (uint32_t)n, .origin = (uint32_t)n,
                                            .cur = (uint32_t)n};
            if (n % 2)
                o[n].origin = 0; /* half of them domestic or from the first region */
        }
    struct bl_comply_in in = {.rules = rules, .dests = dests, .ndests = n, .curs = curs,
                              .ncurs = n, .orders = o, .norders = n, .ngroups = 2,
                              .as_of = t0 + 400 * BL_DAY_SECS};
    struct bl_comply_res res;
    int rc = bl_comply_run(&in, &res);
    if (rc != BL_OK && rc != BL_ENOTFOUND && rc != BL_ENOMEM)
        abort();
    for (size_t s = 0; rc == BL_OK && s < res.n; s++)
        if (res.s[s].progress_bp < 0 || res.s[s].counted < 0 ||
            (res.s[s].status != BL_COMPLY_UNDER && !bl_comply_crossing(&res.s[s])))
            abort();
    bl_comply_res_release(&res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bl_comply_rules r = {0};
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_comply_rules_parse((const char *)data, size, "fuzz.csv", &r, &d);
    if (rc != BL_OK) {
        if ((rc != BL_EPARSE && rc != BL_ERANGE && rc != BL_ETOOBIG && rc != BL_ENOMEM &&
             rc != BL_EUTF8) ||
            d.code != rc || d.msg[0] == '\0' || strcmp(d.file, "fuzz.csv") != 0 || r.r)
            abort();
        return 0;
    }
    if (r.n == 0 || r.n > BL_COMPLY_RULES_MAX)
        abort();
    for (size_t k = 0; k < r.n; k++)
        check_rule(&r.r[k]);
    run(&r);
    bl_comply_rules_release(&r);
    return 0;
}
