import SitrepText
import Testing

@testable import SitrepAnnotate

@Suite("Start marks")
struct StartMarksTests {
    /// The annotator reads one table of marks for the time, actor and weapon taggers; each tagger
    /// run on its own reads its own. Both must find the same mentions.
    @Test("shared marks find what each tagger finds on its own")
    func sharedMarksMatchStandaloneTaggers() throws {
        let annotator = try Annotator.english()
        let text = """
            On Tuesday, 12 March 2019, Azerbaijani forces shelled the village with Grad rockets, the \
            defence ministry said. Three soldiers and 37 civilians were killed, according to Baku. \
            President Ilham Aliyev said the attack began at 10:35 a.m. and lasted two hours. Aliyev \
            added that a drone strike followed in the 1990s-style campaign. Last week the Armenian \
            Ministry of Defence reported artillery fire near Stepanakert; the ministry gave no figures.
            """
        let doc = try TextProcessor.english().document(text)
        let context = ArticleContext(published: CalendarDate(year: 2019, month: 3, day: 14))
        let all = annotator.annotate(doc, context: context)
        var alone = Annotations()
        alone.anchor = context.published
        annotator.time.tag(doc, context: context, into: &alone)
        annotator.actors.tag(doc, context: context, into: &alone)
        annotator.weapons.tag(doc, context: context, into: &alone)
        func keys(_ mentions: [Mention]) -> [String] { mentions.map { "\($0.span.start)-\($0.span.end) \($0.rule)" } }
        #expect(!all.times.isEmpty && !all.actors.isEmpty && !all.weapons.isEmpty)
        #expect(keys(all.times) == keys(alone.times))
        #expect(keys(all.actors) == keys(alone.actors))
        #expect(keys(all.weapons) == keys(alone.weapons))
    }

    /// The place tagger looks for names only at `placeWord` marks: exactly the capitalized or
    /// all-caps words outside boilerplate, whichever table made the marks.
    @Test("place words are the capitalized words outside boilerplate")
    func placeWordMarks() throws {
        let annotator = try Annotator.english()
        let text = """
            NATO said Russian forces shelled Kharkiv and the U.S. embassy in Kyiv on Monday; 3 people \
            died. "We saw it," said Olena, 27, from Saltivka. The UN's OCHA counted 1,200 displaced.
            """
        let doc = try TextProcessor.english().document(text)
        for marks in [annotator.startMarks.marks(doc.tokens), StartMarks.bare.marks(doc.tokens)] {
            #expect(marks.count == doc.tokens.count)
            for (i, t) in doc.tokens.enumerated() {
                let expected = t.kind == .word && (t.has(.capitalized) || t.has(.allCaps)) && !t.has(.boilerplate)
                #expect((marks[i] & StartMarks.placeWord != 0) == expected, "token \(i): \(doc.string(t.span))")
                #expect((marks[i] & StartMarks.digit != 0) == t.has(.hasDigit), "token \(i): \(doc.string(t.span))")
            }
        }
    }

    /// The place tagger run on its own (its own marks) and with the annotator's marks finds the
    /// same places.
    @Test("places with shared marks match the place tagger on its own")
    func placesWithSharedMarks() throws {
        let annotator = try Annotator.english()
        let text = """
            Shelling hit Khan Shaykun and Maarat al-Numan in Idleb province on Tuesday, residents of \
            Saraqib said. Officials in Baghdad and Erbil traded blame after the strike near Mosul.
            """
        let doc = try TextProcessor.english().document(text)
        let context = ArticleContext(published: CalendarDate(year: 2019, month: 3, day: 14))
        var shared = Annotations(), alone = Annotations()
        annotator.places.tag(doc, context: context, into: &shared, marks: annotator.startMarks.marks(doc.tokens))
        annotator.places.tag(doc, context: context, into: &alone)
        func keys(_ mentions: [Mention]) -> [String] { mentions.map { "\($0.span.start)-\($0.span.end) \($0.rule)" } }
        #expect(shared.places.count >= 5)
        #expect(keys(shared.places) == keys(alone.places))
    }

    /// `marks` reads the kind's mask and added marks from one table (`byKindAndFlags`): for every
    /// kind and low byte of flags, a token's marks are the ones the rule gives, written out here:
    /// a word's slot marks for its case and the flags' marks; any other kind only the marks that
    /// need no word; a number also `quantifier`.
    @Test("marks by kind and flags follow the rule")
    func marksByKindAndFlags() throws {
        let annotator = try Annotator.english()
        let doc = try TextProcessor.english().document("Three sources said Monday's Grad shelling killed 5 of the forces at 10 a.m.")
        let table = annotator.startMarks
        var tokens: [Token] = []
        var expected: [UInt8] = []
        for base in doc.tokens {
            for kind in [TokenKind.word, .number, .punct, .symbol] {
                for f in 0..<256 {
                    var t = base
                    t.kind = kind
                    t.flags = TokenFlags(rawValue: UInt16(f) | (base.flags.rawValue & 0xFF00))
                    let slot = table.wordMarks[Int((t.key ^ (t.key >> 29)) & 0xFFFF)]
                    var m = UInt8(truncatingIfNeeded: t.flags.contains(.capitalized) ? slot >> 8 : slot)
                    m |= StartMarks.byFlags[f]
                    if kind != .word { m &= ~StartMarks.wordOnly }
                    if kind == .number { m |= StartMarks.quantifier }
                    tokens.append(t)
                    expected.append(m)
                }
            }
        }
        #expect(tokens.count == doc.tokens.count * 1024)
        #expect(table.marks(tokens) == expected)
        #expect(expected.contains { $0 & StartMarks.actor != 0 } && expected.contains { $0 & StartMarks.time != 0 })
    }

    /// `next` skips eight marks at a time; it must stop where a one-by-one scan stops.
    @Test("next finds the first wanted mark")
    func nextMatchesLinearScan() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let n = Int.random(in: 0...40, using: &rng)
            let marks = (0..<n).map { _ in Int.random(in: 0..<6, using: &rng) == 0 ? UInt8(1) << UInt8.random(in: 0..<7, using: &rng) : 0 }
            let want = UInt8(1) << UInt8.random(in: 0..<7, using: &rng)
            let from = Int.random(in: 0...n, using: &rng)
            let end = Int.random(in: from...n, using: &rng)
            var expected = from
            while expected < end && marks[expected] & want == 0 { expected += 1 }
            let found = marks.withUnsafeBufferPointer { StartMarks.next($0, from: from, to: end, want: want) }
            #expect(found == expected)
        }
    }
}
