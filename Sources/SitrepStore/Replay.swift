import Foundation
import GRDB
import GRDBSQLite
import SitrepMerge

/// Reading a database's active reports in the order ingest wrote them: the merge replay of
/// `sitrep store-bench --replay` (how the merge engine's cost grows with the corpus, without
/// extraction or SQLite writes).
extension SQLiteStore {
    /// Calls `body` with every active report in event row order: the article's row id, the event's
    /// row id and the report (its near-duplicate group as the database holds it now; its snippet
    /// and rules left empty, as the merge engine drops them).
    /// `body` returns false to stop.
    public func forEachActiveReport(_ body: (Int64, Int64, Report) -> Bool) throws {
        try pool.read { db in
            var rows = RowWriter(try db.makeStatement(sql: """
                SELECT e.id, e.idx, e.report, a.hash, a.dup_group, e.article FROM events e
                JOIN articles a ON a.id = e.article WHERE e.active = 1 ORDER BY e.id
                """))
            var failure: (any Error)?
            var article: Int64 = -1
            var hash = ""
            var group = ""
            try rows.query { h in
                if sqlite3_column_int64(h, 5) != article {
                    article = sqlite3_column_int64(h, 5)
                    hash = Self.text(h, 3) ?? ""
                    let g = Self.text(h, 4) ?? hash
                    group = g == hash ? hash : g
                }
                do {
                    let r = try self.storedReport(h, 2, article: hash, index: Int(sqlite3_column_int64(h, 1)), group: group)
                    return body(article, sqlite3_column_int64(h, 0), r)
                } catch {
                    failure = error
                    return false
                }
            }
            if let failure { throw failure }
        }
    }
}
