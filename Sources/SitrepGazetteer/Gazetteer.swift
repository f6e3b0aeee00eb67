import Foundation
import SitrepLanguage
import SitrepText

/// An error reading or building a gazetteer, naming the file and what was wrong.
public struct GazetteerError: Error, CustomStringConvertible, Sendable {
    public let file: String
    public let reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
}

/// How precise a gazetteer record is (mirrors the contract's `precision`).
public enum GazetteerPrecision: UInt8, Sendable {
    case settlement = 0, admin2 = 1, admin1 = 2, country = 3, region = 4

    public var name: String {
        switch self {
        case .settlement: "settlement"
        case .admin2: "admin2"
        case .admin1: "admin1"
        case .country: "country"
        case .region: "region"
        }
    }
}

/// How a name is attached to a record in the index.
public enum NameKind: UInt8, Sendable {
    /// The record's own name or its ASCII form (or a mechanical variant of them).
    case primary = 0
    /// A GeoNames alternate name (or a variant of one).
    case alternate = 1
    /// A curated name (exonym, abbreviation, contested name) from the additions file.
    case curated = 2
}

/// The bundled gazetteer: countries, first- and second-level divisions, populated places and
/// curated regions, with every name variant indexed by its token-key sequence.
///
/// Storage is flat: the file holds one array per column, names in one UTF-8 blob, and one sorted
/// array of phrase keys with their postings (best prior first). At load the columns are packed
/// row-wise and an open-addressing table over the sorted keys is built, so a lookup is one hash
/// probe. Immutable and `Sendable`: load once, share. Format: docs/places.md.
public struct Gazetteer: Sendable {
    // Records (column arrays, one element per record).
    @usableFromInline let nameStarts: [UInt32]  // count + 1
    @usableFromInline let nameBlob: [UInt8]
    // Small tables.
    public let countryCodes: [String]
    /// Record index of each country's own record (or -1).
    public let countryRecord: [Int32]
    public let admin1Names: [String]
    /// Record index of each admin1 division's own record (or -1).
    public let admin1Record: [Int32]
    public let featureCodes: [String]
    // Name index: sorted phrase keys, postings ranges, postings.
    @usableFromInline let keys: [UInt64]
    /// postStart[e] & 0x7FFF_FFFF = first posting of entry e; the high bit = a longer name starts with it.
    @usableFromInline let postStart: [UInt32]
    /// Posting = record << 2 | NameKind.
    @usableFromInline let postings: [UInt32]
    // Built at load.
    /// The record columns packed row-wise (24 bytes a record): resolution reads several fields of
    /// one record at a time, so one cache line serves them all.
    @usableFromInline let records: [Record]
    /// Tables derived on first use (one set per loaded gazetteer, shared by its copies).
    let derived = DerivedTables()

    @usableFromInline
    struct Record: Sendable {
        @usableFromInline var lat: Float
        @usableFromInline var lon: Float
        @usableFromInline var population: UInt32
        @usableFromInline var id: Int32
        @usableFromInline var country: UInt16
        @usableFromInline var admin1: UInt16
        @usableFromInline var feature: UInt8
        @usableFromInline var precision: UInt8
    }
    /// Open-addressing slots: key fingerprint (high 40 bits) | entry + 1 (low 24 bits); 0 = empty.
    @usableFromInline let slots: [UInt64]
    @usableFromInline let mask: Int
    /// A key's home slot is its top bits (`key >> shift`): keys are uniform hashes, and inserting
    /// them in sorted order at load fills the table front to back.
    @usableFromInline let shift: UInt64

    public static let magic: [UInt8] = Array("SGAZ0001".utf8)
    /// File name of the bundled resource.
    public static let resourceName = "gazetteer.sgaz"

    public var count: Int { records.count }

    // MARK: keys

    /// Folds one more token key into a phrase key.
    @inlinable
    public static func extend(_ h: UInt64, _ tokenKey: UInt64) -> UInt64 {
        var x = (h ^ tokenKey) &* 0x9E37_79B9_7F4A_7C15
        x ^= x >> 29
        return x == 0 ? 1 : x
    }

