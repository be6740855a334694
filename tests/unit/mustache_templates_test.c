/* mustache_templates_test.c - the template packs in templates/ load cleanly.
 *
 * For every locale pack (templates/en, zh-CN, pt-BR, es) and every message kind:
 * KIND.subject.mustache and KIND.txt.mustache exist (KIND.html.mustache optional),
 * compile, and render in strict mode against every case of
 * templates/samples/LOCALE/KIND.json (an object, or a list of objects to take both
 * sides of a {{#section}}), with partials from templates/LOCALE/partials. So a
 * misspelt variable or a syntax error fails here, not when a customer is waiting.
 * Also: subjects are one line, plain text is not HTML-escaped, the zh-CN pack is
 * written in Chinese and the pt-BR and es packs in their languages (no English left),
 * and every pack greets a customer by name, or neutrally when there is none.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "ballast/mustache.h"

/* Every message kind of issue #6; each pack must have all of them. */
static const char *const kinds[] = {
    "homepage_notice",  "shipping_info_notice", "handling_time",        "unshipped_order",
    "faq_when_receive", "faq_package_safety",   "faq_cancel_unshipped", "faq_cancel_shipped",
    "out_of_stock",     "promo_code",           "compensation_coupon",  "service_resumed",
    "late_shipment",    "late_delivery",
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))
static const char *const locales[] = {"en", "zh-CN", "pt-BR", "es"};
#define NLOCALES (sizeof(locales) / sizeof(locales[0]))

/* Words each translated pack uses somewhere in every template, and English that must
 * not be left in it. */
static const struct {
    const char *locale, *own[20];
} own_words[] = {
    {"pt-BR",
     {"seu", "Seu", "sua", "nossa", "Nossa", "nosso", "Nosso", "Envio", "Informações", "Quando",
      "Obrigado", "Pedimos", "pedidos", "Produto", "Atualizado", "Um", "encomendas", "pedido",
      "Cancelamento"}},
    {"es",
     {"su", "Su", "nuestra", "Nuestra", "Nuestro", "Envío", "Información", "Cuándo", "Gracias",
      "Lo", "pedidos", "Producto", "Actualizado", "Un", "es", "Es", "pedido", "Cancelación"}},
};
static const char *const english[] = {" the ", " your ", "Dear ", " order ", " we "};

/* A whole word of text (letters around it are not letters). */
static bool has_word(const char *text, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = strstr(text, w); p; p = strstr(p + 1, w)) {
        bool before =
            p == text || !((p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z'));
        char c = p[n];
        if (before && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return true;
    }
    return false;
}

static void check_language(const char *locale, const char *name, const char *text)
{
    for (size_t i = 0; i < sizeof(own_words) / sizeof(own_words[0]); i++) {
        if (strcmp(own_words[i].locale, locale) != 0)
            continue;
        bool own = false;
        for (size_t k = 0; k < 20 && own_words[i].own[k] && !own; k++)
            own = has_word(text, own_words[i].own[k]);
        if (!own)
            fail_msg("%s: the %s pack must be written in its language", name, locale);
        for (size_t k = 0; k < sizeof(english) / sizeof(english[0]); k++)
            if (strstr(text, english[k]))
                fail_msg("%s: English left in the %s pack ('%s')", name, locale, english[k]);
    }
}
/* Platforms whose rules make the wording differ: KIND.PLATFORM.PART.mustache
 * (templates/README.md, "Per-platform wording"), rendered with the kind's samples;
 * none of them may carry a link or an outside address. */
static const char *const platforms[] = {"amazon", "temu"};

/* SOURCE/templates/ followed by the n strings, concatenated; malloc'd. */
static char *path_of(int n, ...)
{
    const char *src = getenv("BL_SOURCE_DIR") ? getenv("BL_SOURCE_DIR") : ".";
    char *p = malloc(4096);
    assert_non_null(p);
    size_t len = (size_t)snprintf(p, 4096, "%s/templates/", src);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        const char *part = va_arg(ap, const char *);
        size_t k = strlen(part);
        assert_true(len + k < 4096);
        memcpy(p + len, part, k + 1);
        len += k;
    }
    va_end(ap);
    return p;
}

/* The whole file, NUL-terminated; NULL when it does not exist. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, k;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while ((k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (cap - n - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

struct pctx {
    const char *locale;
    char *texts[16];
    size_t n;
};

static int pack_partial(void *ctx, struct bl_str name, struct bl_mustache_src *src,
                        struct bl_diag *d)
{
    (void)d;
    struct pctx *p = ctx;
    char nm[128];
    bl_str_copy(nm, sizeof(nm), name);
    if (strchr(nm, '/') || p->n == 16)
        return BL_ENOTFOUND;
    char *path = path_of(4, p->locale, "/partials/", nm, ".mustache");
    size_t len;
    char *text = slurp(path, &len);
    free(path);
    if (!text)
        return BL_ENOTFOUND;
    p->texts[p->n++] = text;
    src->text = (struct bl_str){text, len};
    return BL_OK;
}

/* Has a CJK unified ideograph (U+4E00..U+9FFF: lead bytes E4..E9). */
static bool has_cjk(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)s[0] >= 0xE4 && (unsigned char)s[0] <= 0xE9 &&
            ((unsigned char)s[1] & 0xC0) == 0x80)
            return true;
    return false;
}

