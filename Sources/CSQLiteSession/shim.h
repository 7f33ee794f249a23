// SQLite's session extension (sqlite3session_*, sqlite3changeset_*), for fundsync-bench's session-extension peer only.
//
// Why prototypes and not <sqlite3.h>: the system header declares this API only under
// `#if defined(SQLITE_ENABLE_SESSION)` (and the pre-update hook it needs under SQLITE_ENABLE_PREUPDATE_HOOK), although
// Debian's libsqlite3 is built with both and exports the symbols. Defining those macros here and including <sqlite3.h>
// would make this module a second copy of the whole SQLite API next to GRDB's own module (GRDBSQLite, which includes
// <sqlite3.h> plainly), so every `sqlite3_*` function and `SQLITE_*` macro would be visible twice in Swift and could
// become ambiguous. So this header includes nothing and declares only what the peer calls, copied from the prototypes
// of <sqlite3.h> (SQLite 3.40): connections and sessions are incomplete struct types, which Swift imports as
// OpaquePointer, the same type GRDB's `Database.sqliteConnection` has. The one name shared with <sqlite3.h>,
// sqlite3_free, is an identical redeclaration (call it as `CSQLiteSession.sqlite3_free` from Swift to keep it
// unambiguous).
#ifndef FUNDSYNC_CSQLITESESSION_SHIM_H
#define FUNDSYNC_CSQLITESESSION_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

struct sqlite3;
struct sqlite3_session;
struct sqlite3_changeset_iter;

int sqlite3session_create(struct sqlite3 *db, const char *zDb, struct sqlite3_session **ppSession);
int sqlite3session_attach(struct sqlite3_session *pSession, const char *zTab);
int sqlite3session_changeset(struct sqlite3_session *pSession, int *pnChangeset, void **ppChangeset);
void sqlite3session_delete(struct sqlite3_session *pSession);
int sqlite3changeset_apply(
    struct sqlite3 *db, int nChangeset, void *pChangeset,
    int (*xFilter)(void *pCtx, const char *zTab),
    int (*xConflict)(void *pCtx, int eConflict, struct sqlite3_changeset_iter *p),
    void *pCtx);
void sqlite3_free(void *);

// Second argument of the conflict handler (the kind of conflict).
#define SQLITE_CHANGESET_DATA        1
#define SQLITE_CHANGESET_NOTFOUND    2
#define SQLITE_CHANGESET_CONFLICT    3
#define SQLITE_CHANGESET_CONSTRAINT  4
#define SQLITE_CHANGESET_FOREIGN_KEY 5

// What the conflict handler returns.
#define SQLITE_CHANGESET_OMIT       0
#define SQLITE_CHANGESET_REPLACE    1
#define SQLITE_CHANGESET_ABORT      2

#ifdef __cplusplus
}
#endif

#endif
