/* send.c - e-mail formatting (RFC 5322, RFC 2047, base64 MIME bodies), SMTP and
 * signed webhooks over libcurl (send.h). */
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "ballast/send.h"
#include "ballast/time.h"

static bool plain_ascii(struct bl_str s)
{
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c < 0x20 || c > 0x7e)
            return false;
    }
    /* "=?" would be read as the start of an encoded-word */
    for (size_t i = 0; i + 1 < s.len; i++)
        if (s.ptr[i] == '=' && s.ptr[i + 1] == '?')
            return false;
    return true;
}

static int add_b64(struct bl_buf *out, const unsigned char *p, size_t n)
{
    char tmp[128]; /* callers pass at most 57 bytes */
    sodium_bin2base64(tmp, sizeof(tmp), p, n, sodium_base64_VARIANT_ORIGINAL);
    return bl_buf_adds(out, bl_str_c(tmp));
}

int bl_rfc2047(struct bl_str s, struct bl_buf *out)
{
    if (plain_ascii(s))
        return bl_buf_adds(out, s);
    /* "=?UTF-8?B?" + 60 base64 bytes + "?=" = 72 <= 75; 45 input bytes per word, cut
     * only before a byte that starts a UTF-8 character. */
    size_t i = 0;
    int rc = BL_OK;
    bool first = true;
    while (!rc && i < s.len) {
        size_t n = s.len - i < 45 ? s.len - i : 45;
        while (n > 0 && i + n < s.len && ((unsigned char)s.ptr[i + n] & 0xc0) == 0x80)
            n--;
        if (n == 0)
            n = s.len - i < 45 ? s.len - i : 45;
        if (!first)
            rc = bl_buf_adds(out, BL_STR("\r\n "));
        if (!rc)
            rc = bl_buf_adds(out, BL_STR("=?UTF-8?B?"));
        if (!rc)
            rc = add_b64(out, (const unsigned char *)s.ptr + i, n);
        if (!rc)
            rc = bl_buf_adds(out, BL_STR("?="));
        i += n;
        first = false;
    }
    return rc;
}

static bool bad_header(const char *s)
{
    return !s || !s[0] || strpbrk(s, "\r\n<>") != NULL;
}

static const char *const wdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int bl_mail_format(const struct bl_mail *m, struct bl_buf *out, struct bl_diag *d)
{
    if (bad_header(m->from) || bad_header(m->to) || bad_header(m->message_id) ||
        bad_header(m->idem))
        return bl_diag_set(d, BL_EINVAL, "mail: an address, Message-ID or key is empty or holds "
                                         "CR, LF, '<' or '>'");
    size_t bad;
    const char *texts[] = {m->subject, m->body, m->from_name ? m->from_name : ""};
    for (size_t k = 0; k < 3; k++)
        if (!texts[k] || !bl_utf8_valid(texts[k], strlen(texts[k]), &bad))
            return bl_diag_set(d, BL_EUTF8, "mail: the %s is not UTF-8",
                               k == 0 ? "subject" : k == 1 ? "body" : "sender name");
    int64_t days = m->date >= 0 ? m->date / BL_DAY_SECS : (m->date - BL_DAY_SECS + 1) / BL_DAY_SECS;
    int64_t secs = m->date - days * BL_DAY_SECS;
    int y, mo, dd;
    bl_civil_from_days(days, &y, &mo, &dd);
    int rc = bl_buf_adds(out, BL_STR("From: "));
    if (!rc && m->from_name && m->from_name[0]) {
        struct bl_str n = bl_str_c(m->from_name);
        /* a plain name is quoted; specials inside it are not allowed there */
        if (plain_ascii(n) && !strpbrk(m->from_name, "\"\\")) {
            rc = bl_buf_addf(out, "\"%s\" ", m->from_name);
        } else {
            rc = bl_rfc2047(n, out);
            if (!rc)
                rc = bl_buf_addc(out, ' ');
        }
    }
    if (!rc)
        rc = bl_buf_addf(out, "<%s>\r\nTo: <%s>\r\nSubject: ", m->from, m->to);
    if (!rc)
        rc = bl_rfc2047(bl_str_c(m->subject), out);
    if (!rc)
        rc = bl_buf_addf(out,
                         "\r\nDate: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n"
                         "Message-ID: <%s>\r\nX-Ballast-Idempotency-Key: %s\r\n"
                         "MIME-Version: 1.0\r\n"
                         "Content-Type: text/plain; charset=UTF-8\r\n"
                         "Content-Transfer-Encoding: base64\r\n\r\n",
                         wdays[bl_weekday(days)], dd, months[mo - 1], y, (int)(secs / 3600),
                         (int)(secs / 60 % 60), (int)(secs % 60), m->message_id, m->idem);
    /* The body with CRLF line ends, base64 in 76-column lines (57 bytes each). */
    struct bl_buf crlf = BL_BUF_INIT;
    for (const char *p = m->body; !rc && *p; p++) {
        if (*p == '\n' && (p == m->body || p[-1] != '\r'))
            rc = bl_buf_addc(&crlf, '\r');
        if (!rc)
            rc = bl_buf_addc(&crlf, *p);
    }
    for (size_t i = 0; !rc && i < crlf.len; i += 57) {
        size_t n = crlf.len - i < 57 ? crlf.len - i : 57;
        rc = add_b64(out, (const unsigned char *)crlf.ptr + i, n);
        if (!rc)
            rc = bl_buf_adds(out, BL_STR("\r\n"));
    }
    bl_buf_release(&crlf);
    if (rc)
        return bl_diag_set(d, rc, "mail: %s", bl_strerror(rc));
    return BL_OK;
}

