// Which rows a write transaction touches, from SQLite's pre-update hook (`sqlite3_preupdate_hook`), for the hub's
// store of record (ReplicaStore's `RowChangeCapture`, DESIGN §7.3).
//
// Why a C file and not prototypes in Swift: <sqlite3.h> declares the pre-update API only when
// SQLITE_ENABLE_PREUPDATE_HOOK is defined (Debian's libsqlite3 is built with it and exports the symbols). Defining it
// in capture.c alone keeps one copy of the SQLite API visible to Swift (GRDB's), and this header declares only the
// two functions below, over an incomplete `struct sqlite3` that Swift imports as OpaquePointer (the type of GRDB's
// `Database.sqliteConnection`).
#ifndef FUNDSYNC_CSQLITECAPTURE_H
#define FUNDSYNC_CSQLITECAPTURE_H

#ifdef __cplusplus
extern "C" {
#endif

struct sqlite3;

/// The kind of a row change (SQLITE_INSERT, SQLITE_DELETE, SQLITE_UPDATE).
enum {
    FS_CAPTURE_INSERT = 18,
    FS_CAPTURE_DELETE = 9,
    FS_CAPTURE_UPDATE = 23,
};

/// Called before every row change of the `main` schema: the table, the kind, the row's rowid before and after
/// (meaningless for a WITHOUT ROWID table) and its column count. Values of the changing row are read with
/// `fs_capture_read` during the call only.
typedef void (*fs_capture_callback)(void *context, int operation, const char *table,
                                    long long oldRowid, long long newRowid, int columnCount);

/// Installs `callback` as the connection's pre-update hook (NULL removes it).
void fs_capture_install(struct sqlite3 *db, fs_capture_callback callback, void *context);

/// One value of the changing row, as the store holds them (integers, text, bytes, NULL).
typedef struct fs_capture_value {
    int type;                 // SQLITE_INTEGER 1, SQLITE_FLOAT 2, SQLITE_TEXT 3, SQLITE_BLOB 4, SQLITE_NULL 5
    long long integer;
    const unsigned char *bytes;  // text (UTF-8) or blob; valid during the callback only
    int length;
} fs_capture_value;

/// Reads column `column` of the changing row: its value before the change (`after == 0`: UPDATE, DELETE) or after it
/// (`after != 0`: INSERT, UPDATE). Returns 0 (SQLITE_OK) or SQLite's error code.
int fs_capture_read(struct sqlite3 *db, int after, int column, fs_capture_value *out);

#ifdef __cplusplus
}
#endif

#endif
