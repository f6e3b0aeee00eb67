import Foundation
import GRDB
import GRDBSQLite

/// Copies the WAL into the database file on a thread of its own while ingest writes.
///
/// A commit leaves its pages in the WAL; a checkpoint copies them into the database file (read
/// each frame, write each page, sync both files). Run by SQLite's automatic checkpoint it happens
/// inside the writer's commit, and at 200,000 articles it took ≈ 15 % of the writer thread's CPU
/// plus the wait for the two syncs — while the analysis threads sat idle, waiting for the writer.
///
/// This checkpointer uses its own connection: after each committed batch it runs a PASSIVE
/// checkpoint (never blocks the writer or readers; copies what no reader still needs), and the
/// writer's own automatic checkpoint moves to `backstopFactor` times the usual WAL size. SQLite
/// starts the WAL over only once a checkpoint has copied all of it when a transaction begins,
/// which the writer, always one batch ahead, rarely allows: the backstop is that moment (the
/// writer copies the last batch or so itself, then the WAL restarts), so the WAL stays bounded.
final class Checkpointer: @unchecked Sendable {
    /// The writer's automatic checkpoint threshold while this runs, as a multiple of the usual one.
    static let backstopFactor = 4

    private let handle: OpaquePointer
    private let queue = DispatchQueue(label: "sitrep.checkpoint")
    private let lock = NSLock()
    /// A checkpoint is queued and has not started: another request adds nothing.
    private var queued = false
    private var closed = false
    private var completed = 0
    private var cpu = 0.0

    /// Checkpoints that ran to the end so far.
    var runs: Int {
        lock.lock()
        defer { lock.unlock() }
        return completed
    }

    /// CPU seconds of this thread's checkpoints so far.
    var cpuSeconds: Double {
        lock.lock()
        defer { lock.unlock() }
        return cpu
    }

    init(path: String) throws {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "error \(rc)"
            sqlite3_close_v2(db)
            throw StoreError(path: path, reason: "cannot open a checkpoint connection: \(message)")
        }
        handle = db
        // Syncs as the writer's own checkpoints do (WAL, then database file).
        _ = sqlite3_exec(db, "PRAGMA synchronous = NORMAL", nil, nil, nil)
    }

    /// Asks for a checkpoint (after a commit); returns at once.
    func request() {
        lock.lock()
        let skip = queued || closed
        queued = true
        lock.unlock()
        guard !skip else { return }
        queue.async {
            self.lock.lock()
            self.queued = false
            self.lock.unlock()
            var log: Int32 = 0
            var copied: Int32 = 0
            let t0 = threadCPUSeconds()
            // SQLITE_BUSY (another checkpoint holds the lock) only means this one is not needed.
            let rc = sqlite3_wal_checkpoint_v2(self.handle, nil, SQLITE_CHECKPOINT_PASSIVE, &log, &copied)
            let t1 = threadCPUSeconds()
            self.lock.lock()
            if rc == SQLITE_OK { self.completed += 1 }
            self.cpu += t1 - t0
            self.lock.unlock()
        }
    }

    /// Waits for the checkpoint under way, if any, and closes the connection.
    func close() {
        lock.lock()
        closed = true
        lock.unlock()
        queue.sync {
            _ = sqlite3_close_v2(handle)
        }
    }
}

extension SQLiteStore {
    /// Moves WAL checkpoints off the writer's commits onto a thread of their own (`Checkpointer`)
    /// until `stopBackgroundCheckpoints`. `large`: a large ingest (`LargeIngest`), whose bigger
    /// transactions get a WAL and a writer page cache in proportion.
    public func startBackgroundCheckpoints(large: Bool = false) throws {
        guard checkpointer == nil else { return }
        do {
            let c = try Checkpointer(path: path)
            let backstop = walPages * Checkpointer.backstopFactor * (large ? LargeIngest.walFactor : 1)
            let cacheMB = large ? LargeIngest.writerCacheMB() : nil
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(backstop)")
                if let cacheMB { try db.execute(sql: "PRAGMA cache_size = -\(cacheMB * 1024)") }
            }
            checkpointer = c
        } catch let e as StoreError {
            throw e
        } catch {
            throw StoreError(path: path, reason: "cannot start background checkpoints: \(error)")
        }
    }

    /// Waits for the background checkpoint under way and gives checkpoints back to the writer.
    public func stopBackgroundCheckpoints() throws {
        guard let c = checkpointer else { return }
        checkpointer = nil
        c.close()
        checkpointCPUSeconds += c.cpuSeconds
        do {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(walPages)")
                try db.execute(sql: "PRAGMA cache_size = -\(cacheMB * 1024)")
            }
        } catch {
            throw StoreError(path: path, reason: "cannot stop background checkpoints: \(error)")
        }
    }
}
