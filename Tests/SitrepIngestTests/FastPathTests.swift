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

    /// `FastJSONL.Parser.validUTF8` accepts and rejects exactly what `String(validating:as:)` does,
    /// including invalid bytes whose repair is as long as they are (a truncated four-byte
    /// sequence: three bytes for one U+FFFD).
    @Test func utf8ValidationAsTheStandardLibrary() {
        var cases: [[UInt8]] = [
            [], Array("plain".utf8), Array("Zürich – 東京 😀".utf8),
            [0xF0, 0x9F, 0x98, 0x41], [0xF0, 0x9F, 0x98], [0xE2, 0x82], [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xFF], Array("ok".utf8) + [0xE2, 0x82] + Array("ok".utf8), [0x00, 0x41],
        ]
        // every prefix of a mixed text, so multi-byte characters are cut at each byte
        let mixed = Array("aé東😀b".utf8)
        for n in 0...mixed.count { cases.append(Array(mixed[..<n])) }
        for bytes in cases {
            let fast = bytes.withUnsafeBufferPointer(FastJSONL.Parser.validUTF8)
            #expect(fast == String(validating: bytes, as: UTF8.self), "\(bytes)")
        }
    }
}
