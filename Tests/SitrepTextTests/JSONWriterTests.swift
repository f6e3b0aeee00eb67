import Foundation
import Testing
@testable import SitrepText

@Suite struct JSONWriterTests {
    @Test func escapesAndOrdersFields() throws {
        var w = JSONWriter()
        w.beginObject()
        w.field("z", "quote \" backslash \\ newline \n tab \t bell \u{7} Şuşa 🙂")
        w.field("a", 3)
        w.key("list"); w.beginArray(); w.int(1); w.null(); w.bool(true); w.double(2.5); w.endArray()
        w.field("none", nil as String?)
        w.endObject()
        let line = w.takeLine()
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.hasPrefix("{\"z\":"))
        #expect(text.hasSuffix("}\n"))
        let parsed = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
        #expect(parsed?["z"] as? String == "quote \" backslash \\ newline \n tab \t bell \u{7} Şuşa 🙂")
        #expect(parsed?["a"] as? Int == 3)
        #expect((parsed?["list"] as? [Any])?.count == 4)
        #expect(parsed?["none"] is NSNull)
    }
}

@Suite struct JSONWriterCoordinateTests {
    func text(_ v: Double) -> String {
        var w = JSONWriter()
        w.beginArray()
        w.coordinate(v)
        w.endArray()
        return String(decoding: w.takeLine(), as: UTF8.self)
    }

    @Test func coordinatesHaveAtMostFiveDecimals() {
        #expect(text(Double(Float(39.85))) == "[39.85]\n")
        #expect(text(-98.5) == "[-98.5]\n")
        #expect(text(46.752789) == "[46.75279]\n")
        #expect(text(0) == "[0]\n")
        #expect(text(-0.000001) == "[0]\n")
        #expect(text(-0.00001) == "[-0.00001]\n")
        #expect(text(180) == "[180]\n")
        #expect(text(0.1) == "[0.1]\n")
    }

    @Test func deepNestingKeepsCommasRight() throws {
        var w = JSONWriter()
        for _ in 0..<70 { w.beginArray(); w.int(1) }
        for _ in 0..<70 { w.endArray() }
        let line = w.takeLine()
        let parsed = try JSONSerialization.jsonObject(with: Data(line))
        #expect(parsed is [Any])
    }
}
