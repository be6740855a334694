/* ledger.h - the deposit ledger, typed (store family "ledger"): coupons paid from a
 * shop's deposit, carrier SLA freight waivers credited to it, top-ups. Each entry has an
 * idempotency key, unique per organisation: adding an entry whose key exists adds
 * nothing, so a step run twice writes each entry once.
 *
 * Strings in an entry are borrowed for the call. */
#ifndef BL_STORE_LEDGER_H
#define BL_STORE_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/alloc.h"
#include "ballast/store.h"

struct bl_ledger_entry {
    int64_t shop_id;
    const char *kind;     /* coupon | sla_waiver | topup */
    int64_t amount;       /* minor units of currency; a debit is negative */
    const char *currency; /* ISO 4217 */
    int64_t balance;      /* the balance after this entry of the account it moves, in
                           * currency: the deposit (coupon, topup) or the freight waivers
                           * due (sla_waiver); never a balance of another currency */
    const char *ref;      /* what it is for: the order's id as the shop knows it */
    const char *idem;     /* idempotency key, e.g. "coupon:<order id>" */
    const char *note;
    int64_t as_of, at;
    int64_t cycle_id; /* 0: outside a cycle */
};

/* Appends the entries whose idempotency key is new, in order, with ids from the
 * allocator; *added (may be NULL) counts them. Runs inside the caller's transaction. */
int bl_store_ledger_add(struct bl_store *st, int64_t org, const struct bl_ledger_entry *e, size_t n,
                        size_t *added, struct bl_diag *d) BL_MUST_CHECK;

/* The same, saying for each entry whether it was added (was_added[i]: the caller's
 * array of n, or NULL). One query per 400 keys, one id reservation, one bulk insert. */
int bl_store_ledger_add_each(struct bl_store *st, int64_t org, const struct bl_ledger_entry *e,
                             size_t n, bool *was_added, size_t *added,
                             struct bl_diag *d) BL_MUST_CHECK;

/* The shop's deposit balance in the shop's currency: the deposit plus every coupon and
 * top-up entry in that currency. */
int bl_store_ledger_balance(struct bl_store *st, int64_t org, int64_t shop_id, int64_t *balance,
                            struct bl_diag *d) BL_MUST_CHECK;

/* The sum of the shop's entries of kind in currency (0 when none). */
int bl_store_ledger_kind_sum(struct bl_store *st, int64_t org, int64_t shop_id, const char *kind,
                             const char *currency, int64_t *sum, struct bl_diag *d) BL_MUST_CHECK;

/* Per shop of org with entries: the sum of its coupon and top-up entries in the shop's
 * currency (the deposit's movements; add the shop's deposit for its balance). *out is
 * malloc'd (free with bl_free), *n entries. */
struct bl_ledger_sum {
    int64_t shop_id, sum;
};

int bl_store_ledger_sums(struct bl_store *st, int64_t org, struct bl_ledger_sum **out, size_t *n,
                         struct bl_diag *d) BL_MUST_CHECK;

/* The ledger summed per shop, currency and kind: shop_id 0 for every shop of org.
 * *out malloc'd (bl_free), ordered by shop id, currency, kind. */
struct bl_ledger_total {
    int64_t shop_id;
    char currency[4];
    char kind[16]; /* coupon | sla_waiver | topup */
    int64_t sum, count;
};

int bl_store_ledger_totals(struct bl_store *st, int64_t org, int64_t shop_id,
                           struct bl_ledger_total **out, size_t *n,
                           struct bl_diag *d) BL_MUST_CHECK;

/* An entry as listed (strings in the caller's arena). */
struct bl_ledger_listed {
    int64_t id;
    const char *kind;
    int64_t amount;
    char currency[4];
    int64_t balance;
    const char *ref, *note;
    int64_t as_of;
};

/* The shop's entries by id. *out is malloc'd (bl_free), strings in a. */
int bl_store_ledger_list(struct bl_store *st, int64_t org, int64_t shop_id, struct bl_arena *a,
                         struct bl_ledger_listed **out, size_t *n, struct bl_diag *d) BL_MUST_CHECK;

/* A page of the shop's entries by id: ids after `after`, at most limit (>= 1), cut in the
 * query. Same ownership as bl_store_ledger_list. */
int bl_store_ledger_page(struct bl_store *st, int64_t org, int64_t shop_id, int64_t after,
                         int64_t limit, struct bl_arena *a, struct bl_ledger_listed **out,
                         size_t *n, struct bl_diag *d) BL_MUST_CHECK;

/* The shop's accounts as the ledger's running balances count them: one per (waiver or not,
 * currency) with entries, the sum of its entries with ids up to `after` and of all of them
 * (read from the index ledger_sums alone). *out malloc'd (bl_free), in no set order;
 * BL_EOVERFLOW when a sum does not fit. */
struct bl_ledger_account {
    bool waiver; /* kind sla_waiver: the freight waivers due; else the deposit's movements */
    char currency[4];
    int64_t before, total;
};

int bl_store_ledger_accounts(struct bl_store *st, int64_t org, int64_t shop_id, int64_t after,
                             struct bl_ledger_account **out, size_t *n,
                             struct bl_diag *d) BL_MUST_CHECK;

#endif
