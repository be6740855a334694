/* cycle_text.c - the cycle's words for people (cycle_text.h). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/cycle_text.h"
#include "app/digest.h"
#include "cli/out.h"

#include "ballast/money.h"
#include "ballast/time.h"

static const char *step_label(const struct bl_words *w, const char *name, char *buf, size_t cap)
{
    bl_app_words_code(w, "steps", name, buf, cap);
    return buf;
}

/* How long each step took, on one line (the digest above says what each did). */
static void step_times(FILE *o, const struct bl_words *w, const struct bl_app_cycle_res *res)
{
    char title[64];
    bl_app_words_code(w, "", "steps_title", title, sizeof(title));
    fprintf(o, "\n%s%s", title, bl_app_words_phrase(w, "title_colon", ": "));
    for (size_t i = 0; i < res->nsteps; i++) {
        char label[64];
        bl_app_words_code(w, "steps", res->steps[i].name, label, sizeof(label));
        fprintf(o, "%s%s %.2f s", i ? bl_app_words_sep(w) : "", label,
                (double)res->steps[i].ms / 1000.0);
    }
    fputc('\n', o);
}

/* One line per step: what it did and how long it took (a dry run, which has no digest). */
static void step_lines(FILE *o, const struct bl_words *w, const struct bl_app_cycle_res *res)
{
    char title[64];
    bl_app_words_code(w, "", "steps_title", title, sizeof(title));
    fprintf(o, "\n%s\n", title);
    for (size_t i = 0; i < res->nsteps; i++) {
        const struct bl_app_cycle_step *s = &res->steps[i];
        char label[64], line[800] = "", st[128];
        size_t at = 0;
        for (size_t k = 0; k < s->ncounts && at < sizeof(line); k++) {
            char c[128];
            bl_app_words_count(w, s->counts[k].name, s->counts[k].n, c, sizeof(c));
            int x = snprintf(line + at, sizeof(line) - at, "%s%s", k ? bl_app_words_sep(w) : "", c);
            if (x < 0 || (size_t)x >= sizeof(line) - at)
                break;
            at += (size_t)x;
        }
        step_label(w, s->name, label, sizeof(label));
        if (s->state == BL_STEP_DONE) {
            fprintf(o, "  %-24s %6.2f s  %s\n", label, (double)s->ms / 1000.0, line);
        } else {
            bl_app_words_code(w, "states", bl_step_state_name(s->state), st, sizeof(st));
            char why[200] = "";
            if (s->why)
                bl_app_words_code(w, "skip_reasons", s->why, why, sizeof(why));
            fprintf(o, "  %-24s           %s%s%s\n", label, st,
                    s->state == BL_STEP_FAILED || why[0] ? ": " : "",
                    s->state == BL_STEP_FAILED ? s->error : why);
        }
    }
}

static json_t *res_json(const char *org_name, const struct bl_app_cycle_req *req,
                        const struct bl_app_cycle_res *res)
{
    char when[BL_ISO_MAX], day[16];
    json_t *j = json_object();
    json_t *steps = json_array();
    for (size_t i = 0; i < res->nsteps; i++) {
        const struct bl_app_cycle_step *s = &res->steps[i];
        json_t *c = json_object();
        for (size_t k = 0; k < s->ncounts; k++)
            json_object_set_new(c, s->counts[k].name, json_integer(s->counts[k].n));
        json_array_append_new(steps, json_pack("{s:s, s:s, s:I, s:o, s:s?}", "step", s->name,
                                               "state", bl_step_state_name(s->state), "ms",
                                               (json_int_t)s->ms, "counts", c, "error",
                                               s->state == BL_STEP_FAILED ? s->error : NULL));
    }
    const struct bl_digest_facts *f = &res->facts;
    json_object_set_new(j, "organisation", json_string(org_name));
    json_object_set_new(j, "cycle", res->cycle_id ? json_integer(res->cycle_id) : json_null());
    json_object_set_new(j, "as_of", json_string(bl_time_format(req->as_of, when)));
    json_object_set_new(j, "day", json_string(bl_date_format(req->day, day)));
    json_object_set_new(j, "dry_run", json_boolean(req->dry_run));
    json_object_set_new(j, "resumed", json_boolean(res->resumed));
    json_object_set_new(j, "state", json_string(res->failed ? "failed" : "done"));
    json_object_set_new(j, "ms", json_integer(res->ms));
    json_object_set_new(j, "steps", steps);
    if (res->have_facts)
        json_object_set_new(
            j, "needs_decision",
            json_pack("{s:I, s:I, s:I, s:I}", "messages_waiting", (json_int_t)f->messages_waiting,
                      "actions_waiting", (json_int_t)f->actions_waiting, "stockouts",
                      (json_int_t)f->stockouts, "shops_at_risk", (json_int_t)f->shops_at_risk));
    return j;
}

