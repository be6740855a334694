/* disruption.c - the words of a disruption's scope and kind (disruption.h). */
#include <string.h>

#include "ballast/disruption.h"

const char *const bl_dis_scopes[] = {"origin", "destination", "both", NULL};
const char *const bl_dis_kinds[] = {"lockdown",
                                    "strike",
                                    "route_suspension",
                                    "carrier_suspension",
                                    "supplier_shutdown",
                                    "holiday",
                                    "weather",
                                    "other",
                                    "customer_service_closure",
                                    NULL};

int bl_dis_word(const char *const *list, const char *s)
{
    for (int i = 0; list[i]; i++)
        if (strcmp(list[i], s) == 0)
            return i;
    return -1;
}
