/* profile.c - platform rule profiles from JSON (jansson); see profile.h. */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ballast/alloc.h"
#include "ballast/money.h"
#include "ballast/profile.h"
#include "ballast/str.h"
#include "io/formats/json_doc.h"

#ifndef BL_SOURCE_PROFILES
#define BL_SOURCE_PROFILES "profiles"
#endif

#define MAX_PROFILE_BYTES (1u << 20)

static const char *const known_top[] = {"name",  "description", "window_days", "pickup_hours",
                                        "auto_exempt", "origin_required", "min_counted",
                                        "carry_days", "rules", "bands", "breach_band",
                                        "compensation", "platform_fulfilled_counts_in",
                                        "exempt_never_hurts", "messaging", NULL};

/* An integer field in [lo, hi]; absent: *out keeps its default unless required. */
static int get_int(struct bl_json_doc *c, json_t *obj, const char *key, const char *path,
                   int64_t lo, int64_t hi, bool required, int64_t *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v) {
        if (required)
            return bl_json_doc_bad(c, path, "missing: expected an integer %lld..%lld",
                                   (long long)lo, (long long)hi);
        return BL_OK;
    }
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
        return bl_json_doc_bad(c, path, "expected an integer %lld..%lld", (long long)lo,
                               (long long)hi);
    *out = json_integer_value(v);
    return BL_OK;
}

static int get_num(struct bl_json_doc *c, json_t *obj, const char *key, const char *path, double lo,
                   double hi, bool required, double *out, bool *present)
{
    json_t *v = json_object_get(obj, key);
    if (present)
        *present = v != NULL;
    if (!v) {
        if (required)
            return bl_json_doc_bad(c, path, "missing: expected a number %g..%g", lo, hi);
        return BL_OK;
    }
    if (!json_is_number(v) || !(json_number_value(v) >= lo && json_number_value(v) <= hi))
        return bl_json_doc_bad(c, path, "expected a number %g..%g", lo, hi);
    *out = json_number_value(v);
    return BL_OK;
}

static int get_bool(struct bl_json_doc *c, json_t *obj, const char *key, bool *out)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return BL_OK;
    if (!json_is_boolean(v))
        return bl_json_doc_bad(c, key, "expected true or false");
    *out = json_is_true(v);
    return BL_OK;
}

#define TRY(x)                                                                                \
    do {                                                                                      \
        int rc_ = (x);                                                                        \
        if (rc_)                                                                              \
            return rc_;                                                                       \
    } while (0)

static const char *const rule_keys[] = {"metric", "window_days", "weight", "good",
                                        "bad",    "target",      NULL};

static int parse_rules(struct bl_json_doc *c, json_t *arr, struct bl_profile *p)
{
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > BL_RULES_MAX)
        return bl_json_doc_bad(c, "rules", "expected an array of 1 to %d rules", BL_RULES_MAX);
    size_t i;
    json_t *r;
    json_array_foreach(arr, i, r) {
        char where[32], path[64];
        snprintf(where, sizeof(where), "rules[%zu]", i);
        if (!json_is_object(r))
            return bl_json_doc_bad(c, where,
                                   "expected an object {\"metric\": ..., \"good\": ..., ...}");
        TRY(bl_json_doc_unknown(c, r, rule_keys, where));
        struct bl_rule *x = &p->rules[i];
        json_t *m = json_object_get(r, "metric");
        snprintf(path, sizeof(path), "%s.metric", where);
        if (!json_is_string(m) || bl_metric_from_name(json_string_value(m)) == BL_M__COUNT)
            return bl_json_doc_bad(
                c, path,
                "expected one of late_shipment_rate, on_time_rate, pickup_anomaly_rate, "
                "valid_tracking_rate, late_delivery_rate, cancel_rate");
        x->metric = bl_metric_from_name(json_string_value(m));
        int64_t w = 0;
        snprintf(path, sizeof(path), "%s.window_days", where);
        TRY(get_int(c, r, "window_days", path, 1, 365, false, &w));
        x->window_days = (int)w;
        x->weight = 1;
        snprintf(path, sizeof(path), "%s.weight", where);
        TRY(get_num(c, r, "weight", path, 0, 1000, false, &x->weight, NULL));
        snprintf(path, sizeof(path), "%s.good", where);
        TRY(get_num(c, r, "good", path, 0, 1, true, &x->good, NULL));
        snprintf(path, sizeof(path), "%s.bad", where);
        TRY(get_num(c, r, "bad", path, 0, 1, true, &x->bad, NULL));
        bool lower = bl_metric_lower_better(x->metric);
        if (lower ? x->good >= x->bad : x->good <= x->bad)
            return bl_json_doc_bad(c, where, "%s is %s better: expected good %s bad",
                                   bl_metric_name(x->metric), lower ? "lower" : "higher",
                                   lower ? "<" : ">");
        snprintf(path, sizeof(path), "%s.target", where);
        TRY(get_num(c, r, "target", path, 0, 1, false, &x->target, &x->has_target));
    }
    p->nrules = json_array_size(arr);
    return BL_OK;
}

