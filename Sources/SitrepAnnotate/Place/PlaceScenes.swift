import Foundation
import SitrepGazetteer
import SitrepLanguage
import SitrepText

/// Gazetteer questions the event-scene reader asks about places the tagger resolved: whether a
/// town's name is its division's ("Aleppo" for the governorate), a division's seat, and which
/// namesake of a name lies in the part of the world the rest of the document is about.
extension PlaceTagger {
    /// The contract's place object for a gazetteer record (its fields boxed once per process: the
    /// tagger's output shares the box among all mentions of the record, in every document).
    public func placeRef(record r: Int) -> PlaceRef {
        if let box = refCache.box(r) { return PlaceRef(record: box) }
        let box = makePlaceRecord(r)
        refCache.store(r, box)
        return PlaceRef(record: box)
    }

    /// A new boxed place object for a gazetteer record.
    func makePlaceRecord(_ r: Int) -> PlaceRef.Record {
        let precision: PlaceRef.Precision =
            switch gazetteer.precision(r) {
            case .settlement: .settlement
            case .admin2: .admin2
            case .admin1: .admin1
            case .country: .country
            case .region: .region
            }
        // (the gazetteer read in place: a local copy would retain each of its arrays)
        return PlaceRef.Record(PlaceRef.Fields(
            name: gazetteer.name(r), geonameid: gazetteer.geonameid(r), country: gazetteer.countryCode(r),
            admin1: gazetteer.admin1Name(r), lat: gazetteer.lat(r), lon: gazetteer.lon(r),
            featureCode: gazetteer.featureCode(r), precision: precision))
    }

    /// Whether the text (or the place's own name) is the name of the place's first-level division:
    /// "Aleppo", "Idleb", "Hama" name a town and its governorate alike.
    public func namesDivision(_ p: PlaceRef, text: String) -> Bool {
        guard var a1 = p.admin1 else { return false }
        for suffix in GazetteerBuilder.divisionSuffixes where a1.hasSuffix(suffix) && a1.count > suffix.count + 2 {
            a1 = String(a1.dropLast(suffix.count))
            break
        }
        return Self.sameName(text, a1) || Self.sameName(p.name, a1)
    }

    /// The seat of a first-level division: the division's capital (feature PPLA, or the country's
    /// capital PPLC) of the same country, found under the division's own name. Nil when the
    /// division has no seat named like itself ("Rural Damascus").
    public func seat(of p: PlaceRef) -> PlaceRef? {
        guard p.precision == .admin1, let a1 = p.admin1, let cc = p.country else { return nil }
        let g = gazetteer
        var best: Int?
        for name in [p.name, a1] {
            for (r, _) in g.lookup(name) where g.precision(r) == .settlement && g.countryCode(r) == cc && g.admin1Name(r) == a1 {
                let code = g.featureCode(r)
                guard code == "PPLA" || code == "PPLC" else { continue }
                if best.map({ g.population(r) > g.population($0) }) ?? true { best = r }
            }
            if best != nil { break }
        }
        return best.map { placeRef(record: $0) }
    }

    /// The record of `name` nearest to the given points (each a position the document is about),
    /// if one lies within `km` of any of them: the namesake a document about that region means.
    /// Settlements and districts only; the best prior first among equals.
    public func namesake(of name: String, near points: [(lat: Double, lon: Double)], within km: Double) -> PlaceRef? {
        let g = gazetteer
        // the name as written first, its spelling skeleton only when that finds none
        var lists = [g.lookup(name)]
        if let key = NameSkeleton.key(name), let e = g.entry(key) { lists.append(g.postings(e)) }
        for records in lists {
            var best: (record: Int, km: Double)?
            for (r, _) in records.prefix(64) {
                let p = g.precision(r)
                guard p == .settlement || p == .admin2 else { continue }
                var d = Double.infinity
                for q in points { d = min(d, Gazetteer.distanceKm(g.lat(r), g.lon(r), q.lat, q.lon)) }
                if d <= km, best.map({ d < $0.km }) ?? true { best = (r, d) }
            }
            if let best { return placeRef(record: best.record) }
        }
        return nil
    }

    /// The second-level division a name means ("Sehar district", "Nihm district"): the district
    /// records under the name or its spelling skeleton, the one nearest the given points (the
    /// document's places) when there are several, else the first by prior. Nil when no district
    /// bears the name, or none lies within `km` of the points.
    public func district(named name: String, near points: [(lat: Double, lon: Double)], within km: Double) -> PlaceRef? {
        let g = gazetteer
        var records = g.lookup(name)
        if let key = NameSkeleton.key(name), let e = g.entry(key) { records += g.postings(e) }
        var best: (record: Int, km: Double)?
        for (r, _) in records.prefix(64) where g.precision(r) == .admin2 {
            var d = points.isEmpty ? 0 : Double.infinity
            for q in points { d = min(d, Gazetteer.distanceKm(g.lat(r), g.lon(r), q.lat, q.lon)) }
            if d <= km, best.map({ d < $0.km }) ?? true { best = (r, d) }
        }
        // a governorate the writer calls a district ("Mukayras, Bayda district"): the name is a
        // first-level division near the document, not another district's romanization
        if best == nil, records.prefix(64).contains(where: { r, _ in
            g.precision(r) == .admin1 && points.contains { Gazetteer.distanceKm(g.lat(r), g.lon(r), $0.lat, $0.lon) <= km }
        }) {
            return nil
        }
        if best == nil { return district(consonantsOf: name, near: points, within: km) }
        return best.map { placeRef(record: $0.record) }
    }

