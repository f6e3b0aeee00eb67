#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SitrepAnnotate
import SitrepText

/// Writes an analysis as one line of the extract contract (`shared/docs/extract-format.md`),
/// fields in the contract's order, offsets as Unicode scalar offsets. Extensions: `title`,
/// `source`, `url`, `publishedEstimate`, `boilerplate`, and `rule` provenance on every item.
///
/// The record's shape is fixed, so it is written as precomputed fragments (`,"start":`) and
/// values straight into the returned array's memory, sized up front: no separator bookkeeping,
/// no intermediate Strings, no copy of the mention lists or of the finished line.
public enum AnalysisJSON {
    public static func line(_ a: Analysis) -> [UInt8] {
        let scratch = LineScratch.current
        scratch.cache.startLine()
        return JSONLine.build(capacity: estimatedSize(a)) { w in write(a, &w, &scratch.cache) }
    }

    /// Writes the record (without its newline) into `w`.
    static func write(_ a: Analysis, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        let doc = a.document
        w.raw("{\"id\":")
        w.string(a.article.id)
        w.raw(",\"published\":")
        w.string(a.article.published)
        w.raw(",\"title\":")
        w.string(a.article.title)
        w.raw(",\"source\":")
        w.string(a.article.source)
        w.raw(",\"url\":")
        w.string(a.article.url)
        w.raw(",\"text\":")
        w.string(a.article.text)
        if let e = a.annotations.publishedEstimate {
            w.raw(",\"publishedEstimate\":{\"value\":")
            w.string(e.value)
            w.raw(",\"precision\":")
            w.raw(quoted(e.precision))
            w.raw(",\"basis\":")
            w.string(e.basis)
            w.raw(byte: 0x7D)
        }

        w.raw(",\"mentions\":[")
        mentions(a.annotations, doc, &w, &cache)
        // elements read in place through their addresses (`pointee` lends the element; an array's
        // `enumerated()` or a buffer's subscript copies it, retaining every string in it)
        w.raw("],\"events\":[")
        a.events.withUnsafeBufferPointer { list in
            for k in list.indices {
                if k > 0 { w.raw(byte: 0x2C) }
                if let base = list.baseAddress { event(base + k, doc, &w, &cache) }
            }
        }
        w.raw("],\"casualties\":[")
        a.casualties.withUnsafeBufferPointer { list in
            for k in list.indices {
                if k > 0 { w.raw(byte: 0x2C) }
                if let base = list.baseAddress { casualty(base + k, doc, &w, &cache) }
            }
        }
        w.raw("],\"claims\":[")
        a.claims.withUnsafeBufferPointer { list in
            for k in list.indices {
                if k > 0 { w.raw(byte: 0x2C) }
                if let base = list.baseAddress { claim(base + k, doc, &w, &cache) }
            }
        }
        w.raw("],\"boilerplate\":[")
        for (k, b) in doc.boilerplate.enumerated() {
            if k > 0 { w.raw(byte: 0x2C) }
            w.raw("{\"start\":")
            w.int(doc.offsets.scalar(b.span.start))
            w.raw(",\"end\":")
            w.int(doc.offsets.scalar(b.span.end))
            w.raw(",\"reason\":")
            w.string(b.reason)
            w.raw(",\"rule\":")
            w.string(b.rule)
            w.raw(byte: 0x7D)
        }
        w.raw("]}")
    }

    /// An upper estimate of the line's length, so the buffer is allocated once: the text (with
    /// room for escapes) plus a generous size per item.
    static func estimatedSize(_ a: Analysis) -> Int {
        let n = a.annotations
        let mentions = n.times.count + n.places.count + n.actors.count + n.weapons.count
        return a.article.text.utf8.count * 5 / 4 + 1024 + mentions * 400 + a.events.count * 1600
            + a.casualties.count * 900 + a.claims.count * 600 + a.document.boilerplate.count * 160
    }

    // MARK: mentions

    /// Writes all mentions in output order (by span, then kind name), merging the four sorted
    /// lists in place instead of concatenating and sorting copies. Falls back to
    /// `Annotations.all` if a list is out of order or holds another kind.
    static func mentions(_ n: Annotations, _ doc: Document, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        guard mergeable(n) else {
            for (k, m) in n.all.enumerated() {
                if k > 0 { w.raw(byte: 0x2C) }
                withUnsafePointer(to: m) { mention(at: $0, doc, &w, &cache) }
            }
            return
        }
        n.actors.withUnsafeBufferPointer { actors in
            n.places.withUnsafeBufferPointer { places in
                n.times.withUnsafeBufferPointer { times in
                    n.weapons.withUnsafeBufferPointer { weapons in
                        merge(actors, places, times, weapons, doc, &w, &cache)
                    }
                }
            }
        }
    }

