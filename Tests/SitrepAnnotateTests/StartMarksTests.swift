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
