/* outfile.c - a file written whole and durably, never over another (outfile.h). */
#define _GNU_SOURCE /* renameat2, RENAME_NOREPLACE */
#include "ballast/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ballast/alloc.h"

static char *dup_n(const char *s, size_t n)
{
    char *p = bl_malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static void release(struct bl_outfile *o)
{
    if (o->f)
        fclose(o->f);
    bl_free(o->path);
    bl_free(o->tmp);
    bl_free(o->dir);
    memset(o, 0, sizeof(*o));
}

void bl_outfile_abort(struct bl_outfile *o)
{
    if (o->f && o->tmp)
        unlink(o->tmp);
    release(o);
}

static int fail(struct bl_outfile *o, struct bl_diag *d, int code, const char *what, int e)
{
    int rc = bl_diag_set(d, code, "%s: %s: %s", o->path ? o->path : "?", what, strerror(e));
    bl_outfile_abort(o);
    return rc;
}

/* The directory, the temporary file's template: DIR/.NAME.XXXXXX. */
static int names(struct bl_outfile *o, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    o->path = dup_n(path, strlen(path));
    o->dir = slash ? dup_n(path, slash == path ? 1 : (size_t)(slash - path)) : dup_n(".", 1);
    size_t dl = slash ? (size_t)(base - path) : 0, bl = strlen(base);
    o->tmp = bl_malloc(dl + bl + 9);
    if (!o->path || !o->dir || !o->tmp)
        return BL_ENOMEM;
    memcpy(o->tmp, path, dl);
    o->tmp[dl] = '.';
    memcpy(o->tmp + dl + 1, base, bl);
    memcpy(o->tmp + dl + 1 + bl, ".XXXXXX", 8);
    return BL_OK;
}

int bl_outfile_open(struct bl_outfile *o, const char *path, struct bl_diag *d)
{
    memset(o, 0, sizeof(*o));
    const char *slash = strrchr(path, '/');
    if (!path[0] || (slash && !slash[1]))
        return bl_diag_set(d, BL_EINVAL, "'%s' is not a file name", path);
    if (names(o, path)) {
        release(o);
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    }
    struct stat sb;
    if (lstat(path, &sb) == 0) {
        int rc = bl_diag_set(d, BL_EEXISTS, "%s already exists: an export is never written "
                             "over another file", path);
        release(o);
        return rc;
    }
    if (errno != ENOENT)
        return fail(o, d, BL_EIO, "cannot check", errno);
    int fd = mkstemp(o->tmp);
    if (fd < 0)
        return fail(o, d, BL_EIO, "cannot create a file in its directory", errno);
    o->f = fdopen(fd, "wb");
    if (!o->f) {
        int e = errno;
        close(fd);
        unlink(o->tmp);
        return fail(o, d, BL_EIO, "cannot open", e);
    }
    return BL_OK;
}

/* tmp to path, never replacing a file there. 0, or -1 with errno. */
static int move_new(const char *tmp, const char *path)
{
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return -1;
    if (link(tmp, path) != 0) /* a file system without RENAME_NOREPLACE */
        return -1;
    unlink(tmp);
    return 0;
}

static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

int bl_outfile_commit(struct bl_outfile *o, struct bl_diag *d)
{
    if (!o->f)
        return bl_diag_set(d, BL_EINVAL, "no file open");
    if (fflush(o->f) != 0 || ferror(o->f))
        return fail(o, d, BL_EIO, "cannot write", errno ? errno : EIO);
    if (fsync(fileno(o->f)) != 0)
        return fail(o, d, BL_EIO, "cannot sync", errno);
    FILE *f = o->f;
    o->f = NULL;
    if (fclose(f) != 0) {
        int e = errno;
        unlink(o->tmp);
        return fail(o, d, BL_EIO, "cannot write", e);
    }
    if (move_new(o->tmp, o->path) != 0) {
        int e = errno;
        unlink(o->tmp);
        if (e == EEXIST) {
            int rc = bl_diag_set(d, BL_EEXISTS, "%s appeared while this run wrote it (another "
                                 "run?): it was left as it is", o->path);
            release(o);
            return rc;
        }
        return fail(o, d, BL_EIO, "cannot move into place", e);
    }
    if (sync_dir(o->dir) != 0) { /* not durable: as if never written */
        int e = errno;
        unlink(o->path);
        return fail(o, d, BL_EIO, "cannot sync its directory", e);
    }
    release(o);
    return BL_OK;
}
