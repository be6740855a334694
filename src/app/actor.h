/* actor.h - who did something, as histories keep it: the one text stored in
 * action.decided_by, disruption_event.who, message.rejected_by and audit.actor, and the
 * parts a front end words in its reader's language.
 *
 *   alice                                      a person (a user of the API, or the local
 *                                              user of the command line)
 *   API token 'ops desk'   / API token 7       an API token, by its label or its id
 *   ... of marketplace 'mall'                  a marketplace's platform user or token
 *                                              acting on a merchant it governs
 *
 * bl_app_actor_format writes that text; bl_app_actor_parse reads it back (its inverse on
 * everything format writes). User names hold no space (bl_app_user_name_check) and
 * organisation names no quote, so the forms do not overlap. Nothing is allocated: the
 * parts point into the text parsed or are copied into the struct's buffers.
 */
#ifndef BL_APP_ACTOR_H
#define BL_APP_ACTOR_H

#include <stddef.h>
#include <stdint.h>

enum bl_app_actor_kind {
    BL_ACTOR_PERSON = 0, /* name: the person's name */
    BL_ACTOR_TOKEN,      /* name: the token's label ("" when it has none: token_id) */
};

struct bl_app_actor {
    enum bl_app_actor_kind kind;
    char name[160];        /* the person's name or the token's label */
    int64_t token_id;      /* an unlabelled token's id (0 otherwise) */
    char marketplace[160]; /* the marketplace acted for ("" when none) */
};

/* The stored text of a into buf (cap bytes, cut to fit); returns buf. */
const char *bl_app_actor_format(const struct bl_app_actor *a, char *buf, size_t cap);
/* The parts of text (NULL or "": a person with no name); always succeeds: a text of no
 * known form is a person's name as written. */
void bl_app_actor_parse(const char *text, struct bl_app_actor *out);
/* "person", "token". */
const char *bl_app_actor_kind_name(enum bl_app_actor_kind k);

#endif
