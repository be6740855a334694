/* logistics_impl.h - what the logistics family's two files share (internal to src/store):
 * reading text columns, and calling a caller's typed row callback through one adapter. */
#ifndef BL_STORE_LOGISTICS_IMPL_H
#define BL_STORE_LOGISTICS_IMPL_H

#include "store/logistics.h"

/* Text of a column, "" for NULL. Both backends hand out NUL-terminated text
 * (sqlite3_column_text, PQgetvalue), valid during the row callback. */
static inline const char *bl__lg_col(const struct bl_row *r, size_t c)
{
    if (bl_row_isnull(r, c))
        return "";
    const char *p = bl_row_text(r, c).ptr;
    return p ? p : "";
}

/* The caller's typed callback, called back through the right type by each row adapter. */
struct bl__lg_tramp {
    void (*fn)(void);
    void *ctx;
};
#define BL__LG_TRAMP(f, c)                                                                         \
    (struct bl__lg_tramp)                                                                          \
    {                                                                                              \
        (void (*)(void))(f), (c)                                                                   \
    }
#define BL__LG_CALL(t, type, arg) (((int (*)(void *, const type *))(t)->fn)((t)->ctx, (arg)))

static inline int bl__lg_query(struct bl_store *st, const char *sql, const struct bl_val *p,
                               size_t n, bl_row_fn row, struct bl__lg_tramp t, struct bl_diag *d)
{
    return bl_store_query(st, sql, p, n, row, &t, d);
}

#endif
