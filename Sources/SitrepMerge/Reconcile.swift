import Foundation

/// How reported figures become one incident's low/best/high.
public enum ReconcilePolicy: String, Sendable, Codable, CaseIterable {
    /// ACLED: the lowest credible figure (low = best = high).
    case conservative
    /// UCDP: low = lowest credible, high = highest credible, best = the figure most independent
    /// sources support (ties: the lower figure).
    case range
}

/// Where a reconciled number comes from.
public struct FigureSource: Sendable, Hashable, Codable {
    public var report: String
    public var article: String
    public var source: String?
    public var claimant: String?
    public var value: Int
    public var qualifier: String
}

/// One reconciled figure with the reports and claimants behind each number.
public struct Reconciled: Sendable, Hashable, Codable {
    public var low: Int
    public var best: Int
    /// nil when every credible figure is open-ended ("at least").
    public var high: Int?
    public var lowFrom: [FigureSource]
    public var bestFrom: [FigureSource]
    public var highFrom: [FigureSource]
    /// Figures left out as not credible, with the reason.
    public var excluded: [String]
}

/// Reconciled figures for one outcome and victim category under both policies.
public struct CategoryFigures: Sendable, Hashable, Codable {
    public var outcome: String
    public var victims: String
    public var conservative: Reconciled
    public var range: Reconciled

    public func under(_ p: ReconcilePolicy) -> Reconciled { p == .conservative ? conservative : range }
}

/// One observation of a figure, as reconciliation sees it.
struct Observation {
    var low: Int
    var best: Int
    var high: Int?
    var qualifier: String
    /// What reconciliation reads of the report (holding the whole report copied its every string).
    var key: String
    var article: String
    var outlet: String?
    var dupGroup: String
    var denied: Bool
    var claimant: String?
    var credible = true
    var why = ""

    init(low: Int, best: Int, high: Int?, qualifier: String, report: Report, claimant: String?) {
        self.low = low
        self.best = best
        self.high = high
        self.qualifier = qualifier
        key = report.key
        article = report.article
        outlet = report.source
        dupGroup = report.dupGroup
        denied = report.stance == "denied"
        self.claimant = claimant
    }

    var source: FigureSource {
        FigureSource(report: key, article: article, source: outlet, claimant: claimant, value: best,
                     qualifier: qualifier)
    }
}

public enum Reconcile {
    /// A figure more than this many times the median of the others (with ≥ 3 figures) is not credible.
    public static let outlierFactor = 10

    /// Reconciles observations (nil when none is credible). With `sources: false` the figures'
    /// source lists and the exclusion notes stay empty (the same numbers; building them cost
    /// thousands of instructions per incident that the incidents table never stores).
    static func reconcile(_ input: [Observation], sources withSources: Bool = true)
        -> (conservative: Reconciled, range: Reconciled)? {
        var obs = input
        var excluded: [String] = []
        for i in obs.indices {
            if obs[i].denied {
                obs[i].credible = false
                obs[i].why = "report denies the incident"
            } else if obs[i].qualifier == "vague" {
                obs[i].credible = false
                obs[i].why = "vague figure"
            }
        }
        let credibleIdx = obs.indices.filter { obs[$0].credible }
        if credibleIdx.count >= 3 {
            for i in credibleIdx {
                let others = credibleIdx.filter { $0 != i }.map { obs[$0].best }.sorted()
                let median = others[others.count / 2]
                if obs[i].best > Swift.max(1, median) * outlierFactor {
                    obs[i].credible = false
                    obs[i].why = "outlier: more than \(outlierFactor)× the median of the other figures"
                }
            }
        }
        for o in obs where withSources && !o.credible {
            excluded.append("\(o.best) from \(o.key)\(o.claimant.map { " (\($0))" } ?? ""): \(o.why)")
        }
        let credible = obs.filter(\.credible).sorted { ($0.best, $0.key) < ($1.best, $1.key) }
        guard let first = credible.first else { return nil }

        func sources(_ pick: (Observation) -> Bool) -> [FigureSource] {
            guard withSources else { return [] }
            return credible.compactMap { pick($0) ? $0.source : nil }.sorted { $0.report < $1.report }
        }
        // conservative: the lowest credible figure (its sources listed once, for all three).
        let minBest = first.best
        let minSources = sources { $0.best == minBest }
        let cons = Reconciled(
            low: minBest, best: minBest, high: minBest, lowFrom: minSources, bestFrom: minSources,
            highFrom: minSources, excluded: excluded)

        // range: low = lowest low, high = highest credible high (or best when open-ended),
        // best = the figure most independent sources (near-duplicate groups) support.
        let minLow = credible.map(\.low).min() ?? minBest
        let highs = credible.map { $0.high ?? $0.best }
        let maxHigh = highs.max() ?? minBest
        // `credible` is sorted by figure: one run per figure, counted in ascending order, so a later
        // figure wins only with strictly more groups (ties go to the lower figure).
        var best = minBest, bestGroups = 0
        var groups: [String] = []
        var i = 0
        while i < credible.count {
            let value = credible[i].best
            groups.removeAll(keepingCapacity: true)
            while i < credible.count && credible[i].best == value {
                if !groups.contains(credible[i].dupGroup) { groups.append(credible[i].dupGroup) }
                i += 1
            }
            if groups.count > bestGroups { (best, bestGroups) = (value, groups.count) }
        }
        let range = Reconciled(
            low: minLow, best: best, high: maxHigh,
            lowFrom: sources { $0.low == minLow }, bestFrom: sources { $0.best == best },
            highFrom: sources { ($0.high ?? $0.best) == maxHigh }, excluded: excluded)
        return (cons, range)
    }
}

