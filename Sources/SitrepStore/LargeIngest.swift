import Foundation

/// Settings of a large ingest (one that builds the query indexes at its end, `DeferredIndexes.swift`):
/// bigger transactions, and a WAL and writer page cache in proportion.
///
/// Measured on 10,000 articles into a 200,000-article database (paired runs, `SITREP_PHASES=1`): a
/// batch of 512 articles dirtied ≈ 21 pages per article, many of them the same pages the next
/// batches dirtied again (full-text segments, incidents and their links that nearby articles update,
/// index pages); in batches of 4,096 a page changed by several articles is written to the WAL once
/// (bytes written −63 %), FTS5 flushes fewer, larger segments, and with a cache of up to 2 GB the
/// random incident and link pages stay in memory (writer −12 %). A killed run still loses at most
/// the batch in flight and leaves no partial rows.
///
/// A million generated articles from empty (`ingest --timing`, 2 cores, idle): in batches of 4,096,
/// 1,117 s wall and 137.6 GB written; in batches of 16,384, 963.8 s and 102.0 GB (each transaction
/// inserts at random places of the same index pages, so four times the articles dirty far fewer
/// than four times the pages), peak RSS 9.1 → 10.4 GB. The larger batch is taken where memory
/// allows it (two batches of prepared articles, ≈ 40 kB each, are held at once).
public enum LargeIngest {
    /// Articles per transaction of a large ingest on this machine (`--batch` overrides).
    public static var batch: Int { batch(memory: ProcessInfo.processInfo.physicalMemory) }
    /// Articles per transaction of a large ingest on a machine with `memory` bytes: 16,384 from
    /// 16 GB of memory on, else 4,096.
    public static func batch(memory: UInt64) -> Int {
        memory >= 16 << 30 ? 16_384 : 4_096
    }
    /// Articles per transaction of any other ingest.
    public static let smallBatch = 512

    /// Articles per transaction: `explicit` (`--batch`, at least 1) when given, else by the size of
    /// the ingest.
    public static func batchSize(explicit: Int?, large: Bool) -> Int {
        if let explicit { return max(1, explicit) }
        return large ? batch : smallBatch
    }
    /// The sizes of an ingest's transactions in turn: `size` from the start when it is the small
    /// batch or less, else the small batch first, doubling up to `size` (512, 1,024, …, 16,384).
    ///
    /// The writer cannot start before the lanes have analysed its first batch, and it bounds the
    /// ingest: with 16,384 articles in the first batch it waited ≈ 5 s at the start of every large
    /// ingest (a tenth of 100,000 articles' run); with 512 it starts after ≈ 0.2 s and the lanes
    /// stay ahead of it as the batches double. The batches' sizes change only where transactions
    /// end, not what is stored.
    public struct Ramp: Sendable {
        public let size: Int
        private var current: Int

        public init(size: Int) {
            self.size = max(1, size)
            current = min(self.size, LargeIngest.smallBatch)
        }

        /// The size of the next batch.
        public mutating func next() -> Int {
            let n = current
            current = min(size, current * 2)
            return n
        }

        /// The size of the batch being filled, without moving on.
        public var upcoming: Int { current }
    }

    /// The writer's automatic checkpoint threshold during a large ingest, as a multiple of the
    /// usual backstop: one batch of 4,096 articles writes ≈ 80,000 frames, and the usual backstop
    /// of 65,536 made the writer copy the WAL itself on nearly every commit. The WAL file may
    /// reach ≈ 2 GB (3.1 GB with batches of 16,384 in the million-article run).
    static let walFactor = 8

    /// The writer connection's page cache during a large ingest, in MB: `SITREP_CACHE_MB` when set,
    /// else an eighth of the machine's memory, between the usual 256 MB and 2 GB.
    static func writerCacheMB() -> Int {
        if let mb = ProcessInfo.processInfo.environment["SITREP_CACHE_MB"].flatMap({ Int($0) }) { return mb }
        let eighth = Int(ProcessInfo.processInfo.physicalMemory >> 23)  // bytes / 8 / 1 MB
        return min(max(SQLiteStore.defaultCacheMB, eighth), maxCacheMB)
    }

    static let maxCacheMB = 2_048
}
