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

    /// The MinHash signature as first written: one pass per shingle over the 32 functions. Every
    /// stored article's `minhash` and bands come from it, so a faster pass must give the same
    /// signature for every input (else a copy would no longer match the stored original).
    static func referenceSignature(_ keys: [UInt64]) -> [UInt32] {
        guard keys.count >= MinHash.shingle else { return [] }
        let coefficients = (0..<MinHash.size).map { k in
            (StableHash.mix(UInt64(k) &* 2 &+ 1) | 1, StableHash.mix(UInt64(k) &* 2 &+ 2))
        }
        var mins = [UInt64](repeating: .max, count: MinHash.size)
        for i in 0...(keys.count - MinHash.shingle) {
            var h: UInt64 = 0x243F_6A88_85A3_08D3
            for j in 0..<MinHash.shingle { h = (h ^ keys[i + j]) &* 0x0000_0100_0000_01B3 }
            h = StableHash.mix(h)
            for f in 0..<MinHash.size {
                let x = h &* coefficients[f].0 &+ coefficients[f].1
                if x < mins[f] { mins[f] = x }
            }
        }
        return mins.map { UInt32(truncatingIfNeeded: $0 >> 32) }
    }

    @Test func minHashSignatureEqualsTheFirstImplementation() {
        var g = SystemRandomNumberGenerator()
        for n in [0, 1, 3, 4, 5, 6, 7, 8, 9, 31, 250, 1_001] {
            for _ in 0..<3 {
                // Few distinct keys too, so shingles repeat and minima tie.
                let distinct = UInt64.random(in: 1...40, using: &g)
                let keys = (0..<n).map { _ in Bool.random(using: &g) ? UInt64.random(in: 0..<distinct, using: &g) : UInt64.random(in: 0...UInt64.max, using: &g) }
                #expect(MinHash.signature(keys: keys) == Self.referenceSignature(keys))
            }
        }
    }
}
