/* disruption.h - the words of a disruption's scope and kind (docs/formats.md), in one
 * place: the importer (src/io/import/import_native.c), the use cases (src/app/disruption.c)
 * and the command line read and write them from these lists.
 *
 * Each list is NULL-terminated, in the order of its enum, static (nothing to free).
 */
#ifndef BALLAST_DISRUPTION_H
#define BALLAST_DISRUPTION_H

#include <stdbool.h>
#include <stdint.h>

/* The end of a disruption declared "until further notice" (no --to, an empty ends_at):
 * the last instant Ballast reads, 9999-12-31T23:59:59Z. It is stored as ends_at, so
 * every window test ([starts_at, ends_at)) treats the disruption as ongoing through any
 * as-of until it is lifted or given an end; it is never shown to a person: a front end
 * asks bl_dis_open_end() and says "until further notice". */
#define BL_DIS_OPEN_END INT64_C(253402300799)

/* Whether an end (ends_at, or an effective end) is "until further notice". */
static inline bool bl_dis_open_end(int64_t end)
{
    return end >= BL_DIS_OPEN_END;
}

enum bl_dis_scope { BL_DIS_ORIGIN = 0, BL_DIS_DESTINATION, BL_DIS_BOTH };

enum bl_dis_kind {
    BL_DIS_LOCKDOWN = 0,
    BL_DIS_STRIKE,
    BL_DIS_ROUTE_SUSPENSION,
    BL_DIS_CARRIER_SUSPENSION,
    BL_DIS_SUPPLIER_SHUTDOWN,
    BL_DIS_HOLIDAY,
    BL_DIS_WEATHER,
    BL_DIS_OTHER,
    BL_DIS_SERVICE_CLOSURE /* customer service closed: delays no shipment; notices say
                              when service resumes (and only then do they say it) */
};

extern const char *const bl_dis_scopes[]; /* "origin", "destination", "both" */
extern const char *const bl_dis_kinds[];  /* "lockdown", "strike", ..., "other",
                                             "customer_service_closure" */

/* The index of word s in a NULL-terminated list, or -1 when it is not there. */
int bl_dis_word(const char *const *list, const char *s);

#endif
