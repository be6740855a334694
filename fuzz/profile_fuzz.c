/* profile_fuzz.c - libFuzzer target for bl_profile_parse (profiles/NAME.json).
 *
 * Checks: any input either parses into a profile whose invariants hold (bands in
 * descending order ending at 0, rules with good better than bad, basis points in
 * 0..10000, limits min <= max) or fails with BL_EPARSE and a message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/assess.h"
#include "ballast/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bl_profile p;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_profile_parse((const char *)data, size, "fuzz.json", &p, &d);
    if (rc != BL_OK) {
        if (rc != BL_EPARSE || d.code != rc || d.msg[0] == '\0')
            abort();
        return 0;
    }
    if (p.nrules == 0 || p.nrules > BL_RULES_MAX || p.nbands == 0 || p.nbands > BL_BANDS_MAX)
        abort();
    if (p.bands[p.nbands - 1].min_score != 0 || p.comp_bp < 0 || p.comp_bp > 10000)
        abort();
    for (size_t k = 1; k < p.nbands; k++)
        if (p.bands[k].min_score >= p.bands[k - 1].min_score)
            abort();
    for (size_t k = 0; k < p.nrules; k++) {
        const struct bl_rule *r = &p.rules[k];
        if (bl_metric_lower_better(r->metric) ? r->good >= r->bad : r->good <= r->bad)
            abort();
    }
    for (size_t k = 0; k < p.nlimits; k++)
        if (p.limits[k].min < 0 || p.limits[k].max < p.limits[k].min)
            abort();
    struct bl_shop_rates rates[BL_RULES_MAX];
    memset(rates, 0, sizeof(rates));
    double score;
    char label[16];
    bl_assess_rating(&p, rates, &score, label);
    (void)bl_coupon_amount(&p, 123456, p.nlimits ? p.limits[0].currency : "USD");
    return 0;
}
