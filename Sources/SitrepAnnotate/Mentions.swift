import SitrepText

/// TIMEX3 type.
public enum TimexType: String, Sendable, Codable {
    case date = "DATE", time = "TIME", duration = "DURATION", set = "SET"
}

/// How precisely a date is known.
public enum DatePrecision: String, Sendable, Codable, Comparable {
    case day, week, month, quarter, season, year, decade, century, unknown

    var rank: Int {
        switch self {
        case .day: 0
        case .week: 1
        case .month: 2
        case .season: 3
        case .quarter: 4
        case .year: 5
        case .decade: 6
        case .century: 7
        case .unknown: 8
        }
    }

    public static func < (a: DatePrecision, b: DatePrecision) -> Bool { a.rank < b.rank }
}

/// A normalized time expression.
public struct Timex: Sendable, Hashable {
    public var type: TimexType
    /// TIMEX3 value: "2020-10-24", "2020-W43", "P4W", "PRESENT_REF", ...
    public var value: String
    /// TIMEX3 `mod` when the text qualifies the value: "START", "END", "MID", "APPROX", ...
    public var mod: String?
    /// For DATE values: the calendar interval it denotes (inclusive ISO dates), when known.
    public var range: ClosedRange<CalendarDate>?
    public var precision: DatePrecision

    public init(type: TimexType, value: String, mod: String? = nil,
                range: ClosedRange<CalendarDate>? = nil, precision: DatePrecision = .unknown) {
        self.type = type
        self.value = value
        self.mod = mod
        self.range = range
        self.precision = precision
    }
}

/// A proleptic Gregorian calendar date.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(abs(v))
            return (v < 0 ? "-" : "") + String(repeating: "0", count: Swift.max(0, width - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Parses the date part of `YYYY-MM-DD` or an ISO 8601 date-time.
    public init?(iso: String) {
        let parts = iso.prefix(10).split(separator: "-")
        guard parts.count == 3, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
            (1...12).contains(m), (1...31).contains(d)
        else { return nil }
        self.init(year: y, month: m, day: d)
    }
}

/// A place as the gazetteer knows it.
public struct PlaceRef: Sendable, Hashable {
    public enum Precision: String, Sendable, Codable {
        case settlement, admin2, admin1, country, region
    }

    public var name: String
    public var geonameid: Int?
    /// ISO 3166-1 alpha-2.
    public var country: String?
    public var admin1: String?
    public var lat: Double
    public var lon: Double
    public var featureCode: String
    public var precision: Precision

    public init(name: String, geonameid: Int?, country: String?, admin1: String?, lat: Double, lon: Double,
                featureCode: String, precision: Precision) {
        self.name = name
        self.geonameid = geonameid
        self.country = country
        self.admin1 = admin1
        self.lat = lat
        self.lon = lon
        self.featureCode = featureCode
        self.precision = precision
    }
}

/// An actor: who acts, who claims, who suffers.
public struct ActorRef: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable {
        case stateMilitary = "state-military", government, deFactoAuthority = "de-facto-authority"
        case armedGroup = "armed-group", internationalOrg = "international-org", ngo, media, person
        case civilians, unidentifiedSources = "unidentified-sources", other
    }

    /// Stable id: `AZE.MIL`, `AZE.GOV.MOD`, `NKR.AUTH`, `RUS.GOV.PRES`, ...
    public var id: String
    public var name: String
    /// ISO 3166-1 alpha-2, when the actor belongs to a country.
    public var country: String?
    public var kind: Kind

    public init(id: String, name: String, country: String?, kind: Kind) {
        self.id = id
        self.name = name
        self.country = country
        self.kind = kind
    }
}

/// A weapon or means of attack.
public struct WeaponRef: Sendable, Hashable {
    public var name: String
    /// `multiple rocket launcher`, `artillery`, `drone`, `ballistic missile`, ...
    public var `class`: String

    public init(name: String, class weaponClass: String) {
        self.name = name
        self.class = weaponClass
    }
}

/// Something named in the text. `span` is in UTF-8 bytes; `rule` names the rule or lexicon row
/// that produced it (provenance).
public struct Mention: Sendable {
    public enum Payload: Sendable {
        case time(Timex)
        case place(PlaceRef, aliases: [String])
        case actor(ActorRef)
        case weapon(WeaponRef)
    }

    public var span: Span
    public var payload: Payload
    public var rule: String

    public init(span: Span, payload: Payload, rule: String) {
        self.span = span
        self.payload = payload
        self.rule = rule
    }

    public var kind: String {
        switch payload {
        case .time: "time"
        case .place: "place"
        case .actor: "actor"
        case .weapon: "weapon"
        }
    }

    public var timex: Timex? { if case .time(let t) = payload { t } else { nil } }
    public var place: PlaceRef? { if case .place(let p, _) = payload { p } else { nil } }
    public var actor: ActorRef? { if case .actor(let a) = payload { a } else { nil } }
    public var weapon: WeaponRef? { if case .weapon(let w) = payload { w } else { nil } }
}

/// The publication date sitrep inferred when the article gave none.
public struct PublishedEstimate: Sendable, Hashable {
    /// `YYYY-MM-DD` (or coarser TIMEX3 value).
    public var value: String
    public var precision: DatePrecision
    /// What the estimate rests on, e.g. "latest full date in text: November 2, 2020".
    public var basis: String

    public init(value: String, precision: DatePrecision, basis: String) {
        self.value = value
        self.precision = precision
        self.basis = basis
    }
}

/// Everything the taggers found in one document, by kind, each list sorted by span.
public struct Annotations: Sendable {
    public var times: [Mention] = []
    public var places: [Mention] = []
    public var actors: [Mention] = []
    public var weapons: [Mention] = []
    /// The anchor used for relative dates: the publication date, or an estimate.
    public var anchor: CalendarDate?
    public var publishedEstimate: PublishedEstimate?

    public init() {}

    /// All mentions in output order: by start, then end, then kind.
    public var all: [Mention] {
        (times + places + actors + weapons).sorted {
            if $0.span != $1.span { return $0.span < $1.span }
            return $0.kind < $1.kind
        }
    }
}

/// Facts about the article that taggers may use.
public struct ArticleContext: Sendable {
    /// Publication date from the article, if it had one.
    public var published: CalendarDate?
    public var title: String?
    public var source: String?

    public init(published: CalendarDate?, title: String? = nil, source: String? = nil) {
        self.published = published
        self.title = title
        self.source = source
    }
}
