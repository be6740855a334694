/* whatif_fuzz.c - libFuzzer target for bl_wi_assume_parse (the what-if assumption file,
 * docs/formats.md "What-if assumptions").
 *
 * Checks: any input either parses into events whose invariants hold (a known event, a
 * line, from before to, the columns the event needs, percentages and lead times in range)
 * or fails with a documented code, a message and the file's name, leaving the result
 * zeroed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/disruption.h"
#include "ballast/whatif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct bl_wi_event *e)
{
    if ((int)e->kind < 0 || e->kind >= BL_WI_NKINDS || e->line < 2 || e->to <= e->from)
        abort();
    switch (e->kind) {
    case BL_WI_DISRUPTION:
        if (!e->region[0] || e->scope < 0 || e->scope > BL_DIS_BOTH || e->dis_kind < 0)
            abort();
        break;
    case BL_WI_SUPPLIER_SHUTDOWN:
    case BL_WI_LEAD_TIME:
        if (!e->supplier || !e->supplier[0] || e->lead_days < 0 || e->lead_days > 365)
            abort();
        break;
    case BL_WI_CHANNEL_SUSPENSION:
        if (!e->channel || !e->channel[0])
            abort();
        break;
    case BL_WI_CHANNEL_PRICE: /* a percentage, or a new rate per kg with its currency */
        if (!e->channel || !e->channel[0] || (e->per_kg >= 0) != (strlen(e->currency) == 3) ||
            (e->per_kg >= 0 && e->pct_bp != 0) || e->per_kg < -1)
            abort();
        break;
    case BL_WI_DEMAND:
        if (!e->sku == !e->category || bl_dis_open_end(e->to))
            abort();
        break;
    default:
        abort();
    }
    if (e->pct_bp < BL_WI_PCT_MIN || e->pct_bp > BL_WI_PCT_MAX)
        abort();
    if (e->kind != BL_WI_CHANNEL_PRICE && (e->per_kg != -1 || e->currency[0]))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bl_wi_assume a;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_wi_assume_parse((const char *)data, size, "fuzz.csv", NULL, &a, &d);
    if (rc != BL_OK) {
        if ((rc != BL_EPARSE && rc != BL_ERANGE && rc != BL_ETOOBIG && rc != BL_ENOMEM &&
             rc != BL_EUTF8) ||
            d.code != rc || d.msg[0] == '\0' || strcmp(d.file, "fuzz.csv") != 0 || a.ev || a.n)
            abort();
        return 0;
    }
    if (a.n == 0 || a.n > BL_WI_EVENTS_MAX)
        abort();
    for (size_t k = 0; k < a.n; k++)
        check(&a.ev[k]);
    bl_wi_assume_release(&a);
    return 0;
}
