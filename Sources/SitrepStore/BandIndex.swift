import GRDB
import GRDBSQLite
import SitrepMerge

/// The LSH bands of every stored article, in memory: for a band key, the articles that have it,
/// newest (highest row id) first.
///
/// Ingest looks up each new article's 8 bands. As a B-tree keyed (band, article) — the
/// `minhash_bands` table of `v3` — every lookup and every insert landed at a random page, and
/// once the tree outgrew the page cache the inserts alone dirtied ≈ 8 pages per article, more
/// than half of the WAL traffic of a large ingest. The database now keeps the bands per article
/// in `article_bands` (appended in row-id order, `v7-article-bands`), from which this index is
/// built when the writer starts.
///
/// Layout: an open-addressing table from band key to the newest entry of its chain, and the
/// entries (article, older entry) in insertion order. Articles are added in increasing row id,
/// so each chain runs newest first, as `ORDER BY article DESC` did.
struct BandIndex {
    private static let empty: Int32 = -1
    /// Slot → band key (meaningful where `heads` is not `empty`).
    private var keys: [Int64]
    /// Slot → newest entry with that key, or `empty`.
    private var heads: [Int32]
    /// Entry → article row id.
    private var articles: [Int64] = []
    /// Entry → the next older entry with the same key, or `empty`.
    private var older: [Int32] = []
    private var used = 0

    /// Room for `count` distinct keys before the table grows.
    init(capacity count: Int = 0) {
        var slots = 1024
        while slots * 2 < count * 3 { slots *= 2 }
        keys = [Int64](repeating: 0, count: slots)
        heads = [Int32](repeating: Self.empty, count: slots)
    }

    /// Entries held (article–band pairs).
    var count: Int { articles.count }

    private static func slot(_ key: Int64, mask: Int) -> Int {
        // The keys are mixed hashes already; the multiply spreads any structure in the low bits.
        Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> 17) & mask
    }

    /// The slot of `key`, or the empty slot where it would go. The table is at most two thirds
    /// full, so the probe ends.
    private func find(_ key: Int64) -> Int {
        let mask = heads.count - 1
        var i = Self.slot(key, mask: mask)
        while heads[i] != Self.empty && keys[i] != key { i = (i + 1) & mask }
        return i
    }

    /// Adds `article` under `band`; articles come in increasing row id. False (nothing added)
    /// when the index holds `Int32.max` entries, far beyond any database this writer makes.
    mutating func insert(band: Int64, article: Int64) -> Bool {
        guard articles.count < Int(Int32.max) else { return false }
        if (used + 1) * 3 > heads.count * 2 { grow() }
        let i = find(band)
        let entry = Int32(articles.count)
        articles.append(article)
        older.append(heads[i])
        if heads[i] == Self.empty {
            keys[i] = band
            used += 1
        }
        heads[i] = entry
        return true
    }

    /// Appends to `out` the newest `limit` articles with `band`, newest first.
    func newest(_ band: Int64, limit: Int, into out: inout [Int64]) {
        var e = heads[find(band)]
        var n = 0
        while e != Self.empty && n < limit {
            out.append(articles[Int(e)])
            e = older[Int(e)]
            n += 1
        }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldHeads = heads
        keys = [Int64](repeating: 0, count: oldHeads.count * 2)
        heads = [Int32](repeating: Self.empty, count: oldHeads.count * 2)
        for i in oldHeads.indices where oldHeads[i] != Self.empty {
            let j = find(oldKeys[i])
            keys[j] = oldKeys[i]
            heads[j] = oldHeads[i]
        }
    }

    /// The stored form of an article's bands (`article_bands.bands`): each key as 8 bytes, little-endian.
    static func encode(_ bands: [Int64]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bands.count * 8)
        for b in bands {
            let u = UInt64(bitPattern: b)
            for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: u >> (8 * UInt64(k)))) }
        }
        return out
    }

    /// The keys of a stored `bands` value; nil when its length is not a multiple of 8.
    static func decode(_ bytes: UnsafeRawBufferPointer) -> [Int64]? {
        guard bytes.count % 8 == 0 else { return nil }
        var out: [Int64] = []
        out.reserveCapacity(bytes.count / 8)
        var i = 0
        while i < bytes.count {
            var u: UInt64 = 0
            for k in 0..<8 { u |= UInt64(bytes[i + k]) << (8 * UInt64(k)) }
            out.append(Int64(bitPattern: u))
            i += 8
        }
        return out
    }
}

extension BandIndex {
    /// The index of every band stored in `article_bands`, read in row-id order.
    static func load(_ db: Database, path: String) throws -> BandIndex {
        let rows = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM article_bands") ?? 0
        var index = BandIndex(capacity: rows * MinHash.bands)
        var reader = RowWriter(try db.makeStatement(sql: "SELECT article, bands FROM article_bands ORDER BY article"))
        var failure: StoreError?
        try reader.query { h in
            let article = sqlite3_column_int64(h, 0)
            let n = Int(sqlite3_column_bytes(h, 1))
            // A zero-length BLOB reads as a null pointer: no keys.
            let keys = n == 0 ? [] : sqlite3_column_blob(h, 1).flatMap { BandIndex.decode(UnsafeRawBufferPointer(start: $0, count: n)) }
            guard let keys else {
                failure = StoreError(path: path, reason: "article_bands row \(article): \(n) bytes is not a list of band keys")
                return false
            }
            for k in keys where !index.insert(band: k, article: article) {
                failure = full(path)
                return false
            }
            return true
        }
        if let failure { throw failure }
        return index
    }

    /// The error when `insert` refuses an entry.
    static func full(_ path: String) -> StoreError {
        StoreError(path: path, reason: "more article bands than the in-memory index holds (\(Int32.max))")
    }
}
