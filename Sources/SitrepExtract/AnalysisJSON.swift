import SitrepAnnotate
import SitrepText

/// Writes an analysis as one line of the extract contract (`shared/docs/extract-format.md`),
/// fields in the contract's order, offsets as Unicode scalar offsets. Extensions: `title`,
/// `source`, `url`, `publishedEstimate`, `boilerplate`, and `rule` provenance on every item.
public enum AnalysisJSON {
    public static func line(_ a: Analysis) -> [UInt8] {
        var w = JSONWriter(capacity: a.article.text.utf8.count * 2 + 1024)
        let doc = a.document
        func offset(_ byte: Int) -> Int { doc.offsets.scalar(byte) }
        func spanFields(_ s: Span) {
            w.field("start", offset(s.start))
            w.field("end", offset(s.end))
        }

        w.beginObject()
        w.field("id", a.article.id)
        w.field("published", a.article.published)
        w.field("title", a.article.title)
        w.field("source", a.article.source)
        w.field("url", a.article.url)
        w.field("text", a.article.text)
        if let e = a.annotations.publishedEstimate {
            w.key("publishedEstimate")
            w.beginObject()
            w.field("value", e.value)
            w.field("precision", e.precision.rawValue)
            w.field("basis", e.basis)
            w.endObject()
        }

        w.key("mentions")
        w.beginArray()
        for m in a.annotations.all {
            w.beginObject()
            w.field("kind", m.kind)
            spanFields(m.span)
            w.key("text")
            w.string(utf8: doc.bytes[m.span.start..<m.span.end])
            switch m.payload {
            case .time(let t):
                w.key("timex")
                w.beginObject()
                w.field("type", t.type.rawValue)
                w.field("value", t.value)
                if let mod = t.mod { w.field("mod", mod) }
                w.endObject()
            case .place(let p, let aliases):
                w.key("place")
                place(p, aliases: aliases, &w)
            case .actor(let actorRef):
                w.key("actor")
                actor(actorRef, &w)
            case .weapon(let weaponRef):
                w.key("weapon")
                weapon(weaponRef, &w)
            }
            w.field("rule", m.rule)
            w.endObject()
        }
        w.endArray()

        w.key("events")
        w.beginArray()
        for e in a.events {
            w.beginObject()
            w.field("type", e.type)
            w.field("subtype", e.subtype)
            w.key("actor1"); actor(e.actor1, &w)
            w.key("actor2"); actor(e.actor2, &w)
            w.key("date"); date(e.date, &w)
            w.key("location")
            if let p = e.location { place(p, aliases: [], &w) } else { w.null() }
            w.key("weapons")
            w.beginArray()
            for x in e.weapons { weapon(x, &w) }
            w.endArray()
            w.key("fatalities"); figure(e.fatalities, &w)
            w.key("claimant"); actor(e.claimant, &w)
            w.field("stance", e.stance)
            w.key("evidence")
            w.beginArray()
            for s in e.evidence {
                w.beginObject()
                spanFields(s)
                w.endObject()
            }
            w.endArray()
            w.key("casualties")
            w.beginArray()
            for i in e.casualties { w.int(i) }
            w.endArray()
            w.key("rules")
            w.beginArray()
            for r in e.rules { w.string(r) }
            w.endArray()
            w.endObject()
        }
        w.endArray()

        w.key("casualties")
        w.beginArray()
        for c in a.casualties {
            w.beginObject()
            w.field("outcome", c.outcome)
            w.field("low", c.low)
            w.field("best", c.best)
            w.field("high", c.high)
            w.field("qualifier", c.qualifier)
            w.field("victims", c.victims)
            w.field("side", c.side)
            w.field("scope", c.scope)
            w.key("period"); date(c.period, &w)
            w.key("claimant"); actor(c.claimant, &w)
            spanFields(c.span)
            w.key("figure")
            w.string(utf8: doc.bytes[c.figureSpan.start..<c.figureSpan.end])
            w.field("rule", c.rule)
            w.endObject()
        }
        w.endArray()

        w.key("claims")
        w.beginArray()
        for c in a.claims {
            w.beginObject()
            w.key("claimant"); actor(c.claimant, &w)
            w.field("verb", c.verb)
            w.field("stance", c.stance)
            spanFields(c.content)
            w.key("about")
            switch c.about {
            case .event(let i)?:
                w.beginObject(); w.field("event", i); w.endObject()
            case .casualty(let i)?:
                w.beginObject(); w.field("casualty", i); w.endObject()
            case nil:
                w.null()
            }
            w.field("denies", c.denies)
            w.key("claimantSpan")
            w.beginObject(); spanFields(c.claimantSpan); w.endObject()
            w.field("rule", c.rule)
            w.endObject()
        }
        w.endArray()

        w.key("boilerplate")
        w.beginArray()
        for b in doc.boilerplate {
            w.beginObject()
            spanFields(b.span)
            w.field("reason", b.reason)
            w.field("rule", b.rule)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.takeLine()
    }

    static func place(_ p: PlaceRef, aliases: [String], _ w: inout JSONWriter) {
        w.beginObject()
        w.field("name", p.name)
        w.field("geonameid", p.geonameid)
        w.field("country", p.country)
        w.field("admin1", p.admin1)
        w.key("lat")
        w.coordinate(p.lat)
        w.key("lon")
        w.coordinate(p.lon)
        w.field("featureCode", p.featureCode)
        w.field("precision", p.precision.rawValue)
        if !aliases.isEmpty {
            w.key("aliases")
            w.beginArray()
            for a in aliases { w.string(a) }
            w.endArray()
        }
        w.endObject()
    }

    static func actor(_ a: ActorRef?, _ w: inout JSONWriter) {
        guard let a else { return w.null() }
        w.beginObject()
        w.field("id", a.id)
        w.field("name", a.name)
        w.field("country", a.country)
        w.field("kind", a.kind.rawValue)
        w.endObject()
    }

    static func weapon(_ x: WeaponRef, _ w: inout JSONWriter) {
        w.beginObject()
        w.field("name", x.name)
        w.field("class", x.class)
        w.endObject()
    }

    static func date(_ d: EventDate?, _ w: inout JSONWriter) {
        guard let d else { return w.null() }
        w.beginObject()
        w.field("start", d.start.description)
        w.field("end", d.end.description)
        w.field("precision", d.precision.rawValue)
        w.endObject()
    }

    static func figure(_ f: Figure?, _ w: inout JSONWriter) {
        guard let f else { return w.null() }
        w.beginObject()
        w.field("low", f.low)
        w.field("best", f.best)
        w.field("high", f.high)
        w.endObject()
    }
}
