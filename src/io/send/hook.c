/* hook.c - outgoing event webhooks: the signature, one POST, the URL check, private
 * addresses, and sealed secrets (ballast/hook.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "ballast/hook.h"

void bl_hook_sign(struct bl_str secret, int64_t ts, struct bl_str body, char out[BL_HOOK_SIG_MAX])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char stamp[32];
    int n = snprintf(stamp, sizeof(stamp), "%lld.", (long long)ts);
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret.ptr, secret.len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)stamp, (unsigned long long)n);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body.ptr, body.len);
    crypto_auth_hmacsha256_final(&st, mac);
    memcpy(out, "v1=", 3);
    sodium_bin2hex(out + 3, BL_HOOK_SIG_MAX - 3, mac, sizeof(mac));
    sodium_memzero(&st, sizeof(st));
}

/* ---- the URL ---- */

static bool printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
            return false;
    return true;
}

static int url_part(CURLU *u, CURLUPart part, char **out)
{
    *out = NULL;
    return curl_url_get(u, part, out, 0) == CURLUE_OK && *out;
}

int bl_hook_url_check(const char *url, struct bl_diag *d)
{
    if (!url || !url[0])
        return bl_diag_set(d, BL_EINVAL, "the URL is empty");
    if (strlen(url) > 2000 || !printable(url))
        return bl_diag_set(d, BL_EINVAL,
                           "the URL must be at most 2,000 printable ASCII "
                           "characters without spaces");
    CURLU *u = curl_url();
    if (!u)
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    int rc = BL_OK;
    char *scheme = NULL, *host = NULL, *user = NULL, *pass = NULL, *frag = NULL;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
        rc = bl_diag_set(d, BL_EINVAL, "'%s' is not a URL (expected https://host/path)", url);
    if (!rc && (!url_part(u, CURLUPART_SCHEME, &scheme) ||
                (strcmp(scheme, "https") != 0 && strcmp(scheme, "http") != 0)))
        rc = bl_diag_set(d, BL_EINVAL, "'%s': only http and https URLs are taken", url);
    if (!rc && !url_part(u, CURLUPART_HOST, &host))
        rc = bl_diag_set(d, BL_EINVAL, "'%s' names no host", url);
    if (!rc && (url_part(u, CURLUPART_USER, &user) || url_part(u, CURLUPART_PASSWORD, &pass)))
        rc = bl_diag_set(d, BL_EINVAL,
                         "the URL holds a user name or password: credentials in a URL end up in "
                         "logs; check the signature instead");
    if (!rc && url_part(u, CURLUPART_FRAGMENT, &frag))
        rc = bl_diag_set(d, BL_EINVAL, "the URL has a fragment (#...), which is never sent");
    curl_free(scheme);
    curl_free(host);
    curl_free(user);
    curl_free(pass);
    curl_free(frag);
    curl_url_cleanup(u);
    return rc;
}

/* ---- private addresses ---- */

static bool v4_private(const unsigned char *a)
{
    return a[0] == 0 || a[0] == 10 || a[0] == 127 || (a[0] == 169 && a[1] == 254) ||
           (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168) ||
           (a[0] == 100 && (a[1] & 0xc0) == 64) || (a[0] == 192 && a[1] == 0 && a[2] == 0) ||
           (a[0] == 198 && (a[1] & 0xfe) == 18) || a[0] >= 224;
}

bool bl_hook_addr_private(const char *ip)
{
    unsigned char a[16];
    if (inet_pton(AF_INET, ip, a) == 1)
        return v4_private(a);
    if (inet_pton(AF_INET6, ip, a) != 1)
        return true; /* not an address: never reached */
    static const unsigned char zero[16];
    bool mapped = memcmp(a, zero, 10) == 0 && a[10] == 0xff && a[11] == 0xff;
    if (mapped)
        return v4_private(a + 12);
    if (memcmp(a, zero, 15) == 0 && (a[15] == 0 || a[15] == 1)) /* :: and ::1 */
        return true;
    return (a[0] & 0xfe) == 0xfc || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || a[0] == 0xff ||
           (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0x0d && a[3] == 0xb8) ||
           (a[0] == 0x00 && a[1] == 0x64 && a[2] == 0xff && a[3] == 0x9b); /* NAT64 */
}

/* ---- one POST ---- */

struct post_ctx {
    bool allow_private;
    char refused[INET6_ADDRSTRLEN];
};

