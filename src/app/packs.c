/* packs.c - the template packs on disk, for the outbox and the shop banners (packs.h). */
#include <dirent.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/messages.h"
#include "app/packs.h"
#include "ballast/file.h"


#define MAX_TEMPLATE ((size_t)1 << 20)


struct bl_packs_entry {
    char locale[32], kind[64], platform[32];
    struct bl_mustache *subject, *body;
};

int bl__packs_open(struct bl_packs *p, const char *dir, struct bl_diag *d)
{
    memset(p, 0, sizeof(*p));
    p->dir = dir;
    DIR *dh = opendir(dir);
    if (!dh)
        return bl_diag_set(d, BL_ENOTFOUND, "templates %s: %s", dir, strerror(errno));
    struct dirent *e;
    bool en = false;
    while ((e = readdir(dh)) != NULL && p->nlocales < 16) {
        if (e->d_name[0] == '.' || strcmp(e->d_name, "samples") == 0 ||
            strlen(e->d_name) >= sizeof(p->names[0]))
            continue;
        char probe[4200];
        struct stat st;
        snprintf(probe, sizeof(probe), "%s/%s/late_shipment.subject.mustache", dir, e->d_name);
        if (stat(probe, &st) != 0)
            continue;
        bl_str_copy(p->names[p->nlocales], sizeof(p->names[0]), bl_str_c(e->d_name));
        en = en || strcmp(e->d_name, "en") == 0;
        p->nlocales++;
    }
    closedir(dh);
    if (!en)
        return bl_diag_set(d, BL_ENOTFOUND, "templates %s: no English pack (en/)", dir);
    /* "en" first, the others sorted, so output is stable */
    for (size_t i = 0; i < p->nlocales; i++)
        for (size_t j = i + 1; j < p->nlocales; j++) {
            bool swap = strcmp(p->names[j], "en") == 0 ||
                        (strcmp(p->names[i], "en") != 0 && strcmp(p->names[j], p->names[i]) < 0);
            if (swap) {
                char t[32];
                memcpy(t, p->names[i], 32);
                memcpy(p->names[i], p->names[j], 32);
                memcpy(p->names[j], t, 32);
            }
        }
    for (size_t i = 0; i < p->nlocales; i++)
        p->locales[i] = p->names[i];
    return BL_OK;
}

void bl__packs_release(struct bl_packs *p)
{
    for (size_t i = 0; i < p->ncache; i++) {
        bl_mustache_free(p->cache[i].subject);
        bl_mustache_free(p->cache[i].body);
    }
    bl_free(p->cache);
    for (size_t i = 0; i < p->ntexts; i++)
        bl_buf_release(&p->texts[i]);
    bl_free(p->texts);
    memset(p, 0, sizeof(*p));
}

/* LOCALE/KIND.PLATFORM.PART.mustache when the platform has its own wording, else
 * LOCALE/KIND.PART.mustache (templates/README.md, "Per-platform wording"). */
static int compile_file(struct bl_packs *p, const char *locale, const char *kind,
                        const char *platform, const char *part, struct bl_mustache **out,
                        struct bl_diag *d)
{
    struct stat st;
    snprintf(p->path, sizeof(p->path), "%s/%s/%s.%s.%s.mustache", p->dir, locale, kind,
             platform, part);
    if (!platform[0] || strchr(platform, '/') || platform[0] == '.' || stat(p->path, &st) != 0)
        snprintf(p->path, sizeof(p->path), "%s/%s/%s.%s.mustache", p->dir, locale, kind, part);
    struct bl_buf b = BL_BUF_INIT;
    int rc = bl_file_read(p->path, MAX_TEMPLATE, &b, d);
    if (!rc)
        rc = bl_mustache_compile(out, p->path, bl_buf_str(&b), d);
    bl_buf_release(&b);
    return rc;
}

static int partial(void *ctx, struct bl_str name, struct bl_mustache_src *src, struct bl_diag *d)
{
    struct bl_packs *p = ctx;
    if (memchr(name.ptr, '/', name.len) || memchr(name.ptr, '\0', name.len) || name.ptr[0] == '.')
        return bl_diag_set(d, BL_EINVAL, "partial name '%.*s': must not contain '/'",
                           (int)(name.len > 100 ? 100 : name.len), name.ptr);
    void *items = p->texts;
    int rc = bl_grow(&items, &p->captexts, p->ntexts + 1, sizeof(*p->texts));
    if (rc)
        return bl_diag_set(d, rc, "%s", bl_strerror(rc));
    p->texts = items;
    snprintf(p->path, sizeof(p->path), "%s/%s/partials/%.*s.mustache", p->dir, p->cur_locale,
             (int)name.len, name.ptr);
    struct bl_diag fd;
    bl_diag_clear(&fd);
    rc = bl_file_read(p->path, MAX_TEMPLATE, &p->texts[p->ntexts], &fd);
    if (rc == BL_ENOTFOUND)
        return rc;
    if (rc) {
        *d = fd;
        return rc;
    }
    src->text = bl_buf_str(&p->texts[p->ntexts++]);
    src->file = p->path;
    return BL_OK;
}

int bl__packs_render(struct bl_packs *p, const char *locale, const char *kind, const json_t *data,
                    struct bl_buf *subject, struct bl_buf *body, struct bl_diag *d)
{
    return bl__packs_render_for(p, locale, kind, NULL, data, subject, body, d);
}

int bl__packs_render_for(struct bl_packs *p, const char *locale, const char *kind,
                         const char *platform, const json_t *data, struct bl_buf *subject,
                         struct bl_buf *body, struct bl_diag *d)
{
    struct bl_packs_entry *e = NULL;
    if (!platform || strlen(platform) >= sizeof(e->platform))
        platform = "";
    for (size_t i = 0; i < p->ncache && !e; i++)
        if (strcmp(p->cache[i].locale, locale) == 0 && strcmp(p->cache[i].kind, kind) == 0 &&
            strcmp(p->cache[i].platform, platform) == 0)
            e = &p->cache[i];
    int rc = BL_OK;
    if (!e) {
        void *items = p->cache;
        rc = bl_grow(&items, &p->capcache, p->ncache + 1, sizeof(*p->cache));
        if (rc)
            return bl_diag_set(d, rc, "%s", bl_strerror(rc));
        p->cache = items;
        e = &p->cache[p->ncache];
        memset(e, 0, sizeof(*e));
        bl_str_copy(e->locale, sizeof(e->locale), bl_str_c(locale));
        bl_str_copy(e->kind, sizeof(e->kind), bl_str_c(kind));
        bl_str_copy(e->platform, sizeof(e->platform), bl_str_c(platform));
        rc = compile_file(p, locale, kind, platform, "subject", &e->subject, d);
        if (!rc)
            rc = compile_file(p, locale, kind, platform, "txt", &e->body, d);
        if (rc) {
            bl_mustache_free(e->subject);
            bl_mustache_free(e->body);
            return rc;
        }
        p->ncache++;
    }
    struct bl_mustache_opts o = {.strict = true, .no_escape = true, .partial = partial,
                                 .partial_ctx = p};
    p->cur_locale = locale;
    size_t start = subject->len;
    rc = bl_mustache_render(e->subject, data, &o, subject, d);
    while (!rc && subject->len > start &&
           (subject->ptr[subject->len - 1] == '\n' || subject->ptr[subject->len - 1] == '\r'))
        subject->ptr[--subject->len] = '\0';
    if (!rc)
        rc = bl_mustache_render(e->body, data, &o, body, d);
    return rc;
}
