import SitrepText

/// Near-duplicate detection for articles (wire copies, syndicated reprints, updated versions):
/// MinHash over 4-token shingles of the folded word and number tokens outside boilerplate,
/// banded for locality-sensitive lookup. Two articles are near-duplicates when their estimated
/// Jaccard similarity is at least `threshold`.
public enum MinHash {
    /// Hash functions per signature.
    public static let size = 32
    /// Bands × rows = size. 8 bands of 4 rows: pairs at Jaccard 0.8 share a band with p ≈ 0.97.
    public static let bands = 8
    public static let rows = 4
    public static let shingle = 4
    public static let threshold = 0.8

    /// The signature of a document; empty when it has fewer than `shingle` content tokens.
    public static func signature(_ doc: Document) -> [UInt32] {
        var keys: [UInt64] = []
        keys.reserveCapacity(doc.tokens.count)
        for t in doc.tokens where (t.kind == .word || t.kind == .number) && !t.has(.boilerplate) {
            keys.append(t.key)
        }
        return signature(keys: keys)
    }

    /// Per-function multipliers and offsets: h_k(x) = a_k·x + b_k (mod 2^64), high 32 bits.
    static let coefficients: [(UInt64, UInt64)] = (0..<size).map { k in
        (StableHash.mix(UInt64(k) &* 2 &+ 1) | 1, StableHash.mix(UInt64(k) &* 2 &+ 2))
    }

    public static func signature(keys: [UInt64]) -> [UInt32] {
        guard keys.count >= shingle else { return [] }
        var mins = [UInt64](repeating: .max, count: size)
        let coeff = coefficients
        mins.withUnsafeMutableBufferPointer { m in
            coeff.withUnsafeBufferPointer { c in
                keys.withUnsafeBufferPointer { k in
                    for i in 0...(k.count - shingle) {
                        var h: UInt64 = 0x243F_6A88_85A3_08D3
                        for j in 0..<shingle { h = (h ^ k[i + j]) &* 0x0000_0100_0000_01B3 }
                        h = StableHash.mix(h)
                        for f in 0..<size {
                            let x = h &* c[f].0 &+ c[f].1
                            if x < m[f] { m[f] = x }
                        }
                    }
                }
            }
        }
        return mins.map { UInt32(truncatingIfNeeded: $0 >> 32) }
    }

    /// One key per band (band number mixed in), for an indexed candidate lookup.
    public static func bandKeys(_ sig: [UInt32]) -> [Int64] {
        guard sig.count == size else { return [] }
        var out: [Int64] = []
        out.reserveCapacity(bands)
        for b in 0..<bands {
            var h = UInt64(b) &* 0x9E37_79B9_7F4A_7C15
            for r in 0..<rows { h = StableHash.mix(h ^ UInt64(sig[b * rows + r])) }
            out.append(Int64(bitPattern: h))
        }
        return out
    }

    /// Estimated Jaccard similarity of two signatures.
    public static func similarity(_ a: [UInt32], _ b: [UInt32]) -> Double {
        guard a.count == size, b.count == size else { return 0 }
        var same = 0
        for i in 0..<size where a[i] == b[i] { same += 1 }
        return Double(same) / Double(size)
    }

    public static func encode(_ sig: [UInt32]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(sig.count * 4)
        for v in sig {
            out.append(UInt8(v & 0xFF)); out.append(UInt8((v >> 8) & 0xFF))
            out.append(UInt8((v >> 16) & 0xFF)); out.append(UInt8(v >> 24))
        }
        return out
    }

    public static func decode(_ bytes: [UInt8]) -> [UInt32] {
        guard bytes.count % 4 == 0 else { return [] }
        var out: [UInt32] = []
        out.reserveCapacity(bytes.count / 4)
        var i = 0
        while i < bytes.count {
            out.append(UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16 | UInt32(bytes[i + 3]) << 24)
            i += 4
        }
        return out
    }
}