/// The stored form of an incident: merged attributes, reconciled figures, provenance.
public struct IncidentRecord: Sendable, Codable {
    public var id: String
    public var dayStart: Int
    public var dayEnd: Int
    public var precision: String
    public var type: String
    public var subtype: String
    public var actor1: ActorKey?
    public var actor2: ActorKey?
    public var place: PlaceKey?
    /// Total deaths (all victim categories), under both policies; nil when no report gives a figure.
    public var fatalities: CategoryFigures?
    /// Per outcome and victim category.
    public var categories: [CategoryFigures]
    public var claimants: [String]
    public var contested: Bool
    public var deniedBy: [String]
    /// Outlets, sorted.
    public var sources: [String]
    /// Independent sources: near-duplicate groups.
    public var independentSources: Int
    public var reports: [String]
    public var evidence: [String: LinkEvidence]
    public var weapons: [String]

    public var dateStart: String { DayNumber.iso(dayStart) }
    public var dateEnd: String { DayNumber.iso(dayEnd) }

    /// Builds the record of a cluster.
    public init(_ c: IncidentCluster) {
        self.init(c, categories: true)
    }

    /// Builds the record of a cluster; with `categories: false` the per-category figures stay
    /// empty (what the incidents table stores needs only the totals); with `figureSources: false`
    /// every reconciled figure leaves `lowFrom`/`bestFrom`/`highFrom` and `excluded` empty (the
    /// incidents table stores the numbers only; queries that show a record keep the default).
    public init(_ c: IncidentCluster, categories withCategories: Bool, figureSources: Bool = true) {
        let members = c.members
        let founder = members[0]
        id = c.id
        // Date: the founder's (the finest); the interval every member shares when they agree.
        dayStart = founder.dayStart ?? 0
        dayEnd = founder.dayEnd ?? dayStart
        precision = founder.precision
        place = founder.place ?? members.lazy.compactMap(\.place).first
        // The most common type and subtype, ties to the smaller "type␟subtype" string; taken
        // from a member that has them (splitting the joined string cost ≈ 17,000 instructions).
        // When every member has the founder's, that is the answer without building the strings.
        if members.allSatisfy({ $0.type == founder.type && $0.subtype == founder.subtype }) {
            type = founder.type
            subtype = founder.subtype
        } else {
            let typePairs = members.map { "\($0.type)\u{1F}\($0.subtype)" }
            let common = Self.mostCommon(typePairs).flatMap { typePairs.firstIndex(of: $0) }.map { members[$0] }
            type = common?.type ?? founder.type
            subtype = common?.subtype ?? founder.subtype
        }
        let a1 = Self.mostCommon(members.compactMap(\.actor1))
        actor1 = a1
        actor2 = Self.mostCommon(members.compactMap(\.actor2).filter { $0 != a1 })
        // Collected as arrays and sorted once, each value kept once (a handful per incident:
        // hashing every string into a set cost more).
        var claimantList: [String] = []
        var deniers: [String] = []
        var outlets: [String] = []
        var groups: [String] = []
        var weaponList: [String] = []
        // The members' fields read in place (`for m in members` copied each whole report).
        members.withUnsafeBufferPointer { ms in
            for i in ms.indices {
                if let c = ms[i].claimant { claimantList.append(c.name) }
                for f in ms[i].figures { if let n = f.claimantName { claimantList.append(n) } }
                deniers.append(contentsOf: ms[i].deniedBy)
                if ms[i].stance == "denied", let c = ms[i].claimant { deniers.append(c.name) }
                if let s = ms[i].source { outlets.append(s) }
                groups.append(ms[i].dupGroup)
                weaponList.append(contentsOf: ms[i].weapons)
            }
        }
        claimants = Self.sortedUnique(claimantList)
        deniedBy = Self.sortedUnique(deniers)
        contested = !deniers.isEmpty
        sources = Self.sortedUnique(outlets)
        independentSources = Self.sortedUnique(groups).count
        reports = members.map(\.key)
        evidence = c.evidence
        weapons = Self.sortedUnique(weaponList)

        // Per category.
        var byCategory: [String: [Observation]] = [:]
        var totals: [Observation] = []
        // Read in place, as above (`for m in members` copied each whole report).
        members.withUnsafeBufferPointer { ms in
            for i in ms.indices {
                var killedSum: (low: Int, best: Int, high: Int?)?
                var claimant: String?
                var qualifier = "exact"
                for f in ms[i].figures {
                    let o = Observation(low: f.low, best: f.best, high: f.high, qualifier: f.qualifier, report: ms[i],
                                        claimant: f.claimantName ?? ms[i].claimant?.name)
                    if withCategories { byCategory["\(f.outcome)\u{1F}\(f.victims)", default: []].append(o) }
                    guard f.outcome == "killed" else { continue }
                    // Total per report: the "people" figure when given, else the sum of categories.
                    if f.victims == "people" || f.victims == "total" {
                        killedSum = (f.low, f.best, f.high)
                        claimant = o.claimant
                        qualifier = f.qualifier
                        break
                    }
                    let prev = killedSum ?? (0, 0, 0)
                    killedSum = (prev.low + f.low, prev.best + f.best, f.high.flatMap { h in prev.high.map { $0 + h } })
                    claimant = claimant ?? o.claimant
                    if f.qualifier != "exact" { qualifier = f.qualifier }
                }
                if let k = killedSum {
                    totals.append(Observation(low: k.low, best: k.best, high: k.high, qualifier: qualifier, report: ms[i],
                                              claimant: claimant))
                }
            }
        }
        categories = byCategory.keys.sorted().compactMap { key in
            let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            guard let r = Reconcile.reconcile(byCategory[key] ?? [], sources: figureSources) else { return nil }
            return CategoryFigures(outcome: parts[0], victims: parts.count > 1 ? parts[1] : "", conservative: r.conservative,
                                   range: r.range)
        }
        fatalities = Reconcile.reconcile(totals, sources: figureSources).map {
            CategoryFigures(outcome: "killed", victims: "all", conservative: $0.conservative, range: $0.range)
        }
    }

