import Foundation

/// Place objects and rule texts the tagger made, shared by every document of the process: a
/// gazetteer record's place object (its fields boxed once) and a resolution's rule text
/// depend on the record and the resolution only, so a name met again in a later document
/// costs a look-up instead of new strings and a new box. One per tagger (its copies share it);
/// thread-safe; full at `limit` entries a table (then new ones are made and not kept).
final class PlaceRefCache: @unchecked Sendable {
    private let lock = NSLock()
    private var boxes: [Int: PlaceRef.Record] = [:]
    private var rules: [UInt64: String] = [:]
    static let limit = 1 << 18

    /// The key of a rule text: its record and how it was resolved (nil when a part does not fit).
    static func ruleKey(record: Int, demonym: Int, fuzzy: Bool, aliasGroup: Bool, why: UInt8) -> UInt64? {
        guard record >= 0, record < 1 << 39, demonym >= -1, demonym < 0xFFFF, why < 16 else { return nil }
        return UInt64(record) << 24 | UInt64(demonym + 1) << 8 | (fuzzy ? 1 << 5 : 0) | (aliasGroup ? 1 << 4 : 0)
            | UInt64(why)
    }

    func box(_ record: Int) -> PlaceRef.Record? {
        lock.lock()
        defer { lock.unlock() }
        return boxes[record]
    }

    func store(_ record: Int, _ box: PlaceRef.Record) {
        lock.lock()
        defer { lock.unlock() }
        if boxes.count < Self.limit, boxes[record] == nil { boxes[record] = box }
    }

    /// The place box of `record` and the rule text under `rule`, as far as they are kept.
    func lookup(_ record: Int, rule: UInt64?) -> (box: PlaceRef.Record?, rule: String?) {
        lock.lock()
        defer { lock.unlock() }
        return (boxes[record], rule.flatMap { rules[$0] })
    }

    func store(_ record: Int, _ box: PlaceRef.Record, rule: UInt64?, _ text: String) {
        lock.lock()
        defer { lock.unlock() }
        if boxes.count < Self.limit, boxes[record] == nil { boxes[record] = box }
        if let rule, rules.count < Self.limit, rules[rule] == nil { rules[rule] = text }
    }
}
