/* mustache_test.c - template errors, strict mode, limits and allocation failures.
 * (The specification's own tests run in mustache_spec_test.c.) */
#include <string.h>

#include "testutil.h"
#include "ballast/alloc.h"
#include "ballast/mustache.h"

/* Compiles and renders text against JSON data; returns the rc of whichever failed
 * and leaves the output in *out and the diagnostic formatted in msg. */
static int run(const char *name, const char *text, const char *data_json, bool strict,
               const json_t *partials, struct bl_buf *out, char *msg, size_t cap);

static int obj_partial(void *ctx, struct bl_str name, struct bl_mustache_src *src,
                       struct bl_diag *d)
{
    (void)d;
    const json_t *p = ctx ? json_object_getn(ctx, name.ptr, name.len) : NULL;
    if (!json_is_string(p))
        return BL_ENOTFOUND;
    src->text = (struct bl_str){json_string_value(p), json_string_length(p)};
    src->file = "partial.mustache";
    return BL_OK;
}

static int run(const char *name, const char *text, const char *data_json, bool strict,
               const json_t *partials, struct bl_buf *out, char *msg, size_t cap)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    msg[0] = '\0';
    json_error_t jerr;
    json_t *data = json_loads(data_json, 0, &jerr);
    if (!data)
        fail_msg("bad test data: %s", jerr.text);
    struct bl_mustache *t = NULL;
    int rc = bl_mustache_compile(&t, name, bl_str_c(text), &d);
    if (!rc) {
        struct bl_mustache_opts o = {0};
        o.strict = strict;
        o.partial = obj_partial;
        o.partial_ctx = (void *)partials;
        rc = bl_mustache_render(t, data, &o, out, &d);
    } else {
        assert_null(t);
    }
    if (rc) {
        assert_int_equal(d.code, rc);
        bl_diag_format(&d, msg, cap);
    }
    bl_mustache_free(t);
    json_decref(data);
    return rc;
}

static void expect_render(const char *text, const char *data, bool strict, const char *want)
{
    struct bl_buf out = BL_BUF_INIT;
    char msg[1024];
    int rc = run("t.mustache", text, data, strict, NULL, &out, msg, sizeof(msg));
    if (rc)
        fail_msg("render of '%s' failed: %s", text, msg);
    assert_string_equal(bl_buf_cstr(&out), want);
    bl_buf_release(&out);
}

static void expect_error(const char *text, const char *data, bool strict, int code,
                         const char *want_msg)
{
    struct bl_buf out = BL_BUF_INIT;
    char msg[1024];
    int rc = run("late_shipment.txt", text, data, strict, NULL, &out, msg, sizeof(msg));
    if (rc != code)
        fail_msg("'%s': got %s (%s), wanted %s", text, bl_errname(rc), msg, bl_errname(code));
    if (strcmp(msg, want_msg) != 0)
        fail_msg("'%s':\n  message  '%s'\n  expected '%s'", text, msg, want_msg);
    bl_buf_release(&out);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    expect_error("Hi\n\n{{#order}}\nx\n", "{}", false, BL_EPARSE,
                 "late_shipment.txt:3: unclosed section {{#order}}");
    expect_error("{{#a}}\n{{#b}}\n{{/a}}\n", "{}", false, BL_EPARSE,
                 "late_shipment.txt:3: {{/a}} does not close {{#b}} (opened on line 2)");
    expect_error("x\n{{/a}}", "{}", false, BL_EPARSE,
                 "late_shipment.txt:2: {{/a}} closes no open section");
    expect_error("Dear {{customer_name,\nthanks", "{}", false, BL_EPARSE,
                 "late_shipment.txt:1: unclosed tag {{customer_name, (expected }})");
    expect_error("{{{raw}}", "{}", false, BL_EPARSE,
                 "late_shipment.txt:1: unclosed tag {{{raw}} (expected }}})");
    expect_error("a\nb {{=<% %>=}} <%x%>\n<%=<%=%>", "{}", false, BL_EPARSE,
                 "late_shipment.txt:3: bad delimiter tag <%=<%=%> (expected two delimiters "
                 "without spaces or '=', each at most 32 bytes, as in {{=<% %>=}})");
    expect_error("{{=<% %>=}}\n<%=[ ]=%>\n[=a b c=]", "{}", false, BL_EPARSE,
                 "late_shipment.txt:3: bad delimiter tag [=a b c=] (expected two delimiters "
                 "without spaces or '=', each at most 32 bytes, as in {{=<% %>=}})");
    expect_error("{{=<% %>=}}\n<%x}}", "{}", false, BL_EPARSE,
                 "late_shipment.txt:2: unclosed tag <%x}} (expected %>)");
    expect_error("{{ }}", "{}", false, BL_EPARSE, "late_shipment.txt:1: empty tag {{ }}");
    expect_error("{{order id}}", "{}", false, BL_EPARSE,
                 "late_shipment.txt:1: bad name in tag {{order id}}");
    expect_error("{{a..b}}", "{}", false, BL_EPARSE,
                 "late_shipment.txt:1: bad name in tag {{a..b}}");
    expect_error("{{#a.}}{{/a.}}", "{}", false, BL_EPARSE,
                 "late_shipment.txt:1: bad name in tag {{#a.}}");
    /* A long tag is cut in the message. */
    expect_error("{{#aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}}",
                 "{}", false, BL_EPARSE,
                 "late_shipment.txt:1: unclosed section "
                 "{{#aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...");
    /* Control bytes are not copied into messages. */
    expect_error("{{#a\x01}}", "{}", false, BL_EPARSE,
                 "late_shipment.txt:1: unclosed section {{#a?}}");
}

