import SitrepAnnotate
import SitrepText

// The per-thread cache of rendered objects (actors, places, weapons, timexes, rules) and its keys.

extension AnalysisJSON {
    // MARK: shared objects

    /// The JSON of actor, place, weapon and timex objects written before, copied instead of
    /// written again: most mentions name a lexicon row or gazetteer entry already seen, in this
    /// line or an earlier one of the same thread.
    ///
    /// Actor and weapon references are immutable shared boxes (one per lexicon row, or per
    /// document for composed ones): they are keyed by the box's identity, and each table holds
    /// the box it rendered, so no box is freed and its address reused while it is cached. A
    /// rule string is keyed by its stored representation, a place or timex by the bits of its
    /// output fields (a string's stored representation: equal bits mean equal
    /// values, and the table holds the string, place or timex, so no storage is freed and reused while
    /// it is cached; equal values with unequal bits are merely written again). Keys are plain
    /// integers: computing and comparing them needs no reference counting.
    struct ObjectCache {
        var actors = RenderedTable<RecordKey, ActorRef>()
        var places = RenderedTable<PlaceKey, PlaceRef>()
        var weapons = RenderedTable<RecordKey, WeaponRef>()
        var times = RenderedTable<TimeKey, Timex>()
        var rules = RenderedTable<StringKey, String>()
        /// Mention tails (`AnalysisJSONTails.swift`): first byte the kind, then the JSON.
        var tails = RenderedTable<TailKey, TailHeld>()
        /// Claim heads (`{"claimant":…,"verb":…,"stance":…,"start":`), keyed by the claimant's
        /// box and the two words' storage.
        var claimHeads = RenderedTable<ClaimHeadKey, ClaimHeadHeld>()
        /// Casualty middles (`,"qualifier":…,"period":`), keyed by the four strings' storage.
        var casualtyMiddles = RenderedTable<CasualtyMiddleKey, CasualtyMiddleHeld>()
        /// Where a mention keeps its payload and rule.
        let tailLayout = TailLayout()
        /// Where events, casualties and claims keep their vocabulary strings.
        let words = WordOffsets()
        /// The scalar-offset position of the last mention written (mentions go in text order).
        var scalarHint = 0
        /// `AnalysisJSON.mentionRuleOffset`, read once (a static's every use goes through its
        /// one-time initializer); -1 when the layout cannot say.
        let mentionRuleOffset = AnalysisJSON.mentionRuleOffset ?? -1

        /// Starts a line (the tables bound themselves; the scalar position starts over).
        mutating func startLine() {
            scalarHint = 0
        }
    }

    /// Where the vocabulary strings of events, casualties and claims are stored (-1 when the
    /// layout cannot say): their cache keys are read in place, so a hit (nearly every one)
    /// neither copies nor releases the string.
    struct WordOffsets {
        let eventType, eventSubtype, eventStance: Int
        let casualtyOutcome, casualtyQualifier, casualtyScope: Int
        let claimVerb, claimStance, claimRule: Int
        /// Where a claim keeps its claimant (a single-reference struct: one word, the box's
        /// address), -1 when the layout cannot say.
        let claimClaimant: Int
        /// Where a casualty keeps its victims (a string) and side (an optional string: two words,
        /// nil a pattern of its own), -1 when the layout cannot say.
        let casualtyVictims, casualtySide: Int
        /// 0: a string array's element is read in place at its address.
        let element: Int
        /// Where a casualty keeps its provenance (-1 when the layout cannot say): written in
        /// place, not copied out of the casualty.
        let casualtyProvenance: Int

        init() {
            let strings = MemoryLayout<String>.size == 16
            func at<T>(_ path: PartialKeyPath<T>) -> Int {
                strings ? MemoryLayout<T>.offset(of: path) ?? -1 : -1
            }
            eventType = at(\Event.type)
            eventSubtype = at(\Event.subtype)
            eventStance = at(\Event.stance)
            casualtyOutcome = at(\Casualty.outcome)
            casualtyQualifier = at(\Casualty.qualifier)
            casualtyScope = at(\Casualty.scope)
            claimVerb = at(\Claim.verb)
            claimStance = at(\Claim.stance)
            claimRule = at(\Claim.rule)
            // a single-reference struct is one word: the box's address
            let oneWord = MemoryLayout<ActorRef>.size == 8
            claimClaimant = oneWord ? MemoryLayout<Claim>.offset(of: \Claim.claimant) ?? -1 : -1
            casualtyVictims = at(\Casualty.victims)
            casualtySide = MemoryLayout<String?>.size == 16 ? at(\Casualty.side) : -1
            element = strings ? 0 : -1
            casualtyProvenance = MemoryLayout<Casualty>.offset(of: \Casualty.provenance) ?? -1
        }
    }

