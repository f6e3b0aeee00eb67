import SitrepAnnotate
import SitrepText

// Mentions of the analysis line: the four sorted lists merged in place, each mention read
// through its address.

extension AnalysisJSON {
    // MARK: mentions

    /// Writes all mentions in output order (by span, then kind name), merging the four sorted
    /// lists in place instead of concatenating and sorting copies. Falls back to
    /// `Annotations.all` if a list is out of order or holds another kind.
    static func mentions(_ n: Annotations, _ doc: DocView, _ w: inout JSONLine, _ cache: inout ObjectCache) {
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

    /// The merge of `mentions`, over the lists read in place. Each list's head is kept as one
    /// ordered key (`spanKey`), read again only when that list advances; an exhausted list's key
    /// is `UInt64.max`, above every span's.
    static func merge(_ actors: UnsafeBufferPointer<Mention>, _ places: UnsafeBufferPointer<Mention>,
                      _ times: UnsafeBufferPointer<Mention>, _ weapons: UnsafeBufferPointer<Mention>,
                      _ doc: DocView, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        @inline(__always)
        func head(_ list: UnsafeBufferPointer<Mention>, _ i: Int) -> UInt64 {
            guard i < list.count, let base = list.baseAddress else { return .max }
            return spanKey((base + i).pointee.span)
        }
        // lists in kind-name order: actor < place < time < weapon
        var ia = 0, ip = 0, it = 0, iw = 0
        var ka = head(actors, 0), kp = head(places, 0), kt = head(times, 0), kw = head(weapons, 0)
        var first = true
        while true {
            // the smallest head; on equal spans the earlier list (smaller kind name) wins
            var best = 0
            var key = ka
            if kp < key {
                best = 1
                key = kp
            }
            if kt < key {
                best = 2
                key = kt
            }
            if kw < key {
                best = 3
                key = kw
            }
            if key == .max { break }
            if !first { w.raw(byte: 0x2C) }
            first = false
            switch best {
            case 0:
                if let base = actors.baseAddress { mention(at: base + ia, doc, &w, &cache) }
                ia += 1
                ka = head(actors, ia)
            case 1:
                if let base = places.baseAddress { mention(at: base + ip, doc, &w, &cache) }
                ip += 1
                kp = head(places, ip)
            case 2:
                // a timex is boxed per mention: no tail to look up
                if let base = times.baseAddress { mentionOnce(at: base + it, doc, &w, &cache) }
                it += 1
                kt = head(times, it)
            default:
                if let base = weapons.baseAddress { mention(at: base + iw, doc, &w, &cache) }
                iw += 1
                kw = head(weapons, iw)
            }
        }
    }

    /// A span as one key ordered as spans are (start, then end), for spans whose ends are both in
    /// `0..<UInt32.max` (`mergeable` checks every mention's): never `UInt64.max`.
    @inline(__always)
    static func spanKey(_ span: Span) -> UInt64 {
        UInt64(truncatingIfNeeded: span.start) << 32 | UInt64(truncatingIfNeeded: span.end)
    }

    /// True when every list is sorted by span, holds only its own kind, and every span's ends are
    /// in `0..<UInt32.max` (so `spanKey` orders it).
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
                    guard UInt(bitPattern: span.start) < UInt(UInt32.max), UInt(bitPattern: span.end) < UInt(UInt32.max) else {
                        return false
                    }
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
    static func mention(at m: UnsafePointer<Mention>, _ doc: DocView, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        // the tail (`AnalysisJSONTails.swift`) written before for the same payload and rule
        let layout = cache.tailLayout
        guard layout.isValid else {
            mentionOnce(at: m, doc, &w, &cache)
            return
        }
        let key = TailKey(m, layout)
        if cachedMention(m, key, doc, &w, &cache) { return }
        let kind = mentionOnce(at: m, doc, &w, &cache)
        // a timex is boxed per mention: its tail would not repeat
        if kind.kind != .time {
            cache.tails.insert(key, TailHeld(payload: m.pointee.payload, rule: m.pointee.rule), prefix: kind.kind.rawValue,
                               w, from: kind.tailStart)
        }
    }

    /// Writes a mention in full; returns its kind and where its tail starts.
    @discardableResult
    static func mentionOnce(at m: UnsafePointer<Mention>, _ doc: DocView, _ w: inout JSONLine, _ cache: inout ObjectCache)
        -> (kind: TailKind, tailStart: Int)
    {
        let kind: TailKind
        let tailStart: Int
        switch m.pointee.payload {
        case .time(let t):
            w.raw("{\"kind\":\"time\",\"start\":")
            spanAndText(m.pointee.span, doc, &w, &cache.scalarHint)
            kind = .time
            tailStart = w.byteCount
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
            kind = .place
            tailStart = w.byteCount
            w.raw(",\"place\":")
            place(p, aliases: aliases, &w, &cache)
        case .actor(let a):
            w.raw("{\"kind\":\"actor\",\"start\":")
            spanAndText(m.pointee.span, doc, &w, &cache.scalarHint)
            kind = .actor
            tailStart = w.byteCount
            w.raw(",\"actor\":")
            actor(a, &w, &cache)
        case .weapon(let x):
            w.raw("{\"kind\":\"weapon\",\"start\":")
            spanAndText(m.pointee.span, doc, &w, &cache.scalarHint)
            kind = .weapon
            tailStart = w.byteCount
            w.raw(",\"weapon\":")
            weapon(x, &w, &cache)
        }
        w.raw(",\"rule\":")
        rule(of: m, &w, &cache)
        w.raw(byte: 0x7D)
        return (kind, tailStart)
    }

    /// Where a mention stores its rule string (nil if the layout cannot say).
    static let mentionRuleOffset = MemoryLayout<Mention>.offset(of: \Mention.rule)

    /// `rule(m.pointee.rule, ...)` with the cache key read from the mention's memory: a hit (nearly
    /// every mention) neither copies nor releases the string.
    @inline(__always)
    static func rule(of m: UnsafePointer<Mention>, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        let offset = cache.mentionRuleOffset
        guard offset >= 0, MemoryLayout<String>.size == 16 else {
            return rule(m.pointee.rule, &w, &cache)
        }
        let raw = UnsafeRawPointer(m) + offset
        let key = StringKey(word0: raw.loadUnaligned(as: UInt64.self), word1: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        if cache.rules.append(key, &w) { return }
        let s = m.pointee.rule
        let start = w.byteCount
        w.string(s)
        cache.rules.insert(key, s, w, from: start)
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
    static func spanAndText(_ span: Span, _ doc: DocView, _ w: inout JSONLine, _ hint: inout Int) {
        let start = doc.offsets.scalar(span.start, hint: &hint)
        let end = doc.offsets.scalar(span.end, hint: &hint)
        let bytes = doc.bytes
        let lo = Swift.max(0, Swift.min(span.start, bytes.count))
        let hi = Swift.max(lo, Swift.min(span.end, bytes.count))
        w.offsetsAndText(start, end, UnsafeBufferPointer(rebasing: bytes[lo..<hi]))
    }

    /// The document's bytes at `span` as a JSON string (read in place, no array slice).
    static func text(_ span: Span, _ doc: DocView, _ w: inout JSONLine) {
        let bytes = doc.bytes
        let start = Swift.max(0, Swift.min(span.start, bytes.count))
        let end = Swift.max(start, Swift.min(span.end, bytes.count))
        w.string(utf8: UnsafeBufferPointer(rebasing: bytes[start..<end]))
    }

    /// A document's bytes and scalar-offset tables, read in place while its line is written.
    struct DocView {
        let bytes: UnsafeBufferPointer<UInt8>
        let offsets: ScalarOffsets.View
    }
}
