/* app.c - what every use case shares (app.h). */
#include <time.h>

#include "ballast/app.h"

int64_t bl_app_now(void)
{
    return (int64_t)time(NULL);
}
