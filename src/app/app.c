/* app.c - what every use case shares (app.h). */
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "ballast/app.h"

#ifndef BL_SOURCE_TEMPLATES
#define BL_SOURCE_TEMPLATES "templates"
#endif

int64_t bl_app_now(void)
{
    return (int64_t)time(NULL);
}

const char *bl_app_templates_dir(void)
{
    const char *e = getenv("BALLAST_TEMPLATES");
    if (e && e[0])
        return e;
    struct stat st;
    if (stat(BL_SOURCE_TEMPLATES "/en", &st) == 0)
        return BL_SOURCE_TEMPLATES;
    return "templates";
}
