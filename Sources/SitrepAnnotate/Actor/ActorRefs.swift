import SitrepLanguage
import SitrepText

/// The references and ids the patterns build.
extension ActorTagger {
    /// The `State.payloads` key of a reading made of lexicon entries only: what it is (`kind`)
    /// and the indices it is made of (each below 2^20).
    @inline(__always)
    static func payloadKey(_ kind: Int, _ a: Int, _ b: Int, _ c: Int = 0) -> Int {
        kind << 60 | a << 40 | b << 20 | c
    }

    /// "SEPARATIST.AUTH", "SEPARATIST.MIL": placeholders for the article's de facto polity.
    static func isSeparatist(_ id: String) -> Bool {
        // most ids are short ("AZE.MIL"): the length test rejects them before any byte is read
        id.utf8.count >= 11 && id.utf8.first == 0x53 && id.utf8.starts(with: "SEPARATIST.".utf8)
    }

    /// A byte-wise suffix test (ids are ASCII; `String.hasSuffix` compares by grapheme and costs
    /// far more on this path).
    static func utf8(_ s: String, endsWith suffix: String) -> Bool {
        let bytewise = s.utf8.withContiguousStorageIfAvailable { a in
            suffix.utf8.withContiguousStorageIfAvailable { b in
                a.count >= b.count && UnsafeBufferPointer(rebasing: a[(a.count - b.count)...]).elementsEqual(b)
            }
        }
        return bytewise.flatMap { $0 } ?? s.hasSuffix(suffix)
    }

    /// The boxed reading of named actor `k` of the lexicon, the state's own copy (`State.payload`;
    /// no closure: one capturing `self` copies the whole tagger per call).
    @inline(__always)
    func namedPayload(_ k: Int, _ state: inout State) -> Found.Payload {
        entryPayload(k, &state)
    }

    /// The boxed reading of person `k` of the lexicon, the state's own copy (`State.payload`).
    @inline(__always)
    func personPayload(_ k: Int, _ state: inout State) -> Found.Payload {
        entryPayload(lex.named.count + k, &state)
    }

    /// The reading of entry `slot` of `State.entrySlots` (named actors, then persons): the
    /// lexicon is read only the first time (a state no scratch lent slots to keys the reading
    /// into `payloadSlot` instead).
    @inline(__always)
    func entryPayload(_ slot: Int, _ state: inout State) -> Found.Payload {
        if slot < state.entrySlots.count {
            let s = Int(state.entrySlots[slot])
            if s >= 0 { return state.payloadList[s] }
            state.entrySlots[slot] = Int32(state.payloadList.count)
            let entry = slot < lex.named.count ? lex.named[slot] : lex.persons[slot - lex.named.count]
            return state.appendPayload(ref: entry.ref, rule: entry.provenance)
        }
        let entry = slot < lex.named.count ? lex.named[slot] : lex.persons[slot - lex.named.count]
        return state.payload(Self.payloadKey(6, slot, 0)) { (entry.ref, entry.provenance) }
    }

    func stateRef(_ polity: ActorLexicon.Polity) -> ActorRef {
        ActorRef(id: polity.prefix, name: polity.name, country: polity.country,
                 kind: polity.deFacto ? .deFactoAuthority : .government)
    }

    func forcesRef(_ polity: ActorLexicon.Polity) -> ActorRef {
        Self.forcesRef(of: polity)
    }

    static func forcesRef(of polity: ActorLexicon.Polity) -> ActorRef {
        ActorRef(id: polity.prefix + ".MIL", name: "\(polity.name) armed forces", country: polity.country,
                 kind: polity.deFacto ? .deFactoAuthority : .stateMilitary)
    }

    func organRef(_ polity: ActorLexicon.Polity, _ organ: ActorLexicon.Organ) -> ActorRef {
        var id = polity.prefix + "." + organ.suffix
        var kind = organ.kind
        if polity.deFacto {
            if organ.suffix == "GOV", let a = polity.authority { id = a }
            if kind == .government || kind == .stateMilitary { kind = .deFactoAuthority }
        }
        return ActorRef(id: id, name: "\(polity.name) \(organ.name)", country: polity.country, kind: kind)
    }

    /// Folded words of a token range as an id part: "Xyz Brigade" → "XYZ_BRIGADE".
    static func idWords(_ doc: Document, _ range: Range<Int>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for i in range where doc.tokens[i].kind == .word || doc.tokens[i].kind == .number {
            if !out.isEmpty { out.append(0x5F) }
            // An ASCII token is read from the document's bytes in place: folding only lowercases
            // its letters, which come out in capitals here (no strings are made). Other tokens
            // are folded first.
            let span = doc.tokens[i].span
            let ascii = span.start >= 0 && span.end <= doc.bytes.count
                && doc.bytes.withUnsafeBufferPointer { bytes in
                    !bytes[span.start..<span.end].contains { $0 >= 0x80 }
                }
            if ascii {
                for b in doc.bytes[span.start..<span.end] { appendIdByte(b | (b >= 0x41 && b <= 0x5A ? 0x20 : 0), &out) }
            } else {
                for b in Fold.fold(doc.text(of: i)).utf8 { appendIdByte(b, &out) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one folded byte to an id part: a lowercase letter as a capital, a digit or a
    /// capital as is, anything else not at all.
    @inline(__always)
    private static func appendIdByte(_ b: UInt8, _ out: inout [UInt8]) {
        if b >= 0x61 && b <= 0x7A { out.append(b - 0x20) } else if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) {
            out.append(b)
        }
    }
}

extension ActorRef {
    /// The same reference with a record and strings of its own (equal, never identical): what a
    /// thread keeps as its copy of a lexicon reading (`ActorTagger.State.payload`).
    func detached() -> ActorRef {
        ActorRef(id: Self.detached(id), name: Self.detached(name), country: country.map(Self.detached), kind: kind)
    }

    /// A string with storage of its own (a string short enough to be stored inline stays so).
    static func detached(_ s: String) -> String {
        String(decoding: Array(s.utf8), as: UTF8.self)
    }
}
