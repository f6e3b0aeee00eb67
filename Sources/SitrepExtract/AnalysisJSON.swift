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
        // the document's bytes and offset tables read in place for the whole line: no reference
        // counting or bounds checks per offset and mention text
        a.document.bytes.withUnsafeBufferPointer { bytes in
            a.document.offsets.withView { offsets in
                write(a, DocView(bytes: bytes, offsets: offsets), &w, &cache)
            }
        }
    }

    static func write(_ a: Analysis, _ doc: DocView, _ w: inout JSONLine, _ cache: inout ObjectCache) {
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
        for (k, b) in a.document.boilerplate.enumerated() {
            if k > 0 { w.raw(byte: 0x2C) }
            w.raw("{\"start\":")
            w.int(doc.offsets.scalar(b.span.start, hint: &cache.scalarHint))
            w.raw(",\"end\":")
            w.int(doc.offsets.scalar(b.span.end, hint: &cache.scalarHint))
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

    // MARK: events, casualties, claims

    /// A value from a small vocabulary (an event type, a casualty outcome, a stance, a reporting
    /// verb) through the rule cache: nearly always the same string storage (a literal, a small
    /// inline string or a lexicon's), so its JSON is copied instead of escaped again.
    @inline(__always)
    static func word(_ s: String, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        rule(s, &w, &cache)
    }

    /// `word` of the string stored `offset` bytes into `base` when it is cached (then true),
    /// its key read in place: no copy and no release of the string.
    @inline(__always)
    static func cachedWord(_ base: UnsafeRawPointer, _ offset: Int, _ w: inout JSONLine, _ cache: inout ObjectCache) -> Bool {
        guard offset >= 0 else { return false }
        let raw = base + offset
        let key = StringKey(word0: raw.loadUnaligned(as: UInt64.self), word1: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        return cache.rules.append(key, &w)
    }

    static func event(_ e: UnsafePointer<Event>, _ doc: DocView, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        w.raw("{\"type\":")
        if !cachedWord(UnsafeRawPointer(e), cache.words.eventType, &w, &cache) { word(e.pointee.type, &w, &cache) }
        w.raw(",\"subtype\":")
        if !cachedWord(UnsafeRawPointer(e), cache.words.eventSubtype, &w, &cache) { word(e.pointee.subtype, &w, &cache) }
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
        if !cachedWord(UnsafeRawPointer(e), cache.words.eventStance, &w, &cache) { word(e.pointee.stance, &w, &cache) }
        w.raw(",\"evidence\":[")
        for (k, s) in e.pointee.evidence.enumerated() {
            let start = doc.offsets.scalar(s.start, hint: &cache.scalarHint)
            let end = doc.offsets.scalar(s.end, hint: &cache.scalarHint)
            // two integers (20 bytes each) and 18 bytes of fragments
            w.run(2 * 20 + 18) { o in
                if k > 0 { o.raw(byte: 0x2C) }
                o.raw("{\"start\":")
                o.int(start)
                o.raw(",\"end\":")
                o.int(end)
                o.raw(byte: 0x7D)
            }
        }
        w.raw("],\"casualties\":[")
        for (k, i) in e.pointee.casualties.enumerated() {
            // an integer (20 bytes) and a comma
            w.run(21) { o in
                if k > 0 { o.raw(byte: 0x2C) }
                o.int(i)
            }
        }
        w.raw("],\"rules\":[")
        e.pointee.rules.withUnsafeBufferPointer { list in
            for k in list.indices {
                if k > 0 { w.raw(byte: 0x2C) }
                if let base = list.baseAddress, cachedWord(UnsafeRawPointer(base + k), cache.words.element, &w, &cache) {
                    continue
                }
                rule(list[k], &w, &cache)
            }
        }
        w.raw("]}")
    }

    static func casualty(_ c: UnsafePointer<Casualty>, _ doc: DocView, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        w.raw("{\"outcome\":")
        if !cachedWord(UnsafeRawPointer(c), cache.words.casualtyOutcome, &w, &cache) { word(c.pointee.outcome, &w, &cache) }
        // three integers (20 bytes each) and 23 bytes of fragments
        w.run(3 * 20 + 23) { o in
            o.raw(",\"low\":")
            o.int(c.pointee.low)
            o.raw(",\"best\":")
            o.int(c.pointee.best)
            o.raw(",\"high\":")
            o.int(c.pointee.high)
        }
        // qualifier, victims, side and scope repeat together ("about", "people", null, "incident"):
        // one look-up, the key read in place
        let o = cache.words
        if o.casualtyQualifier >= 0, o.casualtyVictims >= 0, o.casualtySide >= 0, o.casualtyScope >= 0 {
            let key = CasualtyMiddleKey(UnsafeRawPointer(c), o)
            if !cache.casualtyMiddles.append(key, &w) {
                let start = w.byteCount
                casualtyMiddle(c, &w, &cache)
                let held = CasualtyMiddleHeld(qualifier: c.pointee.qualifier, victims: c.pointee.victims,
                                              side: c.pointee.side, scope: c.pointee.scope)
                cache.casualtyMiddles.insert(key, held, w, from: start)
            }
        } else {
            casualtyMiddle(c, &w, &cache)
        }
        date(c.pointee.period, &w)
        w.raw(",\"claimant\":")
        actor(c.pointee.claimant, &w, &cache)
        let start = doc.offsets.scalar(c.pointee.span.start, hint: &cache.scalarHint)
        let end = doc.offsets.scalar(c.pointee.span.end, hint: &cache.scalarHint)
        // two integers (20 bytes each) and 26 bytes of fragments
        w.run(2 * 20 + 26) { o in
            o.raw(",\"start\":")
            o.int(start)
            o.raw(",\"end\":")
            o.int(end)
            o.raw(",\"figure\":")
        }
        text(c.pointee.figureSpan, doc, &w)
        w.raw(",\"rule\":")
        // written from its parts' escapes (a figure's rule is nearly always unique: not cached),
        // read in place at its offset (the casualty's memory holds it there)
        let provenance = cache.words.casualtyProvenance
        if provenance >= 0 {
            CasualtyProvenance.write((UnsafeRawPointer(c) + provenance).assumingMemoryBound(to: CasualtyProvenance.self), &w)
        } else {
            c.pointee.provenance.write(&w)
        }
        w.raw(byte: 0x7D)
    }

    /// `,"qualifier":…,"victims":…,"side":…,"scope":…,"period":` of a casualty, field by field.
    static func casualtyMiddle(_ c: UnsafePointer<Casualty>, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        w.raw(",\"qualifier\":")
        if !cachedWord(UnsafeRawPointer(c), cache.words.casualtyQualifier, &w, &cache) { word(c.pointee.qualifier, &w, &cache) }
        w.raw(",\"victims\":")
        w.string(c.pointee.victims)
        w.raw(",\"side\":")
        w.string(c.pointee.side)
        w.raw(",\"scope\":")
        if !cachedWord(UnsafeRawPointer(c), cache.words.casualtyScope, &w, &cache) { word(c.pointee.scope, &w, &cache) }
        w.raw(",\"period\":")
    }

    static func claim(_ c: UnsafePointer<Claim>, _ doc: DocView, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        // the head is fixed by the claimant's box and the two words: one look-up, its key read
        // in place (no copy of the claimant, so no reference counting)
        let o = cache.words
        if o.claimClaimant >= 0, o.claimVerb >= 0, o.claimStance >= 0 {
            let key = ClaimHeadKey(UnsafeRawPointer(c), o)
            if !cache.claimHeads.append(key, &w) {
                let start = w.byteCount
                claimHead(c, &w, &cache)
                let held = ClaimHeadHeld(claimant: c.pointee.claimant, verb: c.pointee.verb, stance: c.pointee.stance)
                cache.claimHeads.insert(key, held, w, from: start)
            }
        } else {
            claimHead(c, &w, &cache)
        }
        let start = doc.offsets.scalar(c.pointee.content.start, hint: &cache.scalarHint)
        let end = doc.offsets.scalar(c.pointee.content.end, hint: &cache.scalarHint)
        let claimantStart = doc.offsets.scalar(c.pointee.claimantSpan.start, hint: &cache.scalarHint)
        let claimantEnd = doc.offsets.scalar(c.pointee.claimantSpan.end, hint: &cache.scalarHint)
        // six integers (20 bytes each) and at most 79 bytes of fragments
        w.run(6 * 20 + 79) { o in
            o.int(start)
            o.raw(",\"end\":")
            o.int(end)
            o.raw(",\"about\":")
            switch c.pointee.about {
            case .event(let i)?:
                o.raw("{\"event\":")
                o.int(i)
                o.raw(byte: 0x7D)
            case .casualty(let i)?:
                o.raw("{\"casualty\":")
                o.int(i)
                o.raw(byte: 0x7D)
            case nil:
                o.null()
            }
            o.raw(",\"denies\":")
            o.int(c.pointee.denies)
            o.raw(",\"claimantSpan\":{\"start\":")
            o.int(claimantStart)
            o.raw(",\"end\":")
            o.int(claimantEnd)
            o.raw("},\"rule\":")
        }
        if !cachedWord(UnsafeRawPointer(c), cache.words.claimRule, &w, &cache) { rule(c.pointee.rule, &w, &cache) }
        w.raw(byte: 0x7D)
    }

    /// `{"claimant":…,"verb":…,"stance":…,"start":` of a claim, written field by field.
    static func claimHead(_ c: UnsafePointer<Claim>, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        w.raw("{\"claimant\":")
        actor(c.pointee.claimant, &w, &cache)
        w.raw(",\"verb\":")
        if !cachedWord(UnsafeRawPointer(c), cache.words.claimVerb, &w, &cache) { word(c.pointee.verb, &w, &cache) }
        w.raw(",\"stance\":")
        if !cachedWord(UnsafeRawPointer(c), cache.words.claimStance, &w, &cache) { word(c.pointee.stance, &w, &cache) }
        w.raw(",\"start\":")
    }
}