/* Every connection libcurl opens, after name resolution: a private address is refused
 * here (so a name that resolves to one, or changes to one, is caught too). */
static curl_socket_t open_socket(void *vctx, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct post_ctx *c = vctx;
    (void)purpose;
    char ip[INET6_ADDRSTRLEN] = "";
    if (a->family == AF_INET)
        inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)&a->addr)->sin_addr, ip, sizeof(ip));
    else if (a->family == AF_INET6)
        inet_ntop(AF_INET6, &((struct sockaddr_in6 *)(void *)&a->addr)->sin6_addr, ip, sizeof(ip));
    if (!c->allow_private && (!ip[0] || bl_hook_addr_private(ip))) {
        snprintf(c->refused, sizeof(c->refused), "%s", ip[0] ? ip : "?");
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype, a->protocol);
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n;
}

static struct curl_slist *add_header(struct curl_slist *h, const char *line)
{
    struct curl_slist *t = h ? curl_slist_append(h, line) : NULL;
    if (!t)
        curl_slist_free_all(h);
    return t;
}

static struct curl_slist *headers(const struct bl_hook_post *p)
{
    char sig[BL_HOOK_SIG_MAX], line[300];
    bl_hook_sign(p->secret, p->ts, p->body, sig);
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    snprintf(line, sizeof(line), "Ballast-Event-Id: %s", p->event_id);
    h = add_header(h, line);
    snprintf(line, sizeof(line), "Ballast-Timestamp: %lld", (long long)p->ts);
    h = add_header(h, line);
    snprintf(line, sizeof(line), "Ballast-Signature: %s", sig);
    return add_header(h, line);
}

static void setup(CURL *h, const struct bl_hook_post *p, struct curl_slist *hd, struct post_ctx *c,
                  char *errbuf)
{
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_URL, p->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "Ballast-Webhooks/1");
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, p->body.ptr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)p->body.len);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, c);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, p->timeout_secs > 0 ? p->timeout_secs : 15L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
}

int bl_hook_post(const struct bl_hook_post *p, long *status, struct bl_diag *d)
{
    *status = 0;
    if (!p->event_id || strpbrk(p->event_id, "\r\n") || strlen(p->event_id) > 200)
        return bl_diag_set(d, BL_EINVAL, "webhook: bad event id");
    CURL *h = curl_easy_init();
    struct curl_slist *hd = h ? headers(p) : NULL;
    if (!h || !hd) {
        curl_easy_cleanup(h);
        return bl_diag_set(d, BL_ENOMEM, "webhook: out of memory");
    }
    char errbuf[CURL_ERROR_SIZE] = "";
    struct post_ctx c = {p->allow_private, ""};
    setup(h, p, hd, &c, errbuf);
    CURLcode cc = curl_easy_perform(h);
    int rc = BL_OK;
    if (cc != CURLE_OK && c.refused[0])
        rc = bl_diag_set(d, BL_EIO,
                         "refused: %s is a private address (a loopback, private or link-local "
                         "one; the installation may allow them: docs/api.md, \"Webhooks\")",
                         c.refused);
    else if (cc != CURLE_OK)
        rc = bl_diag_set(d, BL_EIO, "%s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
    if (!rc) {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
        if (*status < 200 || *status > 299)
            rc = bl_diag_set(d, BL_EIO, "HTTP %ld", *status);
    }
    curl_slist_free_all(hd);
    curl_easy_cleanup(h);
    return rc;
}

/* ---- the key and sealed secrets ---- */

int bl_hook_key_path(char *out, size_t cap, struct bl_diag *d)
{
    const char *env = getenv("BALLAST_SECRET_KEY_FILE"), *xdg = getenv("XDG_CONFIG_HOME"),
               *home = getenv("HOME");
    int n;
    if (env && env[0])
        n = snprintf(out, cap, "%s", env);
    else if (xdg && xdg[0] == '/')
        n = snprintf(out, cap, "%s/ballast/secret.key", xdg);
    else if (home && home[0] == '/')
        n = snprintf(out, cap, "%s/.config/ballast/secret.key", home);
    else
        return bl_diag_set(d, BL_EINVAL,
                           "no place for the secrets' key: set "
                           "BALLAST_SECRET_KEY_FILE (or HOME)");
    if (n < 0 || (size_t)n >= cap)
        return bl_diag_set(d, BL_ETOOBIG, "the secrets' key path is too long");
    return BL_OK;
}

/* A new key file at path (its directory made 0700 when missing). */
static int key_create(const char *path, unsigned char *key, struct bl_diag *d)
{
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return bl_diag_set(d, BL_EIO, "%s: %s", dir, strerror(errno));
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return bl_diag_set(d, BL_EIO, "%s: %s", path, strerror(errno));
    crypto_secretbox_keygen(key);
    bool ok = write(fd, key, BL_HOOK_KEY_BYTES) == BL_HOOK_KEY_BYTES;
    ok = fsync(fd) == 0 && ok;
    ok = close(fd) == 0 && ok;
    if (!ok) {
        unlink(path);
        return bl_diag_set(d, BL_EIO, "%s: cannot write the key", path);
    }
    return BL_OK;
}

int bl_hook_key_load(const char *path, bool create, unsigned char key[BL_HOOK_KEY_BYTES],
                     struct bl_diag *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        int rc = key_create(path, key, d);
        if (rc != BL_EIO || errno != EEXIST)
            return rc;
        fd = open(path, O_RDONLY | O_CLOEXEC); /* made meanwhile by another process */
    }
    if (fd < 0 && errno == ENOENT)
        return bl_diag_set(d, BL_ENOTFOUND,
                           "the secrets' key %s does not exist (it is made by the first "
                           "'ballast webhook add'; copy it here, or set BALLAST_SECRET_KEY_FILE)",
                           path);
    if (fd < 0)
        return bl_diag_set(d, BL_EIO, "%s: %s", path, strerror(errno));
    struct stat sb;
    unsigned char extra;
    int rc = BL_OK;
    if (fstat(fd, &sb) != 0 || sb.st_size != BL_HOOK_KEY_BYTES)
        rc =
            bl_diag_set(d, BL_EINVAL, "%s: not a key (%d bytes expected)", path, BL_HOOK_KEY_BYTES);
    else if (sb.st_mode & 077)
        rc = bl_diag_set(d, BL_EINVAL, "%s: others may read it (chmod 600 %s)", path, path);
    else if (read(fd, key, BL_HOOK_KEY_BYTES) != BL_HOOK_KEY_BYTES || read(fd, &extra, 1) != 0)
        rc = bl_diag_set(d, BL_EIO, "%s: cannot read the key", path);
    close(fd);
    return rc;
}

