/* cmd_banners.c - `ballast banners [--as-of T]`: the notices a shop shows while a
 * disruption affects it, per shop and locale (bl_app_banners, app/messages.h): the
 * home-page banner, the Shipping Information page and the handling time on product
 * pages. Details: docs/internals/notify.md.
 */
#include <getopt.h>
#include <string.h>

#include <stdio.h>

#include "cli/msg_common.h"
#include "cli/out.h"

#include "ballast/disruption.h"
#include "ballast/time.h"

int bl_cmd_banners(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},
        {"account-url", required_argument, NULL, 'u'},
        {"templates", required_argument, NULL, 'T'},
        {"format", required_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    int64_t as_of = bl_cli_now();
    const char *account = NULL, *templates = NULL;
    int c;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'a') {
            if (bl_msg_parse_instant(cli, "banners", "--as-of", optarg, &as_of))
                return 2;
        } else if (c == 'u') {
            account = optarg;
        } else if (c == 'T') {
            templates = optarg;
        } else if (c == 'f') {
            if (bl_cli_set_format(cli, optarg))
                return 2;
        } else {
            return bl_cli_bad_option(cli, "banners", argv, opts);
        }
    }
    if (optind != argc)
        return bl_cli_usage(cli, "banners", "unexpected argument '%s'", argv[optind]);
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_banners_req rq = {.as_of = as_of, .account_url = account,
                                    .templates = templates};
    struct bl_app_banners_res res;
    int rc = bl_app_banners(st, org, &rq, &res, &d);
    bl_store_close(st);
    int failed = rc;
    if (rc)
        bl_app_banners_res_release(&res); /* the table's header, empty, as always */
    static const char *const cols[] = {"shop",  "locale", "place", "region",
                                       "title", "text",   "until"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 7);
    for (size_t i = 0; !rc && i < res.n; i++) {
        const struct bl_app_banner *b = &res.banners[i];
        char until[BL_ISO_MAX];
        bl_time_format(b->until, until);
        bool open = bl_dis_open_end(b->until); /* never a date for "until further notice" */
        struct bl_val v[7] = {bl_val_text(bl_str_c(b->shop)), bl_val_text(bl_str_c(b->locale)),
                              bl_val_text(bl_str_c(bl_banner_place_name(b->place))),
                              b->region ? bl_val_text(bl_str_c(b->region)) : bl_val_null(),
                              bl_val_text(bl_str_c(b->title)), bl_val_text(bl_str_c(b->text)),
                              !open                         ? bl_val_text(bl_str_c(until))
                              : cli->format == BL_FMT_TABLE ? bl_val_text(BL_STR("further notice"))
                                                            : bl_val_null()};
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    if (failed)
        return bl_cli_fail(cli, &d);
    if (!rc && !erc && cli->format == BL_FMT_TABLE)
        fprintf(cli->err, "ballast: %zu of %zu shop%s affected by a disruption\n", res.affected,
                res.shops, res.shops == 1 ? "" : "s");
    if (!rc && !erc && res.no_window)
        fprintf(cli->err,
                "ballast: %zu affected shop%s no shipping page: no order of the last 180 "
                "days on a channel of the catalogue tells %s delivery time\n",
                res.no_window, res.no_window == 1 ? " has" : "s have",
                res.no_window == 1 ? "its" : "their");
    if (!rc && !erc && res.no_account)
        fprintf(cli->err,
                "ballast: %zu affected shop%s no account page URL: %s notices leave the "
                "link out ('ballast shops set SHOP --account-url URL')\n",
                res.no_account, res.no_account == 1 ? " has" : "s have",
                res.no_account == 1 ? "its" : "their");
    bl_app_banners_res_release(&res);
    return rc || erc ? 1 : 0;
}
