import Foundation
import Testing
@testable import SitrepExtract

/// The extract contract (shared/docs/extract-format.md) on whole articles: every field present,
/// every range slicing the text to what it claims, output identical run to run.
@Suite struct ContractTests {
    static let contractFields = ["id", "published", "text", "mentions", "events", "casualties", "claims"]

    func checkRanges(_ record: [String: Any]) {
        let text = record["text"] as? String ?? ""
        let count = text.unicodeScalars.count
        for mention in record["mentions"] as? [[String: Any]] ?? [] {
            let start = mention["start"] as? Int ?? -1, end = mention["end"] as? Int ?? -1
            #expect(TestSupport.slice(text, start, end) == mention["text"] as? String)
            #expect(["time", "place", "actor", "weapon"].contains(mention["kind"] as? String ?? ""))
        }
        for key in ["casualties", "claims", "boilerplate"] {
            for item in record[key] as? [[String: Any]] ?? [] {
                let start = item["start"] as? Int ?? -1, end = item["end"] as? Int ?? -1
                #expect(0 <= start && start <= end && end <= count, "\(key) range \(start)..<\(end) outside text of \(count)")
            }
        }
        for event in record["events"] as? [[String: Any]] ?? [] {
            for field in ["type", "subtype", "actor1", "actor2", "date", "location", "weapons", "fatalities", "claimant", "stance", "evidence"] {
                #expect(event.keys.contains(field), "event lacks \(field)")
            }
        }
    }

    @Test func examplesSpeakTheContract() throws {
        let lines = try TestSupport.extract([TestSupport.examples])
        #expect(lines.count == 7)
        for line in lines {
            let record = try TestSupport.record(line)
            for field in Self.contractFields { #expect(record.keys.contains(field), "record lacks \(field)") }
            checkRanges(record)
        }
    }

    @Test func outputIsDeterministic() throws {
        let first = try TestSupport.extract([TestSupport.examples])
        let second = try TestSupport.extract([TestSupport.examples])
        #expect(first == second)
    }

    @Test func nonASCIIOffsetsAreCodePoints() throws {
        let extractor = try TestSupport.extractor.get()
        let text = "Şuşa 🙂 and Xankəndi were shelled.\n\nSupport us now\n\nShells fell on Tərtər. /@Şuşa_News"
        let line = AnalysisJSON.line(extractor.analyze(.init(id: "n", text: text, published: "2020-10-24")))
        let record = try TestSupport.record(String(decoding: line, as: UTF8.self))
        checkRanges(record)
        let boilerplate = record["boilerplate"] as? [[String: Any]] ?? []
        let texts = boilerplate.map { TestSupport.slice(text, $0["start"] as? Int ?? 0, $0["end"] as? Int ?? 0) }
        #expect(texts == ["Support us now", "/@Şuşa_News"])
    }
}

@Suite struct BoilerplateSkipTests {
    /// Regression: a caption printed twice gave every mention in it twice.
    @Test func repeatedCaptionIsReadOnce() throws {
        let extractor = try TestSupport.extractor.get()
        let caption = "Smoke rises over Ganja after shelling, October 11, 2020. /Wire Photo"
        let text = "Shells hit Ganja overnight, officials said.\n\n\(caption)\n\n\(caption)\n\nSupport us now: donate to keep our Ganja bureau open."
        let analysis = extractor.analyze(.init(id: "c", text: text, published: "2020-10-12"))
        let doc = analysis.document
        let dates = analysis.annotations.times.map { doc.string($0.span) }
        #expect(dates.filter { $0 == "October 11, 2020" }.count == 1)
        let places = analysis.annotations.places.map { doc.string($0.span) }
        #expect(places.filter { $0 == "Ganja" }.count == 2)
        for m in analysis.annotations.all { #expect(!doc.isBoilerplate(m.span)) }
    }

    @Test func remappingKeepsLinksConsistent() {
        #expect(BoilerplateFilter.remap([true, false, true, true, false]) == [0, nil, 1, 2, nil])
    }
}
