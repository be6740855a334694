/* actor_fuzz.c - libFuzzer target for bl_app_actor_parse (app/actor.h): who did something,
 * read back from the text a history keeps (action.decided_by, disruption_event.who), which
 * holds token labels and names people chose.
 *
 * Input: the text (NUL-terminated at the first NUL). Checks: the parts fit their buffers
 * (NUL-terminated), a token without a label has an id, and, when no part was cut to fit,
 * the text formatted from the parts reads back as the same parts (format and parse agree).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/actor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1000)
        return 0;
    char text[1001];
    memcpy(text, data, size);
    text[size] = '\0';
    struct bl_app_actor a, b;
    bl_app_actor_parse(text, &a);
    if (!memchr(a.name, '\0', sizeof(a.name)) ||
        !memchr(a.marketplace, '\0', sizeof(a.marketplace)))
        abort();
    if (a.token_id < 0)
        abort();
    /* A part that filled its buffer may have been cut, and a cut text can read as another
     * form (a name cut just after " of marketplace '"): the round trip holds for parts
     * that fit, as every name the store keeps does (user names and token labels are
     * shorter than the buffers). */
    if (strlen(a.name) + 1 >= sizeof(a.name) || strlen(a.marketplace) + 1 >= sizeof(a.marketplace))
        return 0;
    char again[400];
    bl_app_actor_format(&a, again, sizeof(again));
    if (strlen(again) + 1 >= sizeof(again))
        return 0; /* cut to fit: nothing to compare */
    bl_app_actor_parse(again, &b);
    if (a.kind != b.kind || a.token_id != b.token_id || strcmp(a.name, b.name) != 0 ||
        strcmp(a.marketplace, b.marketplace) != 0)
        abort();
    return 0;
}
