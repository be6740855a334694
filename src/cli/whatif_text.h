/* whatif_text.h - a what-if's report in words, English or Chinese (internal to src/cli). */
#ifndef BL_CLI_WHATIF_TEXT_H
#define BL_CLI_WHATIF_TEXT_H

#include "app/whatif.h"
#include "cli/cli.h"

struct bl_words;
struct bl__wi_words {
    struct bl_cli *cli;
    const char *locale; /* en or zh-CN */
    const char *tz;     /* --tz, NULL: UTC */
    const char *file;   /* the assumption file's name */
    const struct bl_wi_assume *assume;
    const struct bl_app_whatif_res *res;
    struct bl_words *words; /* the operator pack's (set by bl__wi_print) */
    bool zh;
};

/* The words the report's parts share (whatif_text.c): an amount in the locale, a shop as
 * a person knows it, a day ("none" for BL_RP_NEVER); whether a stock-out changed. */
const char *bl__wi_money_text(const struct bl__wi_words *w, int64_t minor, const char *cur,
                              char *out, size_t cap);
/* n as the locale writes a count, its digits grouped ("1,963": bl_l10n_count; the digits
 * alone when ICU cannot). */
const char *bl__wi_count(const struct bl__wi_words *w, int64_t n, char *out, size_t cap);
/* bl__wi_count into a buffer of its own that lives to the end of the enclosing block, so
 * one call may print several counts: fprintf(o, "%s held, %s late", BL__WI_N(a),
 * BL__WI_N(b)). w is the caller's struct bl__wi_words *. */
#define BL__WI_N(n_) bl__wi_count(w, (int64_t)(n_), (char[32]){""}, 32)
const char *bl__wi_shop_text(const struct bl__wi_words *w, uint32_t s, char *out, size_t cap);
const char *bl__wi_day_text(const struct bl__wi_words *w, int64_t day, char *out, size_t cap);
/* Channel k of the orders snapshot by carrier and mode ("YunExpress (dedicated line) to
 * United States"), its code when it has no name. */
const char *bl__wi_channel_text(const struct bl_app_whatif_res *res, int32_t k);
bool bl__wi_stock_changed(const struct bl_wi_stockout *s);
/* Money per currency, each shop's late orders valued, the deposits that run short
 * (whatif_money_text.c). */
void bl__wi_money_lines(const struct bl__wi_words *w);
/* The reroutes a person approved, which both runs follow (whatif_approved_text.c); nothing
 * when there are none. */
void bl__wi_approved_lines(const struct bl__wi_words *w);

/* Prints the report; 0, or 1 after saying why. */
int bl__wi_print(struct bl__wi_words *w);
/* The report in one line: held, late, stock-outs, what it costs, ratings saved. */
int bl__wi_brief(struct bl__wi_words *w);

#endif
