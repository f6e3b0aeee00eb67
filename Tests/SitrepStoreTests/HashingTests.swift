import Foundation
import SitrepMerge
import Testing

@Suite struct HashingTests {
    /// The content hash as first written: byte by byte over each part's `utf8` view. Every stored
    /// article is keyed by it, so a faster implementation must give the same value for every input.
    static func reference(_ parts: [String?]) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x84222325cbf29ce4
        for part in parts {
            if let part {
                for byte in part.utf8 {
                    a ^= UInt64(byte); a = a &* 0x0000_0100_0000_01B3
                    b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 &+ 0x9E37
                }
                a ^= 0x1F; a = a &* 0x0000_0100_0000_01B3
            } else {
                a ^= 0x1E; a = a &* 0x0000_0100_0000_01B3
                b ^= 0x1E; b = b &* 0x0000_0100_0000_01B3
            }
            b ^= 0x1F; b = b &* 0x0000_0100_0000_01B3
        }
        return StableHash.hex(StableHash.mix(a)) + StableHash.hex(StableHash.mix(b ^ a))
    }

    @Test func contentHashIsUnchanged() {
        // A value pinned from the byte-by-byte implementation.
        let pinned: [String?] = ["Wire", nil, "Shelling hit Stepanakert.", ""]
        #expect(Self.reference(pinned) == "a01abe7085318f011e3b1aea473ea719")
        #expect(StableHash.content(pinned) == "a01abe7085318f011e3b1aea473ea719")
        let pieces = ["shelling", " ", "Ստեփանակերտ", "—", "Şuşa", "é", "🚀", "\u{1F}", "\n", "12,000"]
        var rng = SplitMix(seed: 7)
        for _ in 0..<200 {
            var parts: [String?] = []
            for _ in 0..<Int.random(in: 0...5, using: &rng) {
                if Int.random(in: 0..<6, using: &rng) == 0 { parts.append(nil); continue }
                var s = ""
                for _ in 0..<Int.random(in: 0...40, using: &rng) { s += pieces[Int.random(in: 0..<pieces.count, using: &rng)] }
                // Some parts bridged from Foundation (not native UTF-8 storage).
                parts.append(Bool.random(using: &rng) ? s : String(NSString(string: s)))
            }
            #expect(StableHash.content(parts) == Self.reference(parts))
        }
    }
}