#define SEAL_TAG "s1:"

int bl_hook_seal(const unsigned char key[BL_HOOK_KEY_BYTES], const char *secret, struct bl_buf *out,
                 struct bl_diag *d)
{
    size_t n = strlen(secret);
    if (n >= BL_HOOK_SECRET_MAX)
        return bl_diag_set(d, BL_ETOOBIG, "the secret is too long");
    unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + BL_HOOK_SECRET_MAX];
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES, (const unsigned char *)secret, n, box,
                          key);
    size_t len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
    char b64[sizeof(box) * 4 / 3 + 8];
    sodium_bin2base64(b64, sizeof(b64), box, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    if (bl_buf_adds(out, BL_STR(SEAL_TAG)) || bl_buf_adds(out, bl_str_c(b64)) ||
        bl_buf_addc(out, '\0'))
        return bl_diag_set(d, BL_ENOMEM, "out of memory");
    out->len--; /* the NUL stays after the text */
    return BL_OK;
}

int bl_hook_unseal(const unsigned char key[BL_HOOK_KEY_BYTES], struct bl_str sealed, char *out,
                   size_t cap, struct bl_diag *d)
{
    unsigned char box[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + BL_HOOK_SECRET_MAX];
    size_t n = 0, tag = sizeof(SEAL_TAG) - 1;
    if (sealed.len <= tag || memcmp(sealed.ptr, SEAL_TAG, tag) != 0 ||
        sodium_base642bin(box, sizeof(box), sealed.ptr + tag, sealed.len - tag, NULL, &n, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        n < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
        return bl_diag_set(d, BL_EINVAL, "the stored secret is not a sealed one");
    size_t m = n - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    if (m >= cap)
        return bl_diag_set(d, BL_ETOOBIG, "the stored secret is too long");
    if (crypto_secretbox_open_easy((unsigned char *)out, box + crypto_secretbox_NONCEBYTES,
                                   n - crypto_secretbox_NONCEBYTES, box, key) != 0)
        return bl_diag_set(d, BL_EINVAL,
                           "the secret cannot be opened with this key (another key file than "
                           "the one it was sealed with?)");
    out[m] = '\0';
    return BL_OK;
}
