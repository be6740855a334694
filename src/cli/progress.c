/* progress.c - progress on a terminal for long work (progress.h). */
#include "cli/progress.h"

#include <sys/time.h>

static double now_secs(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

void bl_progress_init(struct bl_progress *p, const struct bl_cli *cli, const char *what,
                      const char *unit)
{
    p->f = cli->tty ? cli->err : NULL;
    p->what = what;
    p->unit = unit;
    p->last = 0;
    p->drawn = false;
}

bool bl_progress_on(const struct bl_progress *p)
{
    return p->f != NULL;
}

/* Whether to draw now: the first time, at the end, or a tenth of a second on. */
static bool due(struct bl_progress *p, bool last)
{
    double t = now_secs();
    if (!p->f || (p->drawn && !last && t - p->last < 0.1))
        return false;
    p->last = t;
    p->drawn = true;
    return true;
}

void bl_progress_cb(void *ctx, uint64_t done, uint64_t total)
{
    struct bl_progress *p = ctx;
    if (!due(p, total && done >= total))
        return;
    bool mb = p->unit[0] == 'M' && p->unit[1] == 'B';
    if (!total) {
        fprintf(p->f, "\r\033[K%s: %llu %s", p->what, (unsigned long long)done, p->unit);
    } else {
        int pct = (int)(done >= total ? 100 : done * 100 / total);
        int fill = pct * 30 / 100;
        fprintf(p->f, "\r\033[K%s [%.*s%*s] %3d%%  ", p->what, fill,
                "##############################", 30 - fill, "", pct);
        if (mb)
            fprintf(p->f, "%.1f / %.1f MB", (double)done / 1e6, (double)total / 1e6);
        else
            fprintf(p->f, "%llu / %llu %s", (unsigned long long)done, (unsigned long long)total,
                    p->unit);
    }
    fflush(p->f);
}

void bl_progress_step(void *ctx, size_t i, size_t n, const char *name)
{
    struct bl_progress *p = ctx;
    if (!p->f)
        return;
    p->drawn = true;
    fprintf(p->f, "\r\033[K%s: step %zu/%zu: %s", p->what, i + 1, n, name);
    fflush(p->f);
}

void bl_progress_end(struct bl_progress *p)
{
    if (!p)
        return;
    if (p->f && p->drawn)
        fputs("\r\033[K", p->f);
    p->drawn = false;
}