    /// The phrase key of a token-key sequence.
    public static func phraseKey(_ tokenKeys: [UInt64]) -> UInt64 {
        var h: UInt64 = 0x5851_F42D_4C95_7F2D
        for k in tokenKeys { h = extend(h, k) }
        return h
    }

    /// The seed every phrase key starts from.
    public static let seed: UInt64 = 0x5851_F42D_4C95_7F2D

    // MARK: lookup

    /// The index entry of a phrase key, or nil.
    @inlinable
    public func entry(_ key: UInt64) -> Int? {
        entryImpl(key)
    }

    @inlinable
    func entryImpl(_ key: UInt64) -> Int? {
        var slot = Int(truncatingIfNeeded: key >> shift)
        let print = key >> 24
        while true {
            let v = slots[slot]
            if v == 0 { return nil }
            if v >> 24 == print {
                let e = Int(v & 0xFF_FFFF) - 1
                if keys[e] == key { return e }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Whether a longer indexed name starts with the entry's phrase.
    @inlinable public func hasLonger(_ entry: Int) -> Bool { postStart[entry] & 0x8000_0000 != 0 }

    /// Whether any record carries exactly this phrase (not only longer names starting with it).
    @inlinable public func hasPostings(_ entry: Int) -> Bool {
        postStart[entry + 1] & 0x7FFF_FFFF > postStart[entry] & 0x7FFF_FFFF
    }

    /// The best record of an entry (postings are sorted by prior), without allocating.
    @inlinable public func topRecord(_ entry: Int) -> Int? {
        let lo = Int(postStart[entry] & 0x7FFF_FFFF)
        let hi = Int(postStart[entry + 1] & 0x7FFF_FFFF)
        return hi > lo ? Int(postings[lo] >> 2) : nil
    }

    /// Where an entry's postings lie (indices for `posting(at:)`), at most `limit` of them: the
    /// allocation-free form of `postings(_:limit:)`.
    @inlinable public func postingRange(_ entry: Int, limit: Int = Int.max) -> Range<Int> {
        let lo = Int(postStart[entry] & 0x7FFF_FFFF)
        let end = Int(postStart[entry + 1] & 0x7FFF_FFFF)
        return lo..<(end - lo > limit ? lo + max(0, limit) : end)
    }

    /// One posting (an index of `postingRange`): its record and how the name is attached.
    @inlinable public func posting(at i: Int) -> (record: Int, kind: NameKind) {
        let p = postings[i]
        // (a switch, not `init(rawValue:)`: that is a call from another module)
        let kind: NameKind
        switch p & 3 {
        case 0: kind = .primary
        case 2: kind = .curated
        default: kind = .alternate
        }
        return (Int(p >> 2), kind)
    }

    /// The postings of an entry: (record, how the name is attached).
    public func postings(_ entry: Int, limit: Int = Int.max) -> [(record: Int, kind: NameKind)] {
        let lo = Int(postStart[entry] & 0x7FFF_FFFF)
        let end = Int(postStart[entry + 1] & 0x7FFF_FFFF)
        let hi = end - lo > limit ? lo + max(0, limit) : end
        var out: [(record: Int, kind: NameKind)] = []
        out.reserveCapacity(hi - lo)
        for p in postings[lo..<hi] {
            out.append((Int(p >> 2), NameKind(rawValue: UInt8(p & 3)) ?? .alternate))
        }
        return out
    }

    /// Records whose names include this phrase (slow path: tokenizes the text).
    public func lookup(_ name: String) -> [(record: Int, kind: NameKind)] {
        guard let e = entry(Gazetteer.phraseKey(TokenTrie<Int>.keys(of: name))) else { return [] }
        return postings(e)
    }

    // MARK: prior

    /// The context-free prior of a record under a name: log population, plus status (country,
    /// region, capital, division seat), minus a penalty for alternate names of small places.
    /// Postings are stored sorted by it, best first.
    public static func prior(population: Int, precision: GazetteerPrecision, featureCode: String, kind: NameKind) -> Double {
        var s = log10(Double(population) + 10)
        switch precision {
        case .country: s += 3
        case .region: s = max(s, 6) + 2
        case .admin1: s -= 0.5  // the population is the sum of member places: an overestimate
        case .admin2: s += 0.2
        case .settlement:
            switch featureCode {
            case "PPLC": s += 1.5
            case "PPLA": s += 0.8
            case "PPLA2": s += 0.3
            default: break
            }
        }
        if kind == .alternate && population < 1_000_000 { s -= 2.5 }
        return s
    }

    // MARK: record fields

    public func name(_ r: Int) -> String {
        let lo = Int(nameStarts[r]), hi = Int(nameStarts[r + 1])
        return String(decoding: nameBlob[lo..<hi], as: UTF8.self)
    }

    @inlinable public func geonameid(_ r: Int) -> Int? { records[r].id > 0 ? Int(records[r].id) : nil }
    @inlinable public func precision(_ r: Int) -> GazetteerPrecision {
        // (a switch, not `init(rawValue:)`: that is a call from another module)
        switch records[r].precision {
        case 1: .admin2
        case 2: .admin1
        case 3: .country
        case 4: .region
        default: .settlement
        }
    }
    /// Index into `featureCodes`.
    @inlinable public func featureSlot(_ r: Int) -> Int { Int(records[r].feature) }
    public func featureCode(_ r: Int) -> String { featureCodes[Int(records[r].feature)] }
    public func countryCode(_ r: Int) -> String? {
        let c = Int(records[r].country)
        return c < countryCodes.count && !countryCodes[c].isEmpty ? countryCodes[c] : nil
    }
    /// Index into `countryCodes` (0 = none).
    @inlinable public func country(_ r: Int) -> Int { Int(records[r].country) }
    /// Index into `admin1Names` (0xFFFF = none).
    @inlinable public func admin1(_ r: Int) -> Int { Int(records[r].admin1) }
    public func admin1Name(_ r: Int) -> String? {
        let a = Int(records[r].admin1)
        return a < admin1Names.count ? admin1Names[a] : nil
    }
    @inlinable public func population(_ r: Int) -> Int { Int(records[r].population) }
    @inlinable public func lat(_ r: Int) -> Double { Double(records[r].lat) }
    @inlinable public func lon(_ r: Int) -> Double { Double(records[r].lon) }

    /// Great-circle distance in km between two records.
    public func distanceKm(_ a: Int, _ b: Int) -> Double {
        Gazetteer.distanceKm(lat(a), lon(a), lat(b), lon(b))
    }

    public static func distanceKm(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let r = Double.pi / 180
        let dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r
        let a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * r) * cos(lat2 * r) * sin(dlon / 2) * sin(dlon / 2)
        return 6371 * 2 * atan2(a.squareRoot(), (1 - a).squareRoot())
    }

    // MARK: loading

    /// The bundled gazetteer (built by `sitrep gazetteer build`).
    public static func bundled() throws -> Gazetteer {
        guard let root = LanguageResources.locateRoot(Bundle.module, probe: resourceName) else {
            throw GazetteerError(file: resourceName, reason: "the bundled gazetteer resource is missing")
        }
        return try load(path: root.appendingPathComponent(resourceName).path)
    }

    /// Loads a gazetteer file with one read.
    public static func load(path: String) throws -> Gazetteer {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw GazetteerError(file: path, reason: "cannot read the gazetteer file: \(error.localizedDescription)")
        }
        return try data.withUnsafeBytes { raw in
            var reader = BinaryReader(raw: raw, file: path)
            return try Gazetteer(reading: &reader)
        }
    }

    init(reading r: inout BinaryReader) throws {
        let magic: [UInt8] = try r.array(UInt8.self, count: 8)
        guard magic == Gazetteer.magic else {
            throw GazetteerError(file: r.file, reason: "not a sitrep gazetteer (bad magic)")
        }
        let n = Int(try r.scalar(UInt32.self))
        let blobCount = Int(try r.scalar(UInt32.self))
        let keyCount = Int(try r.scalar(UInt32.self))
        let postingCount = Int(try r.scalar(UInt32.self))
        let tablesCount = Int(try r.scalar(UInt32.self))
        let idsAt = try r.skip(Int32.self, count: n)
        let latsAt = try r.skip(Float.self, count: n)
        let lonsAt = try r.skip(Float.self, count: n)
        let popsAt = try r.skip(UInt32.self, count: n)
        let nameStarts = try r.array(UInt32.self, count: n + 1)
        let countryAt = try r.skip(UInt16.self, count: n)
        let admin1At = try r.skip(UInt16.self, count: n)
        let featureAt = try r.skip(UInt8.self, count: n)
        let precisionAt = try r.skip(UInt8.self, count: n)
        // Pack the columns row-wise straight from the file bytes.
        let raw = r.raw
        let packed = [Record](unsafeUninitializedCapacity: n) { buf, initialized in
            for i in 0..<n {
                buf[i] = Record(
                    lat: raw.loadUnaligned(fromByteOffset: latsAt + 4 * i, as: Float.self),
                    lon: raw.loadUnaligned(fromByteOffset: lonsAt + 4 * i, as: Float.self),
                    population: raw.loadUnaligned(fromByteOffset: popsAt + 4 * i, as: UInt32.self),
                    id: raw.loadUnaligned(fromByteOffset: idsAt + 4 * i, as: Int32.self),
                    country: raw.loadUnaligned(fromByteOffset: countryAt + 2 * i, as: UInt16.self),
                    admin1: raw.loadUnaligned(fromByteOffset: admin1At + 2 * i, as: UInt16.self),
                    feature: raw[featureAt + i],
                    precision: raw[precisionAt + i])
            }
            initialized = n
        }
        let nameBlob = try r.array(UInt8.self, count: blobCount)
        let keys = try r.array(UInt64.self, count: keyCount)
        let postStart = try r.array(UInt32.self, count: keyCount + 1)
        let postings = try r.array(UInt32.self, count: postingCount)
        let tableBytes: [UInt8] = try r.array(UInt8.self, count: tablesCount)
        // Small tables: sections separated by \u{1}, entries by \n, fields by \t.
        let sections = String(decoding: tableBytes, as: UTF8.self).split(
            separator: "\u{1}", omittingEmptySubsequences: false)
        guard sections.count == 3 else { throw GazetteerError(file: r.file, reason: "bad table section") }
        var cc: [String] = [], cr: [Int32] = [], an: [String] = [], ar: [Int32] = []
        for line in sections[0].split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            cc.append(f.count > 0 ? String(f[0]) : "")
            cr.append(f.count > 1 ? Int32(f[1]) ?? -1 : -1)
        }
        for line in sections[1].split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            an.append(f.count > 0 ? String(f[0]) : "")
            ar.append(f.count > 1 ? Int32(f[1]) ?? -1 : -1)
        }
        let featureCodes = sections[2].split(separator: "\n").map(String.init)
        guard nameStarts.last.map({ Int($0) == blobCount }) ?? false,
            postStart.last.map({ Int($0 & 0x7FFF_FFFF) == postingCount }) ?? false
        else { throw GazetteerError(file: r.file, reason: "inconsistent section sizes") }
        for p in postings where Int(p >> 2) >= n {
            throw GazetteerError(file: r.file, reason: "posting points past the last record")
        }
        for i in 0..<n where Int(packed[i].feature) >= featureCodes.count || Int(packed[i].country) >= max(cc.count, 1) {
            throw GazetteerError(file: r.file, reason: "record \(i) has an out-of-range table index")
        }
        for i in 0..<n where nameStarts[i] > nameStarts[i + 1] {
            throw GazetteerError(file: r.file, reason: "record \(i) has a bad name range")
        }
        // Hash table over the keys.
        var cap = 1
        while cap < keyCount * 2 + 2 { cap <<= 1 }
        guard keyCount < 0xFF_FFFF else { throw GazetteerError(file: r.file, reason: "more than 16.7 million name keys") }
        var table = [UInt64](repeating: 0, count: cap)
        let m = cap - 1
        let shift = UInt64(64 - cap.trailingZeroBitCount)
        guard keys.indices.dropFirst().allSatisfy({ keys[$0 - 1] < keys[$0] }) else {
            throw GazetteerError(file: r.file, reason: "name keys are not sorted")
        }
        keys.withUnsafeBufferPointer { kp in
            table.withUnsafeMutableBufferPointer { tp in
                for e in 0..<keyCount {
                    let key = kp[e]
                    var slot = Int(truncatingIfNeeded: key >> shift)
                    while tp[slot] != 0 { slot = (slot + 1) & m }
                    tp[slot] = (key >> 24) << 24 | UInt64(e + 1)
                }
            }
        }
        self.nameStarts = nameStarts
        self.nameBlob = nameBlob
        self.keys = keys
        self.postStart = postStart
        self.postings = postings
        self.countryCodes = cc
        self.countryRecord = cr
        self.admin1Names = an
        self.admin1Record = ar
        self.featureCodes = featureCodes
        self.slots = table
        self.mask = m
        self.shift = shift
        self.records = packed
    }
}

