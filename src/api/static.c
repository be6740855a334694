/* static.c - the web front end's files (web/, docs/web.md) served at `/` from one directory
 * (opts.web_dir: the build tree's copy, an installed one, or `serve --web DIR`).
 *
 * Only GET and HEAD; a path is 1 to 255 bytes of [A-Za-z0-9._/-] whose segments are not
 * empty and do not begin with '.', so neither "..", nor a hidden file, nor an absolute
 * path can be named (libmicrohttpd has decoded %xx before: "%2e%2e" arrives as ".."); the
 * file is opened below the directory's descriptor without following a symbolic link at
 * the end; a directory or anything but a regular file is 404 (no listing). "/" is
 * index.html. Every answer carries the Content-Security-Policy (nothing inline, nothing
 * from elsewhere), nosniff, no framing, no referrer, and a strong ETag (a hash of the
 * bytes; 304 to If-None-Match) with Cache-Control no-cache, so an upgrade is seen at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "api/server_impl.h"

#define STATIC_MAX_BYTES (32u << 20) /* the largest file served */

const char bl__api_csp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'";

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json"},
};

/* The Content-Type of path by its extension, or NULL (not served). */
static const char *type_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return NULL;
}

bool bl__api_static_path_ok(const char *path)
{
    size_t n = strlen(path);
    if (n == 0 || n > 255 || path[n - 1] == '/')
        return false;
    bool seg_start = true;
    for (const char *p = path; *p; p++) {
        char ch = *p;
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                  (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-' || ch == '/';
        if (!ok || (seg_start && (ch == '.' || ch == '/')))
            return false;
        seg_start = ch == '/';
    }
    return true;
}

/* The headers every static answer has. */
static bool add_common(struct MHD_Response *resp)
{
    return MHD_add_response_header(resp, "Content-Security-Policy", bl__api_csp) == MHD_YES &&
           MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") == MHD_YES &&
           MHD_add_response_header(resp, "X-Frame-Options", "DENY") == MHD_YES &&
           MHD_add_response_header(resp, "Referrer-Policy", "no-referrer") == MHD_YES;
}

static enum MHD_Result plain(struct MHD_Connection *conn, unsigned status, const char *text,
                             const char *allow)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    bool ok = add_common(resp) && MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                                          "text/plain; charset=utf-8") == MHD_YES;
    if (ok && allow)
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow) == MHD_YES;
    enum MHD_Result rc = ok ? MHD_queue_response(conn, status, resp) : MHD_NO;
    MHD_destroy_response(resp);
    return rc;
}

/* The file rel below the directory: its bytes (*buf, *len; the caller frees), or 404's
 * reasons (missing, not a regular file, too large) as BL_ENOTFOUND. */
static int read_file(int dir, const char *rel, char **buf, size_t *len)
{
    int fd = openat(dir, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return BL_ENOTFOUND;
    struct stat sb;
    int rc = BL_ENOTFOUND;
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size <= STATIC_MAX_BYTES) {
        *len = (size_t)sb.st_size;
        *buf = bl_malloc(*len ? *len : 1);
        size_t got = 0;
        while (*buf && got < *len) {
            ssize_t r = read(fd, *buf + got, *len - got);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            got += (size_t)r;
        }
        rc = *buf && got == *len ? BL_OK : BL_EIO;
        if (rc) {
            bl_free(*buf);
            *buf = NULL;
        }
    }
    close(fd);
    return rc;
}

static enum MHD_Result send_file(struct MHD_Connection *conn, const char *type, char *buf,
                                 size_t len)
{
    unsigned char h[16];
    char etag[36];
    crypto_generichash(h, sizeof(h), (const unsigned char *)buf, len, NULL, 0);
    etag[0] = '"';
    sodium_bin2hex(etag + 1, 33, h, sizeof(h));
    etag[33] = '"';
    etag[34] = '\0';
    const char *inm =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    bool same = inm && strstr(inm, etag);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(same ? 0 : len, same ? (void *)"" : buf,
                                        same ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    bool ok = add_common(resp) &&
              MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type) == MHD_YES &&
              MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag) == MHD_YES &&
              MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache") == MHD_YES;
    enum MHD_Result rc =
        ok ? MHD_queue_response(conn, same ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK, resp) : MHD_NO;
    MHD_destroy_response(resp);
    return rc;
}

enum MHD_Result bl__api_static(struct bl__api_server *s, struct MHD_Connection *conn,
                               const char *method, const char *url)
{
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return plain(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n", "GET, HEAD");
    const char *rel = strcmp(url, "/") == 0 ? "index.html" : url + (url[0] == '/');
    const char *type = bl__api_static_path_ok(rel) ? type_of(rel) : NULL;
    char *buf = NULL;
    size_t len = 0;
    int rc = type ? read_file(s->web_fd, rel, &buf, &len) : BL_ENOTFOUND;
    if (rc == BL_ENOTFOUND)
        return plain(conn, MHD_HTTP_NOT_FOUND, "not found\n", NULL);
    if (rc)
        return plain(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "the file cannot be read\n", NULL);
    enum MHD_Result r = send_file(conn, type, buf, len);
    bl_free(buf);
    return r;
}
