/* h_sys.c - liveness, readiness, metrics and the OpenAPI document. */
#include <microhttpd.h>

#include "api/handlers.h"

unsigned bl__h_healthz(struct bl__api_call *c)
{
    return bl__api_json(c, MHD_HTTP_OK, json_pack("{s:s}", "status", "ok"));
}

unsigned bl__h_readyz(struct bl__api_call *c)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    int version = 0;
    if (bl_store_version(c->st, &version, &d)) {
        c->store_error = true;
        return bl__api_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "store_unavailable", NULL,
                             "the store does not answer: %s", d.msg);
    }
    return bl__api_json(c, MHD_HTTP_OK,
                        json_pack("{s:s, s:s}", "status", "ready", "store", bl_store_kind(c->st)));
}

unsigned bl__h_metrics(struct bl__api_call *c)
{
    if (bl__api_metrics_text(c->srv, &c->text))
        return bl__api_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out_of_memory", NULL,
                             "out of memory");
    c->type = "text/plain; version=0.0.4; charset=utf-8";
    return MHD_HTTP_OK;
}

unsigned bl__h_openapi(struct bl__api_call *c)
{
    return bl__api_json(c, MHD_HTTP_OK, bl__api_openapi());
}
