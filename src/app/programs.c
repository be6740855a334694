/* programs.c - the programmes an organisation runs: add, remove, list, members
 * (programs.h, docs/internals/programs.md). */
#include <string.h>

#include <jansson.h>

#include "app/audit.h"
#include "app/programs.h"
#include "ballast/assess.h" /* BL_NO_TIME */
#include "ballast/file.h"

#define MAX_PROGRAM_FILE (1u << 20)

/* The stored programme row into out, its text parsed again. */
static int from_row(const struct bl_program_row *r, struct bl_app_program *out, struct bl_diag *d)
{
    memset(out, 0, sizeof(*out));
    out->id = r->id;
    out->source = r->source;
    out->added_at = r->added_at;
    out->updated_at = r->updated_at;
    out->as_of = BL_NO_TIME;
    int rc = bl_program_parse(r->body, strlen(r->body), r->source, &out->def, d);
    if (rc == BL_EPARSE) /* a newer Ballast's field, or an edited store */
        bl_diag_set(d, rc,
                    "programme '%s' as stored does not load: %s ('ballast programs add "
                    "FILE' again)",
                    r->ext, d->msg);
    return rc;
}

int bl_app_program_add(struct bl_store *st, int64_t org, const char *path, int64_t now,
                       struct bl_app_program *out, enum bl_app_program_added *state,
                       struct bl_diag *d)
{
    struct bl_buf text;
    memset(out, 0, sizeof(*out));
    *state = BL_APP_PG_SAME;
    int rc = bl_file_read(path, MAX_PROGRAM_FILE, &text, d);
    if (rc)
        return rc;
    const char *body = text.ptr ? text.ptr : "";
    rc = bl_program_parse(body, text.len, path, &out->def, d);
    if (!rc && strlen(body) != text.len)
        rc = bl_diag_set(d, BL_EPARSE, "%s: a NUL byte in the file", path);
    now = bl_app_now_or(now);
    rc = rc ? rc : bl_store_begin(st, d);
    if (rc) {
        bl_buf_release(&text);
        return rc;
    }
    int s = 0;
    rc = bl_store_program_put(st, org, out->def.id, body, path, now, &out->id, &s, d);
    *state = (enum bl_app_program_added)s;
    if (!rc && s)
        rc = bl_app_audit(st, org, now, s == 1 ? "program.add" : "program.replace", "program",
                          out->def.id, NULL, json_pack("{s:s}", "file", path), d);
    rc = bl_store_end(st, rc, d);
    out->added_at = out->updated_at = now;
    out->as_of = BL_NO_TIME;
    bl_buf_release(&text);
    return rc;
}

int bl_app_program_remove(struct bl_store *st, int64_t org, const char *ext, int64_t now,
                          struct bl_diag *d)
{
    now = bl_app_now_or(now);
    int rc = bl_store_begin(st, d);
    if (rc)
        return rc;
    rc = bl_store_program_remove(st, org, ext, now, d);
    if (!rc)
        rc = bl_app_audit(st, org, now, "program.remove", "program", ext,
                          json_pack("{s:b}", "running", 1), json_pack("{s:b}", "running", 0), d);
    return bl_store_end(st, rc, d);
}

/* Each programme's records in each state, and its last as-of. */
static int counts(struct bl_store *st, int64_t org, struct bl_app_program *p, size_t n,
                  struct bl_diag *d)
{
    struct bl_arena a;
    bl_arena_init(&a, 0);
    struct bl_member_row *m = NULL;
    size_t nm = 0;
    int rc = bl_store_program_members(st, org, 0, &a, &m, &nm, d);
    for (size_t i = 0; !rc && i < nm; i++)
        for (size_t k = 0; k < n; k++) {
            if (p[k].id != m[i].program_id)
                continue;
            p[k].members += strcmp(m[i].state, "member") == 0;
            p[k].lost += strcmp(m[i].state, "lost") == 0;
            if (p[k].as_of == BL_NO_TIME || m[i].as_of > p[k].as_of)
                p[k].as_of = m[i].as_of;
        }
    bl_free(m);
    bl_arena_release(&a);
    return rc;
}

int bl_app_programs(struct bl_store *st, int64_t org, struct bl_app_programs_res *res,
                    struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 0);
    struct bl_program_row *rows = NULL;
    size_t n = 0;
    int rc = bl_store_program_list(st, org, &res->arena, &rows, &n, d);
    if (!rc && n) {
        res->items = bl_calloc(n, sizeof(*res->items));
        if (!res->items)
            rc = bl_diag_set(d, BL_ENOMEM, "out of memory");
    }
    for (size_t i = 0; !rc && i < n; i++) {
        rc = from_row(&rows[i], &res->items[i], d);
        res->n += !rc;
    }
    bl_free(rows);
    return rc ? rc : counts(st, org, res->items, res->n, d);
}

void bl_app_programs_res_release(struct bl_app_programs_res *res)
{
    bl_free(res->items);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}

int bl_app_program_members(struct bl_store *st, int64_t org, const char *ext,
                           struct bl_app_members_res *res, struct bl_diag *d)
{
    memset(res, 0, sizeof(*res));
    bl_arena_init(&res->arena, 0);
    struct bl_app_programs_res all;
    int rc = bl_app_programs(st, org, &all, d);
    size_t k = 0;
    while (!rc && k < all.n && strcmp(all.items[k].def.id, ext) != 0)
        k++;
    if (!rc && k == all.n)
        rc = bl_diag_set(d, BL_ENOTFOUND, "no programme '%s' ('ballast programs list')", ext);
    if (!rc) {
        res->program = all.items[k];
        res->program.source =
            bl_arena_strndup(&res->arena, all.items[k].source, strlen(all.items[k].source));
        rc = bl_store_program_members(st, org, res->program.id, &res->arena, &res->items, &res->n,
                                      d);
    }
    bl_app_programs_res_release(&all);
    return rc;
}

void bl_app_members_res_release(struct bl_app_members_res *res)
{
    bl_free(res->items);
    bl_arena_release(&res->arena);
    memset(res, 0, sizeof(*res));
}
