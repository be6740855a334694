/* program_fuzz.c - libFuzzer target for bl_program_parse (data/programs/NAME.json) and
 * the engine on what it parsed.
 *
 * Checks: any input either parses into a programme whose invariants hold (an id and both
 * names, a condition or a coverage, 1..BL_PG_BENEFITS_MAX benefits with positive amounts
 * and a cap not negative) or fails with BL_EPARSE and a message; a parsed programme
 * decides a few merchants without a crash, and its budgets divide into shares that add
 * up to the budget with what is left unallocated, none over the cap. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/assess.h"
#include "ballast/programs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_shares(const struct bl_pg_benefit *b)
{
    bool in[4] = {true, true, false, true};
    int64_t w[4] = {7, 0, 5, INT64_C(1) << 40}, s[4], left = -1;
    if (bl_pg_share(b, in, w, 4, s, &left) != BL_OK)
        abort();
    int64_t sum = left;
    for (size_t i = 0; i < 4; i++) {
        if (s[i] < 0 || (b->kind == BL_PG_SUBSIDY && b->cap && s[i] > b->cap))
            abort();
        sum += s[i];
    }
    if (b->kind == BL_PG_SUBSIDY && sum != b->amount)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bl_program p;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_program_parse((const char *)data, size, "fuzz.json", &p, &d);
    if (rc != BL_OK) {
        if (rc != BL_EPARSE || d.code != rc || d.msg[0] == '\0')
            abort();
        return 0;
    }
    if (!p.id[0] || !p.name_en[0] || !p.name_zh[0] || (!p.nconds && !p.coverage) ||
        p.nbenefits == 0 || p.nbenefits > BL_PG_BENEFITS_MAX)
        abort();
    for (size_t k = 0; k < p.nbenefits; k++) {
        if (p.benefits[k].amount <= 0 || p.benefits[k].cap < 0)
            abort();
        check_shares(&p.benefits[k]);
    }
    struct bl_pg_merchant m[2] = {{.id = 1,
                                   .region = "CN-SH",
                                   .opened_at = 10,
                                   .deposit_paid_at = 20,
                                   .sharing_at = 30,
                                   .violation_at = BL_NO_TIME,
                                   .linked_to = 2,
                                   .first_order = 5},
                                  {.id = 2,
                                   .opened_at = BL_NO_TIME,
                                   .reopened = true,
                                   .deposit_paid_at = BL_NO_TIME,
                                   .sharing_at = BL_NO_TIME,
                                   .violation_at = 40,
                                   .linked_to = 1,
                                   .first_order = BL_NO_TIME}};
    struct bl_pg_disruption x = {9, "lockdown", {"CN", BL_SCOPE_BOTH, NULL, false, 0, 100}};
    struct bl_pg_verdict v[2];
    bl_pg_eval(&p, m, 2, &x, 1, 50, v);
    for (size_t i = 0; i < 2; i++)
        if (!bl_pg_reason_name(v[i].reason))
            abort();
    return 0;
}
