/* notify_hold.c - what must be true before a message may leave the outbox: reserved
 * and test domains, missing shop settings, the platform's messaging rules
 * (notify.h; docs/internals/notify.md, "Holds"). Pure. */
#include <stdio.h>
#include <string.h>

#include "ballast/notify.h"
#include "ballast/str.h"

static const char *const setting_names[BL_SET__COUNT] = {
    "account_url", "support_contact", "support_hours", "signature", "sender",
};

static const char *const hold_names[BL_HOLD__COUNT] = {
    "no_recipient",     "reserved_recipient", "reserved_sender",
    "reserved_link",    "missing_setting",    "kind_not_allowed",
    "marketing",        "outside_link",       "too_long",
};

const char *bl_msg_setting_name(enum bl_msg_setting s)
{
    return (unsigned)s < BL_SET__COUNT ? setting_names[s] : NULL;
}

enum bl_msg_setting bl_msg_setting_from_name(struct bl_str name)
{
    for (unsigned k = 0; k < BL_SET__COUNT; k++)
        if (bl_str_eq_c(name, setting_names[k]))
            return (enum bl_msg_setting)k;
    return BL_SET__COUNT;
}

const char *bl_hold_name(enum bl_hold h)
{
    return (unsigned)h < BL_HOLD__COUNT ? hold_names[h] : NULL;
}

enum bl_hold bl_hold_from_name(struct bl_str name)
{
    for (unsigned k = 0; k < BL_HOLD__COUNT; k++)
        if (bl_str_eq_c(name, hold_names[k]))
            return (enum bl_hold)k;
    return BL_HOLD__COUNT;
}

void bl_msg_rules_default(struct bl_msg_rules *r)
{
    *r = (struct bl_msg_rules){.kinds = BL_MSG_BIT(BL_MSG__COUNT) - 1,
                               .outside_links = true,
                               .marketing = true,
                               .max_length = 0,
                               .horizon_days = 3};
}

/* ---------------------------------------------------------------- domains */

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* host ends with the label sequence suffix (lower case), as a whole label. */
static bool ends_with(struct bl_str host, const char *suffix)
{
    size_t n = strlen(suffix);
    if (host.len < n)
        return false;
    const char *p = host.ptr + host.len - n;
    for (size_t i = 0; i < n; i++)
        if (lower(p[i]) != suffix[i])
            return false;
    return host.len == n || p[-1] == '.';
}

bool bl_reserved_domain(struct bl_str host)
{
    while (host.len && host.ptr[host.len - 1] == '.')
        host.len--;
    static const char *const reserved[] = {"test",        "example",     "invalid",
                                           "localhost",   "example.com", "example.net",
                                           "example.org"};
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (ends_with(host, reserved[i]))
            return true;
    return false;
}

/* The domain of an address "local@domain" or "Name <local@domain>" ("" if none). */
static struct bl_str addr_domain(const char *addr)
{
    const char *at = addr ? strrchr(addr, '@') : NULL;
    if (!at)
        return (struct bl_str){"", 0};
    size_t n = strcspn(at + 1, "> \t\r\n");
    return (struct bl_str){at + 1, n};
}

/* ---------------------------------------------------------------- links in text */

/* ASCII only: a link or address ends where the text goes on in another script
 * ("...account。", "care@shop.com（9:00）"). */
static bool host_ch(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.';
}

static bool local_ch(char c)
{
    return host_ch(c) || c == '_' || c == '+' || c == '%';
}

/* Each link (http:// or https:// URL) and e-mail address in text: what to show
 * (the URL or the address) and its host. */
struct link {
    struct bl_str shown, host;
};