    /// The merge of `mentions`, over the lists read in place.
    static func merge(_ actors: UnsafeBufferPointer<Mention>, _ places: UnsafeBufferPointer<Mention>,
                      _ times: UnsafeBufferPointer<Mention>, _ weapons: UnsafeBufferPointer<Mention>,
                      _ doc: Document, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        // lists in kind-name order: actor < place < time < weapon
        var ia = 0, ip = 0, it = 0, iw = 0
        let na = actors.count, np = places.count, nt = times.count, nw = weapons.count
        var first = true
        while true {
            // the smallest head; on equal spans the earlier list (smaller kind name) wins
            var best = -1
            var bestSpan = Span(0, 0)
            if ia < na {
                best = 0
                bestSpan = actors[ia].span
            }
            if ip < np, best < 0 || places[ip].span < bestSpan {
                best = 1
                bestSpan = places[ip].span
            }
            if it < nt, best < 0 || times[it].span < bestSpan {
                best = 2
                bestSpan = times[it].span
            }
            if iw < nw, best < 0 || weapons[iw].span < bestSpan {
                best = 3
            }
            if best < 0 { break }
            if !first { w.raw(byte: 0x2C) }
            first = false
            switch best {
            case 0:
                if let base = actors.baseAddress { mention(at: base + ia, doc, &w, &cache) }
                ia += 1
            case 1:
                if let base = places.baseAddress { mention(at: base + ip, doc, &w, &cache) }
                ip += 1
            case 2:
                if let base = times.baseAddress { mention(at: base + it, doc, &w, &cache) }
                it += 1
            default:
                if let base = weapons.baseAddress { mention(at: base + iw, doc, &w, &cache) }
                iw += 1
            }
        }
    }

