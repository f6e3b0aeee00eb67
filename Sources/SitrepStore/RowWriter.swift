import GRDB
import GRDBSQLite

private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

/// Binds values to a prepared statement through SQLite's C interface and runs it.
///
/// Ingest inserts some forty rows per article. GRDB's `StatementArguments` boxes every value
/// in an existential and copies it into an array before binding; this binds in place, in
/// column order, and resets the statement after each row. Only for statements that return no
/// rows; errors come back as GRDB's `DatabaseError` with the statement's SQL.
///
/// Every run binds every parameter (asserted in debug builds), so the bindings are not cleared
/// after a row: clearing freed each copied value (the analysis, the text) one call earlier than
/// the next bind does, at ≈ 1,700 instructions a row.
struct RowWriter {
    let statement: Statement
    private let handle: OpaquePointer
    private var column: Int32 = 0

    init(_ statement: Statement) {
        self.statement = statement
        handle = statement.sqliteStatement
    }

    private mutating func next() -> Int32 {
        column += 1
        return column
    }

    mutating func null() {
        sqlite3_bind_null(handle, next())
    }

    mutating func int(_ v: Int?) {
        guard let v else { return null() }
        sqlite3_bind_int64(handle, next(), Int64(v))
    }

    mutating func int64(_ v: Int64?) {
        guard let v else { return null() }
        sqlite3_bind_int64(handle, next(), v)
    }

    mutating func bool(_ v: Bool) {
        sqlite3_bind_int64(handle, next(), v ? 1 : 0)
    }

    mutating func real(_ v: Double?) {
        guard let v else { return null() }
        sqlite3_bind_double(handle, next(), v)
    }

    mutating func text(_ v: String?) {
        guard var v else { return null() }
        let i = next()
        if v.isEmpty {
            sqlite3_bind_text(handle, i, "", 0, transient)
            return
        }
        // Native strings expose their UTF-8 in place; SQLite copies it (SQLITE_TRANSIENT).
        let done: Bool? = v.utf8.withContiguousStorageIfAvailable { buf in
            sqlite3_bind_text(handle, i, buf.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                              Int32(buf.count), transient)
            return true
        }
        if done == nil {
            v.makeContiguousUTF8()
            v.utf8.withContiguousStorageIfAvailable { buf in
                _ = sqlite3_bind_text(handle, i, buf.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
                                      Int32(buf.count), transient)
            }
        }
    }

    mutating func blob(_ bytes: [UInt8]) {
        let i = next()
        guard !bytes.isEmpty else {
            sqlite3_bind_zeroblob(handle, i, 0)  // empty, not NULL
            return
        }
        bytes.withUnsafeBytes { buf in
            _ = sqlite3_bind_blob(handle, i, buf.baseAddress, Int32(buf.count), transient)
        }
    }

    /// Runs a query with the values bound so far, calling `row` with the statement handle for each
    /// result row until it returns false; then resets the statement.
    mutating func query(_ row: (OpaquePointer) -> Bool) throws {
        assert(Int32(column) == sqlite3_bind_parameter_count(handle), "every parameter is bound: \(statement.sql)")
        defer {
            sqlite3_reset(handle)
            column = 0
        }
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else {
                let message = sqlite3_db_handle(handle).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
                throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: message, sql: statement.sql)
            }
            if !row(handle) { return }
        }
    }

    /// Runs the statement with the values bound so far, then resets it for the next row.
    mutating func run() throws {
        assert(Int32(column) == sqlite3_bind_parameter_count(handle), "every parameter is bound: \(statement.sql)")
        defer {
            sqlite3_reset(handle)
            column = 0
        }
        let rc = sqlite3_step(handle)
        guard rc == SQLITE_DONE else {
            let message = sqlite3_db_handle(handle).flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: message, sql: statement.sql)
        }
    }
}
