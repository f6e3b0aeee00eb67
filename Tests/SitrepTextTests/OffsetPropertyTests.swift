import Testing
@testable import SitrepText

/// Property: for random texts mixing ASCII, Azerbaijani letters, emoji and combining marks,
/// every token and sentence span converted to scalar offsets slices the text (as Python's
/// `text[start:end]` would) to exactly the span's string.
@Suite struct OffsetPropertyTests {
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func pick<T>(_ xs: [T]) -> T { xs[Int(next() % UInt64(xs.count))] }
    }

    static let fragments = [
        "Şuşa", "Xankəndi", "Tərtər", "Stepanakert", "said", "1,000", "3.5", "U.S.", "Mr.", ".", ",", "!", "?",
        " ", " ", " ", "\n", "\n\n", "“", "”", "’s", "-", "—", "👍🏽", "🇦🇿", "e\u{301}", "Ağdam", "İ", "ı", "日本",
        "Ереван", "Երևան", "\u{FEFF}", "\t", "13-year-old", "(", ")", "/@handle", "/Reuters", "#tag", "%",
    ]

    @Test(arguments: 0..<200)
    func scalarOffsetsSliceTheText(seed: Int) throws {
        var rng = SplitMix64(state: UInt64(seed) &* 7919 &+ 17)
        var text = ""
        for _ in 0..<Int(rng.next() % 80) { text += rng.pick(Self.fragments) }
        let doc = try TextProcessor.english().document(text)
        let scalars = Array(text.unicodeScalars)
        func slice(_ span: Span) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[doc.offsets.scalar(span.start)..<doc.offsets.scalar(span.end)])
            return String(view)
        }
        #expect(doc.offsets.scalarCount == scalars.count)
        for t in doc.tokens {
            #expect(slice(t.span) == doc.string(t.span))
            #expect(t.end > t.start)
        }
        for s in doc.sentences { #expect(slice(s.span) == doc.string(s.span)) }
        for b in doc.boilerplate { #expect(slice(b.span) == doc.string(b.span)) }
        // tokens are ordered and never overlap
        for (a, b) in zip(doc.tokens, doc.tokens.dropFirst()) { #expect(a.end <= b.start) }
    }

    /// The tokenizer notes every non-ASCII lead byte (where a document's scalar-offset tables
    /// come from): exactly those bytes, once each, in order, on texts with and without an ASCII
    /// prefix; and the tables built from them equal those of a scan of the whole text.
    @Test(arguments: 0..<300)
    func tokenizerNotesEveryNonASCIILeadByte(seed: Int) {
        var rng = SplitMix64(state: UInt64(seed) &* 104_729 &+ 5)
        var text = ""
        // an ASCII prefix of varied length and shape first, so the first other byte moves about
        let ascii = ["said", "U.S.", "1,000", "O'Brien", "NATO", " ", "\n", ".", "'s", "don't", "e", "3.5", "-"]
        for _ in 0..<Int(rng.next() % 12) { text += rng.pick(ascii) }
        for _ in 0..<Int(rng.next() % 30) { text += rng.pick(Self.fragments + ["a’", "’s", "x—y", "Ş'", "é’s"]) }
        let bytes = Array(text.utf8)
        let expected = bytes.indices.filter { bytes[$0] >= 0xC0 }.map { Int32($0) }
        bytes.withUnsafeBufferPointer { p in
            var tokens: [Token] = []
            var breaks: [Int32] = []
            var leads: [Int32] = []
            let read = Tokenizer.tokenize(p, into: &tokens, breaks: &breaks, leads: &leads)
            #expect(read == bytes.count)
            #expect(leads == expected, "\(text.debugDescription)")
            let scanned = ScalarOffsets(p)
            let noted = ScalarOffsets(p, leads: leads, scannedTo: read)
            #expect(scanned.scalarCount == noted.scalarCount)
            for k in 0...bytes.count { #expect(scanned.scalar(k) == noted.scalar(k)) }
        }
    }
}