    /// A key made of plain bits: equality and a hash over them.
    protocol BitsKey: Equatable {
        var hash: UInt64 { get }
    }

    /// Rendered JSON by key: an open-addressing table (slot → entry + 1, linear probing) over
    /// entries holding the key, the bytes' range in `bytes` and the object itself (which keeps
    /// the key's storage alive). Emptied when `limit` entries or `byteLimit` bytes are reached,
    /// so a stream of ever new objects costs bounded memory.
    struct RenderedTable<Key: BitsKey, Held> {
        static var slotCount: Int { 2048 }
        static var limit: Int { 1024 }
        static var byteLimit: Int { 1 << 20 }
        var table = [Int32](repeating: 0, count: slotCount)
        var keys: [Key] = []
        var ranges: [Range<Int>] = []
        var held: [Held] = []
        /// The rendered bytes: `0..<used` hold entries, the rest is room (zeros), so an insert
        /// copies into memory already there instead of appending through the collection path.
        var bytes: [UInt8] = []
        var used = 0

        /// The slot holding `key`, or the empty slot where it belongs.
        @inline(__always)
        func slot(_ key: Key) -> Int {
            let mask = Self.slotCount - 1
            var slot = Int(truncatingIfNeeded: key.hash >> 40) & mask
            table.withUnsafeBufferPointer { t in
                keys.withUnsafeBufferPointer { k in
                    while true {
                        let e = Int(t[slot])
                        if e == 0 || k[e - 1] == key { return }
                        slot = (slot + 1) & mask
                    }
                }
            }
            return slot
        }

        /// The entry of `key` (its index + 1), or 0 when it is not cached.
        @inline(__always)
        func entry(_ key: Key) -> Int {
            Int(table[slot(key)])
        }

        /// Appends the cached bytes of `key` to `w`; false when they are not cached.
        @inline(__always)
        func append(_ key: Key, _ w: inout JSONLine) -> Bool {
            let e = Int(table[slot(key)])
            guard e > 0 else { return false }
            let r = ranges[e - 1]
            bytes.withUnsafeBufferPointer { w.append(UnsafeBufferPointer(rebasing: $0[r])) }
            return true
        }

        /// Caches the bytes `w` holds from `start` as the JSON of `key`.
        mutating func insert(_ key: Key, _ value: Held, _ w: borrowing JSONLine, from start: Int) {
            insert(key, value, prefix: nil, w, from: start)
        }

        /// Caches `prefix` (when there is one) and the bytes `w` holds from `start` as the entry of `key`.
        mutating func insert(_ key: Key, _ value: Held, prefix: UInt8?, _ w: borrowing JSONLine, from start: Int) {
            if keys.count >= Self.limit || used >= Self.byteLimit {
                for i in table.indices { table[i] = 0 }
                keys.removeAll(keepingCapacity: true)
                ranges.removeAll(keepingCapacity: true)
                held.removeAll(keepingCapacity: true)
                used = 0
            }
            let s = slot(key)
            guard table[s] == 0 else { return }
            let from = used
            store(w.bytesWritten(start, w.byteCount), prefix: prefix)
            keys.append(key)
            ranges.append(from..<used)
            held.append(value)
            table[s] = Int32(keys.count)
        }

        /// Copies `prefix` (when there is one) and `src` to the end of the rendered bytes,
        /// growing the room by doubling.
        @inline(__always)
        mutating func store(_ src: UnsafeBufferPointer<UInt8>, prefix: UInt8?) {
            let need = src.count &+ (prefix == nil ? 0 : 1)
            if used &+ need > bytes.count {
                bytes.append(contentsOf: repeatElement(0, count: Swift.max(need, bytes.count, 4096)))
            }
            let at = used
            bytes.withUnsafeMutableBufferPointer { buffer in
                guard var d = buffer.baseAddress else { return }
                d += at
                if let prefix {
                    d.pointee = prefix
                    d += 1
                }
                if let s = src.baseAddress { d.update(from: s, count: src.count) }
            }
            used = at &+ need
        }
    }

