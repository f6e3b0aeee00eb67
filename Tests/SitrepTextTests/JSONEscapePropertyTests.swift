import Foundation
import Testing
@testable import SitrepText

/// Property tests of `JSONLine`'s escaper (the short-string path that tests and copies up to
/// 32 bytes with word moves, and the run loop): on random strings of every length, with control
/// characters, quotes, backslashes, multi-byte UTF-8 and U+2028 mixed in, it writes exactly what
/// `JSONWriter` writes, and the JSON parses back to the input.
@Suite struct JSONEscapePropertyTests {
    /// A small deterministic generator (SplitMix64), so a failure repeats.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let specials: [Unicode.Scalar] = [
        "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1}", "\u{1F}", "\u{7F}", "/", "\u{2028}", "\u{2029}",
        "é", "’", "Ş", "€", "🙂", "\u{301}",
    ]
    // (no U+FEFF: Foundation's JSON parser drops it from a string's start, so the round trip
    // could not compare; the escaper copies it like any other multi-byte scalar)

    /// A random string: mostly ASCII letters, sometimes a special scalar.
    static func randomString(_ r: inout Random, length: Int, specialRate: Int) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length {
            if r.below(100) < specialRate {
                scalars.append(specials[r.below(specials.count)])
            } else if r.below(10) == 0 {
                scalars.append(Unicode.Scalar(UInt8(0x20 + r.below(0x5F))))
            } else {
                scalars.append(Unicode.Scalar(UInt8(97 + r.below(26))))
            }
        }
        return String(scalars)
    }

    func writer(_ s: String) -> [UInt8] {
        var w = JSONWriter()
        w.beginArray()
        w.string(s)
        w.endArray()
        return Array(w.takeLine().dropFirst().dropLast(2))
    }

    func line(_ body: (inout JSONLine) -> Void) -> [UInt8] {
        var l = JSONLine(capacity: 8)
        body(&l)
        return Array(l.finish().dropLast())
    }

    func parsed(_ json: [UInt8]) -> String? {
        let array = "[".utf8 + json + "]".utf8
        return (try? JSONSerialization.jsonObject(with: Data(array))) .flatMap { ($0 as? [Any])?.first as? String }
    }

    @Test func randomStringsMatchJSONWriterAndRoundTrip() {
        var r = Random(state: 20_260_101)
        for length in Array(0...80) + [100, 127, 128, 129, 255, 300, 511, 512, 513, 700] {
            for rate in [0, 3, 20, 100] {
                for _ in 0..<6 {
                    let s = Self.randomString(&r, length: length, specialRate: rate)
                    let expected = writer(s)
                    let written = line { $0.string(s) }
                    #expect(written == expected, "\(s.debugDescription)")
                    let bytes = Array(s.utf8)
                    let fromBytes = bytes.withUnsafeBufferPointer { p in line { $0.string(utf8: p) } }
                    #expect(fromBytes == expected, "\(s.debugDescription)")
                    #expect(parsed(written) == s, "\(s.debugDescription)")
                }
            }
        }
    }

    /// Every byte value (below 0x80, alone and inside clean text of each short length) escapes
    /// as `JSONWriter` escapes it.
    @Test func everyASCIIByteAtEveryPositionOfShortStrings() {
        for b in UInt8(0)..<0x80 {
            for length in [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 47, 48, 49, 64, 100, 512, 513] {
                for position in Set([0, length / 2, length - 1]) {
                    var bytes = [UInt8](repeating: 0x61, count: length)
                    bytes[position] = b
                    let s = String(decoding: bytes, as: UTF8.self)
                    #expect(line { $0.string(s) } == writer(s), "byte \(b) at \(position) of \(length)")
                    #expect(parsed(line { $0.string(s) }) == s)
                }
            }
        }
    }

    /// The run loop of long strings (sixteen bytes stored, then tested): an escape, a pair of
    /// escapes or a six-byte `\u00XX` escape at every offset of a step, near the end of the
    /// string and in its last partial step, written as `JSONWriter` writes them.
    @Test func escapesAtEveryOffsetOfLongStrings() {
        for length in [513, 530, 600] {
            for position in Array(0..<40) + Array((length - 40)..<length) {
                for specials in [[UInt8(0x0A)], [0x0A, 0x0A], [0x22, 0x5C], [0x01], [0x1F, 0x09, 0x0D]] {
                    var bytes = (0..<length).map { UInt8(97 + $0 % 26) }
                    for (k, b) in specials.enumerated() where position + k < length { bytes[position + k] = b }
                    let s = String(decoding: bytes, as: UTF8.self)
                    #expect(line { $0.string(s) } == writer(s), "\(specials) at \(position) of \(length)")
                }
            }
        }
        // every byte an escape, and a long string of quotes then clean text
        let all = String(decoding: [UInt8](repeating: 0x22, count: 700), as: UTF8.self)
        #expect(line { $0.string(all) } == writer(all))
        let mixed = String(repeating: "\"\n", count: 300) + String(repeating: "clean text ", count: 60)
        #expect(line { $0.string(mixed) } == writer(mixed))
    }
}

