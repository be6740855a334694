/* disrupt_common.c - what `disruption` and `protect` share (disrupt_common.h). */
#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/disrupt_common.h"
#include "cli/out.h"

#include "app/disruption.h"

#include "ballast/disruption.h"
#include "ballast/region.h"

/* Text from the command line must be UTF-8 (it goes into the store and into JSON). */
int bl__dis_check_text(struct bl_cli *cli, const char *cmd, const char *flag, const char *val,
                       const char *expect)
{
    size_t bad;
    if (!val[0])
        return bl_cli_usage(cli, cmd, "%s is empty: expected %s", flag, expect);
    if (!bl_utf8_valid(val, strlen(val), &bad))
        return bl_cli_usage(cli, cmd, "%s: invalid UTF-8 at byte %zu: expected %s", flag, bad + 1,
                            expect);
    return 0;
}

/* An id of the user's systems: 1 to 200 bytes, no control characters (as on import). */
int bl__dis_check_id(struct bl_cli *cli, const char *cmd, const char *flag, const char *val,
                     const char *expect)
{
    if (bl__dis_check_text(cli, cmd, flag, val, expect))
        return 2;
    size_t n = strlen(val);
    if (n > 200)
        return bl_cli_usage(cli, cmd, "%s is %zu bytes long: expected %s of at most 200 bytes",
                            flag, n, expect);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)val[i] < 0x20 || val[i] == 0x7f)
            return bl_cli_usage(cli, cmd,
                                "%s has a control character (byte %zu): expected %s in "
                                "printable text",
                                flag, i + 1, expect);
    return 0;
}

int bl__dis_load_tz(struct bl_cli *cli, const char *cmd, const char *name, struct bl_tz **tz)
{
    *tz = NULL;
    if (!name)
        return 0;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_tz_load(tz, name, &d))
        return bl_cli_usage(cli, cmd, "--tz %s: %s", name, d.msg[0] ? d.msg : bl_strerror(d.code));
    return 0;
}

/* Reads an instant: ISO 8601 with Z or an offset, or local text read in tz. A local
 * time without tz gets an error that says to give --tz. */
int bl__dis_parse_time(struct bl_cli *cli, const char *cmd, const char *flag, const char *text,
                       const struct bl_tz *tz, int64_t *t)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_time_parse(bl_str_c(text), tz, t, &d);
    if (!rc)
        return 0;
    if (!tz) {
        /* Would it read with a zone? Then the only thing missing is --tz. */
        struct bl_tz *utc = NULL;
        struct bl_diag d2;
        int64_t ignore;
        bl_diag_clear(&d2);
        bool local = bl_tz_load(&utc, "UTC", &d2) == BL_OK &&
                     bl_time_parse(bl_str_c(text), utc, &ignore, &d2) == BL_OK;
        bl_tz_free(utc);
        if (local)
            return bl_cli_usage(cli, cmd,
                                "%s %s: a local date or time needs --tz ZONE (an IANA zone "
                                "such as America/Sao_Paulo); or give an instant with Z or an "
                                "offset, as in 2018-05-21T08:00:00Z or 2018-05-21T08:00:00-03:00",
                                flag, text);
    }
    return bl_cli_usage(cli, cmd, "%s %s: %s", flag, text, d.msg[0] ? d.msg : bl_strerror(rc));
}

/* "--to 2018-05-21T08:00" plus the UTC instant it was read as, when that differs. */
const char *bl__dis_shown_time(const char *text, int64_t t, char *out, size_t cap)
{
    char iso[BL_ISO_MAX];
    bl_time_format(t, iso);
    if (strcmp(text, iso) == 0)
        snprintf(out, cap, "%s", text);
    else
        snprintf(out, cap, "%.60s (%s)", text, iso);
    return out;
}

int bl__dis_need(struct bl_cli *cli, const char *cmd, const char *val, const char *flag,
                 const char *expect)
{
    if (val)
        return 0;
    return bl_cli_usage(cli, cmd, "missing %s: expected %s", flag, expect);
}

