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
        distanceKm(a.lat, a.lon, b.lat, b.lon)
    }

    public static func distanceKm(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let r = 6371.0
        let p1 = lat1 * .pi / 180, p2 = lat2 * .pi / 180
        let dp = p2 - p1, dl = (lon2 - lon1) * .pi / 180
        let h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2)
        return 2 * r * asin(Swift.min(1, sqrt(h)))
    }

    /// What linking needs of a report, without strings: compared millions of times.
    public struct Key: Sendable, Hashable {
        var linkable: Bool
        var family: UInt64
        var d0: Int
        var d1: Int
        var lat: Double
        var lon: Double
        var settlement: Bool
        var geo: Int
        var region: UInt64
        var side1: UInt64
        var side2: UInt64
        var battle: Bool

        public init(_ r: Report) {
            linkable = Linking.linkable(r)
            family = StableHash.fnv64(utf8Of: Linking.family(r.type))
            d0 = r.dayStart ?? 0
            d1 = r.dayEnd ?? 0
            lat = r.place?.lat ?? 0
            lon = r.place?.lon ?? 0
            settlement = r.place?.precision == "settlement"
            geo = r.place?.geonameid ?? -1
            // The hash of "country␟admin1", continued part by part instead of joining the strings.
            let c = StableHash.fnv64(utf8Of: r.place?.country ?? "")
            region = StableHash.fnv64(continuing: StableHash.fnv64(continuing: c, CollectionOfOne(0x1F)),
                                      utf8Of: r.place?.admin1 ?? "")
            side1 = r.actor1.map(Self.sideHash) ?? 0
            side2 = r.actor2.map(Self.sideHash) ?? 0
            battle = r.type == "Battles"
        }

        /// `fnv64(a.side.utf8) | 1`, over the side's bytes in place (`ActorKey.sideBytes`).
        static func sideHash(_ a: ActorKey) -> UInt64 {
            if let r = ActorKey.sideBytes(of: a.id),
                let h = a.id.utf8.withContiguousStorageIfAvailable({ StableHash.fnv64(UnsafeBufferPointer(rebasing: $0[r])) }) {
                return h | 1
            }
            return StableHash.fnv64(a.side.utf8) | 1
        }
    }

    /// Whether two reports may be one incident (the rules of `compatible`, fast).
    public static func check(_ a: Key, _ b: Key) -> Bool {
        guard a.linkable, b.linkable, a.family == b.family, a.d0 <= b.d1, b.d0 <= a.d1 else { return false }
        // Actors: same side where both name one; swapped sides for battles.
        let straight = (a.side1 == 0 || b.side1 == 0 || a.side1 == b.side1) && (a.side2 == 0 || b.side2 == 0 || a.side2 == b.side2)
        if !straight {
            guard a.battle, b.battle, a.side1 == 0 || b.side2 == 0 || a.side1 == b.side2,
                a.side2 == 0 || b.side1 == 0 || a.side2 == b.side1
            else { return false }
        }
        if a.geo >= 0 && a.geo == b.geo { return true }
        let both = a.settlement && b.settlement
        if !both && a.region != b.region { return false }
        let limit = both ? settlementKm : admin2Km
        // Cheap reject before the great circle: 1° latitude ≈ 111 km.
        if abs(a.lat - b.lat) * 111.0 > limit + 1 { return false }
        return distanceKm(a.lat, a.lon, b.lat, b.lon) <= limit
    }

    /// The evidence that `a` and `b` are compatible, or nil when they are not.
    public static func compatible(_ a: Report, _ b: Report) -> LinkEvidence? {
        compatible(a, b, Key(a), Key(b))
    }

    /// `compatible` with the two reports' keys already at hand (the merge engine holds them).
    static func compatible(_ a: Report, _ b: Report, _ ka: Key, _ kb: Key) -> LinkEvidence? {
        guard check(ka, kb), let pa = a.place, let pb = b.place,
            let as0 = a.dayStart, let ae = a.dayEnd, let bs = b.dayStart, let be = b.dayEnd
        else { return nil }
        let dateWhy: String
        if as0 == ae && bs == be { dateWhy = "same day \(DayNumber.iso(as0))" }
        else { dateWhy = "overlapping dates (\(a.precision)/\(b.precision)) \(DayNumber.iso(Swift.max(as0, bs)))" }
        let d = distanceKm(pa, pb)
        let placeWhy: String
        if let ga = pa.geonameid, ga == pb.geonameid { placeWhy = "same place" }
        else if pa.precision == "settlement" && pb.precision == "settlement" { placeWhy = "within \(Int(settlementKm)) km" }
        else { placeWhy = "same admin2 (coarse place, \(Int(admin2Km)) km)" }
        return LinkEvidence(to: b.key, family: family(a.type), date: dateWhy, distanceKm: (d * 10).rounded() / 10,
                            place: placeWhy, actors: actorsCompatible(a, b) ?? "sides swapped (battle)")
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
