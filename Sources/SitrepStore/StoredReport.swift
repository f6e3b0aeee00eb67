import Foundation
import GRDB
import GRDBSQLite
import SitrepMerge

/// Reading `events.report`: a `ReportCodec` BLOB (from `v4-integer-keys` on) or the JSON text rows
/// written before; either way the report gets its identity from the article's hash and the event's
/// index, and its near-duplicate group from the article's row.
extension SQLiteStore {
    static func text(_ h: OpaquePointer, _ i: Int32) -> String? {
        sqlite3_column_type(h, i) == SQLITE_NULL ? nil : sqlite3_column_text(h, i).map { String(cString: $0) }
    }

    /// The report in column `column` of the current row, for the merge engine (restart and replay
    /// load through here): a BLOB's snippet and rules are left empty, as `MergeEngine.insert` drops
    /// them anyway (JSON rows, from before `v4-integer-keys`, are read whole).
    func storedReport(_ h: OpaquePointer, _ column: Int32, article: String, index: Int, group: String) throws -> Report {
        if sqlite3_column_type(h, column) == SQLITE_BLOB {
            let n = Int(sqlite3_column_bytes(h, column))
            let p = sqlite3_column_blob(h, column)
            // `p` points at the column's `n` bytes until the statement steps on; the report's
            // strings are copied out before then.
            if let r = ReportCodec.decode(UnsafeRawBufferPointer(start: p, count: n), article: article, eventIndex: index,
                                          dupGroup: group, evidence: false) {
                return r
            }
            throw StoreError(path: path, reason: "event \(article)#\(index): unreadable stored report")
        }
        return try reportFromJSON(Self.text(h, column) ?? "", group: group)
    }

    func storedReport(_ v: DatabaseValue, article: String, index: Int, group: String) throws -> Report {
        switch v.storage {
        case .blob(let d):
            if let r = d.withUnsafeBytes({ ReportCodec.decode($0, article: article, eventIndex: index, dupGroup: group) }) {
                return r
            }
            throw StoreError(path: path, reason: "event \(article)#\(index): unreadable stored report")
        case .string(let s):
            return try reportFromJSON(s, group: group)
        default:
            throw StoreError(path: path, reason: "event \(article)#\(index): no stored report")
        }
    }

    func reportFromJSON(_ text: String, group: String) throws -> Report {
        var r = try Report.decode(json: text) ?? decoder.decode(Report.self, from: Data(text.utf8))
        r.dupGroup = group
        return r
    }
}
