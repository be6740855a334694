/* chat.c - Slack, Feishu/Lark and DingTalk webhooks (chat.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "ballast/chat.h"

int bl_chat_kind_parse(const char *name, enum bl_chat_kind *out)
{
    if (strcmp(name, "slack") == 0)
        *out = BL_CHAT_SLACK;
    else if (strcmp(name, "feishu") == 0 || strcmp(name, "lark") == 0)
        *out = BL_CHAT_FEISHU;
    else if (strcmp(name, "dingtalk") == 0)
        *out = BL_CHAT_DINGTALK;
    else
        return BL_EINVAL;
    return BL_OK;
}

const char *bl_chat_kind_name(enum bl_chat_kind k)
{
    return k == BL_CHAT_FEISHU ? "feishu" : k == BL_CHAT_DINGTALK ? "dingtalk" : "slack";
}

static void hmac_b64(struct bl_str key, struct bl_str msg, char out[64])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)key.ptr, key.len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg.ptr, msg.len);
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_bin2base64(out, 64, mac, sizeof(mac), sodium_base64_VARIANT_ORIGINAL);
}

void bl_chat_feishu_sign(int64_t ts, struct bl_str secret, char out[64])
{
    char key[600];
    int n = snprintf(key, sizeof(key), "%lld\n%.*s", (long long)ts, (int)secret.len, secret.ptr);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof(key) ? (size_t)n : sizeof(key) - 1;
    hmac_b64((struct bl_str){key, len}, BL_STR(""), out);
}

void bl_chat_dingtalk_sign(int64_t ts_ms, struct bl_str secret, char out[64])
{
    char msg[600];
    int n = snprintf(msg, sizeof(msg), "%lld\n%.*s", (long long)ts_ms, (int)secret.len, secret.ptr);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
    hmac_b64(secret, (struct bl_str){msg, len}, out);
}

/* The URL-safe form of a base64 signature (+ / = escaped), for a query string. */
static int add_escaped(struct bl_buf *b, const char *s)
{
    int rc = BL_OK;
    for (; !rc && *s; s++) {
        char e[4];
        if (*s == '+' || *s == '/' || *s == '=') {
            snprintf(e, sizeof(e), "%%%02X", (unsigned char)*s);
            rc = bl_buf_adds(b, bl_str_c(e));
        } else {
            rc = bl_buf_add(b, s, 1);
        }
    }
    return rc;
}

static int dump(json_t *j, struct bl_buf *body, struct bl_diag *d)
{
    char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!s)
        return bl_diag_set(d, BL_ENOMEM, "chat: out of memory");
    int rc = bl_buf_adds(body, bl_str_c(s));
    free(s);
    return rc ? bl_diag_set(d, rc, "chat: message too large") : BL_OK;
}

int bl_chat_request(enum bl_chat_kind k, const char *url, struct bl_str secret, struct bl_str text,
                    int64_t now, struct bl_buf *url_out, struct bl_buf *body, struct bl_diag *d)
{
    json_t *t = json_stringn(text.ptr, text.len);
    if (!t)
        return bl_diag_set(d, BL_EUTF8, "chat: the message is not UTF-8");
    int rc = bl_buf_adds(url_out, bl_str_c(url));
    json_t *j = NULL;
    char sign[64], ts[32];
    switch (k) {
    case BL_CHAT_SLACK:
        j = json_pack("{s:o}", "text", t);
        break;
    case BL_CHAT_FEISHU:
        j = json_pack("{s:s, s:{s:o}}", "msg_type", "text", "content", "text", t);
        if (j && secret.len) {
            bl_chat_feishu_sign(now, secret, sign);
            snprintf(ts, sizeof(ts), "%lld", (long long)now);
            json_object_set_new(j, "timestamp", json_string(ts));
            json_object_set_new(j, "sign", json_string(sign));
        }
        break;
    case BL_CHAT_DINGTALK:
        j = json_pack("{s:s, s:{s:o}}", "msgtype", "text", "text", "content", t);
        if (!rc && secret.len) {
            int64_t ms = now * 1000;
            bl_chat_dingtalk_sign(ms, secret, sign);
            snprintf(ts, sizeof(ts), "%lld", (long long)ms);
            rc = bl_buf_adds(url_out, bl_str_c(strchr(url, '?') ? "&timestamp=" : "?timestamp="));
            if (!rc)
                rc = bl_buf_adds(url_out, bl_str_c(ts));
            if (!rc)
                rc = bl_buf_adds(url_out, BL_STR("&sign="));
            if (!rc)
                rc = add_escaped(url_out, sign);
        }
        break;
    }
    if (rc) {
        json_decref(j);
        return bl_diag_set(d, rc, "chat: URL too long");
    }
    return dump(j, body, d);
}

