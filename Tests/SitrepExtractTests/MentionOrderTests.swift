import Testing
import SitrepExtract
import SitrepIngest

/// The record writes mentions by merging the four sorted lists in place; the order must be
/// `Annotations.all`'s (by span, then kind name), ties included.
@Suite struct MentionOrderTests {
    @Test func recordOrderIsAnnotationsAll() throws {
        let extractor = try TestSupport.extractor.get()
        let texts = [
            "On Sunday, Syrian troops shelled Idlib with mortars, killing 5 civilians, the ministry said.",
            "Azerbaijani forces fired Grad rockets at Stepanakert on October 4, 2020, officials said. "
                + "Armenian troops returned fire near Shusha.",
            "Russian and Turkish officials met in Moscow on Tuesday.",
        ]
        for (k, text) in texts.enumerated() {
            let analysis = extractor.analyze(.init(id: "m\(k)", text: text, published: "2020-10-05"))
            let record = try TestSupport.record(String(decoding: AnalysisJSON.line(analysis), as: UTF8.self))
            let mentions = record["mentions"] as? [[String: Any]] ?? []
            let written = mentions.map { "\($0["kind"] ?? "")@\($0["start"] ?? "")-\($0["end"] ?? "")" }
            let doc = analysis.document
            let expected = analysis.annotations.all.map {
                "\($0.kind)@\(doc.offsets.scalar($0.span.start))-\(doc.offsets.scalar($0.span.end))"
            }
            #expect(written == expected)
            #expect(!written.isEmpty)
        }
    }
}
