/* logistics_notes.c - the English texts the logistics use cases store in their records
 * (refund.note, ledger.note for SLA waivers), written from the reason codes in this one
 * place. Front ends render the codes themselves; these strings are records, kept as
 * they always were (reports and tests read them). */
#include <stdio.h>
#include <string.h>

#include "app/logistics_impl.h"

#include "ballast/money.h"

static const char *money(int64_t minor, int exp, char *buf, size_t cap)
{
    if (bl_money_format(minor, exp, buf, cap) < 0)
        snprintf(buf, cap, "%lld", (long long)minor);
    return buf;
}

void bl__app_sla_note(const struct bl_app_sla_claim *c, char *buf, size_t cap)
{
    char deadline[BL_ISO_MAX];
    bl_time_format(c->deadline, deadline);
    snprintf(buf, cap, "channel %s: not delivered within %lld days of shipping (by %s)%s%s%s",
             c->channel, (long long)c->sla_days, deadline, c->remedy[0] ? "; " : "", c->remedy,
             c->priced ? "" : "; freight unknown (no rate for the lane)");
}

int bl__app_refund_note(const struct bl_app_refund_res *r, const char *request, char *note,
                        size_t cap)
{
    char amt[40], thr[40], cost[40] = "", share[40];
    money(r->threshold, r->exp, thr, sizeof(thr));
    money(r->refund, r->exp, amt, sizeof(amt));
    money(r->share_bp, 2, share, sizeof(share));
    size_t sl = strlen(share);
    if (sl > 3 && strcmp(share + sl - 3, ".00") == 0)
        share[sl - 3] = 0;
    if (r->has_return_cost)
        money(r->return_cost, r->exp, cost, sizeof(cost));
    const char *stage = r->delivered ? "delivered" : "in transit";
    const char *to = r->to[0] ? r->to : "(no ship-to)";
    switch (r->reason) {
    case BL_APP_REFUND_NOT_SHIPPED:
    case BL_APP_REFUND_CANCELLED:
        snprintf(note, cap, "not shipped%s: cancel and refund %s %s in full",
                 r->reason == BL_APP_REFUND_CANCELLED ? " (already cancelled)" : "", amt,
                 r->currency);
        break;
    case BL_APP_REFUND_WAREHOUSE:
        snprintf(note, cap,
                 "%s; overseas warehouse %s (%s) serves %s: return there, refund %s %s "
                 "in full on receipt",
                 stage, r->warehouse, r->warehouse_region, r->to, amt, r->currency);
        break;
    case BL_APP_REFUND_RETURN_TOO_DEAR:
        snprintf(note, cap,
                 "%s; no overseas warehouse in %s; return shipping %s -> %s costs %s "
                 "%s (%s), more than %s%% of the order (%s): refund %s and the buyer "
                 "keeps the item",
                 stage, r->to, r->to, r->from, cost, r->currency, r->via, share, thr, amt);
        break;
    case BL_APP_REFUND_NO_RETURN_QUOTE:
        snprintf(note, cap,
                 "%s; no overseas warehouse in %s; no available channel quotes the "
                 "return %s -> %s in %s: refund %s%% (%s) and the buyer keeps the "
                 "item",
                 stage, to, r->to, r->from, r->currency, share, amt);
        break;
    case BL_APP_REFUND_RETURN_CHEAP:
        snprintf(note, cap,
                 "%s; no overseas warehouse in %s; return shipping %s -> %s costs %s %s "
                 "(%s), within %s%% of the order (%s): return to %s, refund %s in full "
                 "on receipt",
                 stage, r->to, r->to, r->from, cost, r->currency, r->via, share, thr, r->from, amt);
        break;
    case BL_APP_REFUND_RECORDED:
        return BL_EINVAL;
    }
    if (request && strlen(note) + strlen(request) + 20 < cap) {
        size_t nl = strlen(note);
        snprintf(note + nl, cap - nl, "; request: %s", request);
    }
    return BL_OK;
}
