// See include/CSQLiteCapture.h.
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include <sqlite3.h>
#include <string.h>
#include "CSQLiteCapture.h"

struct capture_target {
    fs_capture_callback callback;
    void *context;
};

// The hook's context carries the target (a process may open several stores). The previous context freed on
// (re)install is always one of ours: nothing else installs a pre-update hook (GRDB does so only when built with
// SQLITE_ENABLE_PREUPDATE_HOOK, which FundSync does not set).
static void preupdate(void *target, sqlite3 *db, int operation, const char *schema, const char *table,
                      sqlite3_int64 oldRowid, sqlite3_int64 newRowid) {
    struct capture_target *t = target;
    if (schema == NULL || strcmp(schema, "main") != 0) return;  // temp tables are not the books
    t->callback(t->context, operation, table, oldRowid, newRowid, sqlite3_preupdate_count(db));
}

void fs_capture_install(struct sqlite3 *db, fs_capture_callback callback, void *context) {
    if (callback == NULL) {
        void *previous = sqlite3_preupdate_hook(db, NULL, NULL);
        sqlite3_free(previous);
        return;
    }
    struct capture_target *target = sqlite3_malloc(sizeof *target);
    if (target == NULL) return;
    target->callback = callback;
    target->context = context;
    void *previous = sqlite3_preupdate_hook(db, preupdate, target);
    sqlite3_free(previous);
}

int fs_capture_read(struct sqlite3 *db, int after, int column, fs_capture_value *out) {
    sqlite3_value *value = NULL;
    int rc = after ? sqlite3_preupdate_new(db, column, &value) : sqlite3_preupdate_old(db, column, &value);
    if (rc != SQLITE_OK) return rc;
    out->type = sqlite3_value_type(value);
    out->integer = 0;
    out->bytes = NULL;
    out->length = 0;
    switch (out->type) {
    case SQLITE_INTEGER: out->integer = sqlite3_value_int64(value); break;
    case SQLITE_TEXT:
        out->bytes = sqlite3_value_text(value);
        out->length = sqlite3_value_bytes(value);
        break;
    case SQLITE_BLOB:
        out->bytes = sqlite3_value_blob(value);
        out->length = sqlite3_value_bytes(value);
        break;
    default: break;
    }
    return SQLITE_OK;
}