/// Reads little-endian arrays out of a byte buffer, each section 8-byte aligned.
struct BinaryReader {
    let raw: UnsafeRawBufferPointer
    let file: String
    var offset = 0

    init(raw: UnsafeRawBufferPointer, file: String) {
        self.raw = raw
        self.file = file
    }

    /// Skips a section of `count` values, returning its byte offset.
    mutating func skip<T>(_ type: T.Type, count: Int) throws -> Int {
        let size = MemoryLayout<T>.stride * count
        guard count >= 0, offset + size <= raw.count else {
            throw GazetteerError(file: file, reason: "truncated at byte \(offset)")
        }
        let at = offset
        offset += (size + 7) & ~7
        return at
    }

    mutating func scalar<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let a: [T] = try array(T.self, count: 1)
        return a[0]
    }

    mutating func array<T>(_ type: T.Type, count: Int) throws -> [T] {
        let size = MemoryLayout<T>.stride * count
        guard count >= 0, offset + size <= raw.count else {
            throw GazetteerError(file: file, reason: "truncated at byte \(offset)")
        }
        let out = [T](unsafeUninitializedCapacity: count) { buf, initialized in
            if size > 0, let dst = buf.baseAddress, let src = raw.baseAddress {
                UnsafeMutableRawPointer(dst).copyMemory(from: src + offset, byteCount: size)
            }
            initialized = count
        }
        offset += (size + 7) & ~7
        return out
    }
}

