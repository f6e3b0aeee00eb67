import Foundation
import Testing
@testable import SitrepText

@Suite struct JSONValueTests {
    @Test func readsEveryKindOfValue() throws {
        let v = try #require(JSONValue.parse(#" {"a": [1, -2, 3.5, 1e3, -0.25E-2], "b": {"c": null, "d": true, "e": false}, "f": "x\"y\\z\/\n\u00e9\ud83d\ude00"} "#))
        #expect(v["a"] == .array([.int(1), .int(-2), .double(3.5), .double(1000), .double(-0.0025)]))
        #expect(v["b"]?["c"] == .null)
        #expect(v["b"]?["d"]?.bool == true)
        #expect(v["b"]?["e"]?.bool == false)
        #expect(v["f"]?.string == "x\"y\\z/\né😀")
        #expect(v["missing"] == nil)
        #expect(v["a"]?.array?[2].int == nil)  // 3.5 is not an integer
        #expect(v["a"]?.array?[3].int == 1000)  // 1e3 is
    }

    @Test func rejectsWhatIsNotJSON() {
        for text in ["", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", "-", "+1", ".5", "1e", "tru", "nul",
                     "\"abc", "\"a\u{1}b\"", "\"\\x\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "{} {}",
                     "[" + String(repeating: "[", count: 70) + String(repeating: "]", count: 71)] {
            #expect(JSONValue.parse(text) == nil, "\(text.debugDescription)")
        }
    }

    @Test func rejectsInvalidUTF8InStrings() {
        let bytes: [UInt8] = [0x22, 0x61, 0xC3, 0x28, 0x22]  // "a<bad>("
        #expect(bytes.withUnsafeBufferPointer { JSONValue.parse($0) } == nil)
    }

    /// Whatever JSONWriter writes, JSONValue reads back to the same strings and numbers, and
    /// Foundation agrees.
    @Test func roundTripsWhatJSONWriterWrites() throws {
        var state: UInt64 = 42
        let alphabet = Array("ab \"\\/\n\t\u{1}\u{1F}é–😀€ ".unicodeScalars)
        for _ in 0..<300 {
            var s = ""
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for _ in 0..<Int(state >> 59) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                s.unicodeScalars.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            let d = Double(Int64(bitPattern: state) >> 20) / 1e5
            var w = JSONWriter(capacity: 64)
            w.beginObject()
            w.field("s", s)
            w.field("d", d)
            w.field("i", Int(truncatingIfNeeded: state))
            w.endObject()
            let text = String(decoding: w.bytes, as: UTF8.self)
            let v = try #require(JSONValue.parse(text), "\(text)")
            #expect(v["s"]?.string == s)
            #expect(v["d"]?.double == d)
            #expect(v["i"]?.int == Int(truncatingIfNeeded: state))
            let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            #expect(foundation?["s"] as? String == s)
        }
    }
}