    /// True when every list is sorted by span and holds only its own kind.
    static func mergeable(_ n: Annotations) -> Bool {
        // read in place through addresses: iterating the array would copy every mention
        func check(_ list: [Mention], _ kind: Int) -> Bool {
            list.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return true }
                var previous: Span?
                for i in 0..<buffer.count {
                    let m = base + i
                    let k: Int
                    switch m.pointee.payload {
                    case .actor: k = 0
                    case .place: k = 1
                    case .time: k = 2
                    case .weapon: k = 3
                    }
                    if k != kind { return false }
                    let span = m.pointee.span
                    if let p = previous, span < p { return false }
                    previous = span
                }
                return true
            }
        }
        return check(n.actors, 0) && check(n.places, 1) && check(n.times, 2) && check(n.weapons, 3)
    }

    /// A mention read in place (through its address: a buffer pointer's subscript would copy
    /// the whole mention). Its payload's references are single shared boxes, so binding them
    /// costs a retain each; their JSON comes from the cache when the same box was written before.
    static func mention(at m: UnsafePointer<Mention>, _ doc: Document, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        switch m.pointee.payload {
        case .time(let t):
            w.raw("{\"kind\":\"time\",\"start\":")
            spanAndText(m.pointee.span, doc, &w, &cache.scalarHint)
            w.raw(",\"timex\":")
            let key = TimeKey(t)
            if !cache.times.append(key, &w) {
                let start = w.byteCount
                timex(t, &w)
                cache.times.insert(key, t, w, from: start)
            }
        case .place(let p, let aliases):
            w.raw("{\"kind\":\"place\",\"start\":")
            spanAndText(m.pointee.span, doc, &w, &cache.scalarHint)
            w.raw(",\"place\":")
            place(p, aliases: aliases, &w, &cache)
        case .actor(let a):
            w.raw("{\"kind\":\"actor\",\"start\":")
            spanAndText(m.pointee.span, doc, &w, &cache.scalarHint)
            w.raw(",\"actor\":")
            actor(a, &w, &cache)
        case .weapon(let x):
            w.raw("{\"kind\":\"weapon\",\"start\":")
            spanAndText(m.pointee.span, doc, &w, &cache.scalarHint)
            w.raw(",\"weapon\":")
            weapon(x, &w, &cache)
        }
        w.raw(",\"rule\":")
        rule(m.pointee.rule, &w, &cache)
        w.raw(byte: 0x7D)
    }

    /// A rule (provenance) string through the cache: rules are lexicon rows' provenance or texts
    /// built once per document, each written many times.
    @inline(__always)
    static func rule(_ s: String, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        let key = StringKey(s)
        if cache.rules.append(key, &w) { return }
        let start = w.byteCount
        w.string(s)
        cache.rules.insert(key, s, w, from: start)
    }

    /// A timex object: `type`, `value`, and `mod` when there is one.
    static func timex(_ t: Timex, _ w: inout JSONLine) {
        w.raw("{\"type\":")
        w.raw(quoted(t.type))
        w.raw(",\"value\":")
        w.string(t.value)
        if let mod = t.mod {
            w.raw(",\"mod\":")
            w.string(mod)
        }
        w.raw(byte: 0x7D)
    }

    /// `start` (its key already written), `end` and `text` of a mention.
    static func spanAndText(_ span: Span, _ doc: Document, _ w: inout JSONLine, _ hint: inout Int) {
        w.int(doc.offsets.scalar(span.start, hint: &hint))
        w.raw(",\"end\":")
        w.int(doc.offsets.scalar(span.end, hint: &hint))
        w.raw(",\"text\":")
        text(span, doc, &w)
    }

    /// The document's bytes at `span` as a JSON string (read in place, no array slice).
    static func text(_ span: Span, _ doc: Document, _ w: inout JSONLine) {
        doc.bytes.withUnsafeBufferPointer { bytes in
            let start = Swift.max(0, Swift.min(span.start, bytes.count))
            let end = Swift.max(start, Swift.min(span.end, bytes.count))
            w.string(utf8: UnsafeBufferPointer(rebasing: bytes[start..<end]))
        }
    }

    // MARK: events, casualties, claims

    static func event(_ e: UnsafePointer<Event>, _ doc: Document, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        w.raw("{\"type\":")
        w.string(e.pointee.type)
        w.raw(",\"subtype\":")
        w.string(e.pointee.subtype)
        w.raw(",\"actor1\":")
        actor(e.pointee.actor1, &w, &cache)
        w.raw(",\"actor2\":")
        actor(e.pointee.actor2, &w, &cache)
        w.raw(",\"date\":")
        date(e.pointee.date, &w)
        w.raw(",\"location\":")
        if let p = e.pointee.location { place(p, aliases: [], &w, &cache) } else { w.null() }
        w.raw(",\"weapons\":[")
        e.pointee.weapons.withUnsafeBufferPointer { list in
            for k in list.indices {
                if k > 0 { w.raw(byte: 0x2C) }
                weapon(list[k], &w, &cache)
            }
        }
        w.raw("],\"fatalities\":")
        figure(e.pointee.fatalities, &w)
        w.raw(",\"claimant\":")
        actor(e.pointee.claimant, &w, &cache)
        w.raw(",\"stance\":")
        w.string(e.pointee.stance)
        w.raw(",\"evidence\":[")
        for (k, s) in e.pointee.evidence.enumerated() {
            if k > 0 { w.raw(byte: 0x2C) }
            w.raw("{\"start\":")
            w.int(doc.offsets.scalar(s.start))
            w.raw(",\"end\":")
            w.int(doc.offsets.scalar(s.end))
            w.raw(byte: 0x7D)
        }
        w.raw("],\"casualties\":[")
        for (k, i) in e.pointee.casualties.enumerated() {
            if k > 0 { w.raw(byte: 0x2C) }
            w.int(i)
        }
        w.raw("],\"rules\":[")
        e.pointee.rules.withUnsafeBufferPointer { list in
            for k in list.indices {
                if k > 0 { w.raw(byte: 0x2C) }
                rule(list[k], &w, &cache)
            }
        }
        w.raw("]}")
    }

    static func casualty(_ c: UnsafePointer<Casualty>, _ doc: Document, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        w.raw("{\"outcome\":")
        w.string(c.pointee.outcome)
        w.raw(",\"low\":")
        w.int(c.pointee.low)
        w.raw(",\"best\":")
        w.int(c.pointee.best)
        w.raw(",\"high\":")
        w.int(c.pointee.high)
        w.raw(",\"qualifier\":")
        w.string(c.pointee.qualifier)
        w.raw(",\"victims\":")
        w.string(c.pointee.victims)
        w.raw(",\"side\":")
        w.string(c.pointee.side)
        w.raw(",\"scope\":")
        w.string(c.pointee.scope)
        w.raw(",\"period\":")
        date(c.pointee.period, &w)
        w.raw(",\"claimant\":")
        actor(c.pointee.claimant, &w, &cache)
        w.raw(",\"start\":")
        w.int(doc.offsets.scalar(c.pointee.span.start))
        w.raw(",\"end\":")
        w.int(doc.offsets.scalar(c.pointee.span.end))
        w.raw(",\"figure\":")
        text(c.pointee.figureSpan, doc, &w)
        w.raw(",\"rule\":")
        rule(c.pointee.rule, &w, &cache)
        w.raw(byte: 0x7D)
    }

    static func claim(_ c: UnsafePointer<Claim>, _ doc: Document, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        w.raw("{\"claimant\":")
        actor(c.pointee.claimant, &w, &cache)
        w.raw(",\"verb\":")
        w.string(c.pointee.verb)
        w.raw(",\"stance\":")
        w.string(c.pointee.stance)
        w.raw(",\"start\":")
        w.int(doc.offsets.scalar(c.pointee.content.start))
        w.raw(",\"end\":")
        w.int(doc.offsets.scalar(c.pointee.content.end))
        w.raw(",\"about\":")
        switch c.pointee.about {
        case .event(let i)?:
            w.raw("{\"event\":")
            w.int(i)
            w.raw(byte: 0x7D)
        case .casualty(let i)?:
            w.raw("{\"casualty\":")
            w.int(i)
            w.raw(byte: 0x7D)
        case nil:
            w.null()
        }
        w.raw(",\"denies\":")
        w.int(c.pointee.denies)
        w.raw(",\"claimantSpan\":{\"start\":")
        w.int(doc.offsets.scalar(c.pointee.claimantSpan.start))
        w.raw(",\"end\":")
        w.int(doc.offsets.scalar(c.pointee.claimantSpan.end))
        w.raw("},\"rule\":")
        rule(c.pointee.rule, &w, &cache)
        w.raw(byte: 0x7D)
    }

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
        /// The scalar-offset position of the last mention written (mentions go in text order).
        var scalarHint = 0

        /// Starts a line (the tables bound themselves; the scalar position starts over).
        mutating func startLine() {
            scalarHint = 0
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
        var bytes: [UInt8] = []

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
            if keys.count >= Self.limit || bytes.count >= Self.byteLimit {
                for i in table.indices { table[i] = 0 }
                keys.removeAll(keepingCapacity: true)
                ranges.removeAll(keepingCapacity: true)
                held.removeAll(keepingCapacity: true)
                bytes.removeAll(keepingCapacity: true)
            }
            let s = slot(key)
            guard table[s] == 0 else { return }
            let from = bytes.count
            w.copyBytes(start, w.byteCount, into: &bytes)
            keys.append(key)
            ranges.append(from..<bytes.count)
            held.append(value)
            table[s] = Int32(keys.count)
        }
    }

    /// What one thread reuses from line to line: the object cache. (The line itself is written
    /// straight into the array returned.)
    final class LineScratch {
        var cache = ObjectCache()

        /// This thread's scratch (made on first use, released when the thread ends).
        static var current: LineScratch {
            if let p = pthread_getspecific(key) {
                return Unmanaged<LineScratch>.fromOpaque(p).takeUnretainedValue()
            }
            let scratch = LineScratch()
            pthread_setspecific(key, Unmanaged.passRetained(scratch).toOpaque())
            return scratch
        }

        static let key: pthread_key_t = {
            var key = pthread_key_t()
            pthread_key_create(&key) { p in
                if let p { Unmanaged<LineScratch>.fromOpaque(p).release() }
            }
            return key
        }()
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

    /// Writes an actor object (or null) through the cache, keyed by its shared box.
    @inline(__always)
    static func actor(_ a: ActorRef?, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        guard let a else { return w.null() }
        let key = RecordKey(a.record)
        if cache.actors.append(key, &w) { return }
        actorMiss(a, key, &w, &cache)
    }

    @inline(never)
    static func actorMiss(_ a: ActorRef, _ key: RecordKey, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        let start = w.byteCount
        actor(a, &w)
        cache.actors.insert(key, a, w, from: start)
    }

    /// Writes a place object through the cache (keyed by the bits of its fields: a gazetteer
    /// record's place is boxed anew per document; a place with aliases, rare, is written out).
    static func place(_ p: PlaceRef, aliases: [String], _ w: inout JSONLine, _ cache: inout ObjectCache) {
        guard aliases.isEmpty else { return place(p, aliases: aliases, &w) }
        let key = PlaceKey(p.record.fields)
        if cache.places.append(key, &w) { return }
        let start = w.byteCount
        place(p, aliases: aliases, &w)
        cache.places.insert(key, p, w, from: start)
    }

    /// Writes a weapon object through the cache, keyed by its shared box.
    static func weapon(_ x: WeaponRef, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        let key = RecordKey(x.record)
        if cache.weapons.append(key, &w) { return }
        let start = w.byteCount
        weapon(x, &w)
        cache.weapons.insert(key, x, w, from: start)
    }

    /// `"…"` of a raw value, precomputed (the raw values are plain ASCII: nothing to escape).
    static func quoted(_ t: TimexType) -> StaticString {
        switch t {
        case .date: "\"DATE\""
        case .time: "\"TIME\""
        case .duration: "\"DURATION\""
        case .set: "\"SET\""
        }
    }

    static func quoted(_ p: PlaceRef.Precision) -> StaticString {
        switch p {
        case .settlement: "\"settlement\""
        case .admin2: "\"admin2\""
        case .admin1: "\"admin1\""
        case .country: "\"country\""
        case .region: "\"region\""
        }
    }

    static func quoted(_ k: ActorRef.Kind) -> StaticString {
        switch k {
        case .stateMilitary: "\"state-military\""
        case .government: "\"government\""
        case .deFactoAuthority: "\"de-facto-authority\""
        case .armedGroup: "\"armed-group\""
        case .internationalOrg: "\"international-org\""
        case .ngo: "\"ngo\""
        case .media: "\"media\""
        case .person: "\"person\""
        case .civilians: "\"civilians\""
        case .unidentifiedSources: "\"unidentified-sources\""
        case .other: "\"other\""
        }
    }

    static func quoted(_ d: DatePrecision) -> StaticString {
        switch d {
        case .day: "\"day\""
        case .week: "\"week\""
        case .month: "\"month\""
        case .quarter: "\"quarter\""
        case .season: "\"season\""
        case .year: "\"year\""
        case .decade: "\"decade\""
        case .century: "\"century\""
        case .unknown: "\"unknown\""
        }
    }

    static func place(_ p: PlaceRef, aliases: [String], _ w: inout JSONLine) {
        w.raw("{\"name\":")
        w.string(p.name)
        w.raw(",\"geonameid\":")
        w.int(p.geonameid)
        w.raw(",\"country\":")
        w.string(p.country)
        w.raw(",\"admin1\":")
        w.string(p.admin1)
        w.raw(",\"lat\":")
        w.coordinate(p.lat)
        w.raw(",\"lon\":")
        w.coordinate(p.lon)
        w.raw(",\"featureCode\":")
        w.string(p.featureCode)
        w.raw(",\"precision\":")
        w.raw(quoted(p.precision))
        if !aliases.isEmpty {
            w.raw(",\"aliases\":[")
            for (k, a) in aliases.enumerated() {
                if k > 0 { w.raw(byte: 0x2C) }
                w.string(a)
            }
            w.raw(byte: 0x5D)
        }
        w.raw(byte: 0x7D)
    }

    static func actor(_ a: ActorRef, _ w: inout JSONLine) {
        w.raw("{\"id\":")
        w.string(a.id)
        w.raw(",\"name\":")
        w.string(a.name)
        w.raw(",\"country\":")
        w.string(a.country)
        w.raw(",\"kind\":")
        w.raw(quoted(a.kind))
        w.raw(byte: 0x7D)
    }

    static func weapon(_ x: WeaponRef, _ w: inout JSONLine) {
        w.raw("{\"name\":")
        w.string(x.name)
        w.raw(",\"class\":")
        w.string(x.class)
        w.raw(byte: 0x7D)
    }

    static func date(_ d: EventDate?, _ w: inout JSONLine) {
        guard let d else { return w.null() }
        w.raw("{\"start\":")
        calendarDate(d.start, &w)
        w.raw(",\"end\":")
        calendarDate(d.end, &w)
        w.raw(",\"precision\":")
        w.raw(quoted(d.precision))
        w.raw(byte: 0x7D)
    }

    /// `CalendarDate.description` (`YYYY-MM-DD`), written without making a String.
    static func calendarDate(_ d: CalendarDate, _ w: inout JSONLine) {
        w.date(year: d.year, month: d.month, day: d.day)
    }

    static func figure(_ f: Figure?, _ w: inout JSONLine) {
        guard let f else { return w.null() }
        w.raw("{\"low\":")
        w.int(f.low)
        w.raw(",\"best\":")
        w.int(f.best)
        w.raw(",\"high\":")
        w.int(f.high)
        w.raw(byte: 0x7D)
    }
}
