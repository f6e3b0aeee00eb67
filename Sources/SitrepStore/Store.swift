import SitrepMerge

/// Filters of `sitrep incidents` and `sitrep export`.
public struct IncidentQuery: Sendable {
    public var from: String?
    public var to: String?
    public var country: String?
    /// (lat, lon, km)
    public var near: (lat: Double, lon: Double, km: Double)?
    public var type: String?
    public var actor: String?
    public var text: String?
    /// 0 = no limit.
    public var limit: Int = 0

    public init(from: String? = nil, to: String? = nil, country: String? = nil,
                near: (lat: Double, lon: Double, km: Double)? = nil, type: String? = nil, actor: String? = nil,
                text: String? = nil, limit: Int = 0) {
        self.from = from
        self.to = to
        self.country = country
        self.near = near
        self.type = type
        self.actor = actor
        self.text = text
        self.limit = limit
    }
}

/// An incident as listed (the columns of the incidents table).
public struct IncidentRow: Sendable, Hashable {
    public var id: String
    public var dateStart: String
    public var dateEnd: String
    public var precision: String
    public var type: String
    public var subtype: String
    public var actor1: String?
    public var actor2: String?
    public var country: String?
    public var admin1: String?
    public var location: String?
    public var lat: Double?
    public var lon: Double?
    public var geoPrecision: String?
    public var fatalitiesLow: Int?
    public var fatalitiesBest: Int?
    public var fatalitiesHigh: Int?
    public var fatalitiesConservative: Int?
    public var claimants: String
    public var contested: Bool
    public var sources: String
    public var independentSources: Int
    public var reports: Int
}

/// A stored report of an incident, with its article.
public struct ReportDetail: Sendable {
    public var report: Report
    public var evidence: LinkEvidence?
    public var title: String?
    public var url: String?
    public var active: Bool
}

/// A stored claim with its article.
public struct ClaimDetail: Sendable, Hashable {
    public var article: String
    public var source: String?
    public var published: String?
    public var index: Int
    public var claim: ClaimRow
}

/// Per outlet coverage.
public struct SourceCoverage: Sendable, Hashable {
    public var source: String
    public var articles: Int
    public var incidents: Int
    public var first: String?
    public var last: String?
    /// Longest stretch between consecutive publication dates, days.
    public var longestGapDays: Int
    /// Gaps longer than 7 days.
    public var gaps: Int
}

/// Persistence of articles, reports, claims, incidents and tolls.
public protocol SitrepStore: Sendable {
    /// Stores prepared articles (each whole or not at all) and merges their reports.
    func ingest(_ batch: [PreparedArticle]) throws -> IngestSummary
    func incidents(_ query: IncidentQuery) throws -> [IncidentRow]
    func record(_ id: String) throws -> IncidentRecord?
    func reports(ofIncident id: String) throws -> [ReportDetail]
    func claims(incident: String?, claimant: String?, stance: String?, limit: Int) throws -> [ClaimDetail]
    func tolls(claimant: String?, victims: String?, outcome: String?) throws -> [TollSeries]
    func sources() throws -> [SourceCoverage]
    func counts() throws -> [String: Int]
}