static int parse_bands(struct bl_json_doc *c, json_t *arr, json_t *breach, struct bl_profile *p)
{
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > BL_BANDS_MAX)
        return bl_json_doc_bad(c, "bands", "expected an array of 1 to %d bands, best first",
                               BL_BANDS_MAX);
    size_t i;
    json_t *b;
    json_array_foreach(arr, i, b) {
        char where[32];
        snprintf(where, sizeof(where), "bands[%zu]", i);
        json_t *lab = json_object_get(b, "label");
        json_t *min = json_object_get(b, "min_score");
        if (!json_is_object(b) || json_object_size(b) != 2 || !json_is_string(lab) ||
            !json_is_number(min))
            return bl_json_doc_bad(c, where,
                                   "expected {\"min_score\": 0..100, \"label\": \"...\"}");
        size_t n = strlen(json_string_value(lab));
        double s = json_number_value(min);
        if (n == 0 || n >= sizeof(p->bands[i].label))
            return bl_json_doc_bad(c, where, "label: expected 1 to %zu characters",
                                   sizeof(p->bands[i].label) - 1);
        if (!(s >= 0 && s <= 100) || (i && s >= p->bands[i - 1].min_score))
            return bl_json_doc_bad(c, where,
                                   "min_score: expected 0..100, lower than the band before");
        p->bands[i].min_score = s;
        memcpy(p->bands[i].label, json_string_value(lab), n + 1);
    }
    p->nbands = json_array_size(arr);
    if (p->bands[p->nbands - 1].min_score != 0)
        return bl_json_doc_bad(c, "bands",
                               "the last band must have min_score 0 (every score gets a band)");
    p->breach_band = p->nbands;
    if (breach) {
        if (!json_is_string(breach))
            return bl_json_doc_bad(c, "breach_band", "expected the label of one of the bands");
        for (size_t k = 0; k < p->nbands; k++)
            if (strcmp(p->bands[k].label, json_string_value(breach)) == 0)
                p->breach_band = k;
        if (p->breach_band == p->nbands)
            return bl_json_doc_bad(c, "breach_band", "expected the label of one of the bands");
    }
    return BL_OK;
}

static const char *const comp_keys[] = {"percent", "days", "limits", NULL};

