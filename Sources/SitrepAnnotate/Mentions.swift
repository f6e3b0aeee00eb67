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
///
/// Its fields live in one immutable shared record (`Timex.Record`): a copy costs one retain,
/// and a mention holding it stays small. Setting a field makes a new record.
public struct Timex: Sendable, Hashable {
    /// The stored fields of a timex.
    public struct Fields: Sendable, Hashable {
        public var type: TimexType
        public var value: String
        public var mod: String?
        public var range: ClosedRange<CalendarDate>?
        public var precision: DatePrecision

        @inlinable
        public init(type: TimexType, value: String, mod: String?, range: ClosedRange<CalendarDate>?,
                    precision: DatePrecision) {
            self.type = type
            self.value = value
            self.mod = mod
            self.range = range
            self.precision = precision
        }
    }

    /// A timex's fields, boxed once and shared by every copy.
    public final class Record: Sendable {
        public let fields: Fields

        @inlinable
        public init(_ fields: Fields) { self.fields = fields }
    }

    /// The shared fields (compare with `===` to tell whether two timexes share them).
    public var record: Record {
        @inlinable get { storage }
    }
    @usableFromInline var storage: Record

    @inlinable
    public init(type: TimexType, value: String, mod: String? = nil,
                range: ClosedRange<CalendarDate>? = nil, precision: DatePrecision = .unknown) {
        storage = Record(Fields(type: type, value: value, mod: mod, range: range, precision: precision))
    }

    @inlinable
    public init(record: Record) { self.storage = record }

    public var type: TimexType {
        @inlinable get { storage.fields.type }
        set { update { $0.type = newValue } }
    }
    /// TIMEX3 value: "2020-10-24", "2020-W43", "P4W", "PRESENT_REF", ...
    public var value: String {
        @inlinable get { storage.fields.value }
        set { update { $0.value = newValue } }
    }
    /// TIMEX3 `mod` when the text qualifies the value: "START", "END", "MID", "APPROX", ...
    public var mod: String? {
        @inlinable get { storage.fields.mod }
        set { update { $0.mod = newValue } }
    }
    /// For DATE values: the calendar interval it denotes (inclusive ISO dates), when known.
    public var range: ClosedRange<CalendarDate>? {
        @inlinable get { storage.fields.range }
        set { update { $0.range = newValue } }
    }
    public var precision: DatePrecision {
        @inlinable get { storage.fields.precision }
        set { update { $0.precision = newValue } }
    }

    mutating func update(_ change: (inout Fields) -> Void) {
        var f = storage.fields
        change(&f)
        storage = Record(f)
    }

    @inlinable
    public static func == (a: Timex, b: Timex) -> Bool { a.storage === b.storage || a.storage.fields == b.storage.fields }

    public func hash(into hasher: inout Hasher) { hasher.combine(storage.fields) }
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
///
/// Its fields live in one immutable shared record (`PlaceRef.Record`, made once per gazetteer
/// entry or per document): a copy costs one retain instead of one per string. Setting a field
/// makes a new record.
public struct PlaceRef: Sendable, Hashable {
    public enum Precision: String, Sendable, Codable {
        case settlement, admin2, admin1, country, region
    }

    /// The stored fields of a place reference.
    public struct Fields: Sendable, Hashable {
        public var name: String
        public var geonameid: Int?
        public var country: String?
        public var admin1: String?
        public var lat: Double
        public var lon: Double
        public var featureCode: String
        public var precision: Precision

        @inlinable
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

    /// A place's fields, boxed once and shared by every copy.
    public final class Record: Sendable {
        public let fields: Fields

        @inlinable
        public init(_ fields: Fields) { self.fields = fields }
    }

    /// The shared fields (compare with `===` to tell whether two references share them).
    public var record: Record {
        @inlinable get { storage }
    }
    @usableFromInline var storage: Record

    @inlinable
    public init(name: String, geonameid: Int?, country: String?, admin1: String?, lat: Double, lon: Double,
                featureCode: String, precision: Precision) {
        storage = Record(Fields(name: name, geonameid: geonameid, country: country, admin1: admin1, lat: lat, lon: lon,
                               featureCode: featureCode, precision: precision))
    }

    @inlinable
    public init(record: Record) { self.storage = record }

    public var name: String {
        @inlinable get { storage.fields.name }
        set { update { $0.name = newValue } }
    }
    public var geonameid: Int? {
        @inlinable get { storage.fields.geonameid }
        set { update { $0.geonameid = newValue } }
    }
    /// ISO 3166-1 alpha-2.
    public var country: String? {
        @inlinable get { storage.fields.country }
        set { update { $0.country = newValue } }
    }
    public var admin1: String? {
        @inlinable get { storage.fields.admin1 }
        set { update { $0.admin1 = newValue } }
    }
    public var lat: Double {
        @inlinable get { storage.fields.lat }
        set { update { $0.lat = newValue } }
    }
    public var lon: Double {
        @inlinable get { storage.fields.lon }
        set { update { $0.lon = newValue } }
    }
    public var featureCode: String {
        @inlinable get { storage.fields.featureCode }
        set { update { $0.featureCode = newValue } }
    }
    public var precision: Precision {
        @inlinable get { storage.fields.precision }
        set { update { $0.precision = newValue } }
    }

