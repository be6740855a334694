/* profile.h - platform rule profiles: profiles/NAME.json into struct bl_profile.
 *
 * The format is described in docs/metrics.md ("Profiles"). Every problem is
 * reported with the file name, the JSON line where jansson saw it (syntax) or the
 * field's path ("rules[1].window_days") and what was expected.
 *
 * Ownership: the profile is the caller's struct, filled in place; nothing to free.
 */
#ifndef BALLAST_PROFILE_H
#define BALLAST_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#include "ballast/assess.h"
#include "ballast/err.h"
#include "ballast/notify.h"

/* Parses JSON text; `name` is used in messages (a file name). */
int bl_profile_parse(const char *text, size_t len, const char *name, struct bl_profile *out,
                     struct bl_diag *d) BL_MUST_CHECK;

/* Reads DIR/NAME.json (NAME: letters, digits, '-' and '_'). BL_ENOTFOUND names the
 * profiles that exist in DIR. */
int bl_profile_load(const char *dir, const char *name, struct bl_profile *out,
                    struct bl_diag *d) BL_MUST_CHECK;

/* The "messaging" section only (docs/metrics.md, "Messaging"): the platform's rules
 * for the messages a seller sends its buyers, into r (no section: the defaults of
 * bl_msg_rules_default). bl_profile_parse checks the section too. */
int bl_profile_messaging_parse(const char *text, size_t len, const char *name,
                               struct bl_msg_rules *r, struct bl_diag *d) BL_MUST_CHECK;
/* The same from DIR/NAME.json; BL_ENOTFOUND (r left at the defaults) when there is
 * no such profile. */
int bl_profile_messaging_load(const char *dir, const char *name, struct bl_msg_rules *r,
                              struct bl_diag *d) BL_MUST_CHECK;

/* A number that changes when a profile file of dir changes (its name, size, time of last
 * change or inode: an edit, a rename into place, a new or removed file): 0 when dir
 * cannot be read. For a cache of answers computed from the profiles. */
uint64_t bl_profile_dir_stamp(const char *dir);

/* The profiles directory: $BALLAST_PROFILES, else the source tree's profiles/
 * (compiled in), else ./profiles. */
const char *bl_profile_dir(void);

#endif