    /// The most common element, ties to the smallest: sorted, then counted run by run (equal
    /// elements are adjacent; a later run wins only with a strictly higher count).
    static func mostCommon<T: Comparable>(_ xs: [T]) -> T? {
        guard xs.count > 1 else { return xs.first }
        let s = xs.sorted()
        var best = s[0], bestCount = 0
        var i = 0
        while i < s.count {
            var j = i + 1
            while j < s.count && s[j] == s[i] { j += 1 }
            if j - i > bestCount { (best, bestCount) = (s[i], j - i) }
            i = j
        }
        return best
    }

    /// The distinct elements, sorted (what a `Set`'s `sorted()` gives).
    static func sortedUnique(_ xs: [String]) -> [String] {
        guard xs.count > 1 else { return xs }
        var s = xs.sorted()
        var n = 1
        for i in 1..<s.count where s[i] != s[n - 1] {
            s[n] = s[i]
            n += 1
        }
        s.removeLast(s.count - n)
        return s
    }

    /// A one-sentence summary of the record (the export's `notes`).
    public func notes(policy: ReconcilePolicy) -> String {
        var s = "On \(dateStart)"
        if dayEnd != dayStart { s += " to \(dateEnd)" }
        if precision != "day" { s += " (\(precision))" }
        s += ", "
        let what = subtype.isEmpty ? type.lowercased() : subtype.lowercased()
        if let a = actor1 { s += "\(a.name): \(what)" } else { s += what }
        if let b = actor2 { s += " against \(b.name)" }
        if let p = place { s += " in \(p.name)\(p.country.map { ", \($0)" } ?? "")" }
        if !weapons.isEmpty { s += " (\(weapons.joined(separator: ", ")))" }
        s += "; "
        if let f = fatalities?.under(policy) {
            if f.low == f.best && f.best == f.high { s += "\(f.best) killed" }
            else { s += "\(f.best) killed (\(f.low)–\(f.high.map(String.init) ?? "?"))" }
        } else {
            s += "no fatality figure"
        }
        s += " per \(reports.count) report\(reports.count == 1 ? "" : "s") from \(independentSources) independent source\(independentSources == 1 ? "" : "s")"
        if contested { s += "; contested by \(deniedBy.joined(separator: ", "))" }
        return s + "."
    }
}
