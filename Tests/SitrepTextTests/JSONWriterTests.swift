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
