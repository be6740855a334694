/* cookie.c - the browser's session cookie and its CSRF token (api_impl.h).
 *
 * The dashboard signs in with POST /api/v1/sessions and "cookie": true: the session's
 * token goes into an HttpOnly, SameSite=Strict cookie that the page's scripts cannot
 * read, and the answer gives the CSRF token instead. Dispatch takes the token from the
 * cookie when the request has no Authorization header, and then refuses any change
 * (POST, PATCH, DELETE) whose X-CSRF-Token header is not that token's (403 csrf_failed).
 * Bearer clients are unaffected: a cross-site page cannot make a browser send an
 * Authorization header, so only the cookie needs the check.
 *
 * The CSRF token is BLAKE2b keyed with a fixed context over the session token's text:
 * deterministic (no state kept, valid across restarts for the cookie's life), unforgeable
 * without the token, and it reveals nothing of the token.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "api/api_impl.h"
#include "ballast/assess.h" /* BL_NO_TIME */

static const unsigned char csrf_ctx[32] = "ballast csrf token, version 1...";

void bl__api_csrf_of(const char *token, char out[BL_API_CSRF_LEN])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), csrf_ctx,
                       sizeof(csrf_ctx));
    sodium_bin2base64(out, BL_API_CSRF_LEN, h, sizeof(h), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool bl__api_csrf_ok(const char *token, const char *header)
{
    char want[BL_API_CSRF_LEN];
    bl__api_csrf_of(token, want);
    return header && strlen(header) == strlen(want) &&
           sodium_memcmp(want, header, strlen(want)) == 0;
}

static bool cookie_safe(const char *s)
{
    if (!s[0] || strlen(s) > 256)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-'))
            return false;
    return true;
}

int bl__api_cookie_set(struct bl__api_call *c, const char *token, int64_t expires_at)
{
    if (token && !cookie_safe(token))
        return BL_EINVAL;
    char text[400], age[40] = "";
    if (!token)
        snprintf(age, sizeof(age), "; Max-Age=0");
    else if (expires_at != BL_NO_TIME)
        snprintf(age, sizeof(age), "; Max-Age=%lld",
                 (long long)(expires_at > c->now ? expires_at - c->now : 0));
    int n = snprintf(text, sizeof(text), "%s=%s; Path=/; HttpOnly; SameSite=Strict%s",
                     BL_API_COOKIE, token ? token : "", age);
    if (n < 0 || (size_t)n >= sizeof(text))
        return BL_EINVAL;
    c->set_cookie = bl_arena_strndup(&c->arena, text, (size_t)n);
    return c->set_cookie ? BL_OK : BL_ENOMEM;
}