    /// The district whose name has the same consonants as `name` ("Nehm district" → Nihm,
    /// "Majaz district" → Majz, "Munabeh district" → Monabbih): romanizations of one Arabic name
    /// differ in the short vowels. Only among the districts within `km` of the given points (the
    /// document's places or countries), the nearest first; nil when the name has fewer than
    /// three consonants or none matches. With no points (a document that names no place or
    /// country), the one district of a romanized-name country (`en/places/romanized.tsv`) with
    /// those consonants, if it is the only one. A scan over the gazetteer's districts: the caller
    /// asks only for a name written before a district noun that no exact or skeleton lookup found.
    ///
    /// A short name of two consonants ("Razeh district" → Razih) collides with too many districts
    /// to be read alone: it is read only among the districts near the document's places (`km` at
    /// most `shortNameKm`), never from countries or from nothing.
    public func district(consonantsOf name: String, near points: [(lat: Double, lon: Double)], within km: Double) -> PlaceRef? {
        var key = NameSkeleton.consonants(name)
        var km = km
        if key == nil, !points.isEmpty, km <= Self.shortNameKm {
            key = NameSkeleton.consonants(name, minimumConsonants: 2)
            km = min(km, Self.shortNameKm)
        }
        guard let key else { return nil }
        let g = gazetteer
        let records = g.districts(withConsonants: key)
        if points.isEmpty {
            var found: Int?
            for r in records {
                guard let cc = g.countryCode(r), Self.romanizedCountries.contains(cc) else { continue }
                if found != nil { return nil }  // two districts: no telling which
                found = r
            }
            return found.map { placeRef(record: $0) }
        }
        var best: (record: Int, km: Double)?
        for r in records {
            var d = Double.infinity
            for q in points { d = min(d, Gazetteer.distanceKm(g.lat(r), g.lon(r), q.lat, q.lon)) }
            if d <= km, best.map({ d < $0.km }) ?? true { best = (r, d) }
        }
        return best.map { placeRef(record: $0.record) }
    }

    /// How near the document's places a district with a two-consonant name must lie.
    public static let shortNameKm = 100.0

    /// Country codes of `en/places/romanized.tsv`, read once per process.
    static let romanizedCountries: Set<String> = GazetteerBuilder.bundledRomanizedCountries()

    /// With nothing else to go by, the reading of a name that is a district seat: when the name
    /// is the name of a second-level division in another country than the given small place's (a
    /// village of 500 in Sweden, or a district and its town in Yemen), the town of that name
    /// nearest the district, else the district. Nil when the place is no small settlement (a
    /// capital, a division seat, 50,000 people or more) or no such district exists.
    public func districtSeat(of p: PlaceRef, name: String) -> PlaceRef? {
        let g = gazetteer
        // (a county seat elsewhere, "Hays" in Kansas, is no better known than a Yemeni district)
        guard p.precision == .settlement, !["PPLC", "PPLA"].contains(p.featureCode) else { return nil }
        var records = g.lookup(name)
        // the name's spelling skeleton too, for a reading outside the romanized-name countries
        // (a skeleton reading in Syria is as good as a district elsewhere)
        if !Self.romanizedCountries.contains(p.country ?? ""), let key = NameSkeleton.key(name), let e = g.entry(key) {
            for rk in g.postings(e, limit: 64) where !records.contains(where: { $0.record == rk.record }) { records.append(rk) }
        }
        guard let own = records.first(where: { g.geonameid($0.record) == p.geonameid && g.name($0.record) == p.name }),
            g.population(own.record) < 50_000
        else { return nil }
        let districts = records.filter { g.precision($0.record) == .admin2 && g.countryCode($0.record) != p.country }
        guard let d = districts.first?.record,
            districts.allSatisfy({ g.countryCode($0.record) == g.countryCode(d) })
        else { return nil }
        var best: (record: Int, km: Double)?
        for (r, _) in records where g.precision(r) == .settlement && g.countryCode(r) == g.countryCode(d) {
            let km = g.distanceKm(r, d)
            if km <= 50, best.map({ km < $0.km }) ?? true { best = (r, km) }
        }
        return placeRef(record: best?.record ?? d)
    }

    /// The one town a name means when it means one town only (no namesake anywhere).
    public func onlyTown(named name: String) -> PlaceRef? {
        let g = gazetteer
        let records = g.lookup(name).filter { g.precision($0.record) == .settlement }
        guard records.count == 1 else { return nil }
        return placeRef(record: records[0].record)
    }

    /// The position of a country's own record, by ISO code.
    public func countryPoint(_ cc: String) -> (lat: Double, lon: Double)? {
        let g = gazetteer
        guard let i = g.countryCodes.firstIndex(of: cc.uppercased()), i < g.countryRecord.count else { return nil }
        let r = Int(g.countryRecord[i])
        return r >= 0 ? (g.lat(r), g.lon(r)) : nil
    }
}
