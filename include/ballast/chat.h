/* chat.h - the operators' chat channels: Slack incoming webhooks, Feishu/Lark custom
 * bots and DingTalk robots (docs/internals/cycle.md, "The operator's digest").
 *
 * Each takes a plain-text message as a JSON payload in its own format:
 *   slack     {"text": T}
 *   feishu    {"msg_type": "text", "content": {"text": T}} and, with a secret,
 *             "timestamp" (seconds) and "sign": base64(HMAC-SHA256(key = timestamp "\n"
 *             secret, message = "")), the custom bot's documented signature
 *   dingtalk  {"msgtype": "text", "text": {"content": T}}; with a secret the URL gets
 *             &timestamp=<milliseconds>&sign=<urlencoded base64(HMAC-SHA256(key = secret,
 *             message = timestamp "\n" secret))>, the robot's documented signature
 *
 * The payload and signature builders are pure (the time is passed in); bl_chat_post
 * sends over libcurl (bl_send_global_init first) and reads the platform's answer: a
 * Feishu "code" or DingTalk "errcode" other than 0 is a failure although HTTP says 200.
 */
#ifndef BALLAST_CHAT_H
#define BALLAST_CHAT_H

#include <stdint.h>

#include "ballast/err.h"
#include "ballast/str.h"

enum bl_chat_kind { BL_CHAT_SLACK = 0, BL_CHAT_FEISHU, BL_CHAT_DINGTALK };

/* "slack", "feishu" (also "lark"), "dingtalk": BL_OK, else BL_EINVAL. */
int bl_chat_kind_parse(const char *name, enum bl_chat_kind *out);
const char *bl_chat_kind_name(enum bl_chat_kind k);

/* Feishu's sign for timestamp (seconds) and secret: base64, 44 characters + NUL. */
void bl_chat_feishu_sign(int64_t ts, struct bl_str secret, char out[64]);
/* DingTalk's sign for timestamp (milliseconds) and secret: base64, not yet URL-encoded. */
void bl_chat_dingtalk_sign(int64_t ts_ms, struct bl_str secret, char out[64]);

/* The request for text: *url_out the URL to POST to (url, plus the DingTalk signature's
 * parameters), body the JSON. now: epoch seconds; secret empty: unsigned. Both buffers
 * are the caller's (initialised; appended to). */
int bl_chat_request(enum bl_chat_kind k, const char *url, struct bl_str secret, struct bl_str text,
                    int64_t now, struct bl_buf *url_out, struct bl_buf *body,
                    struct bl_diag *d) BL_MUST_CHECK;

/* POSTs text to a chat channel (one attempt). BL_IO with the HTTP status or the
 * platform's error code and message in d. */
int bl_chat_post(enum bl_chat_kind k, const char *url, struct bl_str secret, struct bl_str text,
                 int64_t now, long timeout_secs, struct bl_diag *d) BL_MUST_CHECK;

#endif
