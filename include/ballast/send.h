/* send.h - outbound delivery: e-mail over SMTP and signed webhooks, via libcurl.
 *
 * bl_mail_format builds an RFC 5322 message (CRLF lines): From (display name RFC 2047
 * encoded when not ASCII), To, Subject (RFC 2047 "B" encoded-words when not ASCII,
 * folded to 75-byte words, never splitting a UTF-8 character), Date, Message-ID,
 * X-Ballast-Idempotency-Key, MIME-Version, Content-Type text/plain; charset=UTF-8,
 * Content-Transfer-Encoding base64 (76-column lines). Pure.
 *
 * bl_smtp_send hands one message to an SMTP server (smtp:// or smtps:// URL),
 * upgrading with STARTTLS when the server offers it (or requiring it), and
 * bl_webhook_post POSTs JSON with an HMAC-SHA256 signature header. Both make one
 * attempt and say why it failed in d; retries and backoff are the caller's (the
 * outbox). Call curl_global_init once before (bl_send_global_init).
 * Details: docs/internals/notify.md.
 */
#ifndef BALLAST_SEND_H
#define BALLAST_SEND_H

#include <stdbool.h>
#include <stdint.h>

#include "ballast/err.h"
#include "ballast/str.h"

struct bl_mail {
    const char *from_name; /* display name (UTF-8) or NULL */
    const char *from, *to; /* addresses */
    const char *subject, *body; /* UTF-8; body lines end with \n */
    const char *message_id;     /* without <>; "late_shipment.42.1@ballast.invalid" */
    const char *idem;           /* the idempotency key */
    int64_t date;               /* epoch seconds (UTC) */
};

/* Appends the message to out. BL_EINVAL for an address with CR, LF, < or >;
 * BL_UTF8 for text that is not UTF-8; BL_ENOMEM / BL_ETOOBIG. */
int bl_mail_format(const struct bl_mail *m, struct bl_buf *out, struct bl_diag *d) BL_MUST_CHECK;

/* Appends s as a header value: as it is when printable ASCII, else as RFC 2047
 * encoded-words "=?UTF-8?B?...?=" separated by CRLF SP. */
int bl_rfc2047(struct bl_str s, struct bl_buf *out) BL_MUST_CHECK;

int bl_send_global_init(struct bl_diag *d) BL_MUST_CHECK;
void bl_send_global_cleanup(void);

struct bl_smtp {
    const char *url;               /* smtp://host:port */
    const char *user, *password;   /* NULL: no AUTH */
    bool require_tls;              /* STARTTLS must succeed (default: used when offered) */
    bool insecure;                 /* do not verify the server certificate (tests) */
    long timeout_secs;             /* whole transfer; 0: 30 s */
};

/* Sends msg (a formatted message) from `from` to `to`. BL_IO with the server's or
 * libcurl's reason in d on failure. */
int bl_smtp_send(const struct bl_smtp *c, const char *from, const char *to, struct bl_str msg,
                 struct bl_diag *d) BL_MUST_CHECK;

/* HMAC-SHA256 of body with secret as lower-case hex (65 bytes with the NUL). */
void bl_hmac_sha256_hex(struct bl_str secret, struct bl_str body, char out[65]);

/* POSTs body (JSON) to url with headers Content-Type: application/json,
 * X-Ballast-Signature: sha256=<hex HMAC of the body>, X-Ballast-Idempotency-Key: idem.
 * A 2xx answer is success; anything else BL_IO with "HTTP 503" or libcurl's reason. */
int bl_webhook_post(const char *url, struct bl_str secret, struct bl_str body, const char *idem,
                    long timeout_secs, struct bl_diag *d) BL_MUST_CHECK;

#endif