/* Compiles and renders one template against every sample case; returns the number
 * of renders. */
static int check_template(const char *locale, const char *kind, const char *part,
                          const json_t *cases, bool required)
{
    char file[128];
    snprintf(file, sizeof(file), "%s.%s.mustache", kind, part);
    char *path = path_of(3, locale, "/", file);
    size_t len;
    char *text = slurp(path, &len);
    if (!text) {
        if (required)
            fail_msg("%s: missing (every kind needs a subject and a plain-text body)", path);
        free(path);
        return 0;
    }
    char name[256];
    snprintf(name, sizeof(name), "%s/%s", locale, file);
    /* The template's own text, not just the sample values, is in Chinese. */
    if (strcmp(locale, "zh-CN") == 0 && !has_cjk(text))
        fail_msg("%s: the zh-CN pack must be written in Chinese", name);
    check_language(locale, name, text);
    if (strchr(kind, '.') && (strstr(text, "_url}}") || strstr(text, "support_contact") ||
                              strstr(text, "http") || strchr(text, '@')))
        fail_msg("%s: a platform's wording carries no link or outside address", name);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_mustache *t = NULL;
    BL_ASSERT_OK(bl_mustache_compile(&t, name, (struct bl_str){text, len}, &d), &d);
    int renders = 0;
    for (size_t i = 0; i < json_array_size(cases); i++) {
        struct pctx pc = {.locale = locale};
        struct bl_mustache_opts o = {0};
        o.strict = true;
        o.no_escape = strcmp(part, "html") != 0;
        o.partial = pack_partial;
        o.partial_ctx = &pc;
        struct bl_buf out = BL_BUF_INIT;
        int rc = bl_mustache_render(t, json_array_get(cases, i), &o, &out, &d);
        for (size_t k = 0; k < pc.n; k++)
            free(pc.texts[k]);
        if (rc) {
            char m[1024];
            bl_diag_format(&d, m, sizeof(m));
            fail_msg("%s with sample case %zu of samples/%s/%s.json: %s", name, i + 1, locale, kind,
                     m);
        }
        const char *s = bl_buf_cstr(&out);
        if (out.len == 0)
            fail_msg("%s renders empty text", name);
        if (strcmp(part, "subject") == 0) {
            const char *nl = strchr(s, '\n');
            if (nl && nl[1] != '\0')
                fail_msg("%s: a subject is one line, got '%s'", name, s);
        }
        if (o.no_escape && strstr(s, "&amp;"))
            fail_msg("%s: plain text was HTML-escaped: %s", name, s);
        bl_buf_release(&out);
        renders++;
    }
    bl_mustache_free(t);
    free(text);
    free(path);
    return renders;
}

