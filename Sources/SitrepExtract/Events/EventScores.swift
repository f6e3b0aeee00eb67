// The values a sentence's trigger reading is made of: families present, family conditions of rules,
// and scores by code.

/// A set of trigger families (ids below `capacity`) as two words of bits.
struct FamilySet: Sendable, Equatable {
    static let capacity = 128
    var low: UInt64 = 0
    var high: UInt64 = 0

    @inline(__always)
    func contains(_ id: Int) -> Bool {
        id < 64 ? low & (1 << UInt64(id)) != 0 : high & (1 << UInt64(id - 64)) != 0
    }

    @inline(__always)
    mutating func insert(_ id: Int) {
        if id < 64 { low |= 1 << UInt64(id) } else { high |= 1 << UInt64(id - 64) }
    }

    @inline(__always)
    mutating func remove(_ id: Int) {
        if id < 64 { low &= ~(1 << UInt64(id)) } else { high &= ~(1 << UInt64(id - 64)) }
    }

    mutating func formUnion(_ other: FamilySet) {
        low |= other.low
        high |= other.high
    }

    func intersects(_ other: FamilySet) -> Bool {
        low & other.low != 0 || high & other.high != 0
    }
}

/// A rule's family condition: none, a family present, or (`!family`) a family absent.
struct FamilyCondition: Sendable {
    let family: Int
    let absent: Bool

    init(_ text: String, _ families: inout Interner) {
        if text.isEmpty {
            family = -1
            absent = false
        } else if text.hasPrefix("!") {
            family = families.id(String(text.dropFirst()))
            absent = true
        } else {
            family = families.id(text)
            absent = false
        }
    }

    func holds(_ families: FamilySet) -> Bool {
        guard family >= 0 else { return true }
        return families.contains(family) != absent
    }
}

/// Scores by code id, in the order codes were first scored. A code can be present with score 0
/// (a score moved away), as a key of a dictionary could.
struct CodeScores {
    var entries: [(code: Int, score: Int)] = []

    var isEmpty: Bool { entries.isEmpty }

    subscript(_ code: Int) -> Int? {
        for e in entries where e.code == code { return e.score }
        return nil
    }

    /// `scores[code, default: 0] += value`.
    @inline(__always)
    mutating func add(_ code: Int, _ value: Int) {
        // (a sentence scores a few codes: a scan of the buffer in place, no bounds checks)
        let found = entries.withUnsafeMutableBufferPointer { p -> Bool in
            for k in 0..<p.count where p[k].code == code {
                p[k].score += value
                return true
            }
            return false
        }
        if !found { entries.append((code, value)) }
    }

    /// `scores[code] = value`.
    mutating func set(_ code: Int, _ value: Int) {
        for k in entries.indices where entries[k].code == code {
            entries[k].score = value
            return
        }
        entries.append((code, value))
    }

    mutating func add(_ other: CodeScores) {
        for e in other.entries { add(e.code, e.score) }
    }

    /// Empties the scores, keeping the buffer for the next sentence.
    mutating func removeAll() {
        if !entries.isEmpty { entries.removeAll(keepingCapacity: true) }
    }
}
