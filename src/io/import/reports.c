/* reports.c - the platforms' own order reports, one adapter each (docs/formats.md,
 * "Platform reports"). Each reads the platform's export as it comes, for one shop
 * (--shop), and hands whole orders to the order sink (import_impl.h), so that the
 * next day's report updates the orders it already has. */
#include <stdio.h>
#include <string.h>

#include "io/import/import_impl.h"

const struct bl__kind bl__report_kinds[] = {
    {"amazon", bl__amazon_run},
    {"shopify", bl__shopify_run},
    {"tiktok", bl__tiktok_run},
    {"temu", bl__temu_run},
    {NULL, NULL},
};

bool bl_import_kind_report(const char *kind)
{
    for (const struct bl__kind *k = bl__report_kinds; k->name; k++)
        if (strcmp(k->name, kind) == 0)
            return true;
    return false;
}

bool bl_import_kind_orders(const char *kind)
{
    return strcmp(kind, "orders") == 0 || strcmp(kind, "olist") == 0 || bl_import_kind_report(kind);
}

/* ---------------------------------------------------------------- ship-to regions */

/* US states by name: buyers type them in full now and then ("Texas" for TX), and a
 * report writes what the buyer typed. */
static const char *const us_states[][2] = {
    {"ALABAMA", "AL"},        {"ALASKA", "AK"},        {"ARIZONA", "AZ"},
    {"ARKANSAS", "AR"},       {"CALIFORNIA", "CA"},    {"COLORADO", "CO"},
    {"CONNECTICUT", "CT"},    {"DELAWARE", "DE"},      {"DISTRICT OF COLUMBIA", "DC"},
    {"FLORIDA", "FL"},        {"GEORGIA", "GA"},       {"HAWAII", "HI"},
    {"IDAHO", "ID"},          {"ILLINOIS", "IL"},      {"INDIANA", "IN"},
    {"IOWA", "IA"},           {"KANSAS", "KS"},        {"KENTUCKY", "KY"},
    {"LOUISIANA", "LA"},      {"MAINE", "ME"},         {"MARYLAND", "MD"},
    {"MASSACHUSETTS", "MA"},  {"MICHIGAN", "MI"},      {"MINNESOTA", "MN"},
    {"MISSISSIPPI", "MS"},    {"MISSOURI", "MO"},      {"MONTANA", "MT"},
    {"NEBRASKA", "NE"},       {"NEVADA", "NV"},        {"NEW HAMPSHIRE", "NH"},
    {"NEW JERSEY", "NJ"},     {"NEW MEXICO", "NM"},    {"NEW YORK", "NY"},
    {"NORTH CAROLINA", "NC"}, {"NORTH DAKOTA", "ND"},  {"OHIO", "OH"},
    {"OKLAHOMA", "OK"},       {"OREGON", "OR"},        {"PENNSYLVANIA", "PA"},
    {"PUERTO RICO", "PR"},    {"RHODE ISLAND", "RI"},  {"SOUTH CAROLINA", "SC"},
    {"SOUTH DAKOTA", "SD"},   {"TENNESSEE", "TN"},     {"TEXAS", "TX"},
    {"UTAH", "UT"},           {"VERMONT", "VT"},       {"VIRGINIA", "VA"},
    {"WASHINGTON", "WA"},     {"WEST VIRGINIA", "WV"}, {"WISCONSIN", "WI"},
    {"WYOMING", "WY"},
};

/* Country names as the reports write them (TikTok's and Temu's English names), with
 * their ISO 3166-1 codes. Only the markets these platforms sell in: any other name
 * is refused. */
