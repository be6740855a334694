/* reports.c - the platforms' own order reports, one adapter each (docs/formats.md,
 * "Platform reports"). Each reads the platform's export as it comes, for one shop
 * (--shop), and hands whole orders to the order sink (import_impl.h), so that the
 * next day's report updates the orders it already has. */
#include <string.h>

#include "io/import/import_impl.h"

const struct bl__kind bl__report_kinds[] = {
    {"tiktok", bl__tiktok_run},
    {"temu", bl__temu_run},
    {NULL, NULL},
};

bool bl_import_kind_report(const char *kind)
{
    for (const struct bl__kind *k = bl__report_kinds; k->name; k++)
        if (strcmp(k->name, kind) == 0)
            return true;
    return false;
}

bool bl_import_kind_orders(const char *kind)
{
    return strcmp(kind, "orders") == 0 || strcmp(kind, "olist") == 0 ||
           bl_import_kind_report(kind);
}
