/* banned.h - unsafe libc calls made into compile errors (force-included by the build).
 * Use snprintf, bl_buf, bl_str_to_i64 and the time functions in ballast/time.h. */
#ifndef BALLAST_BANNED_H
#define BALLAST_BANNED_H

/* The headers that declare them come first, so a later #include of them is a
 * no-op and the macros below only catch uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BL__BANNED(func) sorry_##func##_is_banned_see_DESIGN_md

#undef strcpy
#define strcpy(x, y) BL__BANNED(strcpy)
#undef strcat
#define strcat(x, y) BL__BANNED(strcat)
#undef sprintf
#define sprintf(...) BL__BANNED(sprintf)
#undef strtok
#define strtok(x, y) BL__BANNED(strtok)
#undef atoi
#define atoi(x) BL__BANNED(atoi)
#undef atof
#define atof(x) BL__BANNED(atof)
#undef gmtime
#define gmtime(x) BL__BANNED(gmtime)
#undef localtime
#define localtime(x) BL__BANNED(localtime)
#undef mktime
#define mktime(x) BL__BANNED(mktime)

#endif
