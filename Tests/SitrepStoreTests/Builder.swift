import Foundation
@testable import SitrepExtract
import SitrepAnnotate
import SitrepIngest
import SitrepMerge
import SitrepStore
import SitrepText

/// Hand-built analyses: the per-article extractors are built elsewhere, so tests describe the
/// events, casualties and claims an article yields and check what the store and merge make of them.
enum Fixture {
    static let text: TextProcessor = {
        do { return try TextProcessor.english() } catch { fatalError("language data: \(error)") }
    }()

    static func place(_ name: String, _ lat: Double, _ lon: Double, id: Int, precision: PlaceRef.Precision = .settlement,
                      country: String = "AZ", admin1: String? = "NK") -> PlaceRef {
        PlaceRef(name: name, geonameid: id, country: country, admin1: admin1, lat: lat, lon: lon,
                 featureCode: precision == .settlement ? "PPLA" : "ADM2", precision: precision)
    }

    /// Coordinates as the gazetteer gives them: Float32 widened to Double.
    static let stepanakert = place("Stepanakert", Double(Float(39.8153)), Double(Float(46.7519)), id: 174_875)
    static let shusha = place("Shusha", 39.7581, 46.7484, id: 585_103)
    static let martuni = place("Martuni", 39.7914, 47.1136, id: 174_979)
    static let terter = place("Terter", 40.3419, 47.1469, id: 585_170, admin1: "TAR")
    static let ganja = place("Ganja", 40.6828, 46.3606, id: 587_084, admin1: "GA")
    static let khojaly = place("Khojaly District", 39.95, 46.80, id: 586_000, precision: .admin2)

    static let azeForces = ActorRef(id: "AZE.MIL", name: "Azerbaijani forces", country: "AZ", kind: .stateMilitary)
    static let azeMoD = ActorRef(id: "AZE.GOV.MOD", name: "Azerbaijan's defence ministry", country: "AZ", kind: .government)
    static let armForces = ActorRef(id: "ARM.MIL", name: "Armenian forces", country: "AM", kind: .stateMilitary)
    static let nkOfficials = ActorRef(id: "NKR.AUTH", name: "Nagorno-Karabakh officials", country: nil, kind: .deFactoAuthority)
    static let civilians = ActorRef(id: "CIV", name: "civilians", country: nil, kind: .civilians)
    static let russiaPresident = ActorRef(id: "RUS.GOV.PRES", name: "Russia's president", country: "RU", kind: .government)

    static func day(_ iso: String, _ precision: DatePrecision = .day) -> EventDate {
        let d = CalendarDate(iso: iso) ?? CalendarDate(year: 2000, month: 1, day: 1)
        if precision == .week {
            let n = DayNumber.from(year: d.year, month: d.month, day: d.day)
            let (y, m, dd) = DayNumber.civil(n + 6)
            return EventDate(start: d, end: CalendarDate(year: y, month: m, day: dd), precision: .week)
        }
        return EventDate(start: d, end: d, precision: precision)
    }

    static func span(_ doc: Document, _ needle: String) -> Span {
        let hay = doc.bytes
        let n = Array(needle.utf8)
        guard !n.isEmpty, hay.count >= n.count else { return Span(0, 0) }
        for i in 0...(hay.count - n.count) where hay[i] == n[0] && Array(hay[i..<(i + n.count)]) == n {
            return Span(i, i + n.count)
        }
        return Span(0, Swift.min(hay.count, 1))
    }

    /// An incident-scope death figure.
    struct Deaths {
        var best: Int
        var low: Int? = nil
        var high: Int?? = .none
        var qualifier = "exact"
        var victims = "civilians"
        var claimant: ActorRef? = nil
        var scope = "incident"
        var period: EventDate? = nil
        /// Text of the figure's clause (must occur in the article).
        var clause: String
    }

    struct EventSpec {
        var type = "Explosions/Remote violence"
        var subtype = "Shelling/artillery/missile attack"
        var actor1: ActorRef? = azeForces
        var actor2: ActorRef? = civilians
        var date: EventDate?
        var place: PlaceRef?
        var claimant: ActorRef? = nil
        var stance = "reported"
        var deaths: [Deaths] = []
        var evidence: String
    }

    struct DenialSpec {
        var claimant: ActorRef
        var content: String
        var event: Int
    }

    static func analysis(id: String, text: String, published: String?, source: String?, url: String? = nil,
                         title: String? = nil, events: [EventSpec] = [], tolls: [Deaths] = [],
                         denials: [DenialSpec] = []) -> Analysis {
        let article = Article(id: id, text: text, published: published, title: title, source: source, url: url)
        let doc = self.text.document(text)
        var annotations = Annotations()
        annotations.anchor = published.flatMap(CalendarDate.init(iso:))
        var casualties: [Casualty] = []
        var evs: [Event] = []
        func casualty(_ d: Deaths) -> Casualty {
            let s = span(doc, d.clause)
            let high: Int? = d.high ?? (d.qualifier == "at-least" || d.qualifier == "more-than" ? nil : d.best)
            return Casualty(outcome: "killed", low: d.low ?? d.best, best: d.best, high: high, qualifier: d.qualifier,
                            victims: d.victims, scope: d.scope, period: d.period, claimant: d.claimant, span: s,
                            figureSpan: s, rule: "test#casualty")
        }
        for e in events {
            var idx: [Int] = []
            for d in e.deaths {
                idx.append(casualties.count)
                casualties.append(casualty(d))
            }
            evs.append(Event(type: e.type, subtype: e.subtype, actor1: e.actor1, actor2: e.actor2, date: e.date,
                             location: e.place, claimant: e.claimant, stance: e.stance,
                             evidence: [span(doc, e.evidence)], rules: ["test#event"], casualties: idx))
        }
        for t in tolls { casualties.append(casualty(t)) }
        let claims = denials.map { d in
            Claim(claimant: d.claimant, claimantSpan: span(doc, d.claimant.name), verb: "denied",
                  verbSpan: span(doc, "denied"), stance: "denies", content: span(doc, d.content),
                  about: .event(d.event), rule: "test#claim")
        }
        return Analysis(article: article, document: doc, annotations: annotations, events: evs, casualties: casualties,
                        claims: claims)
    }

    static func tempDB(_ name: String = "t") -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sitrep-store-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("\(name).db").path
    }

    static func ingest(_ store: SQLiteStore, _ analyses: [Analysis]) throws -> IngestSummary {
        try store.ingest(analyses.map { PreparedArticle($0, origin: $0.article.id) })
    }
}