/// Writes the sections `BinaryReader` reads.
struct BinaryWriter {
    var bytes: [UInt8] = []

    mutating func scalar<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
        pad()
    }

    mutating func array<T>(_ a: [T]) {
        a.withUnsafeBytes { bytes.append(contentsOf: $0) }
        pad()
    }

    mutating func pad() {
        while bytes.count % 8 != 0 { bytes.append(0) }
    }
}

extension Gazetteer {
    /// The second-level divisions whose names have this consonant skeleton
    /// (`NameSkeleton.consonants(name, minimumConsonants: 2)`), in record order. The table is
    /// built on first use, once per loaded gazetteer: most documents never ask.
    public func districts(withConsonants key: String) -> [Int] {
        let table = derived.consonantDistricts {
            var table: [String: [Int32]] = [:]
            for r in 0..<count where precision(r) == .admin2 {
                if let k = NameSkeleton.consonants(name(r), minimumConsonants: 2) { table[k, default: []].append(Int32(r)) }
            }
            return table
        }
        return (table[key] ?? []).map { Int($0) }
    }
}

/// Tables a gazetteer derives from its records on first use, built once under a lock. A
/// reference held by the gazetteer, so its copies share them and another gazetteer never sees them.
final class DerivedTables: @unchecked Sendable {
    private let lock = NSLock()
    private var consonantDistrictTable: [String: [Int32]]?

    func consonantDistricts(_ build: () -> [String: [Int32]]) -> [String: [Int32]] {
        lock.lock()
        defer { lock.unlock() }
        if let table = consonantDistrictTable { return table }
        let table = build()
        consonantDistrictTable = table
        return table
    }
}