static int parse_comp(struct bl_json_doc *c, json_t *o, struct bl_profile *p)
{
    p->comp_days = 30;
    if (!o)
        return BL_OK;
    if (!json_is_object(o))
        return bl_json_doc_bad(c, "compensation", "expected an object {\"percent\": \"5\", ...}");
    TRY(bl_json_doc_unknown(c, o, comp_keys, "compensation"));
    json_t *pc = json_object_get(o, "percent");
    int64_t bp = 0;
    if (!pc || !json_is_string(pc) ||
        bl_money_parse(bl_str_c(json_string_value(pc)), 2, &bp, NULL) || bp < 0 || bp > 10000)
        return bl_json_doc_bad(
            c, "compensation.percent",
            "expected a decimal string 0 to 100 with at most 2 decimals, e.g. \"5\"");
    p->comp_bp = bp;
    int64_t days = 30;
    TRY(get_int(c, o, "days", "compensation.days", 1, 365, false, &days));
    p->comp_days = (int)days;
    json_t *lim = json_object_get(o, "limits");
    if (!lim)
        return BL_OK;
    if (!json_is_object(lim) || json_object_size(lim) > BL_CURRENCIES_MAX)
        return bl_json_doc_bad(
            c, "compensation.limits",
            "expected {\"CNY\": {\"min\": \"3.00\", \"max\": \"50.00\"}, ...}, at most %d",
            BL_CURRENCIES_MAX);
    const char *code;
    json_t *v;
    json_object_foreach(lim, code, v) {
        char path[64];
        snprintf(path, sizeof(path), "compensation.limits.%s", code);
        struct bl_currency cur;
        if (bl_currency_lookup(bl_str_c(code), &cur, NULL))
            return bl_json_doc_bad(c, path,
                                   "expected an ISO 4217 currency code such as CNY or BRL");
        struct bl_comp_limit *l = &p->limits[p->nlimits];
        memcpy(l->currency, cur.code, 4);
        json_t *mn = json_object_get(v, "min"), *mx = json_object_get(v, "max");
        if (!json_is_object(v) || !json_is_string(mn) || !json_is_string(mx) ||
            json_object_size(v) != 2 ||
            bl_money_parse(bl_str_c(json_string_value(mn)), cur.exponent, &l->min, NULL) ||
            bl_money_parse(bl_str_c(json_string_value(mx)), cur.exponent, &l->max, NULL) ||
            l->min < 0 || l->max < l->min)
            return bl_json_doc_bad(
                c, path,
                "expected {\"min\": \"3.00\", \"max\": \"50.00\"}: amounts in %s with at "
                "most %d decimals, 0 <= min <= max",
                cur.code, cur.exponent);
        p->nlimits++;
    }
    return BL_OK;
}

/* ---------------------------------------------------------------- messaging */

static const char *const known_msg[] = {"horizon_days", "kinds", "outside_links", "marketing",
                                        "max_length", NULL};

/* The "messaging" object (absent: the defaults) into r. */
static int parse_messaging(struct bl_json_doc *c, json_t *o, struct bl_msg_rules *r)
{
    bl_msg_rules_default(r);
    if (!o)
        return BL_OK;
    if (!json_is_object(o))
        return bl_json_doc_bad(c, "messaging", "expected an object");
    int rc = bl_json_doc_unknown(c, o, known_msg, "messaging");
    int64_t v = r->horizon_days;
    if (!rc)
        rc = get_int(c, o, "horizon_days", "messaging.horizon_days", 0, 365, false, &v);
    r->horizon_days = (int)v;
    v = 0;
    if (!rc)
        rc = get_int(c, o, "max_length", "messaging.max_length", 0, 1000000, false, &v);
    r->max_length = v;
    if (!rc)
        rc = get_bool(c, o, "outside_links", &r->outside_links);
    if (!rc)
        rc = get_bool(c, o, "marketing", &r->marketing);
    json_t *k = json_object_get(o, "kinds");
    if (rc || !k)
        return rc;
    if (!json_is_array(k))
        return bl_json_doc_bad(c, "messaging.kinds", "expected a list of message kinds");
    r->kinds = 0;
    size_t i;
    json_t *x;
    json_array_foreach(k, i, x) {
        enum bl_msg_kind kind =
            bl_msg_kind_from_name(json_is_string(x) ? json_string_value(x) : NULL);
        if (kind == BL_MSG__COUNT)
            return bl_json_doc_bad(c, "messaging.kinds",
                                   "expected message kinds (late_shipment, "
                                   "late_delivery, out_of_stock, compensation_coupon, "
                                   "unshipped_order, promo_code, service_resumed)");
        r->kinds |= BL_MSG_BIT(kind);
    }
    return BL_OK;
}

int bl_profile_messaging_parse(const char *text, size_t len, const char *name,
                               struct bl_msg_rules *r, struct bl_diag *d)
{
    struct bl_json_doc c = {name ? name : "profile", NULL, d};
    bl_msg_rules_default(r);
    json_t *root = bl_json_doc_load(&c, text, len, MAX_PROFILE_BYTES);
    if (!root)
        return d->code;
    int rc = json_is_object(root) ? parse_messaging(&c, json_object_get(root, "messaging"), r)
                                  : bl_json_doc_bad(&c, "", "expected a JSON object");
    json_decref(root);
    return rc;
}