static void test_strict_mode(void **state)
{
    (void)state;
    const char *data = "{\"customer\":{\"name\":\"Ana\"},\"tracking\":null,\"items\":[]}";
    expect_render("Hi {{customer.name}}{{missing}}!", data, false, "Hi Ana!");
    expect_error("Hi {{customer.name}},\n{{customer.nmae}}!", data, true, BL_ENOTFOUND,
                 "late_shipment.txt:2: missing variable {{customer.nmae}}");
    expect_error("\n\n{{#order}}x{{/order}}", data, true, BL_ENOTFOUND,
                 "late_shipment.txt:3: missing variable in section {{#order}}");
    expect_error("{{^order}}x{{/order}}", data, true, BL_ENOTFOUND,
                 "late_shipment.txt:1: missing variable in section {{^order}}");
    expect_error("{{customer}}", data, true, BL_EINVAL,
                 "late_shipment.txt:1: {{customer}} is an object, not a value to print");
    expect_error("{{>footer}}", data, true, BL_ENOTFOUND,
                 "late_shipment.txt:1: missing partial {{>footer}}");
    /* null and empty lists are present, merely falsy. */
    expect_render("[{{tracking}}]{{^tracking}}none{{/tracking}}{{#items}}x{{/items}}", data, true,
                  "[]none");
    /* Names inside a section that is not rendered are not looked up. */
    expect_render("{{#tracking}}{{nothing}}{{/tracking}}.", data, true, ".");
}

static void test_values(void **state)
{
    (void)state;
    expect_render("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}}",
                  "{\"a\":\"<b>&'\\\"\",\"b\":-42,\"c\":0.1,\"d\":true,\"e\":false,\"f\":null}",
                  false, "&lt;b&gt;&amp;&#39;&quot; -42 0.1 true false ");
    expect_render("{{{a}}}|{{&a}}", "{\"a\":\"<b>\"}", false, "<b>|<b>");
    {
        struct bl_mustache *t = NULL;
        struct bl_buf out = BL_BUF_INIT;
        json_t *data = json_pack("{s:s}", "shop", "Lamps & <Light>");
        struct bl_mustache_opts o = {0};
        o.no_escape = true;
        assert_int_equal(bl_mustache_compile(&t, "s", bl_str_c("{{shop}}|{{{shop}}}"), NULL), 0);
        assert_int_equal(bl_mustache_render(t, data, &o, &out, NULL), 0);
        assert_string_equal(bl_buf_cstr(&out), "Lamps & <Light>|Lamps & <Light>");
        bl_mustache_free(t);
        bl_buf_release(&out);
        json_decref(data);
    }
    /* Empty strings are falsy; 0 is not. */
    expect_render("{{#s}}S{{/s}}{{^s}}no s{{/s}} {{#z}}zero{{/z}}", "{\"s\":\"\",\"z\":0}", false,
                  "no s zero");
    /* Unicode passes through untouched. */
    expect_render("{{name}}，您好", "{\"name\":\"王小明\"}", false, "王小明，您好");
    /* Lists of objects, with the outer context still visible. */
    expect_render("{{#o}}{{id}}/{{shop}} {{/o}}",
                  "{\"shop\":\"S\",\"o\":[{\"id\":1},{\"id\":2,\"shop\":\"T\"}]}", false,
                  "1/S 2/T ");
}

