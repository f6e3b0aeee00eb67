import Testing
@testable import SitrepText

/// The fast paths of `JSONLine` (short runs copied by word moves, small integers and usual dates
/// from the digit-pair table, lines built in borrowed memory) write exactly what the general
/// paths and `JSONWriter` write.
@Suite struct JSONLineFastPathTests {
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

    @Test func everyRunLengthMatchesJSONWriter() {
        // clean runs of every length up to past the memmove threshold, with an escape before,
        // inside and after them
        for n in 0...70 {
            let run = String((0..<n).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
            for s in [run, "\"" + run, run + "\n", String(run.prefix(n / 2)) + "\\" + String(run.dropFirst(n / 2))] {
                #expect(line { $0.string(s) } == writer { $0.string(s) }, "\(s.debugDescription)")
            }
        }
    }

    /// A mention's offsets and text written in one go equal the general writers' output, for
    /// offsets on both sides of every digit count and of the fast path's limit, and texts of every
    /// length up to past the short-copy limit, clean, escaped and non-ASCII.
    @Test func offsetsAndTextMatchTheGeneralWriters() {
        let offsets = [0, 9, 10, 99, 100, 999, 1000, 9999, 10_000, 123_456, -1]
        var texts: [String] = []
        for n in 0...40 {
            let run = String((0..<n).map { Character(UnicodeScalar(UInt8(65 + $0 % 26))) })
            texts += [run, "\"" + run, run + "\n", run + "é", "\u{1}" + run]
        }
        for start in offsets {
            for end in offsets.reversed() {
                for t in texts {
                    let bytes = Array(t.utf8)
                    let fast = bytes.withUnsafeBufferPointer { b in line { $0.offsetsAndText(start, end, b) } }
                    let general = bytes.withUnsafeBufferPointer { b in
                        line { w in
                            w.int(start)
                            w.raw(",\"end\":")
                            w.int(end)
                            w.raw(",\"text\":")
                            w.string(utf8: b)
                        }
                    }
                    #expect(fast == general, "\(start) \(end) \(t.debugDescription)")
                }
            }
        }
        // an empty buffer without an address
        let none = line { $0.offsetsAndText(1, 2, UnsafeBufferPointer(start: nil, count: 0)) }
        #expect(String(decoding: none, as: UTF8.self) == "1,\"end\":2,\"text\":\"\"")
    }

    /// A whole mention (head, offsets, text, cached tail) written in one go equals the pieces
    /// written one by one, for tails on both sides of the short-copy limit, texts clean and
    /// escaped, offsets inside and outside the fast path.
    @Test func mentionMatchesItsPiecesWrittenOneByOne() {
        let heads: [StaticString] = ["{\"kind\":\"place\",\"start\":", "{\"kind\":\"weapon\",\"start\":"]
        let tails = ["", "}", ",\"rule\":\"x\"}", String(repeating: "t", count: 31), String(repeating: "u", count: 32),
                     String(repeating: "v", count: 33), ",\"actor\":{\"id\":\"MIL\",\"name\":\"troops\"},\"rule\":\"en/actors.tsv#10\"}"]
        let texts = ["", "Aden", "a \"quoted\" name", String(repeating: "w", count: 32), String(repeating: "w", count: 33), "Tərtər"]
        for head in heads {
            for (start, end) in [(0, 4), (9999, 9999), (10_000, 10_004), (3, 12_000)] {
                for t in texts {
                    for tail in tails {
                        let text = Array(t.utf8), held = Array(tail.utf8)
                        let fast = text.withUnsafeBufferPointer { b in
                            held.withUnsafeBufferPointer { h in line { $0.mention(head, start, end, b, h) } }
                        }
                        let pieces = text.withUnsafeBufferPointer { b in
                            held.withUnsafeBufferPointer { h in
                                line { w in
                                    w.raw(head)
                                    w.int(start)
                                    w.raw(",\"end\":")
                                    w.int(end)
                                    w.raw(",\"text\":")
                                    w.string(utf8: b)
                                    w.append(h)
                                }
                            }
                        }
                        #expect(fast == pieces, "\(start) \(end) \(t.debugDescription) \(tail.count)")
                    }
                }
            }
        }
    }

    @Test func smallIntegersMatchJSONWriter() {
        for v in Array(0...10_100) + [99_999, 100_000, 1_000_000, -5, -10_000] {
            #expect(line { $0.int(v) } == writer { $0.int(v) }, "\(v)")
        }
    }

    @Test func usualDatesMatchTheGeneralPath() {
        for (y, m, d) in [(2020, 10, 24), (999, 1, 1), (9999, 99, 99), (10_000, 1, 1), (2020, -1, 5), (7, 0, 0)] {
            let expected: String
            func pad(_ v: Int, _ w: Int) -> String {
                let digits = String(v.magnitude)
                return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, w - digits.count)) + digits
            }
            expected = "\"\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))\""
            #expect(line { $0.date(year: y, month: m, day: d) } == Array(expected.utf8), "\(y) \(m) \(d)")
        }
    }

    @Test func builtLinesMatchWhetherOrNotTheyOutgrowTheirMemory() {
        let text = String(repeating: "a \"quoted\" word, ", count: 40)
        func body(_ w: inout JSONLine) {
            w.raw("{\"text\":")
            w.string(text)
            w.raw(",\"n\":")
            w.int(12_345)
            w.raw(byte: 0x7D)
        }
        var reference = JSONLine(capacity: 8)
        body(&reference)
        let expected = reference.finish()
        for capacity in [0, 1, 64, 100, 2_000, 100_000] {
            #expect(JSONLine.build(capacity: capacity, body) == expected, "capacity \(capacity)")
        }
    }
}