int bl_cycle_print(struct bl_cli *cli, const char *org_name, const struct bl_app_cycle_req *req,
                   const struct bl_app_cycle_res *res, bool many)
{
    FILE *o = cli->out;
    if (cli->format == BL_FMT_JSON) {
        json_t *j = res_json(org_name, req, res);
        int rc = j ? json_dumpf(j, o, JSON_INDENT(2)) : -1;
        fputc('\n', o);
        json_decref(j);
        return rc ? 1 : 0;
    }
    if (cli->format == BL_FMT_CSV) {
        static const char *const cols[] = {"organisation", "cycle", "step",
                                           "state",        "ms",    "counts"};
        struct bl_out out;
        bl_out_begin(&out, cli, cols, 6);
        int rc = 0;
        for (size_t i = 0; !rc && i < res->nsteps; i++) {
            const struct bl_app_cycle_step *s = &res->steps[i];
            char counts[600] = "";
            size_t at = 0;
            for (size_t k = 0; k < s->ncounts; k++) {
                int x = snprintf(counts + at, sizeof(counts) - at, "%s%s=%lld", k ? " " : "",
                                 s->counts[k].name, (long long)s->counts[k].n);
                if (x < 0 || (size_t)x >= sizeof(counts) - at)
                    break;
                at += (size_t)x;
            }
            struct bl_val v[6] = {bl_val_text(bl_str_c(org_name)),
                                  res->cycle_id ? bl_val_int(res->cycle_id) : bl_val_null(),
                                  bl_val_text(bl_str_c(s->name)),
                                  bl_val_text(bl_str_c(bl_step_state_name(s->state))),
                                  bl_val_int(s->ms),
                                  bl_val_text(bl_str_c(counts))};
            rc = bl_out_row(&out, v);
        }
        int erc = bl_out_end(&out);
        return rc || erc ? 1 : 0;
    }
    char when[BL_ISO_MAX], day[16];
    if (many)
        fprintf(o, "\n== %s\n", org_name);
    struct bl_words *w = NULL;
    struct bl_diag d;
    bl_diag_clear(&d);
    if (bl_app_words_open(NULL, cli->locale, &w, &d))
        return bl_cli_fail(cli, &d);
    int rc = 0;
    if (!res->cycle_id) {
        fprintf(o, "Dry run for %s, as of %s (stock day %s): nothing was stored, %.2f s\n",
                org_name, bl_time_format(req->as_of, when), bl_date_format(req->day, day),
                (double)res->ms / 1000.0);
    } else {
        /* the summary is the operator's digest, in the reader's language */
        struct bl_buf subject, body;
        bl_buf_init(&subject, 4096);
        bl_buf_init(&body, 1u << 20);
        struct bl_app_digest_in in = {org_name, req, res, NULL};
        rc = bl_app_digest_render(NULL, cli->locale, &in, &subject, &body, &d);
        if (!rc) /* shop names and notes from the store: their controls spelt out */
            if ((rc = bl_out_text(o, bl_buf_str(&body), BL_SHOWN_KEEP_NL | BL_SHOWN_KEEP_TAB)))
                bl_diag_set(&d, rc, "cannot print the digest: %s", bl_strerror(rc));
        bl_buf_release(&subject);
        bl_buf_release(&body);
        if (res->resumed)
            fprintf(o, "\n(This run completed an unfinished cycle at the same as-of.)\n");
    }
    if (!rc && res->cycle_id)
        step_times(o, w, res);
    else if (!rc)
        step_lines(o, w, res);
    char done[64];
    bl_app_words_code(w, "", res->failed ? "failed_in" : "done_in", done, sizeof(done));
    fprintf(o, "%s %.2f s\n", done, (double)res->ms / 1000.0);
    bl_app_words_free(w);
    return rc ? bl_cli_fail(cli, &d) : 0;
}