    /// What one thread reuses from line to line: the object cache. (The line itself is written
    /// straight into the array returned.)
    final class LineScratch {
        var cache = ObjectCache()

        /// This thread's scratch.
        static var current: LineScratch { perThread.value }
        static let perThread = PerThread { LineScratch() }
    }

    /// A string's stored representation.
    @inline(__always)
    static func bits(_ s: String) -> (UInt64, UInt64) {
        unsafeBitCast(s, to: (UInt64, UInt64).self)
    }

    @inline(__always)
    static func bits(_ s: String?) -> (UInt64, UInt64, UInt64) {
        guard let s else { return (0, 0, 1) }
        let (a, b) = bits(s)
        return (a, b, 0)
    }

    /// A mix of words (tables use its top bits).
    @inline(__always)
    static func mix(_ h: UInt64, _ v: UInt64) -> UInt64 {
        let x = (h ^ v) &* 0x9E37_79B9_7F4A_7C15
        return x ^ (x >> 29)
    }

    /// The identity of a shared reference box (the table holding the box keeps it alive).
    struct RecordKey: BitsKey {
        var address: UInt64

        @inline(__always)
        init(_ record: AnyObject) {
            address = UInt64(UInt(bitPattern: ObjectIdentifier(record)))
        }

        var hash: UInt64 { AnalysisJSON.mix(address, 0x5851_F42D_4C95_7F2D) }
    }

    /// A place object's fields as stored: strings and optional strings as their two words,
    /// the optional geonameid as value and nil flag, doubles as bit patterns.
    struct PlaceKey: BitsKey {
        var name0, name1, geonameid, geonameidNil, country0, country1, countryNil: UInt64
        var admin0, admin1, adminNil, lat, lon, feature0, feature1, precision: UInt64

        @inline(__always)
        init(_ p: borrowing PlaceRef.Fields) {
            (name0, name1) = AnalysisJSON.bits(p.name)
            geonameid = UInt64(bitPattern: Int64(p.geonameid ?? 0))
            geonameidNil = p.geonameid == nil ? 1 : 0
            (country0, country1, countryNil) = AnalysisJSON.bits(p.country)
            (admin0, admin1, adminNil) = AnalysisJSON.bits(p.admin1)
            lat = p.lat.bitPattern
            lon = p.lon.bitPattern
            (feature0, feature1) = AnalysisJSON.bits(p.featureCode)
            precision = UInt64(unsafeBitCast(p.precision, to: UInt8.self))
        }

        var hash: UInt64 {
            var h = AnalysisJSON.mix(name0, name1)
            h = AnalysisJSON.mix(h, geonameid ^ (geonameidNil << 63))
            h = AnalysisJSON.mix(h, lat ^ (lon << 1))
            h = AnalysisJSON.mix(h, precision ^ (country1 << 3) ^ (countryNil << 9) ^ (adminNil << 10))
            return h
        }
    }

    /// A string's stored representation (the table holding the string keeps its storage alive).
    struct StringKey: BitsKey {
        var word0, word1: UInt64

        @inline(__always)
        init(_ s: String) {
            (word0, word1) = AnalysisJSON.bits(s)
        }

        /// The key of the string whose two words are these (read in place).
        @inline(__always)
        init(word0: UInt64, word1: UInt64) {
            self.word0 = word0
            self.word1 = word1
        }

        var hash: UInt64 { AnalysisJSON.mix(word0, word1) }
    }

    /// A timex object's output fields (type, value, mod): its range and precision are not written.
    struct TimeKey: BitsKey {
        var type, value0, value1, mod0, mod1, modNil: UInt64

        @inline(__always)
        init(_ t: Timex) {
            type = UInt64(unsafeBitCast(t.type, to: UInt8.self))
            (value0, value1) = AnalysisJSON.bits(t.value)
            (mod0, mod1, modNil) = AnalysisJSON.bits(t.mod)
        }

        var hash: UInt64 { AnalysisJSON.mix(AnalysisJSON.mix(value0, value1 ^ type), mod0 ^ (mod1 << 1) ^ (modNil << 5)) }
    }
}
