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
public enum LargeIngest {
    /// Articles per transaction of a large ingest (`--batch` overrides).
    public static let batch = 4_096
    /// Articles per transaction of any other ingest.
    public static let smallBatch = 512

    /// Articles per transaction: `explicit` (`--batch`, at least 1) when given, else by the size of
    /// the ingest.
    public static func batchSize(explicit: Int?, large: Bool) -> Int {
        if let explicit { return max(1, explicit) }
        return large ? batch : smallBatch
    }
    /// The writer's automatic checkpoint threshold during a large ingest, as a multiple of the
    /// usual backstop: one batch of 4,096 articles writes ≈ 80,000 frames, and the usual backstop
    /// of 65,536 made the writer copy the WAL itself on nearly every commit. The WAL file may
    /// reach ≈ 2 GB.
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