/* A step of `cycle show` in words: its label, and the rest of its line. */
struct step_line {
    char label[64], rest[900];
};

struct list_ctx {
    struct bl_out *out;
    struct bl_cli *cli;
    int rc;
    struct bl_words *words;
    struct step_line *lines; /* cycle show's table: the steps, printed aligned at the end */
    size_t nlines;
};

static int list_row(void *vctx, const struct bl_cycle_rec *c)
{
    struct list_ctx *x = vctx;
    char a[BL_ISO_MAX], s[BL_ISO_MAX], day[16];
    struct bl_val v[7] = {bl_val_int(c->id),
                          bl_val_text(bl_str_c(bl_time_format(c->as_of, a))),
                          bl_val_text(bl_str_c(bl_date_format(c->day, day))),
                          bl_val_text(c->state),
                          bl_val_text(bl_str_c(bl_time_format(c->started_at, s))),
                          c->finished_at ? bl_val_int(c->ms) : bl_val_null(),
                          c->shard.len ? bl_val_text(c->shard) : bl_val_null()};
    return bl_out_row(x->out, v);
}

int bl_cycle_print_list(struct bl_cli *cli, struct bl_store *st, int64_t org, int64_t limit)
{
    static const char *const cols[] = {"cycle",      "as_of", "day",  "state",
                                       "started_at", "ms",    "shard"};
    struct bl_out out;
    bl_out_begin(&out, cli, cols, 7);
    struct list_ctx x = {&out, cli, 0, NULL, NULL, 0};
    struct bl_diag d;
    bl_diag_clear(&d);
    int rc = bl_app_cycle_list(st, org, limit, list_row, &x, &d);
    int erc = bl_out_end(&out);
    if (rc)
        return bl_cli_fail(cli, &d);
    return erc ? 1 : 0;
}

static int show_cycle(void *vctx, const struct bl_cycle_rec *c)
{
    struct list_ctx *x = vctx;
    FILE *o = x->cli->out;
    char a[BL_ISO_MAX], s[BL_ISO_MAX], day[16];
    fprintf(o, "Cycle %lld, as of %s (stock day %s): %.*s", (long long)c->id,
            bl_time_format(c->as_of, a), bl_date_format(c->day, day), (int)c->state.len,
            c->state.ptr);
    fprintf(o, ", started %s", bl_time_format(c->started_at, s));
    if (c->finished_at)
        fprintf(o, ", took %.2f s", (double)c->ms / 1000.0);
    if (c->shard.len)
        fprintf(o, ", shard %.*s", (int)c->shard.len, c->shard.ptr);
    fputc('\n', o);
    if (c->error.len)
        fprintf(o, "error: %.*s\n", (int)c->error.len, c->error.ptr);
    return 0;
}