/* Prints the id of a new record: the bare number for people, one "id" row for machines. */
int bl__dis_print_id(struct bl_cli *cli, int64_t id)
{
    if (cli->format == BL_FMT_TABLE) {
        fprintf(cli->out, "%lld\n", (long long)id);
        return 0;
    }
    static const char *const cols[] = {"id"};
    struct bl_out o;
    bl_out_begin(&o, cli, cols, 1);
    struct bl_val v = bl_val_int(id);
    int rc = bl_out_row(&o, &v);
    int rc2 = bl_out_end(&o);
    return rc ? rc : rc2;
}

int bl__dis_bad_window(struct bl_cli *cli, const char *cmd, const char *from_s, int64_t from,
                       const char *to_s, int64_t to)
{
    char a[128], b[128];
    return bl_cli_usage(cli, cmd, "--to %s is not after --from %s: expected an end after the start",
                        bl__dis_shown_time(to_s, to, a, sizeof(a)),
                        bl__dis_shown_time(from_s, from, b, sizeof(b)));
}

int bl__dis_fail(struct bl_cli *cli, const char *fmt, ...)
{
    va_list ap;
    fputs("ballast: ", cli->err);
    va_start(ap, fmt);
    vfprintf(cli->err, fmt, ap);
    va_end(ap);
    fputc('\n', cli->err);
    return 1;
}

/* "lockdown, strike, ..., weather or other": the kinds, for messages. */
const char *bl__dis_kinds_text(void)
{
    static char text[256];
    if (text[0])
        return text;
    size_t n = 0;
    for (size_t i = 0; bl_dis_kinds[i]; i++) {
        const char *sep = i == 0 ? "" : bl_dis_kinds[i + 1] ? ", " : " or ";
        int w = snprintf(text + n, sizeof(text) - n, "%s%s", sep, bl_dis_kinds[i]);
        if (w < 0 || (size_t)w >= sizeof(text) - n)
            break;
        n += (size_t)w;
    }
    return text;
}

/* One option of add or edit into a; 0, or 2 after a usage message. */
int bl__dis_take_option(struct bl_cli *cli, int c, struct bl__dis_args *a)
{
    const char **slot[] = {&a->region,  &a->scope,    &a->from, &a->to,  &a->kind,
                           &a->channel, &a->supplier, &a->note, &a->ext, &a->tz};
    static const char keys[] = "rsFTkcunoz";
    const char *k = c ? strchr(keys, c) : NULL;
    if (k) {
        *slot[k - keys] = optarg;
        return 0;
    }
    return c == 'f' && bl_cli_set_format(cli, optarg) ? 2 : c == 'f' ? 0 : -1;
}

/* Checks the values given in a: region (canonicalised into region), scope, kind, ids,
 * note. 0, or 2 after a usage message. */
int bl__dis_check_values(struct bl_cli *cli, const char *cmd, const struct bl__dis_args *a,
                         char region[BL_REGION_MAX], int *scope, int *kind)
{
    int urc = a->region ? bl__dis_check_region(cli, cmd, "--region", a->region, region) : 0;
    if (urc)
        return urc;
    *scope = a->scope ? bl_dis_word(bl_dis_scopes, a->scope) : 0;
    if (*scope < 0)
        return bl_cli_usage(cli, cmd, "--scope %s: expected origin, destination or both", a->scope);
    *kind = a->kind ? bl_dis_word(bl_dis_kinds, a->kind) : 0;
    if (*kind < 0)
        return bl_cli_usage(cli, cmd, "--kind %s: expected %s", a->kind, bl__dis_kinds_text());
    if ((a->ext && bl__dis_check_id(cli, cmd, "--id", a->ext, "your id for the disruption")) ||
        (a->channel && bl__dis_check_id(cli, cmd, "--channel", a->channel, "a channel id")) ||
        (a->supplier && bl__dis_check_id(cli, cmd, "--supplier", a->supplier, "a supplier id")))
        return 2;
    if (a->note && a->note[0] && bl__dis_check_text(cli, cmd, "--note", a->note, "free text"))
        return 2;
    return 0;
}

/* Reads --from and --to when given (in --tz); both given: the end must be after the start.
 * 0, or 2 after a usage message. */
