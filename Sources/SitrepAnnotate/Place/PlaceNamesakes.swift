import Foundation
import SitrepGazetteer
import SitrepText

/// Namesakes inside the countries a document is about: the reading of a name the event-scene
/// reader takes when the tagger's reading lies in a country nothing else in the text names.
extension PlaceTagger {
    /// The settlement or district of `name` (as written, else by its spelling skeleton) in one of
    /// `countries`, nearest the given points (the first by prior when there are none), within
    /// `km` of a point. Nil when no record of the name lies in those countries. `exactOnly`: the
    /// name as written only, not its spelling skeleton.
    public func namesake(of name: String, inCountries countries: [String], near points: [(lat: Double, lon: Double)],
                         within km: Double = .infinity, exactOnly: Bool = false) -> PlaceRef?
    {
        guard !countries.isEmpty else { return nil }
        let g = gazetteer
        var lists = [g.lookup(name)]
        if !exactOnly, let key = NameSkeleton.key(name), let e = g.entry(key) { lists.append(g.postings(e, limit: 64)) }
        for records in lists {
            var best: (record: Int, km: Double)?
            for (r, _) in records.prefix(64) {
                let p = g.precision(r)
                guard p == .settlement || p == .admin2, let cc = g.countryCode(r), countries.contains(cc) else { continue }
                var d = points.isEmpty ? 0 : Double.infinity
                for q in points { d = min(d, Gazetteer.distanceKm(g.lat(r), g.lon(r), q.lat, q.lon)) }
                if d <= km, best.map({ d < $0.km }) ?? true { best = (r, d) }
            }
            if let best { return placeRef(record: best.record) }
        }
        return nil
    }
}
