/* h_upload.c - POST /api/v1/orders: a bulk upload of orders, as JSON Lines or as any
 * order file the importers read, imported as `ballast import` does (bl_app_import): one
 * batch, all or nothing. The body arrives through c->upload as it is sent (upload.c). */
#include <string.h>

#include <microhttpd.h>

#include "api/handlers.h"
#include "app/data.h"
#include "ballast/import.h"

/* A failure: a line of the upload names its line and field (422), else as any use case. */
static unsigned upload_fail(struct bl__api_call *c, int rc, const struct bl_diag *d)
{
    if (d->line <= 0 || rc == BL_ETOOBIG || rc == BL_EINTERRUPTED || rc == BL_ESTORE ||
        rc == BL_ENOMEM || rc == BL_EIO)
        return bl__api_fail(c, rc, d);
    char msg[800];
    if (d->field[0])
        snprintf(msg, sizeof(msg), "line %lld: field %s: %s", (long long)d->line, d->field,
                 d->msg);
    else
        snprintf(msg, sizeof(msg), "line %lld: %s", (long long)d->line, d->msg);
    json_t *e = json_pack("{s:{s:s, s:s, s:s?, s:I}}", "error", "code", "invalid", "message", msg,
                          "field", d->field[0] ? d->field : NULL, "line", (json_int_t)d->line);
    return bl__api_json(c, MHD_HTTP_UNPROCESSABLE_CONTENT, e);
}

/* The query into req: 0, or the answer's status. */
static unsigned upload_req(struct bl__api_call *c, struct bl_app_import_req *req)
{
    const char *format = bl__api_query(c, "format");
    const char *corr = bl__api_query(c, "corrections");
    req->kind = format ? format : "orders";
    req->shop = bl__api_query(c, "shop");
    req->tz = bl__api_query(c, "tz");
    req->now = c->now;
    req->source = c->upload;
    req->jsonl = c->upload_jsonl;
    req->path = c->upload->name;
    req->cache = c->import_cache;
    req->ahead = c->import_ahead;
    if (!bl_import_kind_orders(req->kind) || strcmp(req->kind, "olist") == 0)
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "format",
                             "format=%s: expected orders (the native CSV), amazon, shopify, "
                             "tiktok or temu (the Olist dataset is a directory: 'ballast import "
                             "olist DIR')",
                             req->kind);
    if (req->jsonl && strcmp(req->kind, "orders") != 0)
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "format",
                             "JSON Lines carry the native order columns (format=orders); a %s "
                             "report is sent as it was exported, with Content-Type: text/csv",
                             req->kind);
    if (bl_import_kind_report(req->kind) && (!req->shop || !*req->shop))
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "missing", "shop",
                             "the %s report is one shop's: name it with ?shop= (its id)",
                             req->kind);
    if (corr && strcmp(corr, "true") != 0 && strcmp(corr, "false") != 0)
        return bl__api_error(c, MHD_HTTP_BAD_REQUEST, "invalid", "corrections",
                             "corrections=%s: expected true or false", corr);
    req->corrections = corr && strcmp(corr, "true") == 0;
    return 0;
}

static json_t *result_json(const struct bl_app_import_req *req,
                           const struct bl_app_import_res *r)
{
    bool stored = !r->already && !r->nothing;
    return json_pack("{s:o, s:s, s:s, s:I, s:{s:I, s:I, s:I}, s:I, s:I, s:b, s:o, s:b, s:s?}",
                     "batch", r->batch_id ? json_integer(r->batch_id) : json_null(), "format",
                     req->kind, "as", req->jsonl ? "jsonl" : "csv", "lines", (json_int_t)r->rows,
                     "orders", "new", (json_int_t)r->fresh, "updated", (json_int_t)r->updated,
                     "unchanged", (json_int_t)r->unchanged, "changes", (json_int_t)r->changes,
                     "corrections", (json_int_t)r->corrections, "stored", stored,
                     "already_imported_at", r->already ? bl__api_time(r->batch_at) : json_null(),
                     "nothing_new", r->nothing, "note", r->note[0] ? r->note : NULL);
}

unsigned bl__h_orders_upload(struct bl__api_call *c)
{
    if (!c->upload)
        return bl__api_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal", NULL,
                             "the upload has no body stream");
    struct bl_app_import_req req = {0};
    unsigned st = upload_req(c, &req);
    if (st)
        return st;
    struct bl_app_import_res res;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_import(c->st, c->org, &req, &res, &d);
    if (rc)
        return upload_fail(c, rc, &d);
    bool stored = !res.already && !res.nothing;
    return bl__api_json(c, stored ? MHD_HTTP_CREATED : MHD_HTTP_OK, result_json(&req, &res));
}
