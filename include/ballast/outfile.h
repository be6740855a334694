/* outfile.h - a file written whole and durably, or not at all, and never over another.
 *
 * For exports whose rows are marked done once they are in the file (the outbox export,
 * `messages send --via csv`): a reader never sees half a file, a second run never
 * replaces the first one's file, and two runs at once never share a temporary file.
 *
 *   bl_outfile_open    refuses a path that exists (BL_EEXISTS); creates a temporary file
 *                      of its own with O_EXCL (mkstemp) in the same directory,
 *                      ".NAME.XXXXXX", readable and writable by the owner only (an
 *                      export holds buyers' addresses);
 *   (write to o->f)
 *   bl_outfile_commit  flushes and fsyncs the file, moves it to path without replacing
 *                      anything (renameat2 RENAME_NOREPLACE, else link + unlink: a file
 *                      that appeared meanwhile gives BL_EEXISTS), then fsyncs the
 *                      directory. Only after BL_OK are the bytes durably at path; on any
 *                      failure neither path (if this call created it) nor the temporary
 *                      file is left;
 *   bl_outfile_abort   removes the temporary file (safe on a zeroed, failed or committed
 *                      struct).
 *
 * The struct owns its strings and stream; commit and abort release them. d names the
 * file and the step that failed (strerror).
 */
#ifndef BALLAST_OUTFILE_H
#define BALLAST_OUTFILE_H

#include <stdio.h>

#include "ballast/err.h"

struct bl_outfile {
    FILE *f;    /* the temporary file, open for writing between open and commit */
    char *path; /* where it goes */
    char *tmp;  /* the temporary file's path */
    char *dir;  /* path's directory ("." when none) */
};

int bl_outfile_open(struct bl_outfile *o, const char *path, struct bl_diag *d) BL_MUST_CHECK;
int bl_outfile_commit(struct bl_outfile *o, struct bl_diag *d) BL_MUST_CHECK;
void bl_outfile_abort(struct bl_outfile *o);

#endif
