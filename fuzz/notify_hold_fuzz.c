/* notify_hold_fuzz.c - libFuzzer target for bl_notify_holds (the links, addresses and
 * domains it reads in a rendered message) and the "messaging" section of a profile
 * (bl_profile_messaging_parse).
 *
 * Input: the first byte picks the kind and the rules (bit 7: Amazon-like rules), the
 * rest is split at the first NUL into a recipient and a body. Checks: nothing crashes
 * or leaks; the reasons' text fits its buffer, is NUL-terminated, names only known
 * reasons, and says a reason exactly when the mask has it (unless cut short); the same
 * input gives the same answer; the input parsed as a profile either gives rules
 * within their bounds or fails with BL_EPARSE and a message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/notify.h"
#include "ballast/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *why, uint32_t mask, size_t cap)
{
    if (strlen(why) >= cap)
        abort();
    for (const char *p = why; *p;) {
        size_t n = strcspn(p, ";"), k = strcspn(p, "=");
        enum bl_hold h = bl_hold_from_name((struct bl_str){p, k < n ? k : n});
        if (h == BL_HOLD__COUNT || !(mask & (1u << h)))
            abort();
        p += n + (p[n] == ';');
    }
}

static void profile(const uint8_t *data, size_t size)
{
    struct bl_msg_rules r;
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_profile_messaging_parse((const char *)data, size, "fuzz.json", &r, &d);
    if (rc != BL_OK) {
        if (rc != BL_EPARSE || d.msg[0] == '\0')
            abort();
        return;
    }
    if (r.horizon_days < 0 || r.horizon_days > 365 || r.max_length < 0 ||
        (r.kinds & ~(BL_MSG_BIT(BL_MSG__COUNT) - 1)))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1 << 16)
        return 0;
    profile(data, size);
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    const char *to = text, *body = text + strlen(text);
    if ((size_t)(body - text) < size - 1)
        body++;
    struct bl_msg_rules amazon;
    bl_msg_rules_default(&amazon);
    amazon.kinds = BL_MSG_BIT(BL_MSG_LATE_SHIPMENT);
    amazon.outside_links = amazon.marketing = false;
    amazon.max_length = 50;
    struct bl_hold_in in = {(enum bl_msg_kind)(data[0] % BL_MSG__COUNT), to, "a@b.test", "subject",
                            body, (uint32_t)(data[0] >> 3) & 0x1f,
                            (data[0] & 0x80) ? &amazon : NULL};
    char a[4096], b[4096], small[40];
    uint32_t m1 = bl_notify_holds(&in, a, sizeof(a));
    uint32_t m2 = bl_notify_holds(&in, b, sizeof(b));
    uint32_t m3 = bl_notify_holds(&in, small, sizeof(small));
    if (m1 != m2 || m1 != m3 || strcmp(a, b) != 0 || !(m1 & (1u << BL_HOLD_RESERVED_SENDER)))
        abort();
    check_text(a, m1, sizeof(a));
    check_text(small, m3, sizeof(small));
    free(text);
    return 0;
}
