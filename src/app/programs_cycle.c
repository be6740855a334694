/* programs_cycle.c - the cycle's watch step: every programme evaluated as of the
 * cycle's as-of (programs.h, docs/internals/cycle.md). */
#include "app/cycle_impl.h"
#include "app/programs.h"

int bl_app_programs_cycle(struct bl_store *st, int64_t org, int64_t as_of, int64_t now,
                          int64_t cycle_id, bool dry_run, struct bl_app_cycle_step *s,
                          struct bl_diag *d)
{
    struct bl_app_programs_res all;
    int rc = bl_app_programs(st, org, &all, d);
    size_t n = all.n;
    bl_app_programs_res_release(&all);
    if (rc || n == 0) /* none: the step keeps what the other watches said */
        return rc;
    struct bl_app_programs_eval_req req = {
        .as_of = as_of, .dry_run = dry_run, .now = now, .cycle_id = cycle_id};
    struct bl_app_programs_eval_res res;
    rc = bl_app_programs_eval(st, org, &req, &res, d);
    if (!rc) {
        bl__cycle_count(s, "programs", (int64_t)n);
        bl__cycle_count(s, "program_members", (int64_t)res.members);
        bl__cycle_count(s, "program_joined", (int64_t)res.joined);
        bl__cycle_count(s, "program_lost", (int64_t)res.left);
        bl__cycle_count(s, "program_messages", (int64_t)res.messages_new);
    }
    bl_app_programs_eval_res_release(&res);
    return rc;
}
