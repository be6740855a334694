/* logistics_impl.h - what the logistics use cases share inside src/app. */
#ifndef BL_APP_LOGISTICS_IMPL_H
#define BL_APP_LOGISTICS_IMPL_H

#include "app/logistics.h"

/* *cat = given, or a catalogue loaded here (*own true: the caller releases and frees
 * it with bl__app_lg_drop). */
int bl__app_lg_use(struct bl_store *st, int64_t org, struct bl_app_logistics *given,
                   struct bl_app_logistics **cat, bool *own, struct bl_diag *d) BL_MUST_CHECK;
void bl__app_lg_drop(struct bl_app_logistics *cat, bool own);

/* s copied into a (never NULL: "" when out of memory or s is NULL). */
const char *bl__app_keep(struct bl_arena *a, const char *s);

/* Currency exponent of code (2 when unknown). */
int bl__app_exp(const char *code);

/* The English texts stored in the records (refund.note, ledger.note): written here, in
 * one place (logistics_notes.c), from the codes. */
struct bl_app_refund_res;
struct bl_app_sla_claim;
int bl__app_refund_note(const struct bl_app_refund_res *r, const char *request, char *buf,
                        size_t cap);
void bl__app_sla_note(const struct bl_app_sla_claim *c, char *buf, size_t cap);

#endif
