/* programs_impl.h - what the files of the programmes share (internal to src/app). */
#ifndef BL_APP_PROGRAMS_IMPL_H
#define BL_APP_PROGRAMS_IMPL_H

#include <jansson.h>

#include "app/programs.h"

/* Stores the decisions of res (one transaction) and queues the merchants' messages. */
int bl__programs_store(struct bl_store *st, int64_t org, const struct bl_app_programs_eval_req *req,
                       struct bl_app_programs_eval_res *res, const struct bl_member_row *prior,
                       size_t np, struct bl_diag *d) BL_MUST_CHECK;

/* The stored record of (program, the shop's organisation, shop), or NULL (prior sorted
 * so, as bl_store_program_members gives them). */
const struct bl_member_row *bl__programs_prior(const struct bl_member_row *prior, size_t np,
                                               int64_t program, int64_t shop_org, int64_t shop);

/* The merchants a marketplace decides, into res->shops: org's shops by id, then those of
 * each organisation it governs (programs_shops.c). */
int bl__programs_shops(struct bl_store *st, int64_t org, struct bl_app_programs_eval_res *res,
                       struct bl_diag *d) BL_MUST_CHECK;
/* The engine's id of the shop res->shops[i] is linked to (its place + 1, in the same
 * organisation), 0: none. The engine knows shop i as i + 1: ids of different
 * organisations may be equal. */
int64_t bl__programs_linked(const struct bl_app_programs_eval_res *res, size_t i);

/* The language a merchant is written to in: zh-CN for a shop on a Chinese platform
 * (douyin, kuaishou, taobao, jd, pinduoduo), else en. */
const char *bl__programs_locale(const char *platform);

/* A decision's benefits as stored: [{"what", "amount", "currency"}] (NULL: out of memory). */
json_t *bl__programs_benefits(const struct bl_program *p, const struct bl_app_pg_decision *x);

#endif
