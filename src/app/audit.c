/* audit.c - recording and listing changes (audit.h). */
#include <stdio.h>
#include <string.h>

#include "app/audit.h"
#include "ballast/time.h"

json_t *bl_app_audit_time(int64_t t)
{
    char buf[BL_ISO_MAX];
    return t == BL_NO_TIME ? json_null() : json_string(bl_time_format(t, buf));
}

static char *dump(json_t *j)
{
    return j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII) : NULL;
}

int bl_app_audit(struct bl_store *st, int64_t org, int64_t now, const char *action,
                 const char *kind, const char *id, json_t *before, json_t *after, struct bl_diag *d)
{
    int rc = BL_OK;
    char *b = NULL, *a = NULL;
    if (((before && !(b = dump(before))) || (after && !(a = dump(after)))))
        rc = BL_ENOMEM;
    if (!rc) {
        struct bl_audit_row row = {.at = bl_app_now_or(now),
                                   .action = action,
                                   .object_kind = kind,
                                   .object_id = id,
                                   .before = b,
                                   .after = a};
        rc = bl_store_audit_add(st, org, &row, d);
    } else {
        bl_diag_set(d, rc, "out of memory recording %s in the audit log", action);
    }
    free(b);
    free(a);
    json_decref(before);
    json_decref(after);
    return rc;
}

int bl_app_audit_n(struct bl_store *st, int64_t org, int64_t now, const char *action,
                   const char *kind, int64_t id, json_t *before, json_t *after, struct bl_diag *d)
{
    char text[24];
    snprintf(text, sizeof(text), "%lld", (long long)id);
    return bl_app_audit(st, org, now, action, kind, text, before, after, d);
}

struct list_ctx {
    struct bl_app_audit_res *res;
    size_t want;
};

static const char *keep(struct bl_arena *a, const char *s, bool *oom)
{
    if (!s)
        return NULL;
    char *c = bl_arena_strndup(a, s, strlen(s));
    *oom = *oom || !c;
    return c;
}

static int list_one(void *vctx, const struct bl_audit_row *r)
{
    struct list_ctx *c = vctx;
    struct bl_app_audit_res *res = c->res;
    if (res->n == c->want) {
        res->more = true;
        return 1;
    }
    if (bl_grow((void **)&res->rows, &res->cap, res->n + 1, sizeof(*res->rows)))
        return BL_ENOMEM;
    bool oom = false;
    struct bl_audit_row x = *r;
    x.actor = keep(&res->arena, r->actor, &oom);
    x.via = keep(&res->arena, r->via, &oom);
    x.source = keep(&res->arena, r->source, &oom);
    x.action = keep(&res->arena, r->action, &oom);
    x.object_kind = keep(&res->arena, r->object_kind, &oom);
    x.object_id = keep(&res->arena, r->object_id, &oom);
    x.before = keep(&res->arena, r->before, &oom);
    x.after = keep(&res->arena, r->after, &oom);
    if (oom)
        return BL_ENOMEM;
    res->rows[res->n++] = x;
    return 0;
}

int bl_app_audit_list(struct bl_store *st, int64_t org, const struct bl_app_audit_req *req,
                      struct bl_app_audit_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    if (req->limit < 1 || req->limit > INT32_MAX) {
        bl_diag_at(d, NULL, 0, "limit");
        return bl_diag_set(d, BL_EINVAL, "limit %lld: expected 1 or more", (long long)req->limit);
    }
    struct bl_audit_filter f = {req->before_id, req->since,  req->until,
                                req->actor,     req->action, req->limit + 1};
    struct list_ctx c = {res, (size_t)req->limit};
    int rc = bl_store_audit_list(st, org, &f, list_one, &c, d);
    if (rc == 1)
        rc = BL_OK;
    if (rc == BL_ENOMEM && d && !d->code)
        bl_diag_set(d, rc, "out of memory listing the audit log");
    return rc;
}

void bl_app_audit_list_res_release(struct bl_app_audit_res *res)
{
    bl_free(res->rows);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