static int show_step(void *vctx, const struct bl_cycle_step_rec *s)
{
    struct list_ctx *x = vctx;
    char name[32], state[16], counts[600];
    bl_str_copy(name, sizeof(name), s->step);
    bl_str_copy(state, sizeof(state), s->state);
    if (x->cli->format != BL_FMT_TABLE) {
        bl_str_copy(counts, sizeof(counts), s->counts);
        struct bl_val v[5] = {bl_val_int(s->seq), bl_val_text(s->step), bl_val_text(s->state),
                              bl_val_int(s->ms), bl_val_text(bl_str_c(counts))};
        return bl_out_row(x->out, v);
    }
    /* counts are stored as a JSON object: read them back into words */
    char line[800] = "";
    bl_str_copy(counts, sizeof(counts), s->counts);
    json_t *j = json_loads(counts, 0, NULL);
    const char *key;
    json_t *val;
    size_t at = 0;
    json_object_foreach(j, key, val)
    {
        char w[128];
        bl_app_words_count(x->words, key, (int64_t)json_integer_value(val), w, sizeof(w));
        int n = snprintf(line + at, sizeof(line) - at, "%s%s", at ? bl_app_words_sep(x->words) : "", w);
        if (n < 0 || (size_t)n >= sizeof(line) - at)
            break;
        at += (size_t)n;
    }
    json_decref(j);
    char label[64], st[128];
    bl_app_words_code(x->words, "steps", name, label, sizeof(label));
    bl_app_words_code(x->words, "states", state, st, sizeof(st));
    char why[200];
    bl_str_copy(why, sizeof(why), s->error);
    if (x->nlines == BL_CYCLE_STEPS_MAX)
        return 0;
    const char *colon = bl_app_words_phrase(x->words, "title_colon", ": "); /* "：" in zh */
    struct step_line *l = &x->lines[x->nlines++];
    snprintf(l->label, sizeof(l->label), "%s", label);
    if (strcmp(state, "skipped") == 0 && why[0]) {
        char words[200];
        bl_app_words_code(x->words, "skip_reasons", why, words, sizeof(words));
        snprintf(l->rest, sizeof(l->rest), "%s%s%s", st, colon, words);
    } else if (s->error.len)
        snprintf(l->rest, sizeof(l->rest), "%s%s%.*s", st, colon, (int)s->error.len,
                 s->error.ptr);
    else if (strcmp(state, "done") == 0)
        snprintf(l->rest, sizeof(l->rest), "%6.2f s  %s", (double)s->ms / 1000.0, line);
    else
        snprintf(l->rest, sizeof(l->rest), "%s", st);
    return 0;
}

/* The steps' lines, their labels padded to the widest (display columns). */
static void print_steps(FILE *o, const struct list_ctx *x)
{
    size_t w = 0;
    for (size_t i = 0; i < x->nlines; i++)
        if (bl_out_width(x->lines[i].label) > w)
            w = bl_out_width(x->lines[i].label);
    for (size_t i = 0; i < x->nlines; i++)
        fprintf(o, "  %s%*s %s\n", x->lines[i].label,
                (int)(w - bl_out_width(x->lines[i].label)), "", x->lines[i].rest);
}

int bl_cycle_print_show(struct bl_cli *cli, struct bl_store *st, int64_t org, int64_t id)
{
    struct bl_diag d;
    bl_diag_clear(&d);
    struct bl_out out;
    static const char *const cols[] = {"seq", "step", "state", "ms", "counts"};
    bool table = cli->format == BL_FMT_TABLE;
    if (!table)
        bl_out_begin(&out, cli, cols, 5);
    struct step_line lines[BL_CYCLE_STEPS_MAX];
    struct list_ctx x = {&out, cli, 0, NULL, lines, 0};
    if (table && bl_app_words_open(NULL, cli->locale, &x.words, &d))
        return bl_cli_fail(cli, &d);
    int rc = bl_app_cycle_get(st, org, id, table ? show_cycle : NULL, show_step, &x, &d);
    if (table && !rc)
        print_steps(cli->out, &x);
    int erc = table ? 0 : bl_out_end(&out);
    bl_app_words_free(x.words);
    if (rc)
        return bl_cli_fail(cli, &d);
    return erc ? 1 : 0;
}
