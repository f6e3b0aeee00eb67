import Testing
@testable import SitrepText

/// `JSONLine` (the extract record's fast writer) must write exactly what `JSONWriter` writes for
/// the same values: the contract's bytes may not change with the writer.
@Suite struct JSONLineTests {
    static let strings: [String] = [
        "", "a", "seven b", "exactly8", "nine char", "quote \" backslash \\ newline \n tab \t bell \u{7}",
        "\"", "\\", "\n\n", "ends with quote\"", "\"starts with quote", "Şuşa 🙂 Ma’rib", "\u{1F}\u{0}x",
        "a long clean run of ASCII text that spans several eight-byte words without escapes",
        "a long run with one \"quote\" in the middle of several eight-byte words",
        "carriage\rreturn", String(repeating: "x", count: 15) + "\"", String(repeating: "y", count: 16) + "\n",
    ]

    func writer(_ body: (inout JSONWriter) -> Void) -> [UInt8] {
        var w = JSONWriter()
        w.beginArray()
        body(&w)
        w.endArray()
        return Array(w.takeLine().dropFirst().dropLast(2))
    }

    func line(_ body: (inout JSONLine) -> Void) -> [UInt8] {
        var l = JSONLine(capacity: 8)
        body(&l)
        return Array(l.finish().dropLast())
    }

    @Test func stringsMatchJSONWriter() {
        for s in Self.strings {
            #expect(line { $0.string(s) } == writer { $0.string(s) }, "\(s.debugDescription)")
            let bytes = ArraySlice(Array(s.utf8))
            #expect(line { $0.string(utf8: bytes) } == writer { $0.string(utf8: bytes) }, "\(s.debugDescription)")
        }
        #expect(line { $0.string(nil as String?) } == Array("null".utf8))
    }

    @Test func integersMatchJSONWriter() {
        for v in [0, 1, 9, 10, 99, 100, 12345, -1, -10, -987654321, Int.max, Int.min] {
            #expect(line { $0.int(v) } == writer { $0.int(v) }, "\(v)")
        }
        #expect(line { $0.int(nil as Int?) } == Array("null".utf8))
    }

    @Test func coordinatesMatchJSONWriter() {
        for v in [0.0, -0.0, 39.85, -98.5, 46.75279, 12.779571, -0.000004, 0.00001, 180, -180, 1e10, .infinity, .nan] {
            #expect(line { $0.coordinate(v) } == writer { $0.coordinate(v) }, "\(v)")
        }
    }

    @Test func datesMatchCalendarDateDescription() {
        // the expected text is CalendarDate.description's format: YYYY-MM-DD, zero-padded
        let cases: [(Int, Int, Int, String)] = [
            (2020, 10, 24, "2020-10-24"), (987, 1, 5, "0987-01-05"), (0, 0, 0, "0000-00-00"),
            (12345, 12, 31, "12345-12-31"), (-44, 3, 15, "-0044-03-15"),
        ]
        for (y, m, d, expected) in cases {
            #expect(line { $0.date(year: y, month: m, day: d) } == Array("\"\(expected)\"".utf8))
        }
    }

    @Test func growsPastItsCapacity() {
        let long = String(repeating: "ab\"", count: 1000)
        #expect(line { $0.raw("{\"k\":"); $0.string(long); $0.raw(byte: 0x7D) }
            == Array("{\"k\":".utf8) + writer { $0.string(long) } + [0x7D])
    }
}