int bl_profile_parse(const char *text, size_t len, const char *name, struct bl_profile *out,
                     struct bl_diag *d)
{
    struct bl_json_doc c = {name ? name : "profile", NULL, d};
    memset(out, 0, sizeof(*out));
    json_t *root = bl_json_doc_load(&c, text, len, MAX_PROFILE_BYTES);
    if (!root)
        return d->code;
    int rc = BL_OK;
    struct bl_profile *p = out;
    if (!json_is_object(root)) {
        rc = bl_json_doc_bad(&c, "", "expected a JSON object");
        goto done;
    }
    if ((rc = bl_json_doc_unknown(&c, root, known_top, "")))
        goto done;
    json_t *nm = json_object_get(root, "name");
    if (!json_is_string(nm) || !json_string_length(nm) ||
        json_string_length(nm) >= sizeof(p->name)) {
        rc = bl_json_doc_bad(&c, "name", "expected the profile's name, 1 to %zu characters",
                             sizeof(p->name) - 1);
        goto done;
    }
    memcpy(p->name, json_string_value(nm), json_string_length(nm) + 1);
    int64_t v = 30;
    if ((rc = get_int(&c, root, "window_days", "window_days", 1, 365, false, &v)))
        goto done;
    p->window_days = (int)v;
    v = 24;
    if ((rc = get_int(&c, root, "pickup_hours", "pickup_hours", 1, 24 * 30, false, &v)))
        goto done;
    p->pickup_secs = v * 3600;
    v = 1;
    if ((rc = get_int(&c, root, "min_counted", "min_counted", 0, 1000000, false, &v)))
        goto done;
    p->min_counted = v;
    v = 30;
    if ((rc = get_int(&c, root, "carry_days", "carry_days", 0, 365, false, &v)))
        goto done;
    p->carry_days = (int)v;
    p->auto_exempt = true;
    p->origin_required = true;
    p->exempt_never_hurts = true;
    if ((rc = get_bool(&c, root, "auto_exempt", &p->auto_exempt)) ||
        (rc = get_bool(&c, root, "exempt_never_hurts", &p->exempt_never_hurts)) ||
        (rc = get_bool(&c, root, "origin_required", &p->origin_required)) ||
        (rc = parse_rules(&c, json_object_get(root, "rules"), p)) ||
        (rc = parse_bands(&c, json_object_get(root, "bands"), json_object_get(root, "breach_band"),
                          p)) ||
        (rc = parse_comp(&c, json_object_get(root, "compensation"), p)))
        goto done;
    struct bl_msg_rules mr;
    if ((rc = parse_messaging(&c, json_object_get(root, "messaging"), &mr)))
        goto done;
    json_t *pf = json_object_get(root, "platform_fulfilled_counts_in");
    if (pf && !json_is_array(pf)) {
        rc = bl_json_doc_bad(&c, "platform_fulfilled_counts_in",
                             "expected a list of \"shipment\", \"delivery\", \"cancel\"");
        goto done;
    }
    size_t k;
    json_t *g;
    json_array_foreach(pf, k, g) {
        const char *t = json_is_string(g) ? json_string_value(g) : "";
        if (strcmp(t, "shipment") == 0)
            p->platform_in_shipment = true;
        else if (strcmp(t, "delivery") == 0)
            p->platform_in_delivery = true;
        else if (strcmp(t, "cancel") == 0)
            p->platform_in_cancel = true;
        else {
            rc = bl_json_doc_bad(&c, "platform_fulfilled_counts_in",
                                 "expected \"shipment\", \"delivery\" or \"cancel\"");
            goto done;
        }
    }
done:
    json_decref(root);
    return rc;
}

static bool name_ok(const char *n)
{
    if (!n[0] || strlen(n) > 31)
        return false;
    for (const char *s = n; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_'))
            return false;
    return true;
}

static void list_profiles(const char *dir, char *out, size_t cap)
{
    out[0] = '\0';
    DIR *dh = opendir(dir);
    if (!dh)
        return;
    size_t len = 0;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        int w = snprintf(out + len, cap - len, "%s%.*s", len ? ", " : "", (int)(n - 5), e->d_name);
        if (w < 0 || (size_t)w >= cap - len)
            break;
        len += (size_t)w;
    }
    closedir(dh);
}

