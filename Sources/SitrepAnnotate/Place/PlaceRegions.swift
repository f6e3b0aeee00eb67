import Foundation
import SitrepGazetteer
import SitrepLanguage
import SitrepText

/// A compass part of a division: "northern Idleb", "the southern countryside of Hama".
public enum CompassPart: Int, Sendable, CaseIterable {
    case north = 0, south, east, west, northeast, northwest, southeast, southwest
    /// The division's populated middle ("central Quneitra", or a division named without a part).
    case center

    /// The part a direction word names ("northern", "north", "northwest", "north-western"…), from
    /// `en/places/compass.tsv`.
    public init?(word: String) {
        let folded = Fold.fold(word).replacingOccurrences(of: "-", with: "")
        guard let part = (try? CompassWords.english.get())?.all[Fold.key(folded)] else { return nil }
        self = part
    }

    public var adjective: String {
        switch self {
        case .north: "northern"
        case .south: "southern"
        case .east: "eastern"
        case .west: "western"
        case .northeast: "northeastern"
        case .northwest: "northwestern"
        case .southeast: "southeastern"
        case .southwest: "southwestern"
        case .center: "central"
        }
    }
}

/// The direction words of `en/places/compass.tsv` by folded token key.
public struct CompassWords: Sendable {
    /// Every word and its part.
    public let all: [UInt64: CompassPart]
    /// The words the event-scene reader takes as compass parts in text (column `scene`).
    public let scene: [UInt64: CompassPart]

    public init(lexicon: Lexicon) throws {
        var all: [UInt64: CompassPart] = [:], scene: [UInt64: CompassPart] = [:]
        for row in lexicon.rows {
            guard let part = CompassPart.allCases.first(where: { "\($0)" == row["part"] }) else {
                throw LanguageDataError(file: lexicon.name, line: row.line, reason: "unknown compass part '\(row["part"])'")
            }
            let key = Fold.key(row["word"])
            all[key] = part
            if row["scene"] == "yes" { scene[key] = part }
        }
        self.all = all
        self.scene = scene
    }

    /// The bundled English words, loaded once per process.
    public static let english: Result<CompassWords, any Error> = Result {
        try CompassWords(lexicon: LanguageResources.lexicon("en/places/compass.tsv", required: ["word", "part", "scene"]))
    }
}

/// The populated middle of each compass part of every first-level division: the mean position of
/// the division's gazetteer places on that side of the division's mean (north = the places north of
/// it, northwest = north and west of it). Built once from the gazetteer's own records.
struct RegionTable: Sendable {
    static let parts = CompassPart.allCases.count
    /// [admin1 * parts + part] → (lat, lon); NaN where the part has no places.
    let lat: [Float]
    let lon: [Float]
    /// Folded admin1 name → admin1 indices (names repeat across countries).
    let byName: [String: [Int]]

    init(_ g: Gazetteer) {
        let a1Count = g.admin1Names.count
        var sumLat = [Double](repeating: 0, count: a1Count)
        var sumLon = [Double](repeating: 0, count: a1Count)
        var count = [Int](repeating: 0, count: a1Count)
        for r in 0..<g.count where g.precision(r) == .settlement {
            let a = g.admin1(r)
            guard a < a1Count else { continue }
            sumLat[a] += g.lat(r)
            sumLon[a] += g.lon(r)
            count[a] += 1
        }
        let stride = Self.parts
        var pLat = [Double](repeating: 0, count: a1Count * stride)
        var pLon = [Double](repeating: 0, count: a1Count * stride)
        var pCount = [Int](repeating: 0, count: a1Count * stride)
        for r in 0..<g.count where g.precision(r) == .settlement {
            let a = g.admin1(r)
            guard a < a1Count, count[a] > 0 else { continue }
            let mLat = sumLat[a] / Double(count[a]), mLon = sumLon[a] / Double(count[a])
            let la = g.lat(r), lo = g.lon(r)
            let n = la > mLat, s = la < mLat, e = lo > mLon, w = lo < mLon
            let parts: [(Bool, CompassPart)] = [
                (n, .north), (s, .south), (e, .east), (w, .west), (n && e, .northeast), (n && w, .northwest),
                (s && e, .southeast), (s && w, .southwest), (true, .center),
            ]
            for (inside, part) in parts where inside {
                let i = a * stride + part.rawValue
                pLat[i] += la
                pLon[i] += lo
                pCount[i] += 1
            }
        }
        lat = pLat.indices.map { pCount[$0] > 0 ? Float(pLat[$0] / Double(pCount[$0])) : .nan }
        lon = pLon.indices.map { pCount[$0] > 0 ? Float(pLon[$0] / Double(pCount[$0])) : .nan }
        var names: [String: [Int]] = [:]
        for (i, n) in g.admin1Names.enumerated() { names[Fold.fold(n), default: []].append(i) }
        byName = names
    }
}

extension PlaceTagger {
    /// The compass part of the division a place names: "southern Idleb" (the city Idlib shares its
    /// division's name, so the text names the division) → the populated middle of southern Idlib.
    /// Nil when the place is not a first-level division or a town named like its division
    /// ("western Mosul" stays Mosul), or the division has no places on that side.
    public func regionalPlace(_ p: PlaceRef, text: String, part: CompassPart) -> PlaceRef? {
        guard let a1Name = p.admin1, let cc = p.country else { return nil }
        let g = gazetteer
        switch p.precision {
        case .admin1: break
        case .settlement, .admin2:
            guard Self.sameName(text, a1Name) || Self.sameName(p.name, a1Name) else { return nil }
        case .country, .region: return nil
        }
        guard let a = regions.byName[Fold.fold(a1Name)]?.first(where: { i in
            let r = Int(g.admin1Record[i])
            return r >= 0 && g.countryCode(r) == cc
        }) else { return nil }
        let i = a * RegionTable.parts + part.rawValue
        let la = regions.lat[i], lo = regions.lon[i]
        guard !la.isNaN, !lo.isNaN else { return nil }
        return PlaceRef(name: part == .center ? a1Name : "\(part.adjective) \(a1Name)", geonameid: nil, country: cc, admin1: a1Name,
                        lat: Double(la), lon: Double(lo), featureCode: "ADM1", precision: .admin1)
    }

    /// Two spellings of one name: equal letters after folding, or one spelling skeleton.
    static func sameName(_ a: String, _ b: String) -> Bool {
        let fa = Fold.fold(a).filter(\.isLetter), fb = Fold.fold(b).filter(\.isLetter)
        if fa == fb { return true }
        guard let sa = NameSkeleton.skeleton(a, minimumLength: 3), let sb = NameSkeleton.skeleton(b, minimumLength: 3) else {
            return false
        }
        return sa == sb
    }
}
