/* hook.h - outgoing event webhooks, the I/O half (src/io/send/hook.c): the signature,
 * one POST over libcurl, the check of a subscriber's URL, and the sealing of signing
 * secrets kept in the store (docs/internals/webhooks.md).
 *
 * A delivery is signed as Stripe and Standard Webhooks do: the header
 * "Ballast-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">", keyed with the
 * bytes of the subscription's secret text, with "Ballast-Timestamp: <timestamp>" (epoch
 * seconds) and "Ballast-Event-Id: <id>", so a receiver verifies the body, refuses old
 * timestamps (replays) and deduplicates by event id.
 *
 * Secrets are kept sealed (crypto_secretbox: XSalsa20-Poly1305) with a key that lives in
 * a file outside the store (BALLAST_SECRET_KEY_FILE, else
 * $XDG_CONFIG_HOME/ballast/secret.key, else ~/.config/ballast/secret.key; 0600): a copy
 * of the database alone does not give them away.
 *
 * Ownership: every string is borrowed for the call; results go to the caller's buffers.
 */
#ifndef BALLAST_HOOK_H
#define BALLAST_HOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ballast/err.h"
#include "ballast/str.h"

#define BL_HOOK_SIG_MAX 68 /* "v1=" + 64 hex digits + NUL */
#define BL_HOOK_KEY_BYTES 32
#define BL_HOOK_SECRET_MAX 128 /* the text of a signing secret, NUL included */

/* "v1=<hex HMAC-SHA256 of "<ts>.<body>" keyed with secret>" into out. Pure. */
void bl_hook_sign(struct bl_str secret, int64_t ts, struct bl_str body, char out[BL_HOOK_SIG_MAX]);

/* A subscriber's URL: http or https, a host, no user name or password, no fragment, at
 * most 2,000 bytes, printable ASCII. BL_EINVAL with the reason in d. */
int bl_hook_url_check(const char *url, struct bl_diag *d) BL_MUST_CHECK;

/* Whether an IP address (text) is one a hosted service must not reach on a tenant's
 * behalf: loopback, private (RFC 1918, fc00::/7), link-local (cloud metadata), CGNAT,
 * unspecified, multicast or reserved. */
bool bl_hook_addr_private(const char *ip);

struct bl_hook_post {
    const char *url;
    struct bl_str secret, body;
    const char *event_id;
    int64_t ts;         /* the Ballast-Timestamp */
    bool allow_private; /* else a connection to a private address is refused */
    long timeout_secs;  /* the whole request; 0: 15 s (connecting: at most 5 s) */
};

/* One POST of body (JSON) with the signature headers. *status: the HTTP status (0 when
 * none came). A 2xx answer is BL_OK; anything else BL_EIO with the reason in d ("HTTP
 * 503", libcurl's reason, or "refused: 10.0.0.5 is a private address"). Call
 * bl_send_global_init (send.h) once before. */
int bl_hook_post(const struct bl_hook_post *p, long *status, struct bl_diag *d) BL_MUST_CHECK;

/* The key file's path into out: BALLAST_SECRET_KEY_FILE, else the default above. */
int bl_hook_key_path(char *out, size_t cap, struct bl_diag *d) BL_MUST_CHECK;
/* Reads the key from path; when the file does not exist and create is set, makes one
 * (random, mode 0600, its directory 0700). BL_ENOTFOUND when it does not exist and
 * create is not set; BL_EIO / BL_EINVAL (a file of another size or readable by others). */
int bl_hook_key_load(const char *path, bool create, unsigned char key[BL_HOOK_KEY_BYTES],
                     struct bl_diag *d) BL_MUST_CHECK;
/* secret sealed with key as text ("s1:" + base64 of nonce and box) into out. */
int bl_hook_seal(const unsigned char key[BL_HOOK_KEY_BYTES], const char *secret, struct bl_buf *out,
                 struct bl_diag *d) BL_MUST_CHECK;
/* The secret of sealed text into out (NUL-terminated): BL_EINVAL when the key is not the
 * one it was sealed with or the text was altered. */
int bl_hook_unseal(const unsigned char key[BL_HOOK_KEY_BYTES], struct bl_str sealed, char *out,
                   size_t cap, struct bl_diag *d) BL_MUST_CHECK;

#endif
