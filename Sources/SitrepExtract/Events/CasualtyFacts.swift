/// What the event scoring asks of each casualty of a document, read once from its strings: per
/// casualty one byte of flags, so the per-sentence and per-incident loops compare no strings.
struct CasualtyFacts {
    static let incidentBit: UInt8 = 1, killedBit: UInt8 = 2, hurtBit: UInt8 = 4, armedBit: UInt8 = 8
    /// The rule's prefix: `subset:`, `convention:`, `total:`.
    static let subsetBit: UInt8 = 16, conventionBit: UInt8 = 32, totalBit: UInt8 = 64
    private(set) var flags: [UInt8]

    /// No casualties.
    init() { flags = [] }

    init(_ casualties: [Casualty]) {
        var flags = [UInt8](repeating: 0, count: casualties.count)
        for k in casualties.indices {
            var f: UInt8 = 0
            if casualties[k].scope == "incident" { f |= Self.incidentBit }
            let outcome = casualties[k].outcome
            if outcome == "killed" { f |= Self.killedBit | Self.hurtBit } else if outcome == "wounded" { f |= Self.hurtBit }
            let victims = casualties[k].victims
            if victims == "military" || victims == "police" { f |= Self.armedBit }
            // (read when the rule was made: no text joined)
            let prefixes = casualties[k].provenance.prefixes
            if prefixes & 1 != 0 { f |= Self.subsetBit }
            if prefixes & 2 != 0 { f |= Self.conventionBit }
            if prefixes & 4 != 0 { f |= Self.totalBit }
            flags[k] = f
        }
        self.flags = flags
    }

    /// `scope == "incident"`.
    @inline(__always)
    func incident(_ k: Int) -> Bool { flags[k] & Self.incidentBit != 0 }

    /// `outcome == "killed"`.
    @inline(__always)
    func killed(_ k: Int) -> Bool { flags[k] & Self.killedBit != 0 }

    /// `outcome == "killed" || outcome == "wounded"`.
    @inline(__always)
    func hurt(_ k: Int) -> Bool { flags[k] & Self.hurtBit != 0 }

    /// `rule.hasPrefix("subset:")`.
    @inline(__always)
    func subset(_ k: Int) -> Bool { flags[k] & Self.subsetBit != 0 }

    /// `rule.hasPrefix("convention:")`.
    @inline(__always)
    func convention(_ k: Int) -> Bool { flags[k] & Self.conventionBit != 0 }

    /// `rule.hasPrefix("total:")`.
    @inline(__always)
    func total(_ k: Int) -> Bool { flags[k] & Self.totalBit != 0 }

    /// `victims == "military" || victims == "police"`.
    @inline(__always)
    func armed(_ k: Int) -> Bool { flags[k] & Self.armedBit != 0 }
}
