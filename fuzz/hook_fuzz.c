/* hook_fuzz.c - libFuzzer target for what the webhooks parse: a subscriber's event list
 * (bl_app_hook_events_parse), its URL (bl_hook_url_check) and a sealed secret as stored
 * (bl_hook_unseal).
 *
 * Input: the first byte picks the parser, the rest is its text. Checks: nothing crashes;
 * every refusal says why; an accepted event list is written in its canonical form, which
 * parses back to itself; a sealed secret opened with a key it was not sealed with is
 * refused.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/hook.h"
#include "ballast/hook.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void events(const char *text)
{
    char out[200], again[200];
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_hook_events_parse(text, out, sizeof(out), &d);
    if (rc) {
        if (d.msg[0] == '\0' && rc != BL_ETOOBIG)
            abort();
        return;
    }
    if (bl_app_hook_events_parse(out, again, sizeof(again), &d) || strcmp(out, again) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 4096)
        return 0;
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    struct bl_diag d;
    bl_diag_clear(&d);
    if (data[0] % 3 == 0) {
        events(text);
    } else if (data[0] % 3 == 1) {
        if (bl_hook_url_check(text, &d) != BL_OK && d.msg[0] == '\0')
            abort();
    } else {
        unsigned char key[BL_HOOK_KEY_BYTES] = {0};
        char out[BL_HOOK_SECRET_MAX];
        if (bl_hook_unseal(key, (struct bl_str){(const char *)data + 1, size - 1}, out, sizeof(out),
                           &d) == BL_OK)
            abort(); /* nothing here was sealed with this key */
    }
    free(text);
    return 0;
}