static void test_partials(void **state)
{
    (void)state;
    json_t *parts = json_pack("{s:s, s:s, s:s}", "sig", "-- \n{{shop}}\n", "loop", "{{>loop}}",
                              "bad", "x\n{{#open}}");
    assert_non_null(parts);
    struct bl_buf out = BL_BUF_INIT;
    char msg[1024];
    assert_int_equal(
        run("t", "Bye\n  {{>sig}}\n", "{\"shop\":\"Lamps\"}", true, parts, &out, msg, sizeof(msg)),
        BL_OK);
    assert_string_equal(bl_buf_cstr(&out), "Bye\n  -- \n  Lamps\n");
    bl_buf_reset(&out);
    assert_int_equal(run("t.mustache", "x\n{{>loop}}", "{}", false, parts, &out, msg, sizeof(msg)),
                     BL_ETOOBIG);
    assert_string_equal(msg, "partial.mustache:1: partials nested deeper than 64 at {{>loop}}");
    bl_buf_reset(&out);
    /* A partial's syntax error names the partial, not the template that includes it. */
    assert_int_equal(run("t.mustache", "{{>bad}}", "{}", false, parts, &out, msg, sizeof(msg)),
                     BL_EPARSE);
    assert_string_equal(msg, "partial.mustache:2: unclosed section {{#open}}");
    bl_buf_release(&out);
    json_decref(parts);
}

/* A long list under a long section body is refused before the first pass (issue 15 item
 * 12: 2 KB of template and 10 KB of JSON allocated 1 GiB before failing), by output and
 * by work; an output limit of the caller's own is kept; output under the limits renders. */
static void test_expansion_bound(void **state)
{
    (void)state;
    struct bl_buf text = BL_BUF_INIT;
    assert_int_equal(bl_buf_adds(&text, BL_STR("{{#a}}")), BL_OK);
    for (int i = 0; i < 2000; i++)
        assert_int_equal(bl_buf_addc(&text, 'x'), BL_OK);
    assert_int_equal(bl_buf_adds(&text, BL_STR("{{/a}}")), BL_OK);
    struct bl_mustache *t = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_mustache_compile(&t, "long", bl_buf_str(&text), &d), BL_OK);
    json_t *list = json_array();
    for (int i = 0; i < 10000; i++)
        assert_int_equal(json_array_append_new(list, json_integer(1)), 0);
    json_t *data = json_pack("{s:o}", "a", list);
    struct bl_buf out = BL_BUF_INIT;
    assert_int_equal(bl_mustache_render(t, data, NULL, &out, &d), BL_ETOOBIG);
    assert_string_equal(d.msg, "section {{#a}} repeats 10000 times over 2000 bytes of text: "
                               "the output would be larger than 16777216 bytes (the limit of a "
                               "render)");
    assert_string_equal(d.file, "long");
    assert_int_equal(d.line, 1);
    assert_int_equal(out.len, 0); /* refused before writing anything */
    assert_int_equal(out.max, 0);

    /* The caller's own output limit, and the work limit, the same way. */
    struct bl_mustache_opts o = {0};
    o.max_output = 100000;
    bl_diag_clear(&d);
    assert_int_equal(bl_mustache_render(t, data, &o, &out, &d), BL_ETOOBIG);
    assert_non_null(strstr(d.msg, "larger than 100000 bytes"));
    assert_int_equal(out.len, 0);
    o.max_output = 0;
    o.max_steps = 5000;
    bl_diag_clear(&d);
    assert_int_equal(bl_mustache_render(t, data, &o, &out, &d), BL_ETOOBIG);
    assert_string_equal(d.msg, "section {{#a}} repeats 10000 times over 1 tags and text pieces: "
                               "more work than the limit of 5000 steps per render (a loop over "
                               "too much data?)");
    assert_int_equal(out.len, 0);

    /* Under the limits: all of it, after what the buffer held. */
    o.max_steps = 0;
    o.max_output = 2000 * 10000;
    assert_int_equal(bl_buf_adds(&out, BL_STR("head:")), BL_OK);
    assert_int_equal(bl_mustache_render(t, data, &o, &out, &d), BL_OK);
    assert_int_equal(out.len, 5 + 2000 * 10000);
    bl_buf_release(&out);
    bl_buf_release(&text);
    bl_mustache_free(t);
    json_decref(data);
}

