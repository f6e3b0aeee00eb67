import Testing
@testable import SitrepText

/// `ScalarOffsets.scalar(_:hint:)` (stepping from the last answer) gives what the binary search
/// gives, for queries in text order, in reverse, and at random, from any starting hint.
@Suite struct ScalarHintTests {
    @Test(arguments: 0..<40)
    func hintedOffsetsEqualSearchedOffsets(seed: Int) {
        var rng = OffsetPropertyTests.SplitMix64(state: UInt64(seed) &* 104_729 &+ 3)
        var text = ""
        for _ in 0..<Int(rng.next() % 120) { text += rng.pick(OffsetPropertyTests.fragments) }
        let bytes = Array(text.utf8)
        let offsets = bytes.withUnsafeBufferPointer { ScalarOffsets($0) }
        // scalar boundaries (every byte that does not continue a scalar) and the end
        let boundaries = bytes.indices.filter { bytes[$0] & 0xC0 != 0x80 } + [bytes.count]
        var orders = [boundaries, boundaries.reversed()]
        orders.append((0..<boundaries.count).map { _ in rng.pick(boundaries) })
        for order in orders {
            var hint = Int(rng.next() % 5)
            for b in order {
                #expect(offsets.scalar(b, hint: &hint) == offsets.scalar(b), "byte \(b) of \(text.debugDescription)")
            }
        }
    }
}
