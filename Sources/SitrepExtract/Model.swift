import SitrepAnnotate
import SitrepText

/// A date interval with its precision.
public struct EventDate: Sendable, Hashable {
    public var start: CalendarDate
    public var end: CalendarDate
    public var precision: DatePrecision

    public init(start: CalendarDate, end: CalendarDate, precision: DatePrecision) {
        self.start = start
        self.end = end
        self.precision = precision
    }
}

/// Deaths as an interval: `high` nil when open-ended ("at least 1,000").
public struct Figure: Sendable, Hashable {
    public var low: Int
    public var best: Int
    public var high: Int?

    public init(low: Int, best: Int, high: Int?) {
        self.low = low
        self.best = best
        self.high = high
    }
}

/// One article's account of one incident (ACLED taxonomy).
///
/// The public initializer lives in an extension and takes its fields in another order than
/// they are stored (`stance` is stored third): the stage builds events with the memberwise
/// initializer, which moves its arguments into the list's slot, where an explicit initializer
/// of this size built the event aside and copied it (a retain and release per field).
public struct Event: Sendable {
    public var type: String
    public var subtype: String
    /// `asserted`, `denied` or `reported`.
    public var stance: String
    public var actor1: ActorRef?
    public var actor2: ActorRef?
    public var date: EventDate?
    public var location: PlaceRef?
    public var weapons: [WeaponRef]
    public var fatalities: Figure?
    public var claimant: ActorRef?
    /// Sentences it was read from (bytes).
    public var evidence: [Span]
    /// Rules that produced it (provenance).
    public var rules: [String]
    /// Indices into the record's casualties that this event's fatalities come from.
    public var casualties: [Int]
}

extension Event {
    public init(type: String, subtype: String, actor1: ActorRef? = nil, actor2: ActorRef? = nil,
                date: EventDate? = nil, location: PlaceRef? = nil, weapons: [WeaponRef] = [],
                fatalities: Figure? = nil, claimant: ActorRef? = nil, stance: String = "reported",
                evidence: [Span] = [], rules: [String] = [], casualties: [Int] = []) {
        self.init(type: type, subtype: subtype, stance: stance, actor1: actor1, actor2: actor2, date: date,
                  location: location, weapons: weapons, fatalities: fatalities, claimant: claimant,
                  evidence: evidence, rules: rules, casualties: casualties)
    }
}

/// One reported casualty figure.
public struct Casualty: Sendable {
    /// `killed`, `wounded`, `missing`, `captured`, `displaced`.
    public var outcome: String
    public var low: Int
    public var best: Int
    public var high: Int?
    /// `exact`, `at-least`, `more-than`, `about`, `up-to`, `nearly`, `vague`.
    public var qualifier: String
    /// `civilians`, `military`, `journalists`, `children`, `people`, ...
    public var victims: String
    /// The side the victims belong to, when stated (an actor id or country).
    public var side: String?
    /// `incident` or `cumulative`.
    public var scope: String
    public var period: EventDate?
    public var claimant: ActorRef?
    /// The figure's clause (bytes).
    public var span: Span
    /// The number as written.
    public var figureSpan: Span
    /// Provenance (joined from its parts' rows only when read: `provenance`).
    public var rule: String {
        get { provenance.string }
        set { provenance = CasualtyProvenance(newValue) }
    }
    /// The rule as stored: a text, or the ids of the rows that read the figure.
    var provenance: CasualtyProvenance
    // (no initializer here: the stage builds casualties with the memberwise one, which moves its
    // arguments into the list's slot; an explicit one of this size built the casualty aside and
    // copied it, a retain and release per field)
}

extension Casualty {
    public init(outcome: String, low: Int, best: Int, high: Int?, qualifier: String, victims: String,
                side: String? = nil, scope: String, period: EventDate? = nil, claimant: ActorRef? = nil,
                span: Span, figureSpan: Span, rule: String) {
        self.init(outcome: outcome, low: low, best: best, high: high, qualifier: qualifier, victims: victims,
                  side: side, scope: scope, period: period, claimant: claimant, span: span, figureSpan: figureSpan,
                  provenance: CasualtyProvenance(rule))
    }
}

/// What a claim is about: an event or a casualty figure of the same record.
public enum ClaimTarget: Sendable, Hashable {
    case event(Int)
    case casualty(Int)
}

/// An attributed statement.
public struct Claim: Sendable {
    public var claimant: ActorRef
    /// The claimant as written.
    public var claimantSpan: Span
    /// The reporting word as written: `said`, `claimed`, `denied`, `according to`, ...
    public var verb: String
    public var verbSpan: Span
    /// `asserts` or `denies`.
    public var stance: String
    /// What is claimed (bytes).
    public var content: Span
    public var about: ClaimTarget?
    /// Index of the claim this one denies.
    public var denies: Int?
    public var rule: String

    public init(claimant: ActorRef, claimantSpan: Span, verb: String, verbSpan: Span, stance: String,
                content: Span, about: ClaimTarget? = nil, denies: Int? = nil, rule: String) {
        self.claimant = claimant
        self.claimantSpan = claimantSpan
        self.verb = verb
        self.verbSpan = verbSpan
        self.stance = stance
        self.content = content
        self.about = about
        self.denies = denies
        self.rule = rule
    }
}
