/* logistics_load.h - the logistics catalogue as the shell loads it from the store
 * (cmd_logistics.c), shared with cmd_promise.c. Internal to src/cli.
 */
#ifndef BL_CLI_LOGISTICS_LOAD_H
#define BL_CLI_LOGISTICS_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/cli.h"

#include "ballast/alloc.h"
#include "ballast/logistics.h"
#include "ballast/map.h"
#include "ballast/store.h"
#include "ballast/time.h"

struct bl__lg_loader {
    struct bl_arena arena;
    struct bl_map tz_ids; /* zone name -> index in tzs */
    struct bl_tz **tzs;
    size_t ntz, tz_cap;
    struct bl_lg_channel *ch;
    size_t nch, ch_cap;
    int64_t *ch_ids; /* store id of each channel */
    size_t ch_ids_cap;
    int *exps; /* currency exponent of each channel */
    size_t exps_cap;
    struct bl_lg_rate *rates;
    size_t nrates, rates_cap;
    size_t *rate_ch; /* channel index of each rate */
    size_t rate_ch_cap;
    struct bl_lg_calendar *cals;
    size_t ncals, cals_cap;
    struct bl_lg_closure *cl;
    size_t ncl, cl_cap;
    size_t *cl_cal;
    size_t cl_cal_cap;
    struct bl_lg_disruption *dis;
    size_t ndis, dis_cap;
    struct bl_lg *lg;
    struct bl_diag *d;
};

/* Loads and compiles the catalogue of org into *L (channels, rates, calendars,
 * disruptions). Prints the error and returns 1 on failure. Release *L with
 * bl__lg_loader_release() either way. */
int bl__lg_load(struct bl_cli *cli, struct bl_store *st, int64_t org, struct bl__lg_loader *L);
void bl__lg_loader_release(struct bl__lg_loader *L);
/* Opens the store named by --db and loads its catalogue into L: 0, or 1 after printing
 * why, with nothing left open. Close *st and release L when done. */
int bl__lg_open(struct bl_cli *cli, struct bl_store **st, int64_t *org, struct bl__lg_loader *L);
/* Column col of r copied into L's arena ("" for NULL). */
const char *bl__lg_keep(struct bl__lg_loader *L, const struct bl_row *r, size_t col);
/* The time zone named name, loaded once per loader (owned by L). */
int bl__lg_tz_get(struct bl__lg_loader *L, const char *name, const struct bl_tz **out);
const char *bl__lg_money_text(int64_t minor, int exp, char *buf, size_t cap);
void bl__lg_dis_text(const struct bl_lg *lg, int32_t i, char *buf, size_t cap);
int bl__lg_parse_region(struct bl_cli *cli, const char *cmd, const char *opt, const char *text,
                        char *out);
/* cmd_promise.c: "cheapest", "fastest" or "preferred:CARRIER" into *p (the
 * carrier points into text); BL_EINVAL otherwise. */
int bl__lg_policy_parse(const char *text, struct bl_lg_policy *p);
/* `ballast route policy ...` (per-shop routing policy). */
int bl__lg_route_policy(struct bl_cli *cli, int argc, char **argv);

/* An order's weight in grams (the sum over its lines of qty x the SKU's weight; 0
 * when unknown), as a column of a query over `orders o`. */
#define BL__ORDER_WEIGHT_SQL                                                                       \
    " COALESCE((SELECT SUM(k.weight_g * l.qty) FROM order_line l JOIN sku k"                       \
    "  ON k.org_id = l.org_id AND k.id = l.sku_id"                                                 \
    "  WHERE l.org_id = o.org_id AND l.order_id = o.id), 0)"

#endif
