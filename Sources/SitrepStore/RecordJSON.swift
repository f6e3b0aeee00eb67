import Foundation
import SitrepMerge

/// The merge records as JSON with sorted keys, as `JSONEncoder` (`.encoded`) wrote them, or as
/// `JSONSerialization` wrote them again after reading `JSONEncoder`'s output (`.reparsed`: the
/// JSONL `record`). The two differ only in the order of dynamic keys (report keys of `evidence`:
/// UTF-8 bytes versus a numeric locale comparison) and in doubles (a negative zero reads back as 0).
public enum RecordJSON {
    public enum Style: Sendable {
        case encoded, reparsed
    }

    static func double(_ v: Double, _ style: Style, _ w: inout FoundationJSON) {
        switch style {
        case .encoded: w.encodedDouble(v)
        case .reparsed: w.reparsedDouble(v)
        }
    }

    static func strings(_ k: String, _ xs: [String], _ w: inout FoundationJSON) {
        w.key(k)
        w.beginArray()
        for x in xs { w.string(x) }
        w.endArray()
    }

    public static func actor(_ a: ActorKey, _ w: inout FoundationJSON) {
        w.beginObject()
        w.field("id", a.id)
        w.field("name", a.name)
        w.endObject()
    }

    public static func place(_ p: PlaceKey, style: Style, _ w: inout FoundationJSON) {
        w.beginObject()
        if let a = p.admin1 { w.field("admin1", a) }
        if let c = p.country { w.field("country", c) }
        if let g = p.geonameid { w.field("geonameid", g) }
        w.key("lat")
        double(p.lat, style, &w)
        w.key("lon")
        double(p.lon, style, &w)
        w.field("name", p.name)
        w.field("precision", p.precision)
        w.endObject()
    }

    static func sources(_ k: String, _ xs: [FigureSource], _ w: inout FoundationJSON) {
        w.key(k)
        w.beginArray()
        for s in xs {
            w.beginObject()
            w.field("article", s.article)
            if let c = s.claimant { w.field("claimant", c) }
            w.field("qualifier", s.qualifier)
            w.field("report", s.report)
            if let x = s.source { w.field("source", x) }
            w.field("value", s.value)
            w.endObject()
        }
        w.endArray()
    }

    static func reconciled(_ r: Reconciled, _ w: inout FoundationJSON) {
        w.beginObject()
        w.field("best", r.best)
        sources("bestFrom", r.bestFrom, &w)
        strings("excluded", r.excluded, &w)
        if let h = r.high { w.field("high", h) }
        sources("highFrom", r.highFrom, &w)
        w.field("low", r.low)
        sources("lowFrom", r.lowFrom, &w)
        w.endObject()
    }

    static func category(_ c: CategoryFigures, _ w: inout FoundationJSON) {
        w.beginObject()
        w.key("conservative")
        reconciled(c.conservative, &w)
        w.field("outcome", c.outcome)
        w.key("range")
        reconciled(c.range, &w)
        w.field("victims", c.victims)
        w.endObject()
    }

    public static func evidence(_ e: LinkEvidence, style: Style, _ w: inout FoundationJSON) {
        w.beginObject()
        w.field("actors", e.actors)
        w.field("date", e.date)
        w.key("distanceKm")
        double(e.distanceKm, style, &w)
        w.field("family", e.family)
        w.field("place", e.place)
        w.field("to", e.to)
        w.endObject()
    }