    mutating func update(_ change: (inout Fields) -> Void) {
        var f = storage.fields
        change(&f)
        storage = Record(f)
    }

    @inlinable
    public static func == (a: PlaceRef, b: PlaceRef) -> Bool { a.storage === b.storage || a.storage.fields == b.storage.fields }

    public func hash(into hasher: inout Hasher) { hasher.combine(storage.fields) }
}

/// An actor: who acts, who claims, who suffers.
///
/// Its fields live in one immutable shared record (`ActorRef.Record`, made once per lexicon row
/// at load, or once per document for composed actors): a copy costs one retain.
public struct ActorRef: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable {
        case stateMilitary = "state-military", government, deFactoAuthority = "de-facto-authority"
        case armedGroup = "armed-group", internationalOrg = "international-org", ngo, media, person
        case civilians, unidentifiedSources = "unidentified-sources", other
    }

    /// The stored fields of an actor reference.
    public struct Fields: Sendable, Hashable {
        public var id: String
        public var name: String
        public var country: String?
        public var kind: Kind

        @inlinable
        public init(id: String, name: String, country: String?, kind: Kind) {
            self.id = id
            self.name = name
            self.country = country
            self.kind = kind
        }
    }

    /// An actor's fields, boxed once and shared by every copy.
    public final class Record: Sendable {
        public let fields: Fields

        @inlinable
        public init(_ fields: Fields) { self.fields = fields }
    }

    /// The shared fields (compare with `===` to tell whether two references share them).
    public var record: Record {
        @inlinable get { storage }
    }
    @usableFromInline var storage: Record

    @inlinable
    public init(id: String, name: String, country: String?, kind: Kind) {
        storage = Record(Fields(id: id, name: name, country: country, kind: kind))
    }

    @inlinable
    public init(record: Record) { self.storage = record }

    /// Stable id: `AZE.MIL`, `AZE.GOV.MOD`, `NKR.AUTH`, `RUS.GOV.PRES`, ...
    public var id: String {
        @inlinable get { storage.fields.id }
        set { update { $0.id = newValue } }
    }
    public var name: String {
        @inlinable get { storage.fields.name }
        set { update { $0.name = newValue } }
    }
    /// ISO 3166-1 alpha-2, when the actor belongs to a country.
    public var country: String? {
        @inlinable get { storage.fields.country }
        set { update { $0.country = newValue } }
    }
    public var kind: Kind {
        @inlinable get { storage.fields.kind }
        set { update { $0.kind = newValue } }
    }

    mutating func update(_ change: (inout Fields) -> Void) {
        var f = storage.fields
        change(&f)
        storage = Record(f)
    }

    @inlinable
    public static func == (a: ActorRef, b: ActorRef) -> Bool { a.storage === b.storage || a.storage.fields == b.storage.fields }

    public func hash(into hasher: inout Hasher) { hasher.combine(storage.fields) }
}

/// A weapon or means of attack. Its fields live in one immutable shared record (made once per
/// lexicon row at load): a copy costs one retain.
public struct WeaponRef: Sendable, Hashable {
    /// The stored fields of a weapon reference.
    public struct Fields: Sendable, Hashable {
        public var name: String
        public var `class`: String

        @inlinable
        public init(name: String, class weaponClass: String) {
            self.name = name
            self.class = weaponClass
        }
    }

    /// A weapon's fields, boxed once and shared by every copy.
    public final class Record: Sendable {
        public let fields: Fields

        @inlinable
        public init(_ fields: Fields) { self.fields = fields }
    }

    /// The shared fields (compare with `===` to tell whether two references share them).
    public var record: Record {
        @inlinable get { storage }
    }
    @usableFromInline var storage: Record

    @inlinable
    public init(name: String, class weaponClass: String) {
        storage = Record(Fields(name: name, class: weaponClass))
    }

    @inlinable
    public init(record: Record) { self.storage = record }

    public var name: String {
        @inlinable get { storage.fields.name }
        set { update { $0.name = newValue } }
    }
    /// `multiple rocket launcher`, `artillery`, `drone`, `ballistic missile`, ...
    public var `class`: String {
        @inlinable get { storage.fields.class }
        set { update { $0.class = newValue } }
    }

    mutating func update(_ change: (inout Fields) -> Void) {
        var f = storage.fields
        change(&f)
        storage = Record(f)
    }

    @inlinable
    public static func == (a: WeaponRef, b: WeaponRef) -> Bool { a.storage === b.storage || a.storage.fields == b.storage.fields }

    public func hash(into hasher: inout Hasher) { hasher.combine(storage.fields) }
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
