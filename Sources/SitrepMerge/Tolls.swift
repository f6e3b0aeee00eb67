import SitrepExtract

/// One cumulative toll as a claimant gave it on a date ("963 troops killed, per NK officials, 24 Oct").
public struct TollObservation: Sendable, Hashable, Codable {
    /// Claimant id, or `unattributed`.
    public var claimantID: String
    public var claimantName: String
    public var outcome: String
    public var victims: String
    /// The date the toll stands at: the period end when given, else the publication date.
    public var asOf: String
    public var low: Int
    public var best: Int
    public var high: Int?
    public var qualifier: String
    public var article: String
    public var casualty: Int
    public var source: String?
    public var snippet: String
    public var rule: String

    public init(claimantID: String, claimantName: String, outcome: String, victims: String, asOf: String,
                low: Int, best: Int, high: Int?, qualifier: String, article: String, casualty: Int,
                source: String?, snippet: String, rule: String) {
        self.claimantID = claimantID
        self.claimantName = claimantName
        self.outcome = outcome
        self.victims = victims
        self.asOf = asOf
        self.low = low
        self.best = best
        self.high = high
        self.qualifier = qualifier
        self.article = article
        self.casualty = casualty
        self.source = source
        self.snippet = snippet
        self.rule = rule
    }

    /// The cumulative tolls of one analysed article.
    public static func observations(of a: Analysis, articleHash: String) -> [TollObservation] {
        var out: [TollObservation] = []
        let published = DayNumber.parse(a.article.published)
            ?? a.annotations.anchor.map { DayNumber.from(year: $0.year, month: $0.month, day: $0.day) }
        for (i, c) in a.casualties.enumerated() where c.scope == "cumulative" {
            let asOf: Int?
            if let p = c.period, c.period?.precision == .day || published == nil {
                asOf = DayNumber.from(year: p.end.year, month: p.end.month, day: p.end.day)
            } else {
                asOf = published
            }
            guard let day = asOf else { continue }
            out.append(TollObservation(
                claimantID: c.claimant?.id ?? "unattributed", claimantName: c.claimant?.name ?? "unattributed",
                outcome: c.outcome, victims: c.victims, asOf: DayNumber.iso(day), low: c.low, best: c.best,
                high: c.high, qualifier: c.qualifier, article: articleHash, casualty: i, source: a.article.source,
                snippet: a.document.string(c.span), rule: c.rule))
        }
        return out
    }
}

/// One point of a toll series: a value on a date, with every article that gave it.
public struct TollPoint: Sendable, Hashable, Codable {
    public var asOf: String
    public var low: Int
    public var best: Int
    public var high: Int?
    public var qualifier: String
    public var articles: [String]
    public var sources: [String]
}

/// A claimant's toll for one outcome and victim category over time.
public struct TollSeries: Sendable, Hashable, Codable {
    public var claimantID: String
    public var claimantName: String
    public var outcome: String
    public var victims: String
    public var points: [TollPoint]

    /// Groups observations into series (sorted by claimant, outcome, victims), points by date (then
    /// best, low, high: a total order, so the output never depends on hashing); the same figure on
    /// the same date from several articles (wire copies) is one point.
    public static func build(_ obs: [TollObservation]) -> [TollSeries] {
        var groups: [String: [TollObservation]] = [:]
        for o in obs { groups["\(o.claimantID)\u{1F}\(o.outcome)\u{1F}\(o.victims)", default: []].append(o) }
        return groups.keys.sorted().compactMap { key in
            guard let list = groups[key], let first = list.first else { return nil }
            var points: [String: TollPoint] = [:]
            for o in list {
                let pk = "\(o.asOf)\u{1F}\(o.best)\u{1F}\(o.low)\u{1F}\(o.high ?? -1)"
                var p = points[pk] ?? TollPoint(asOf: o.asOf, low: o.low, best: o.best, high: o.high,
                                                qualifier: o.qualifier, articles: [], sources: [])
                p.articles.append(o.article)
                if let s = o.source, !p.sources.contains(s) { p.sources.append(s) }
                points[pk] = p
            }
            let sorted = points.values.map { p -> TollPoint in
                var q = p
                q.articles.sort()
                q.sources.sort()
                return q
            }.sorted { ($0.asOf, $0.best, $0.low, $0.high ?? -1) < ($1.asOf, $1.best, $1.low, $1.high ?? -1) }
            return TollSeries(claimantID: first.claimantID, claimantName: first.claimantName, outcome: first.outcome,
                              victims: first.victims, points: sorted)
        }
    }
}
