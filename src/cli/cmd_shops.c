/* cmd_shops.c - `ballast shops list | set SHOP ... | import FILE`: what each shop's messages say
 * about it (its account page, support contact and hours, signature, sender), over
 * bl_app_shop_settings, bl_app_shop_settings_set and bl_app_shop_settings_import
 * (app/messages.h). A message whose
 * template needs a setting its shop lacks is held (docs/internals/notify.md). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/msg_common.h"
#include "cli/out.h"

int bl_cmd_shops(struct bl_cli *cli, int argc, char **argv);

static const char shops_usage[] =
    "usage: shops list\n"
    "       shops set SHOP [--account-url URL] [--support CONTACT] [--support-hours TEXT]\n"
    "                      [--signature TEXT] [--sender ADDRESS] [--sender-name NAME]\n"
    "       shops import FILE   many shops at once: columns shop, account_url, support,\n"
    "                           support_hours, signature, sender, sender_name\n"
    "  what the shop's customer messages say about it and who they come from; \"\" clears";

static int list(struct bl_cli *cli)
{
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_app_shop_settings_res res;
    int rc = bl_app_shop_settings(st, org, &res, &d);
    bl_store_close(st);
    if (rc) {
        bl_app_shop_settings_res_release(&res);
        return bl_cli_fail(cli, &d);
    }
    static const char *const cols[] = {"shop",          "name",      "platform",
                                       "account_url",   "support",   "support_hours",
                                       "signature",     "sender",    "sender_name"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 9);
    for (size_t i = 0; !rc && i < res.n; i++) {
        const struct bl_app_shop_settings *s = &res.shops[i];
        struct bl_val v[9] = {bl_val_text(bl_str_c(s->shop)), bl_val_text(bl_str_c(s->name)),
                              bl_val_text(bl_str_c(s->platform))};
        for (unsigned k = 0; k < BL_SET__COUNT; k++)
            v[3 + k] = s->set[k] ? bl_val_text(bl_str_c(s->set[k])) : bl_val_null();
        v[8] = s->sender_name ? bl_val_text(bl_str_c(s->sender_name)) : bl_val_null();
        rc = bl_out_row(&out, v);
    }
    int erc = bl_out_end(&out);
    bl_app_shop_settings_res_release(&res);
    return rc || erc ? 1 : 0;
}

static int set(struct bl_cli *cli, int argc, char **argv)
{
    static const struct option opts[] = {
        {"account-url", required_argument, NULL, 'u'}, {"support", required_argument, NULL, 'c'},
        {"support-hours", required_argument, NULL, 'h'},
        {"signature", required_argument, NULL, 's'},   {"sender", required_argument, NULL, 'f'},
        {"sender-name", required_argument, NULL, 'n'}, {NULL, 0, NULL, 0},
    };
    struct bl_app_shop_settings_req rq = {.now = bl_cli_now()};
    int c, given = 0;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        const char *p = strchr("uchsf", c);
        if (c == 'n')
            rq.sender_name = optarg;
        else if (p && c)
            rq.set[p - "uchsf"] = optarg;
        else
            return bl_cli_usage(cli, "shops set", "%s", shops_usage);
        given++;
    }
    if (argc - optind != 1 || !given)
        return bl_cli_usage(cli, "shops set", "name one shop and at least one setting\n%s",
                            shops_usage);
    rq.shop = argv[optind];
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_shop_settings_set(st, org, &rq, &d);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    fprintf(cli->err, "ballast: %s: settings saved (held messages are rendered again by the "
                      "next 'messages plan')\n", rq.shop);
    return 0;
}

static int import(struct bl_cli *cli, const char *path)
{
    struct bl_store *st;
    int64_t org;
    if (bl_cli_open(cli, false, &st, &org))
        return 1;
    struct bl_diag d;
    bl_diag_clear(&d);
    size_t n = 0;
    int rc = bl_app_shop_settings_import(st, org, path, bl_cli_now(), &n, &d);
    bl_store_close(st);
    if (rc)
        return bl_cli_fail(cli, &d);
    fprintf(cli->err,
            "ballast: %zu shop%s set (held messages are rendered again by the next "
            "'messages plan')\n",
            n, n == 1 ? "" : "s");
    return 0;
}

int bl_cmd_shops(struct bl_cli *cli, int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "import") == 0)
        return import(cli, argv[2]);
    if (argc >= 2 && strcmp(argv[1], "list") == 0 && argc == 2)
        return list(cli);
    if (argc >= 2 && strcmp(argv[1], "set") == 0)
        return set(cli, argc - 1, argv + 1);
    return bl_cli_usage(cli, "shops", "%s", shops_usage);
}
