import Foundation
import Testing
@testable import SitrepIngest

/// The JSONL reader's and the date normalizer's fast paths give what the general paths give.
@Suite struct FastPathTests {
    @Test func plainDaysAreNormalizedAsBefore() {
        for raw in ["2020-10-24", "1998-01-08", "2999-12-31", "0999-01-01", "3000-01-01", "2020-13-01", "2020-00-10",
                    "2020-10-32", "2020/10/24", " 2020-10-24", "2020-10-24 ", "2020-10-2x", "20201-0-24", "2020-10-24T08:40"]
        {
            let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            let general = PublishedDate.isoPrefix(trimmed) ?? PublishedDate.wordy(trimmed)
            #expect(PublishedDate.normalize(raw) == general, "\(raw)")
        }
    }

    func line(_ json: String) -> [UInt8] { Array(json.utf8) }

    @Test func duplicateKeysLeaveTheFastReader() {
        #expect(FastJSONL.article(line(#"{"id":"a","text":"x","id":"b"}"#), path: "p", lineNumber: 1) == nil)
        #expect(FastJSONL.article(line(#"{"text":"x","extra":1,"extra":2}"#), path: "p", lineNumber: 1) == nil)
        let a = FastJSONL.article(line(#"{"text":"x","extra":1,"other":[1,{"k":"v"}],"id":"n"}"#), path: "p", lineNumber: 1)
        #expect(a?.id == "n")
        #expect(a?.text == "x")
    }

    @Test func stringsWithEscapesAnywhereReadAsJSONSerializationReadsThem() throws {
        // clean runs of every length around escapes, so a run ends inside, at and past a word
        for before in 0...19 {
            for after in [0, 1, 7, 8, 9, 17] {
                for escape in [#"\n"#, #"\""#, #"\\"#, #"\u00e9"#, #"\ud83d\ude42"#, #"\/"#] {
                    let text = String(repeating: "a", count: before) + escape + String(repeating: "b", count: after)
                    let json = #"{"id":"i","text":"\#(text)","published":"2020-10-24"}"#
                    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
                    let article = FastJSONL.article(line(json), path: "p", lineNumber: 1)
                    #expect(article?.text == object?["text"] as? String, "\(json)")
                    #expect(article?.published == "2020-10-24")
                }
            }
        }
        // control bytes and unterminated strings are not the fast reader's to word
        #expect(FastJSONL.article(line("{\"text\":\"a\u{1}b\"}"), path: "p", lineNumber: 1) == nil)
        #expect(FastJSONL.article(line(#"{"text":"abcdefghijklmnop"#), path: "p", lineNumber: 1) == nil)
    }
}