    public static func incident(_ r: IncidentRecord, style: Style, _ w: inout FoundationJSON) {
        w.beginObject()
        if let a = r.actor1 {
            w.key("actor1")
            actor(a, &w)
        }
        if let a = r.actor2 {
            w.key("actor2")
            actor(a, &w)
        }
        w.key("categories")
        w.beginArray()
        for c in r.categories { category(c, &w) }
        w.endArray()
        strings("claimants", r.claimants, &w)
        w.field("contested", r.contested)
        w.field("dayEnd", r.dayEnd)
        w.field("dayStart", r.dayStart)
        strings("deniedBy", r.deniedBy, &w)
        w.key("evidence")
        w.beginObject()
        let keys = Array(r.evidence.keys)
        let ordered = style == .encoded ? FoundationJSON.encoderOrder(keys) : FoundationJSON.serializationOrder(keys)
        for k in ordered {
            guard let e = r.evidence[k] else { continue }
            w.key(k)
            evidence(e, style: style, &w)
        }
        w.endObject()
        if let f = r.fatalities {
            w.key("fatalities")
            category(f, &w)
        }
        w.field("id", r.id)
        w.field("independentSources", r.independentSources)
        if let p = r.place {
            w.key("place")
            place(p, style: style, &w)
        }
        w.field("precision", r.precision)
        strings("reports", r.reports, &w)
        strings("sources", r.sources, &w)
        w.field("subtype", r.subtype)
        w.field("type", r.type)
        strings("weapons", r.weapons, &w)
        w.endObject()
    }

    /// A report as `JSONEncoder` wrote it (keys in UTF-8 order, nil fields left out).
    public static func report(_ r: Report, _ w: inout FoundationJSON) {
        w.beginObject()
        if let a = r.actor1 {
            w.key("actor1")
            actor(a, &w)
        }
        if let a = r.actor2 {
            w.key("actor2")
            actor(a, &w)
        }
        w.field("article", r.article)
        if let c = r.claimant {
            w.key("claimant")
            actor(c, &w)
        }
        w.field("dateFromPublished", r.dateFromPublished)
        if let d = r.dayEnd { w.field("dayEnd", d) }
        if let d = r.dayStart { w.field("dayStart", d) }
        strings("deniedBy", r.deniedBy, &w)
        w.field("dupGroup", r.dupGroup)
        w.field("eventIndex", r.eventIndex)
        w.key("figures")
        w.beginArray()
        for f in r.figures {
            w.beginObject()
            w.field("best", f.best)
            if let c = f.casualty { w.field("casualty", c) }
            if let c = f.claimantID { w.field("claimantID", c) }
            if let c = f.claimantName { w.field("claimantName", c) }
            if let h = f.high { w.field("high", h) }
            w.field("low", f.low)
            w.field("outcome", f.outcome)
            w.field("qualifier", f.qualifier)
            w.field("rule", f.rule)
            w.field("victims", f.victims)
            w.endObject()
        }
        w.endArray()
        w.field("key", r.key)
        if let p = r.place {
            w.key("place")
            place(p, style: .encoded, &w)
        }
        w.field("precision", r.precision)
        if let p = r.published { w.field("published", p) }
        strings("rules", r.rules, &w)
        w.field("snippet", r.snippet)
        if let s = r.source { w.field("source", s) }
        w.field("stance", r.stance)
        w.field("subtype", r.subtype)
        w.field("type", r.type)
        strings("weapons", r.weapons, &w)
        w.endObject()
    }

    /// Toll series as `JSONEncoder` wrote them.
    public static func tolls(_ series: [TollSeries], _ w: inout FoundationJSON) {
        w.beginArray()
        for s in series {
            w.beginObject()
            w.field("claimantID", s.claimantID)
            w.field("claimantName", s.claimantName)
            w.field("outcome", s.outcome)
            w.key("points")
            w.beginArray()
            for p in s.points {
                w.beginObject()
                strings("articles", p.articles, &w)
                w.field("asOf", p.asOf)
                w.field("best", p.best)
                if let h = p.high { w.field("high", h) }
                w.field("low", p.low)
                w.field("qualifier", p.qualifier)
                strings("sources", p.sources, &w)
                w.endObject()
            }
            w.endArray()
            w.field("victims", s.victims)
            w.endObject()
        }
        w.endArray()
    }
}
