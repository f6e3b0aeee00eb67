import SitrepAnnotate
import SitrepExtract
import SitrepText

/// One figure a report gives for its incident (deaths, wounded, ...), with who gives it.
public struct ReportFigure: Sendable, Hashable, Codable {
    public var outcome: String
    public var victims: String
    public var low: Int
    public var best: Int
    public var high: Int?
    public var qualifier: String
    public var claimantID: String?
    public var claimantName: String?
    /// Index into the article's casualties; nil when it is the event's own fatality figure.
    public var casualty: Int?
    public var rule: String

    public init(outcome: String, victims: String, low: Int, best: Int, high: Int?, qualifier: String,
                claimantID: String? = nil, claimantName: String? = nil, casualty: Int? = nil, rule: String) {
        self.outcome = outcome
        self.victims = victims
        self.low = low
        self.best = best
        self.high = high
        self.qualifier = qualifier
        self.claimantID = claimantID
        self.claimantName = claimantName
        self.casualty = casualty
        self.rule = rule
    }
}

/// A compact actor reference kept with reports and incidents.
public struct ActorKey: Sendable, Hashable, Codable, Comparable {
    public var id: String
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    public init?(_ a: ActorRef?) {
        guard let a else { return nil }
        self.init(id: a.id, name: a.name)
    }

    /// The side an actor belongs to: the first dot-separated part of its id (`AZE.GOV.MOD` → `AZE`).
    public var side: Substring {
        if let r = Self.sideBytes(of: id) {
            let u = id.utf8
            return id[u.index(u.startIndex, offsetBy: r.lowerBound)..<u.index(u.startIndex, offsetBy: r.upperBound)]
        }
        return id.split(separator: ".", maxSplits: 1).first ?? Substring(id)
    }

    /// `side` as byte offsets into an ASCII id: the first run of bytes without a dot, or the whole
    /// id when it has none (what `split(separator: ".")` gives); nil for ids that are not ASCII
    /// (where a dot could begin a longer character) or not contiguous, which split.
    static func sideBytes(of id: String) -> Range<Int>? {
        let found = id.utf8.withContiguousStorageIfAvailable { b -> Range<Int>? in
            guard !b.contains(where: { $0 >= 0x80 }) else { return nil }
            var i = 0
            while i < b.count && b[i] == 0x2E { i += 1 }
            var j = i
            while j < b.count && b[j] != 0x2E { j += 1 }
            // No part between dots (an empty id, or only dots): the whole id.
            return i == j ? 0..<b.count : i..<j
        }
        return found ?? nil
    }

    public static func < (a: ActorKey, b: ActorKey) -> Bool { (a.id, a.name) < (b.id, b.name) }
}

/// A compact place kept with reports and incidents.
public struct PlaceKey: Sendable, Hashable, Codable {
    public var name: String
    public var geonameid: Int?
    public var country: String?
    public var admin1: String?
    public var lat: Double
    public var lon: Double
    /// `settlement`, `admin2`, `admin1`, `country`, `region`.
    public var precision: String

    public init(name: String, geonameid: Int?, country: String?, admin1: String?, lat: Double, lon: Double,
                precision: String) {
        self.name = name
        self.geonameid = geonameid
        self.country = country
        self.admin1 = admin1
        self.lat = lat
        self.lon = lon
        self.precision = precision
    }

    public init(_ p: PlaceRef) {
        self.init(name: p.name, geonameid: p.geonameid, country: p.country, admin1: p.admin1, lat: p.lat,
                  lon: p.lon, precision: p.precision.rawValue)
    }
}

/// One article's account of one incident, reduced to what merging and reconciliation need.
/// `key` (`<article hash>#<event index>`) orders reports canonically.
public struct Report: Sendable, Hashable, Codable {
    public var key: String
    /// Content hash of the article.
    public var article: String
    public var eventIndex: Int
    public var source: String?
    public var published: String?
    /// Near-duplicate group of the article (the smallest content hash in the group).
    public var dupGroup: String
    public var type: String
    public var subtype: String
    public var actor1: ActorKey?
    public var actor2: ActorKey?
    /// Inclusive day numbers; nil when neither the event nor the article gives a date.
    public var dayStart: Int?
    public var dayEnd: Int?
    /// `day`, `week`, `month`, ...
    public var precision: String
    /// True when the date is the article's publication week, not the text's.
    public var dateFromPublished: Bool
    public var place: PlaceKey?
    public var claimant: ActorKey?
    /// `asserted`, `denied` or `reported`.
    public var stance: String
    /// Claimants that deny the event or its figures.
    public var deniedBy: [String]
    public var figures: [ReportFigure]
    public var weapons: [String]
    /// The first evidence sentence.
    public var snippet: String
    public var rules: [String]

