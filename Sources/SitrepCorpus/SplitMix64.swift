/// SplitMix64 (Steele, Lea and Flood 2014): a tiny, fast, well-mixed 64-bit generator whose
/// output depends on nothing but its seed, so a corpus generated from a seed is byte-identical on
/// every machine and Swift version. Deliberately not a `RandomNumberGenerator`: the standard
/// library's `random(in:using:)` algorithms are not promised stable across releases.
public struct SplitMix64: Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    /// A generator for item `index` of a stream seeded with `seed`: independent of every other
    /// item, so articles can be generated in any order (or in parallel) with the same bytes.
    public init(seed: UInt64, index: UInt64) {
        var mixer = SplitMix64(seed: seed ^ 0x5EED_C0A7_1A7E_D000)
        let a = mixer.next()
        state = a &+ index &* 0xD1B5_4A32_D192_ED03
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-shift; the tiny bias for huge bounds
    /// does not matter for a corpus). `bound` ≤ 0 gives 0.
    public mutating func below(_ bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        let product = next().multipliedFullWidth(by: UInt64(bound))
        return Int(product.high)
    }

    /// A uniform integer in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `percent`/100.
    public mutating func chance(_ percent: Int) -> Bool {
        below(100) < percent
    }

    /// A uniformly chosen element; `nil` only for an empty collection.
    public mutating func pick<C: RandomAccessCollection>(_ items: C) -> C.Element? where C.Index == Int {
        guard !items.isEmpty else { return nil }
        return items[items.startIndex + below(items.count)]
    }
}
