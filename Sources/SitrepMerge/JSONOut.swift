import SitrepText

/// Hand-written JSON for the stored records (`JSONEncoder` was half of ingest's writer time).
/// Keys are the `Codable` property names, so `JSONDecoder` reads them back; objects are written
/// with sorted dictionary keys, so equal records give equal bytes.
public enum JSONOut {
    public static func string(_ body: (inout JSONWriter) -> Void) -> String {
        var w = JSONWriter(capacity: 1024)
        body(&w)
        return String(decoding: w.bytes, as: UTF8.self)
    }

    static func strings(_ k: String, _ xs: [String], _ w: inout JSONWriter) {
        w.key(k)
        w.beginArray()
        for x in xs { w.string(x) }
        w.endArray()
    }

    static func actor(_ k: String, _ a: ActorKey?, _ w: inout JSONWriter) {
        guard let a else { return }
        w.key(k)
        w.beginObject()
        w.field("id", a.id)
        w.field("name", a.name)
        w.endObject()
    }

    static func place(_ k: String, _ p: PlaceKey?, _ w: inout JSONWriter) {
        guard let p else { return }
        w.key(k)
        w.beginObject()
        w.field("name", p.name)
        if let g = p.geonameid { w.field("geonameid", g) }
        if let c = p.country { w.field("country", c) }
        if let a = p.admin1 { w.field("admin1", a) }
        w.field("lat", p.lat)
        w.field("lon", p.lon)
        w.field("precision", p.precision)
        w.endObject()
    }

    public static func report(_ r: Report, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("key", r.key)
        w.field("article", r.article)
        w.field("eventIndex", r.eventIndex)
        if let s = r.source { w.field("source", s) }
        if let p = r.published { w.field("published", p) }
        w.field("dupGroup", r.dupGroup)
        w.field("type", r.type)
        w.field("subtype", r.subtype)
        actor("actor1", r.actor1, &w)
        actor("actor2", r.actor2, &w)
        if let d = r.dayStart { w.field("dayStart", d) }
        if let d = r.dayEnd { w.field("dayEnd", d) }
        w.field("precision", r.precision)
        w.field("dateFromPublished", r.dateFromPublished)
        place("place", r.place, &w)
        actor("claimant", r.claimant, &w)
        w.field("stance", r.stance)
        strings("deniedBy", r.deniedBy, &w)
        w.key("figures")
        w.beginArray()
        for f in r.figures {
            w.beginObject()
            w.field("outcome", f.outcome)
            w.field("victims", f.victims)
            w.field("low", f.low)
            w.field("best", f.best)
            if let h = f.high { w.field("high", h) }
            w.field("qualifier", f.qualifier)
            if let c = f.claimantID { w.field("claimantID", c) }
            if let c = f.claimantName { w.field("claimantName", c) }
            if let c = f.casualty { w.field("casualty", c) }
            w.field("rule", f.rule)
            w.endObject()
        }
        w.endArray()
        strings("weapons", r.weapons, &w)
        w.field("snippet", r.snippet)
        strings("rules", r.rules, &w)
        w.endObject()
    }

    public static func evidence(_ e: LinkEvidence, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("to", e.to)
        w.field("family", e.family)
        w.field("date", e.date)
        w.field("distanceKm", e.distanceKm)
        w.field("place", e.place)
        w.field("actors", e.actors)
        w.endObject()
    }

    static func sources(_ k: String, _ xs: [FigureSource], _ w: inout JSONWriter) {
        w.key(k)
        w.beginArray()
        for s in xs {
            w.beginObject()
            w.field("report", s.report)
            w.field("article", s.article)
            if let x = s.source { w.field("source", x) }
            if let x = s.claimant { w.field("claimant", x) }
            w.field("value", s.value)
            w.field("qualifier", s.qualifier)
            w.endObject()
        }
        w.endArray()
    }

    static func reconciled(_ k: String, _ r: Reconciled, _ w: inout JSONWriter) {
        w.key(k)
        w.beginObject()
        w.field("low", r.low)
        w.field("best", r.best)
        if let h = r.high { w.field("high", h) }
        sources("lowFrom", r.lowFrom, &w)
        sources("bestFrom", r.bestFrom, &w)
        sources("highFrom", r.highFrom, &w)
        strings("excluded", r.excluded, &w)
        w.endObject()
    }

    static func category(_ c: CategoryFigures, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("outcome", c.outcome)
        w.field("victims", c.victims)
        reconciled("conservative", c.conservative, &w)
        reconciled("range", c.range, &w)
        w.endObject()
    }

    public static func incident(_ r: IncidentRecord, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("id", r.id)
        w.field("dayStart", r.dayStart)
        w.field("dayEnd", r.dayEnd)
        w.field("precision", r.precision)
        w.field("type", r.type)
        w.field("subtype", r.subtype)
        actor("actor1", r.actor1, &w)
        actor("actor2", r.actor2, &w)
        place("place", r.place, &w)
        if let f = r.fatalities {
            w.key("fatalities")
            category(f, &w)
        }
        w.key("categories")
        w.beginArray()
        for c in r.categories { category(c, &w) }
        w.endArray()
        strings("claimants", r.claimants, &w)
        w.field("contested", r.contested)
        strings("deniedBy", r.deniedBy, &w)
        strings("sources", r.sources, &w)
        w.field("independentSources", r.independentSources)
        strings("reports", r.reports, &w)
        w.key("evidence")
        w.beginObject()
        for k in r.evidence.keys.sorted() {
            guard let e = r.evidence[k] else { continue }
            w.key(k)
            evidence(e, &w)
        }
        w.endObject()
        strings("weapons", r.weapons, &w)
        w.endObject()
    }
}