    public init(key: String, article: String, eventIndex: Int, source: String?, published: String?,
                dupGroup: String, type: String, subtype: String, actor1: ActorKey? = nil, actor2: ActorKey? = nil,
                dayStart: Int?, dayEnd: Int?, precision: String, dateFromPublished: Bool = false,
                place: PlaceKey?, claimant: ActorKey? = nil, stance: String = "reported", deniedBy: [String] = [],
                figures: [ReportFigure] = [], weapons: [String] = [], snippet: String = "", rules: [String] = []) {
        self.key = key
        self.article = article
        self.eventIndex = eventIndex
        self.source = source
        self.published = published
        self.dupGroup = dupGroup
        self.type = type
        self.subtype = subtype
        self.actor1 = actor1
        self.actor2 = actor2
        self.dayStart = dayStart
        self.dayEnd = dayEnd
        self.precision = precision
        self.dateFromPublished = dateFromPublished
        self.place = place
        self.claimant = claimant
        self.stance = stance
        self.deniedBy = deniedBy
        self.figures = figures
        self.weapons = weapons
        self.snippet = snippet
        self.rules = rules
    }

    public static func key(article: String, event: Int) -> String {
        // Written straight into the string (interpolating appended three times).
        guard event >= 0 else { return "\(article)#\(event)" }
        var digits = 1
        var rest = event / 10
        while rest > 0 { digits += 1; rest /= 10 }
        let written = article.utf8.withContiguousStorageIfAvailable { a in
            String(unsafeUninitializedCapacity: a.count + 1 + digits) { out in
                // `out` holds at least a.count + 1 + digits bytes: the article, `#`, the digits.
                for i in 0..<a.count { out[i] = a[i] }
                out[a.count] = 0x23
                var v = event
                for i in stride(from: a.count + digits, through: a.count + 1, by: -1) {
                    out[i] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                    v /= 10
                }
                return a.count + 1 + digits
            }
        }
        return written ?? "\(article)#\(event)"
    }

    /// The reports of one analysed article.
    public static func reports(of a: Analysis, articleHash: String, dupGroup: String) -> [Report] {
        var out: [Report] = []
        out.reserveCapacity(a.events.count)
        let published = DayNumber.parse(a.article.published)
            ?? a.annotations.anchor.map { DayNumber.from(year: $0.year, month: $0.month, day: $0.day) }
        // The denials, found once per article (each event went through every claim, copying it).
        var denials: [(about: ClaimTarget, claimant: String)] = []
        for claim in a.claims where claim.stance == "denies" {
            if let about = claim.about { denials.append((about, claim.claimant.name)) }
        }
        for (i, e) in a.events.enumerated() {
            var dayStart: Int?
            var dayEnd: Int?
            var precision = DatePrecision.unknown.rawValue
            var fromPublished = false
            if let d = e.date {
                dayStart = DayNumber.from(year: d.start.year, month: d.start.month, day: d.start.day)
                dayEnd = DayNumber.from(year: d.end.year, month: d.end.month, day: d.end.day)
                precision = d.precision.rawValue
            } else if let p = published {
                // No date in the text: the week before publication.
                dayStart = p - 6
                dayEnd = p
                precision = DatePrecision.week.rawValue
                fromPublished = true
            }
            if let s = dayStart, let t = dayEnd, t < s { dayStart = t; dayEnd = s }

            var figures: [ReportFigure] = []
            for ci in e.casualties where ci >= 0 && ci < a.casualties.count {
                let c = a.casualties[ci]
                guard c.scope != "cumulative" else { continue }
                figures.append(ReportFigure(
                    outcome: c.outcome, victims: c.victims, low: c.low, best: c.best, high: c.high,
                    qualifier: c.qualifier, claimantID: (c.claimant ?? e.claimant)?.id,
                    claimantName: (c.claimant ?? e.claimant)?.name, casualty: ci, rule: c.rule))
            }
            if let f = e.fatalities, !figures.contains(where: { $0.outcome == "killed" }) {
                figures.append(ReportFigure(
                    outcome: "killed", victims: "people", low: f.low, best: f.best, high: f.high,
                    qualifier: f.high == nil ? "at-least" : (f.low == f.high ? "exact" : "about"),
                    claimantID: e.claimant?.id, claimantName: e.claimant?.name, casualty: nil,
                    rule: e.rules.first ?? "event.fatalities"))
            }

            var deniers: Set<String> = []
            if e.stance == "denied", let c = e.claimant { deniers.insert(c.name) }
            for d in denials {
                switch d.about {
                case .event(let j) where j == i: deniers.insert(d.claimant)
                case .casualty(let j) where e.casualties.contains(j): deniers.insert(d.claimant)
                default: break
                }
            }
            let snippet = e.evidence.first.map { a.document.string($0) } ?? ""
            out.append(Report(
                key: key(article: articleHash, event: i), article: articleHash, eventIndex: i,
                source: a.article.source, published: a.article.published, dupGroup: dupGroup,
                type: e.type, subtype: e.subtype, actor1: ActorKey(e.actor1), actor2: ActorKey(e.actor2),
                dayStart: dayStart, dayEnd: dayEnd, precision: precision, dateFromPublished: fromPublished,
                place: e.location.map(PlaceKey.init), claimant: ActorKey(e.claimant), stance: e.stance,
                deniedBy: deniers.sorted(), figures: figures, weapons: e.weapons.map(\.name).sorted(),
                snippet: snippet, rules: e.rules))
        }
        return out
    }
}
