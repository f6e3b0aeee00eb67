import Foundation

/// Why two reports may describe the same incident: the merge evidence kept with every link.
public struct LinkEvidence: Sendable, Hashable, Codable {
    /// The report it was linked to (the first compatible member in canonical order).
    public var to: String
    public var family: String
    /// `same day`, `overlapping dates (week)`, ...
    public var date: String
    /// Distance between the two places, km.
    public var distanceKm: Double
    /// `within 25 km`, `same admin2`, `same place`.
    public var place: String
    /// `same sides`, `actor unknown in one report`, `sides swapped (battle)`.
    public var actors: String

    public init(to: String, family: String, date: String, distanceKm: Double, place: String, actors: String) {
        self.to = to
        self.family = family
        self.date = date
        self.distanceKm = distanceKm
        self.place = place
        self.actors = actors
    }

    public var summary: String {
        "\(family); \(date); \(place) (\(String(format: "%.1f", distanceKm)) km); \(actors)"
    }
}

/// The rules that decide whether two reports can be one incident.
public enum Linking {
    /// Settlements within this distance can be one place.
    public static let settlementKm = 25.0
    /// A district-level (admin2) place matches places within this distance in the same country and admin1.
    public static let admin2Km = 50.0
    /// Dates coarser than this never link (a "month" would chain a city's whole month of shelling).
    public static let linkablePrecisions: Set<String> = ["day", "week"]

    /// ACLED event types grouped into families that may describe the same incident.
    public static func family(_ type: String) -> String {
        switch type {
        case "Battles", "Explosions/Remote violence", "Violence against civilians": "political violence"
        case "Protests", "Riots": "demonstrations"
        case "Strategic developments": "strategic developments"
        default: type.isEmpty ? "unknown" : type
        }
    }

    /// Whether a report can link at all: a linkable date and a place finer than admin1.
    public static func linkable(_ r: Report) -> Bool {
        guard r.dayStart != nil, r.dayEnd != nil, linkablePrecisions.contains(r.precision), let p = r.place
        else { return false }
        return p.precision == "settlement" || p.precision == "admin2"
    }

    /// Great-circle distance in km.
    public static func distanceKm(_ a: PlaceKey, _ b: PlaceKey) -> Double {
        let r = 6371.0
        let p1 = a.lat * .pi / 180, p2 = b.lat * .pi / 180
        let dp = p2 - p1, dl = (b.lon - a.lon) * .pi / 180
        let h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2)
        return 2 * r * asin(Swift.min(1, sqrt(h)))
    }

    /// The evidence that `a` and `b` are compatible, or nil when they are not.
    public static func compatible(_ a: Report, _ b: Report) -> LinkEvidence? {
        guard linkable(a), linkable(b), let pa = a.place, let pb = b.place,
            let as0 = a.dayStart, let ae = a.dayEnd, let bs = b.dayStart, let be = b.dayEnd
        else { return nil }
        let fa = family(a.type)
        guard fa == family(b.type) else { return nil }
        // Dates: intervals overlap (a week matches any day in it).
        guard as0 <= be, bs <= ae else { return nil }
        let dateWhy: String
        if as0 == ae && bs == be { dateWhy = "same day \(DayNumber.iso(as0))" }
        else { dateWhy = "overlapping dates (\(a.precision)/\(b.precision)) \(DayNumber.iso(Swift.max(as0, bs)))" }
        // Places.
        let d = distanceKm(pa, pb)
        let placeWhy: String
        if let ga = pa.geonameid, ga == pb.geonameid {
            placeWhy = "same place"
        } else if pa.precision == "settlement" && pb.precision == "settlement" {
            guard d <= settlementKm else { return nil }
            placeWhy = "within \(Int(settlementKm)) km"
        } else {
            guard d <= admin2Km, pa.country == pb.country, pa.admin1 == pb.admin1 else { return nil }
            placeWhy = "same admin2 (coarse place, \(Int(admin2Km)) km)"
        }
        // Actors: same side where both name one; swapped sides only for battles.
        guard let actorWhy = actorsCompatible(a, b) else { return nil }
        return LinkEvidence(to: b.key, family: fa, date: dateWhy, distanceKm: (d * 10).rounded() / 10,
                            place: placeWhy, actors: actorWhy)
    }

    static func actorsCompatible(_ a: Report, _ b: Report) -> String? {
        func same(_ x: ActorKey?, _ y: ActorKey?) -> Bool? {
            guard let x, let y else { return nil }
            return x.side == y.side
        }
        let s1 = same(a.actor1, b.actor1), s2 = same(a.actor2, b.actor2)
        if s1 != false && s2 != false {
            return (s1 == nil || s2 == nil) && (a.actor1 == nil || b.actor1 == nil || a.actor2 == nil || b.actor2 == nil)
                ? "actor unknown in one report" : "same sides"
        }
        if a.type == "Battles" && b.type == "Battles" && same(a.actor1, b.actor2) != false && same(a.actor2, b.actor1) != false {
            return "sides swapped (battle)"
        }
        return nil
    }
}
