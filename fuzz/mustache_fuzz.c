/* mustache_fuzz.c - libFuzzer target for bl_mustache_compile / bl_mustache_render.
 *
 * Input: the first byte picks the options (bit 0 strict, bit 1 no_escape), the rest is
 * the template. It renders against a fixed small data tree; partial "self" is the
 * input template itself (recursion up to the depth limit), "p" and "list" are fixed.
 * Checks: nothing crashes or leaks; a failure has the documented code and a message
 * naming the template; lenient rendering of a template that compiled fails only on a
 * limit; rendering twice gives the same text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ballast/mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char data_json[] =
    "{\"customer_name\":\"Ana & <Bo>\",\"order_id\":\"A-1\",\"n\":42,\"x\":1.5,"
    "\"t\":true,\"f\":false,\"z\":null,\"e\":\"\",\"empty\":[],"
    "\"a\":{\"b\":{\"c\":\"deep\"}},"
    "\"items\":[{\"name\":\"lamp\",\"qty\":2},{\"name\":\"cable\",\"qty\":1}],"
    "\"list\":[1,2,3],\"zh\":\"王小明\"}";

struct fuzz_ctx {
    struct bl_str self;
};

static int partial(void *ctx, struct bl_str name, struct bl_mustache_src *src, struct bl_diag *d)
{
    (void)d;
    struct fuzz_ctx *c = ctx;
    if (bl_str_eq_c(name, "self"))
        src->text = c->self;
    else if (bl_str_eq_c(name, "p"))
        src->text = BL_STR("[{{customer_name}}|{{#items}}{{name}}{{/items}}]\n");
    else if (bl_str_eq_c(name, "list"))
        src->text = BL_STR("{{#list}}\n  {{.}}\n{{/list}}\n");
    else
        return BL_ENOTFOUND;
    return BL_OK;
}

static void check_diag(const struct bl_diag *d, int rc)
{
    if (d->code != rc || d->msg[0] == '\0' || d->file[0] == '\0')
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static json_t *tree;
    if (!tree && !(tree = json_loads(data_json, 0, NULL)))
        abort();
    struct fuzz_ctx ctx = {{(const char *)data + 1, size - 1}};
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_mustache *t = NULL;
    int rc = bl_mustache_compile(&t, "fuzz.mustache", ctx.self, &d);
    if (rc) {
        if ((rc != BL_EPARSE && rc != BL_ETOOBIG) || t)
            abort();
        check_diag(&d, rc);
        return 0;
    }
    struct bl_mustache_opts o = {0};
    o.strict = data[0] & 1;
    o.no_escape = (data[0] & 2) != 0;
    o.partial = partial;
    o.partial_ctx = &ctx;
    o.max_steps = 200000;
    struct bl_buf out, again;
    bl_buf_init(&out, 1 << 20);
    bl_buf_init(&again, 1 << 20);
    rc = bl_mustache_render(t, tree, &o, &out, &d);
    if (rc) {
        check_diag(&d, rc);
        if (rc != BL_ETOOBIG && rc != BL_EPARSE &&
            !(o.strict && (rc == BL_ENOTFOUND || rc == BL_EINVAL)))
            abort();
    } else {
        if (bl_mustache_render(t, tree, &o, &again, &d) != BL_OK ||
            !bl_str_eq(bl_buf_str(&out), bl_buf_str(&again)))
            abort();
    }
    bl_buf_release(&out);
    bl_buf_release(&again);
    bl_mustache_free(t);
    return 0;
}
