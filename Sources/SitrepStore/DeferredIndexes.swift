import GRDB

/// Query indexes a large ingest builds once at its end instead of row by row.
///
/// The incidents' query indexes (date, country, type, latitude) and `articles(source, published)`
/// are read only by queries, never by ingest, and their keys arrive in random order: every
/// incident the merge creates or moves lands at a random place of each, and once they outgrow
/// the page cache each insert is a page miss. `deferQueryIndexes` drops them and records their
/// SQL in `meta` (in the same transaction, so a killed run still knows them);
/// `restoreQueryIndexes` creates them again from that SQL, in one sorted pass each, and forgets
/// it. Queries made in between give the same rows, only without the indexes' speed; a run killed
/// in between restores them on its next ingest.
extension SQLiteStore {
    /// The indexes deferred, by name.
    public static let deferrableIndexes = [
        "incidents_day", "incidents_country", "incidents_type", "incidents_lat", "articles_source",
    ]

    static let deferredPrefix = "deferred_index:"

    /// Drops the deferrable indexes, keeping their SQL in `meta`.
    public func deferQueryIndexes() throws {
        do {
            try pool.write { db in
                for name in Self.deferrableIndexes {
                    guard let sql = try String.fetchOne(
                        db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", arguments: [name])
                    else { continue }
                    try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                                   arguments: [Self.deferredPrefix + name, sql])
                    try db.execute(sql: "DROP INDEX \(name)")
                }
            }
        } catch {
            throw StoreError(path: path, reason: "cannot defer the query indexes: \(error)")
        }
    }

    /// Creates the indexes `deferQueryIndexes` dropped (nothing when none is deferred).
    public func restoreQueryIndexes() throws {
        do {
            try pool.write { db in
                let rows = try Row.fetchAll(
                    db, sql: "SELECT key, value FROM meta WHERE key >= ? AND key < ? ORDER BY key",
                    arguments: [Self.deferredPrefix, Self.deferredPrefix + "\u{7F}"])
                for row in rows {
                    let key: String = row[0]
                    let sql: String = row[1]
                    let name = String(key.dropFirst(Self.deferredPrefix.count))
                    let exists = try Bool.fetchOne(
                        db, sql: "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", arguments: [name]) ?? false
                    if !exists { try db.execute(sql: sql) }
                    try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key])
                }
            }
        } catch {
            throw StoreError(path: path, reason: "cannot restore the query indexes: \(error)")
        }
    }

    /// Names of the indexes deferred now (their SQL waits in `meta`).
    public func deferredIndexes() throws -> [String] {
        try pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT key FROM meta WHERE key >= ? AND key < ? ORDER BY key",
                arguments: [Self.deferredPrefix, Self.deferredPrefix + "\u{7F}"]
            ).map { String($0.dropFirst(Self.deferredPrefix.count)) }
        }
    }

    /// Every index of the database with its SQL, by name (the schema a deferral must give back).
    public func indexDefinitions() throws -> [String] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name")
                .map { row in "\(row[0] as String): \(row[1] as String)" }
        }
    }
}