static void test_packs(void **state)
{
    (void)state;
    int renders = 0;
    for (size_t l = 0; l < NLOCALES; l++) {
        const char *loc = locales[l];
        for (size_t k = 0; k < NKINDS; k++) {
            char *sp = path_of(5, "samples/", loc, "/", kinds[k], ".json");
            json_error_t jerr;
            json_t *sample = json_load_file(sp, JSON_REJECT_DUPLICATES, &jerr);
            if (!sample)
                fail_msg("%s: %s (every kind needs sample data)", sp, jerr.text);
            json_t *cases = json_is_array(sample) ? json_incref(sample) : json_pack("[O]", sample);
            assert_true(json_array_size(cases) > 0);
            renders += check_template(loc, kinds[k], "subject", cases, true);
            renders += check_template(loc, kinds[k], "txt", cases, true);
            renders += check_template(loc, kinds[k], "html", cases, false);
            for (size_t p = 0; p < 2; p++) {
                char variant[96];
                snprintf(variant, sizeof(variant), "%s.%s", kinds[k], platforms[p]);
                renders += check_template(loc, variant, "subject", cases, false);
                renders += check_template(loc, variant, "txt", cases, false);
            }
            json_decref(cases);
            json_decref(sample);
            free(sp);
        }
    }
    printf("template packs: %d renders in strict mode, %zu kinds x %zu locales\n", renders, NKINDS,
           NLOCALES);
}

/* No stray files: every *.mustache in a pack is KIND.PART.mustache of a known kind. */
static void test_no_unknown_files(void **state)
{
    (void)state;
    for (size_t l = 0; l < NLOCALES; l++) {
        char *dir = path_of(1, locales[l]);
        DIR *dh = opendir(dir);
        if (!dh)
            fail_msg("no template pack %s", dir);
        struct dirent *e;
        while ((e = readdir(dh)) != NULL) {
            const char *n = e->d_name;
            if (n[0] == '.' || strcmp(n, "partials") == 0)
                continue;
            bool known = false;
            for (size_t k = 0; k < NKINDS && !known; k++) {
                size_t kl = strlen(kinds[k]);
                const char *rest = n + kl;
                if (strncmp(n, kinds[k], kl) != 0)
                    continue;
                for (size_t p = 0; p < 2; p++) /* KIND.PLATFORM.PART */
                    if (rest[0] == '.' && strncmp(rest + 1, platforms[p], strlen(platforms[p])) == 0 &&
                        rest[1 + strlen(platforms[p])] == '.')
                        rest += 1 + strlen(platforms[p]);
                if (strcmp(rest, ".subject.mustache") == 0 || strcmp(rest, ".txt.mustache") == 0 ||
                    strcmp(rest, ".html.mustache") == 0)
                    known = true;
            }
            if (!known)
                fail_msg("%s/%s: not KIND.subject|txt|html.mustache of a known kind "
                         "(add new kinds to this test and templates/README.md)",
                         dir, n);
        }
        closedir(dh);
        free(dir);
    }
}

/* Renders a pack's greeting partial for a customer name (NULL: none). */
static char *greet(const char *locale, const char *name)
{
    char *path = path_of(2, locale, "/partials/greeting.mustache");
    size_t len;
    char *text = slurp(path, &len);
    if (!text)
        fail_msg("%s: missing (every pack greets its customers)", path);
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_mustache *t = NULL;
    BL_ASSERT_OK(bl_mustache_compile(&t, path, (struct bl_str){text, len}, &d), &d);
    json_t *data = json_pack("{s:s?}", "customer_name", name);
    struct bl_mustache_opts o = {0};
    o.strict = true;
    o.no_escape = true;
    struct bl_buf out = BL_BUF_INIT;
    BL_ASSERT_OK(bl_mustache_render(t, data, &o, &out, &d), &d);
    char *s = strdup(bl_buf_cstr(&out));
    bl_buf_release(&out);
    json_decref(data);
    bl_mustache_free(t);
    free(text);
    free(path);
    return s;
}

/* A customer with a name is greeted by it; one without, neutrally: never by an id. */
static void test_greetings(void **state)
{
    (void)state;
    static const char *const want[][3] = {
        {"en", "Dear Ana Souza,\n", "Hello,\n"},
        {"zh-CN", "尊敬的Ana Souza：\n", "您好，\n"},
        {"pt-BR", "Olá, Ana Souza,\n", "Olá,\n"},
        {"es", "Hola, Ana Souza:\n", "Hola,\n"},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        char *named = greet(want[i][0], "Ana Souza"), *neutral = greet(want[i][0], NULL);
        assert_string_equal(named, want[i][1]);
        assert_string_equal(neutral, want[i][2]);
        free(named);
        free(neutral);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packs),
        cmocka_unit_test(test_no_unknown_files),
        cmocka_unit_test(test_greetings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
