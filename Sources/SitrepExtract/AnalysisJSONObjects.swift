import SitrepAnnotate
import SitrepText

// Actor, place, weapon, date and figure objects of the analysis line (through the cache where
// they repeat).

extension AnalysisJSON {
    /// Writes an actor object (or null) through the cache, keyed by its shared box.
    @inline(__always)
    static func actor(_ a: ActorRef?, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        guard let a else { return w.null() }
        let key = RecordKey(a.record)
        if cache.actors.append(key, &w) { return }
        actorMiss(a, key, &w, &cache)
    }

    @inline(never)
    static func actorMiss(_ a: ActorRef, _ key: RecordKey, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        let start = w.byteCount
        actor(a, &w)
        cache.actors.insert(key, a, w, from: start)
    }

    /// Writes a place object through the cache (keyed by the bits of its fields: a gazetteer
    /// record's place is boxed anew per document; a place with aliases, rare, is written out).
    static func place(_ p: PlaceRef, aliases: [String], _ w: inout JSONLine, _ cache: inout ObjectCache) {
        guard aliases.isEmpty else { return place(p, aliases: aliases, &w) }
        let key = PlaceKey(p.record.fields)
        if cache.places.append(key, &w) { return }
        let start = w.byteCount
        place(p, aliases: aliases, &w)
        cache.places.insert(key, p, w, from: start)
    }

    /// Writes a weapon object through the cache, keyed by its shared box.
    static func weapon(_ x: WeaponRef, _ w: inout JSONLine, _ cache: inout ObjectCache) {
        let key = RecordKey(x.record)
        if cache.weapons.append(key, &w) { return }
        let start = w.byteCount
        weapon(x, &w)
        cache.weapons.insert(key, x, w, from: start)
    }

    /// `"…"` of a raw value, precomputed (the raw values are plain ASCII: nothing to escape).
    static func quoted(_ t: TimexType) -> StaticString {
        switch t {
        case .date: "\"DATE\""
        case .time: "\"TIME\""
        case .duration: "\"DURATION\""
        case .set: "\"SET\""
        }
    }

    static func quoted(_ p: PlaceRef.Precision) -> StaticString {
        switch p {
        case .settlement: "\"settlement\""
        case .admin2: "\"admin2\""
        case .admin1: "\"admin1\""
        case .country: "\"country\""
        case .region: "\"region\""
        }
    }

    static func quoted(_ k: ActorRef.Kind) -> StaticString {
        switch k {
        case .stateMilitary: "\"state-military\""
        case .government: "\"government\""
        case .deFactoAuthority: "\"de-facto-authority\""
        case .armedGroup: "\"armed-group\""
        case .internationalOrg: "\"international-org\""
        case .ngo: "\"ngo\""
        case .media: "\"media\""
        case .person: "\"person\""
        case .civilians: "\"civilians\""
        case .unidentifiedSources: "\"unidentified-sources\""
        case .other: "\"other\""
        }
    }

    static func quoted(_ d: DatePrecision) -> StaticString {
        switch d {
        case .day: "\"day\""
        case .week: "\"week\""
        case .month: "\"month\""
        case .quarter: "\"quarter\""
        case .season: "\"season\""
        case .year: "\"year\""
        case .decade: "\"decade\""
        case .century: "\"century\""
        case .unknown: "\"unknown\""
        }
    }

    static func place(_ p: PlaceRef, aliases: [String], _ w: inout JSONLine) {
        w.raw("{\"name\":")
        w.string(p.name)
        w.raw(",\"geonameid\":")
        w.int(p.geonameid)
        w.raw(",\"country\":")
        w.string(p.country)
        w.raw(",\"admin1\":")
        w.string(p.admin1)
        w.raw(",\"lat\":")
        w.coordinate(p.lat)
        w.raw(",\"lon\":")
        w.coordinate(p.lon)
        w.raw(",\"featureCode\":")
        w.string(p.featureCode)
        w.raw(",\"precision\":")
        w.raw(quoted(p.precision))
        if !aliases.isEmpty {
            w.raw(",\"aliases\":[")
            for (k, a) in aliases.enumerated() {
                if k > 0 { w.raw(byte: 0x2C) }
                w.string(a)
            }
            w.raw(byte: 0x5D)
        }
        w.raw(byte: 0x7D)
    }

    static func actor(_ a: ActorRef, _ w: inout JSONLine) {
        w.raw("{\"id\":")
        w.string(a.id)
        w.raw(",\"name\":")
        w.string(a.name)
        w.raw(",\"country\":")
        w.string(a.country)
        w.raw(",\"kind\":")
        w.raw(quoted(a.kind))
        w.raw(byte: 0x7D)
    }

    static func weapon(_ x: WeaponRef, _ w: inout JSONLine) {
        w.raw("{\"name\":")
        w.string(x.name)
        w.raw(",\"class\":")
        w.string(x.class)
        w.raw(byte: 0x7D)
    }

    static func date(_ d: EventDate?, _ w: inout JSONLine) {
        guard let d else { return w.null() }
        w.raw("{\"start\":")
        calendarDate(d.start, &w)
        w.raw(",\"end\":")
        calendarDate(d.end, &w)
        w.raw(",\"precision\":")
        w.raw(quoted(d.precision))
        w.raw(byte: 0x7D)
    }

    /// `CalendarDate.description` (`YYYY-MM-DD`), written without making a String.
    static func calendarDate(_ d: CalendarDate, _ w: inout JSONLine) {
        w.date(year: d.year, month: d.month, day: d.day)
    }

    static func figure(_ f: Figure?, _ w: inout JSONLine) {
        guard let f else { return w.null() }
        w.raw("{\"low\":")
        w.int(f.low)
        w.raw(",\"best\":")
        w.int(f.best)
        w.raw(",\"high\":")
        w.int(f.high)
        w.raw(byte: 0x7D)
    }
}
