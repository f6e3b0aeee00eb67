/// Where a streaming JSON writer is: how deep, and whether each open container already holds an
/// element (so the next one needs a comma). Shared by `JSONWriter` and the store's
/// Foundation-compatible writer. Bit `depth - 1` of `commaBits` is the container at that depth;
/// levels deeper than 64 (never in sitrep's records) use `deepCommas`.
public struct JSONNesting: Sendable {
    /// Open containers around the next value.
    @inlinable public var depth: Int { level }
    @usableFromInline var level = 0
    @usableFromInline var commaBits: UInt64 = 0
    @usableFromInline var deepCommas: [Bool] = []

    public init() {}

    /// Marks the current container as holding an element; true when it held one already. At the
    /// top level (depth 0) nothing is marked and the answer is false.
    @inlinable @inline(__always)
    public mutating func markElement() -> Bool {
        if level == 0 { return false }
        if level > 64 {
            let had = deepCommas[level &- 65]
            deepCommas[level &- 65] = true
            return had
        }
        let bit: UInt64 = 1 << UInt64(level &- 1)
        let had = commaBits & bit != 0
        commaBits |= bit
        return had
    }

    /// A container opened: one level deeper, holding nothing yet.
    @inlinable
    public mutating func push() {
        level &+= 1
        if level > 64 {
            deepCommas.append(false)
        } else {
            commaBits &= ~(1 << UInt64(level &- 1))
        }
    }

    /// The current container closed.
    @inlinable
    public mutating func pop() {
        if level > 64 {
            deepCommas.removeLast()
        } else if level > 0 {
            commaBits &= ~(1 << UInt64(level &- 1))
        }
        level = Swift.max(0, level &- 1)
    }

    /// Back to the top level.
    public mutating func reset() {
        commaBits = 0
        deepCommas.removeAll()
        level = 0
    }
}