int bl_send_global_init(struct bl_diag *d)
{
    if (sodium_init() < 0)
        return bl_diag_set(d, BL_EIO, "libsodium does not initialise");
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return bl_diag_set(d, BL_EIO, "libcurl does not initialise");
    return BL_OK;
}

void bl_send_global_cleanup(void)
{
    curl_global_cleanup();
}

struct reader {
    struct bl_str msg;
    size_t off;
};

static size_t read_cb(char *buf, size_t size, size_t nitems, void *ctx)
{
    struct reader *r = ctx;
    size_t room = size * nitems, left = r->msg.len - r->off;
    size_t n = left < room ? left : room;
    memcpy(buf, r->msg.ptr + r->off, n);
    r->off += n;
    return n;
}

static size_t discard_cb(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n;
}

static int curl_fail(struct bl_diag *d, CURLcode c, const char *errbuf, const char *what)
{
    return bl_diag_set(d, BL_EIO, "%s: %s", what, errbuf[0] ? errbuf : curl_easy_strerror(c));
}

int bl_smtp_send(const struct bl_smtp *c, const char *from, const char *to, struct bl_str msg,
                 struct bl_diag *d)
{
    CURL *h = curl_easy_init();
    if (!h)
        return bl_diag_set(d, BL_ENOMEM, "smtp: libcurl has no handle");
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *rcpt = curl_slist_append(NULL, to);
    struct reader r = {msg, 0};
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_URL, c->url);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(h, CURLOPT_READDATA, &r);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.len);
    curl_easy_setopt(h, CURLOPT_USE_SSL, c->require_tls ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, c->timeout_secs > 0 ? c->timeout_secs : 30L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    if (c->insecure) {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (c->user && c->user[0]) {
        curl_easy_setopt(h, CURLOPT_USERNAME, c->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->password ? c->password : "");
    }
    int rc = BL_OK;
    if (!rcpt)
        rc = bl_diag_set(d, BL_ENOMEM, "smtp: out of memory");
    CURLcode cc = rc ? CURLE_OK : curl_easy_perform(h);
    if (!rc && cc != CURLE_OK) {
        long code = 0; /* the server's last reply, when there was one */
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
        if (code > 0)
            rc = bl_diag_set(d, BL_EIO, "smtp: %s (server reply %ld)",
                             errbuf[0] ? errbuf : curl_easy_strerror(cc), code);
        else
            rc = curl_fail(d, cc, errbuf, "smtp");
    }
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(h);
    return rc;
}

void bl_hmac_sha256_hex(struct bl_str secret, struct bl_str body, char out[65])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret.ptr, secret.len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body.ptr, body.len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2hex(out, 65, mac, sizeof(mac));
}

int bl_webhook_post(const char *url, struct bl_str secret, struct bl_str body, const char *idem,
                    long timeout_secs, struct bl_diag *d)
{
    if (bad_header(idem))
        return bl_diag_set(d, BL_EINVAL, "webhook: bad idempotency key");
    CURL *h = curl_easy_init();
    if (!h)
        return bl_diag_set(d, BL_ENOMEM, "webhook: libcurl has no handle");
    char sig[65], line[600];
    bl_hmac_sha256_hex(secret, body, sig);
    struct curl_slist *hd = curl_slist_append(NULL, "Content-Type: application/json");
    snprintf(line, sizeof(line), "X-Ballast-Signature: sha256=%s", sig);
    struct curl_slist *t = hd ? curl_slist_append(hd, line) : NULL;
    hd = t ? t : hd;
    snprintf(line, sizeof(line), "X-Ballast-Idempotency-Key: %s", idem);
    t = t ? curl_slist_append(hd, line) : NULL;
    hd = t ? t : hd;
    char errbuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.ptr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body.len);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_cb);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_secs > 0 ? timeout_secs : 30L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    int rc = BL_OK;
    if (!t)
        rc = bl_diag_set(d, BL_ENOMEM, "webhook: out of memory");
    CURLcode cc = rc ? CURLE_OK : curl_easy_perform(h);
    long status = 0;
    if (!rc && cc != CURLE_OK)
        rc = curl_fail(d, cc, errbuf, "webhook");
    if (!rc) {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        if (status < 200 || status > 299)
            rc = bl_diag_set(d, BL_EIO, "webhook: HTTP %ld", status);
    }
    curl_slist_free_all(hd);
    curl_easy_cleanup(h);
    return rc;
}