static size_t find_links(const char *text, struct link *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = text; p && *p && n < cap; p++) {
        bool http = strncmp(p, "http://", 7) == 0 || strncmp(p, "https://", 8) == 0 ||
                    strncmp(p, "HTTP://", 7) == 0 || strncmp(p, "HTTPS://", 8) == 0;
        if (http && (p == text || !local_ch(p[-1]))) {
            const char *h = strstr(p, "://") + 3, *e = h;
            while (host_ch(*e))
                e++;
            const char *end = e;
            while (*end && !strchr(" \t\r\n\"'<>)", *end))
                end++;
            while (end > e && strchr(".,;:!?", end[-1]))
                end--;
            out[n++] = (struct link){{p, (size_t)(end - p)}, {h, (size_t)(e - h)}};
            p = end - 1;
        } else if (*p == '@' && p > text && local_ch(p[-1]) && host_ch(p[1])) {
            const char *s = p, *e = p + 1;
            while (s > text && local_ch(s[-1]))
                s--;
            while (host_ch(*e))
                e++;
            while (e > p + 1 && e[-1] == '.')
                e--;
            if (memchr(p + 1, '.', (size_t)(e - p - 1)))
                out[n++] = (struct link){{s, (size_t)(e - s)}, {p + 1, (size_t)(e - p - 1)}};
            p = e - 1;
        }
    }
    return n;
}

/* ---------------------------------------------------------------- the reasons */

struct reasons {
    char *out;
    size_t cap, len;
    uint32_t mask;
};

/* Appends "name" or "name=arg" as one reason (a second arg of the same reason after a
 * ','); ';' and ',' in arg become '_' so the text splits back. A reason that does not
 * fit is left out of the text (the mask keeps it). */
static void reason(struct reasons *r, enum bl_hold h, struct bl_str arg)
{
    bool again = r->mask & (1u << h);
    r->mask |= 1u << h;
    if (again && !arg.len)
        return;
    char a[301];
    size_t n = arg.len > 300 ? 300 : arg.len;
    for (size_t i = 0; i < n; i++)
        a[i] = arg.ptr[i] == ';' || arg.ptr[i] == ',' || arg.ptr[i] == '\0' ? '_' : arg.ptr[i];
    a[n] = '\0';
    char one[400];
    int w = again ? snprintf(one, sizeof(one), ",%s", a)
                  : snprintf(one, sizeof(one), "%s%s%s%s", r->len ? ";" : "", hold_names[h],
                             n ? "=" : "", a);
    if (w < 0 || (size_t)w + r->len + 1 > r->cap)
        return;
    memcpy(r->out + r->len, one, (size_t)w + 1);
    r->len += (size_t)w;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void check_text(struct reasons *r, const struct bl_hold_in *in, const char *text)
{
    struct link l[64];
    size_t n = find_links(text, l, 64);
    for (size_t i = 0; i < n; i++) {
        if (bl_reserved_domain(l[i].host))
            reason(r, BL_HOLD_RESERVED_LINK, l[i].host);
        if (in->rules && !in->rules->outside_links)
            reason(r, BL_HOLD_OUTSIDE_LINK, l[i].shown);
    }
}

uint32_t bl_notify_holds(const struct bl_hold_in *in, char *out, size_t cap)
{
    struct reasons r = {out, cap, 0, 0};
    out[0] = '\0';
    if (!in->recipient || !in->recipient[0])
        reason(&r, BL_HOLD_NO_RECIPIENT, bl_str_c(NULL));
    else if (bl_reserved_domain(addr_domain(in->recipient)))
        reason(&r, BL_HOLD_RESERVED_RECIPIENT, addr_domain(in->recipient));
    if (in->sender && in->sender[0] && bl_reserved_domain(addr_domain(in->sender)))
        reason(&r, BL_HOLD_RESERVED_SENDER, addr_domain(in->sender));
    for (unsigned k = 0; k < BL_SET__COUNT; k++)
        if (in->missing & (1u << k))
            reason(&r, BL_HOLD_MISSING_SETTING, bl_str_c(setting_names[k]));
    const struct bl_msg_rules *pr = in->rules;
    if (pr && !(pr->kinds & BL_MSG_BIT(in->kind)))
        reason(&r, BL_HOLD_KIND_NOT_ALLOWED, bl_str_c(bl_msg_kind_name(in->kind)));
    if (pr && !pr->marketing && in->kind == BL_MSG_PROMO_CODE)
        reason(&r, BL_HOLD_MARKETING, bl_str_c(NULL));
    check_text(&r, in, in->subject);
    check_text(&r, in, in->body);
    if (pr && pr->max_length > 0 && utf8_chars(in->body) > (size_t)pr->max_length) {
        char n[32];
        snprintf(n, sizeof(n), "%zu>%lld", utf8_chars(in->body), (long long)pr->max_length);
        reason(&r, BL_HOLD_TOO_LONG, bl_str_c(n));
    }
    return r.mask;
}