static void test_limits(void **state)
{
    (void)state;
    /* Section nesting is bounded at compile time. */
    struct bl_buf text = BL_BUF_INIT;
    for (int i = 0; i <= BL_MUSTACHE_MAX_NESTING; i++)
        assert_int_equal(bl_buf_add(&text, "{{#a}}", 6), BL_OK);
    struct bl_mustache *t = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    assert_int_equal(bl_mustache_compile(&t, "deep", bl_buf_str(&text), &d), BL_ETOOBIG);
    assert_null(t);
    assert_string_equal(d.msg, "sections nested deeper than 128 at {{#a}}");
    bl_buf_release(&text);

    /* The work budget stops loops over loops over data. */
    json_t *data = json_pack("{s:[i,i,i,i,i,i,i,i,i,i]}", "l", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assert_int_equal(bl_mustache_compile(&t, "loops",
                                         bl_str_c("{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}{{#l}}."
                                                  "{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}{{/l}}"),
                                         &d),
                     BL_OK);
    struct bl_mustache_opts o = {0};
    o.max_steps = 100000;
    struct bl_buf out = BL_BUF_INIT;
    assert_int_equal(bl_mustache_render(t, data, &o, &out, &d), BL_ETOOBIG);
    assert_non_null(strstr(d.msg, "the limit of 100000 steps"));
    /* The output buffer's maximum bounds the output. */
    bl_buf_release(&out);
    bl_buf_init(&out, 1000);
    assert_int_equal(bl_mustache_render(t, data, NULL, &out, &d), BL_ETOOBIG);
    assert_non_null(strstr(d.msg, "the output would be larger than 1000 bytes"));
    assert_true(out.len <= 1000);
    assert_int_equal(out.max, 1000); /* the caller's maximum is put back */
    bl_buf_release(&out);
    bl_mustache_free(t);
    json_decref(data);

    /* Sections inside recursive partials: the total depth is bounded too. */
    struct bl_buf deep = BL_BUF_INIT;
    for (int i = 0; i < 100; i++)
        assert_int_equal(bl_buf_adds(&deep, BL_STR("{{#t}}")), BL_OK);
    assert_int_equal(bl_buf_adds(&deep, BL_STR("{{>deep}}")), BL_OK);
    for (int i = 0; i < 100; i++)
        assert_int_equal(bl_buf_adds(&deep, BL_STR("{{/t}}")), BL_OK);
    json_t *parts = json_pack("{s:s}", "deep", bl_buf_cstr(&deep));
    char msg[1024];
    assert_int_equal(run("t", "{{>deep}}", "{\"t\":true}", false, parts, &out, msg, sizeof(msg)),
                     BL_ETOOBIG);
    assert_string_equal(
        msg, "partial.mustache:1: sections and partials nested deeper than 1024 at {{#t}}");
    bl_buf_release(&out);
    bl_buf_release(&deep);
    json_decref(parts);
}

/* Every allocation failure is reported as BL_ENOMEM, never a crash or a leak. */
static void test_alloc_failures(void **state)
{
    (void)state;
    const char *text = "{{=<% %>=}}<%#list%><%name%> <%>p%><%/list%>\n<%={{ }}=%>{{^x}}-{{/x}}";
    json_t *data = json_pack("{s:[{s:s},{s:s}]}", "list", "name", "a", "name", "b");
    json_t *parts = json_pack("{s:s}", "p", "({{name}})");
    int done = 0;
    for (long n = 0; n < 200 && !done; n++) {
        struct bl_diag d;
        bl_diag_clear(&d);
        struct bl_mustache *t = NULL;
        struct bl_buf out = BL_BUF_INIT;
        bl_alloc_fail_after(n);
        int rc = bl_mustache_compile(&t, "t", bl_str_c(text), &d);
        if (!rc) {
            struct bl_mustache_opts o = {0};
            o.partial = obj_partial;
            o.partial_ctx = parts;
            rc = bl_mustache_render(t, data, &o, &out, &d);
        }
        bl_alloc_fail_after(-1);
        if (rc == BL_OK) {
            assert_string_equal(bl_buf_cstr(&out), "a (a)b (b)\n-");
            done = 1;
        } else {
            assert_int_equal(rc, BL_ENOMEM);
        }
        bl_mustache_free(t);
        bl_buf_release(&out);
    }
    assert_true(done);
    json_decref(data);
    json_decref(parts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syntax_errors), cmocka_unit_test(test_strict_mode),
        cmocka_unit_test(test_values),        cmocka_unit_test(test_partials),
        cmocka_unit_test(test_limits),        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_expansion_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