/* Reads DIR/NAME.json into *buf (caller frees with bl_free), its path into path. */
static int read_profile(const char *dir, const char *name, char **buf, size_t *n, char *path,
                        size_t cap, struct bl_diag *d)
{
    char have[512];
    *buf = NULL;
    if (!name_ok(name))
        return bl_diag_set(d, BL_EINVAL,
                           "bad profile name '%s': expected letters, digits, '-' or '_'", name);
    snprintf(path, cap, "%s/%s.json", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        list_profiles(dir, have, sizeof(have));
        return bl_diag_set(d, e == ENOENT ? BL_ENOTFOUND : BL_EIO,
                           "no profile '%s' (%s: %s); profiles in %s: %s", name, path,
                           strerror(e), dir, have[0] ? have : "none");
    }
    *buf = bl_malloc(MAX_PROFILE_BYTES);
    *n = *buf ? fread(*buf, 1, MAX_PROFILE_BYTES, f) : 0;
    bool err = ferror(f) != 0;
    fclose(f);
    if (!*buf)
        return bl_diag_set(d, BL_ENOMEM, "reading %s: out of memory", path);
    if (err || *n == MAX_PROFILE_BYTES) {
        bl_free(*buf);
        *buf = NULL;
        return bl_diag_set(d, err ? BL_EIO : BL_ETOOBIG, "reading %s: %s", path,
                           err ? "read error" : "larger than 1 MiB");
    }
    return BL_OK;
}

int bl_profile_load(const char *dir, const char *name, struct bl_profile *out, struct bl_diag *d)
{
    char path[1024], *buf;
    size_t n = 0;
    int rc = read_profile(dir, name, &buf, &n, path, sizeof(path), d);
    if (rc)
        return rc;
    rc = bl_profile_parse(buf, n, path, out, d);
    bl_free(buf);
    if (rc == BL_OK && strcmp(out->name, name) != 0) {
        bl_diag_clear(d);
        bl_diag_at(d, path, 0, "name");
        rc = bl_diag_set(d, BL_EPARSE, "says \"%s\": expected \"%s\", the file's name",
                         out->name, name);
    }
    return rc;
}

int bl_profile_messaging_load(const char *dir, const char *name, struct bl_msg_rules *r,
                              struct bl_diag *d)
{
    char path[1024], *buf;
    size_t n = 0;
    bl_msg_rules_default(r);
    int rc = read_profile(dir, name, &buf, &n, path, sizeof(path), d);
    if (!rc)
        rc = bl_profile_messaging_parse(buf, n, path, r, d);
    bl_free(buf);
    return rc;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
    for (int i = 0; i < 8; i++, v >>= 8)
        h = (h ^ (v & 0xff)) * 1099511628211u;
    return h;
}

uint64_t bl_profile_dir_stamp(const char *dir)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return 0;
    uint64_t stamp = 0; /* a sum: the order readdir gives does not matter */
    char path[1024];
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        size_t n = strlen(e->d_name);
        struct stat sb;
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (stat(path, &sb) != 0)
            continue;
        uint64_t h = 14695981039346656037u;
        for (size_t i = 0; i < n; i++)
            h = (h ^ (unsigned char)e->d_name[i]) * 1099511628211u;
        h = mix(h, (uint64_t)sb.st_size);
        h = mix(h, (uint64_t)sb.st_mtim.tv_sec);
        h = mix(h, (uint64_t)sb.st_mtim.tv_nsec);
        h = mix(h, (uint64_t)sb.st_ctim.tv_nsec);
        h = mix(h, (uint64_t)sb.st_ino);
        stamp += h;
    }
    closedir(dh);
    return stamp ? stamp : 1;
}

const char *bl_profile_dir(void)
{
    const char *e = getenv("BALLAST_PROFILES");
    if (e && e[0])
        return e;
    DIR *dh = opendir(BL_SOURCE_PROFILES);
    if (dh) {
        closedir(dh);
        return BL_SOURCE_PROFILES;
    }
    return "profiles";
}