int bl__dis_read_window(struct bl_cli *cli, const char *cmd, const struct bl__dis_args *a,
                        int64_t *from, int64_t *to)
{
    struct bl_tz *tz;
    if (bl__dis_load_tz(cli, cmd, a->tz, &tz))
        return 2;
    int urc = a->from ? bl__dis_parse_time(cli, cmd, "--from", a->from, tz, from) : 0;
    if (!urc && a->to)
        urc = bl__dis_parse_time(cli, cmd, "--to", a->to, tz, to);
    bl_tz_free(tz);
    if (!urc && a->from && a->to && *to <= *from)
        urc = bl__dis_bad_window(cli, cmd, a->from, *from, a->to, *to);
    return urc;
}

int bl__dis_check_region(struct bl_cli *cli, const char *cmd, const char *flag, const char *text,
                         char region[BL_REGION_MAX])
{
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_region_parse(bl_str_c(text), region, &d))
        return bl_cli_usage(cli, cmd, "%s %s: %s", flag, text, d.msg);
    struct bl_app_place_check pc;
    int rc = bl_app_place_check(region, &pc, &d);
    if (rc == BL_ENOTFOUND)
        return bl_cli_usage(cli, cmd, "%s %s: %s", flag, text, d.msg);
    return rc ? bl_cli_fail(cli, &d) : 0;
}

/* The disruption's ID: a whole number > 0; 0, or 2 after a usage message. */
int bl__dis_read_id(struct bl_cli *cli, const char *cmd, const char *id_s, int64_t *id)
{
    if (bl_str_to_i64(bl_str_c(id_s), id) || *id <= 0)
        return bl_cli_usage(cli, cmd,
                            "ID %s: expected a disruption id, a whole number greater than 0 "
                            "(the number 'disruption list' shows)",
                            id_s);
    return 0;
}

const char *bl__dis_who(void)
{
    const char *who = getenv("BALLAST_USER");
    if (!who || !who[0])
        who = getenv("USER");
    if (!who || !who[0]) {
        const struct passwd *pw = getpwuid(getuid());
        who = pw ? pw->pw_name : NULL;
    }
    return who && who[0] ? who : NULL;
}

const char *bl__dis_end_text(int64_t end, char buf[BL_ISO_MAX])
{
    return bl_dis_open_end(end) ? "until further notice" : bl_time_format(end, buf);
}

const char *const bl__dis_cols[13] = {
    "id",        "ext_id",  "region",    "scope",         "kind", "channel", "supplier",
    "starts_at", "ends_at", "lifted_at", "effective_end", "note", "batch"};

static struct bl_val text_val(const char *s)
{
    return s ? bl_val_text(bl_str_c(s)) : bl_val_null();
}

static struct bl_val time_val(int64_t t, char *buf)
{
    return t == BL_NO_TIME ? bl_val_null() : bl_val_text(bl_str_c(bl_time_format(t, buf)));
}

/* An end: "until further notice" for people, null for machines, when open. */
static struct bl_val end_val(const struct bl_cli *cli, int64_t t, char *buf)
{
    if (!bl_dis_open_end(t))
        return time_val(t, buf);
    return cli->format == BL_FMT_TABLE ? bl_val_text(BL_STR("until further notice"))
                                       : bl_val_null();
}

void bl__dis_vals(const struct bl_cli *cli, const struct bl_app_disruption_item *it,
                  char t[4][BL_ISO_MAX], struct bl_val v[13])
{
    const struct bl_disruption *r = &it->r;
    struct bl_val x[13] = {
        bl_val_int(r->id),
        text_val(r->ext_id),
        text_val(r->region),
        text_val(bl_dis_scopes[r->scope]),
        text_val(bl_dis_kinds[r->kind]),
        text_val(r->channel),
        text_val(r->supplier),
        time_val(r->starts_at, t[0]),
        end_val(cli, r->ends_at, t[1]),
        time_val(r->lifted_at, t[2]),
        end_val(cli, it->effective_end, t[3]),
        text_val(r->note),
        bl_val_int(r->batch_id),
    };
    memcpy(v, x, sizeof(x));
}

void bl__dis_say_withdrawn(struct bl_cli *cli, int64_t n)
{
    if (n > 0 && cli->format == BL_FMT_TABLE)
        fprintf(cli->out,
                "%lld unsent customer message%s withdrawn: the next `messages plan` or cycle "
                "writes %s again from the new window.\n",
                (long long)n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
}