static size_t keep_cb(char *p, size_t size, size_t n, void *ctx)
{
    struct bl_buf *b = ctx;
    size_t len = size * n;
    if (bl_buf_add(b, p, len))
        return 0;
    return len;
}

/* The platform's own verdict in a 200 answer: Feishu {"code": 0}, DingTalk
 * {"errcode": 0}; Slack answers "ok". */
static int answer_ok(enum bl_chat_kind k, struct bl_str ans, struct bl_diag *d)
{
    if (k == BL_CHAT_SLACK)
        return BL_OK;
    json_t *j = json_loadb(ans.ptr, ans.len, 0, NULL);
    const char *field = k == BL_CHAT_FEISHU ? "code" : "errcode";
    const char *msgf = k == BL_CHAT_FEISHU ? "msg" : "errmsg";
    json_t *code = j ? json_object_get(j, field) : NULL;
    int rc = BL_OK;
    if (!code || !json_is_integer(code))
        rc = bl_diag_set(d, BL_EIO, "%s: the answer has no %s: %.*s", bl_chat_kind_name(k), field,
                         (int)(ans.len < 200 ? ans.len : 200), ans.ptr);
    else if (json_integer_value(code) != 0)
        rc = bl_diag_set(d, BL_EIO, "%s: refused with %s %lld: %s", bl_chat_kind_name(k), field,
                         (long long)json_integer_value(code),
                         json_string_value(json_object_get(j, msgf))
                             ? json_string_value(json_object_get(j, msgf))
                             : "");
    json_decref(j);
    return rc;
}

int bl_chat_post(enum bl_chat_kind k, const char *url, struct bl_str secret, struct bl_str text,
                 int64_t now, long timeout_secs, struct bl_diag *d)
{
    struct bl_buf u, body, ans;
    bl_buf_init(&u, 8192);
    bl_buf_init(&body, 1u << 20);
    bl_buf_init(&ans, 1u << 16);
    int rc = bl_chat_request(k, url, secret, text, now, &u, &body, d);
    CURL *h = rc ? NULL : curl_easy_init();
    if (!rc && !h)
        rc = bl_diag_set(d, BL_ENOMEM, "chat: libcurl has no handle");
    struct curl_slist *hd = rc ? NULL : curl_slist_append(NULL, "Content-Type: application/json");
    if (!rc && !hd)
        rc = bl_diag_set(d, BL_ENOMEM, "chat: out of memory");
    char errbuf[CURL_ERROR_SIZE] = "";
    if (!rc) {
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
        curl_easy_setopt(h, CURLOPT_URL, bl_buf_cstr(&u));
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.ptr);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body.len);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_cb);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &ans);
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_secs > 0 ? timeout_secs : 30L);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
        CURLcode cc = curl_easy_perform(h);
        long status = 0;
        if (cc != CURLE_OK) {
            rc = bl_diag_set(d, BL_EIO, "%s: %s", bl_chat_kind_name(k),
                             errbuf[0] ? errbuf : curl_easy_strerror(cc));
        } else {
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
            if (status < 200 || status > 299)
                rc = bl_diag_set(d, BL_EIO, "%s: HTTP %ld", bl_chat_kind_name(k), status);
            else
                rc = answer_ok(k, (struct bl_str){ans.ptr ? ans.ptr : "", ans.len}, d);
        }
    }
    curl_slist_free_all(hd);
    if (h)
        curl_easy_cleanup(h);
    bl_buf_release(&u);
    bl_buf_release(&body);
    bl_buf_release(&ans);
    return rc;
}
