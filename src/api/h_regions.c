/* h_regions.c - GET /api/v1/regions: the places a region picker offers, named in the
 * reader's language (bl_app_regions). */
#include <microhttpd.h>

#include "api/handlers.h"
#include "app/regions.h"

unsigned bl__h_regions(struct bl__api_call *c)
{
    struct bl_app_regions_req req = {bl__api_query(c, "locale"), bl__api_query(c, "country"),
                                     bl__api_query(c, "codes")};
    if (req.codes && req.country)
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "codes",
                             "codes and country: give one of them");
    struct bl_app_regions_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_regions(&req, &res, &d);
    if (rc == BL_EINVAL) {
        bl_app_regions_res_release(&res);
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", d.field, "%s", d.msg);
    }
    if (rc) {
        bl_app_regions_res_release(&res);
        return bl__api_fail(c, rc, &d);
    }
    json_t *list = json_array();
    for (size_t i = 0; list && i < res.n; i++) {
        const struct bl_app_region *r = &res.items[i];
        if (json_array_append_new(list, json_pack("{s:s, s:s?, s:b}", "code", r->code, "name",
                                                  r->name[0] ? r->name : NULL, "known", r->known)))
            json_decref(list), list = NULL;
    }
    bl_app_regions_res_release(&res);
    const char *locale = req.locale && req.locale[0] ? req.locale : "en";
    return bl__api_json(c, MHD_HTTP_OK,
                        list ? json_pack("{s:s, s:s?, s:s?, s:o}", "locale", locale, "country",
                                         req.country, "country_name",
                                         res.country_name[0] ? res.country_name : NULL, "regions",
                                         list)
                             : NULL);
}