static const struct {
    const char *name, *code;
} countries[] = {
    {"United States", "US"}, {"United States of America", "US"}, {"USA", "US"},
    {"United Kingdom", "GB"}, {"Canada", "CA"},     {"Mexico", "MX"},
    {"Brazil", "BR"},         {"Germany", "DE"},    {"France", "FR"},
    {"Italy", "IT"},          {"Spain", "ES"},      {"Ireland", "IE"},
    {"Japan", "JP"},          {"Australia", "AU"},  {"New Zealand", "NZ"},
    {"Malaysia", "MY"},       {"Singapore", "SG"},  {"Thailand", "TH"},
    {"Vietnam", "VN"},        {"Viet Nam", "VN"},   {"Philippines", "PH"},
    {"Indonesia", "ID"},
};

static bool alnum(char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

static char upper(char ch)
{
    return ch >= 'a' && ch <= 'z' ? (char)(ch - 32) : ch;
}

/* The subdivision code of a state or province as a report writes it, or "". */
static void subdivision(const char cc[3], struct bl_str st, char sub[4])
{
    sub[0] = '\0';
    if (st.len > 3 && upper(st.ptr[0]) == cc[0] && upper(st.ptr[1]) == cc[1] &&
        st.ptr[2] == '-') { /* Shopify writes some as ISO 3166-2 in full: JP-13 */
        st.ptr += 3;
        st.len -= 3;
    }
    bool code = st.len >= 1 && st.len <= 3;
    for (size_t i = 0; code && i < st.len; i++)
        code = alnum(st.ptr[i]);
    if (code) {
        for (size_t i = 0; i < st.len; i++)
            sub[i] = upper(st.ptr[i]);
        sub[st.len] = '\0';
        return;
    }
    if (strcmp(cc, "US") != 0 || st.len >= 24)
        return;
    char name[24];
    for (size_t i = 0; i < st.len; i++)
        name[i] = upper(st.ptr[i]);
    name[st.len] = '\0';
    for (size_t i = 0; i < sizeof(us_states) / sizeof(us_states[0]); i++)
        if (strcmp(name, us_states[i][0]) == 0) {
            memcpy(sub, us_states[i][1], 3);
            return;
        }
}

int bl__report_region(struct bl__imp *im, int country, int state, int zip, char out[BL_REGION_MAX],
                      bool *present)
{
    out[0] = '\0';
    struct bl_str cv = country >= 0 ? bl__imp_raw(im, country) : (struct bl_str){"", 0};
    *present = cv.len > 0;
    if (!cv.len)
        return BL_OK;
    for (size_t i = 0; cv.len != 2 && i < sizeof(countries) / sizeof(countries[0]); i++)
        if (bl_str_eq_nocase_c(cv, countries[i].name))
            cv = bl_str_c(countries[i].code);
    if (cv.len != 2 || !alnum(cv.ptr[0]) || !alnum(cv.ptr[1])) {
        char got[64];
        bl_str_copy(got, sizeof(got), (struct bl_str){cv.ptr, cv.len < 60 ? cv.len : 60});
        return bl__imp_err(im, country, BL_EPARSE,
                           "'%s': expected a two-letter ISO 3166-1 country code such as US, "
                           "or a country name such as United States (docs/formats.md)",
                           got);
    }
    char cc[3] = {upper(cv.ptr[0]), upper(cv.ptr[1]), '\0'};
    char sub[4] = "";
    if (state >= 0)
        subdivision(cc, bl__imp_raw(im, state), sub);
    char post[11];
    size_t np = 0;
    struct bl_str zv = zip >= 0 ? bl__imp_raw(im, zip) : (struct bl_str){"", 0};
    for (size_t i = 0; i < zv.len && np < 10; i++)
        if (alnum(zv.ptr[i]))
            post[np++] = upper(zv.ptr[i]);
    post[np] = '\0';
    char code[32];
    snprintf(code, sizeof(code), "%s%s%s%s%s", cc, sub[0] ? "-" : "", sub, np ? ":" : "", post);
    struct bl_diag tmp;
    bl_diag_clear(&tmp);
    int rc = bl_region_parse(bl_str_c(code), out, &tmp);
    if (rc)
        return bl__imp_err(im, country, rc, "%s", tmp.msg[0] ? tmp.msg : bl_strerror(rc));
    return BL_OK;
}
