import Foundation
import SitrepLanguage
import SitrepText

/// Builds the compact gazetteer from standard GeoNames dump files plus curated additions.
///
/// Reads, from one directory (plain `.txt`; decompress `.xz` dumps first):
/// - `allCountries.txt` or every `cities*.txt` (19 tab-separated columns; feature classes P and A),
/// - `admin1CodesASCII.txt`, `admin2Codes.txt`, `countryInfo.txt`,
/// - `alternateNamesV2.txt` when present (Latin-script names in languages "", "en", "abbr").
/// Divisions without their own row get the middle of their member places' (trimmed) extent; countries
/// get the centroid of their largest polygon from a GeoJSON file when one is given, else their
/// capital's coordinate.
public struct GazetteerBuilder {
    public var geonamesDirectory: String
    /// Curated additions (TSV text) and the name used in provenance and errors.
    public var additions: (name: String, text: String)?
    /// Optional GeoJSON with country polygons (Natural Earth admin-0) for country points.
    public var countryShapes: String?
    /// ISO codes of the countries whose names reach English text romanized from Arabic or Persian
    /// script: their records are also indexed under each name's `NameSkeleton` key.
    public var romanizedCountries: Set<String>

    public init(geonamesDirectory: String, additions: (name: String, text: String)? = nil, countryShapes: String? = nil,
                romanizedCountries: Set<String>? = nil) {
        self.geonamesDirectory = geonamesDirectory
        self.additions = additions
        self.countryShapes = countryShapes
        self.romanizedCountries = romanizedCountries ?? Self.bundledRomanizedCountries()
    }

    /// The bundled list `en/places/romanized.tsv` (empty when it cannot be read).
    public static func bundledRomanizedCountries() -> Set<String> {
        guard let lex = try? LanguageResources.lexicon("en/places/romanized.tsv", required: ["country"]) else { return [] }
        return Set(lex.rows.map { $0["country"].uppercased() })
    }

    struct Rec {
        var id: Int32
        var name: String
        var lat: Double
        var lon: Double
        var population: Int
        var country: String
        var admin1Key: String  // "CC.CODE" or ""
        var featureCode: String
        var precision: GazetteerPrecision
        var names: [(String, NameKind)]
    }

    /// Statistics of a build, for the command's report.
    public struct Stats: Sendable, CustomStringConvertible {
        public var records = 0, countries = 0, admin1 = 0, admin2 = 0, places = 0, curated = 0
        public var keys = 0, postings = 0, bytes = 0, skeletonPostings = 0
        public var description: String {
            "\(records) records (\(countries) countries, \(admin1) admin1, \(admin2) admin2, \(places) places, \(curated) curated), \(keys) name keys, \(postings) postings (\(skeletonPostings) under spelling skeletons), \(bytes) bytes"
        }
    }

    // MARK: file reading

    func lines(_ file: String, required: Bool) throws -> [Substring]? {
        let path = (geonamesDirectory as NSString).appendingPathComponent(file)
        guard let data = FileManager.default.contents(atPath: path) else {
            if required {
                throw GazetteerError(
                    file: path, reason: "cannot read (decompress .xz dumps first, e.g. `xz -dk \(file).xz`)")
            }
            return nil
        }
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n", omittingEmptySubsequences: true).map { line in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
    }

    static func fields(_ line: Substring) -> [Substring] {
        line.split(separator: "\t", omittingEmptySubsequences: false)
    }

    // MARK: build

    public func build() throws -> (bytes: [UInt8], stats: Stats) {
        var stats = Stats()
        // Countries.
        guard let countryLines = try lines("countryInfo.txt", required: true) else { return ([], stats) }
        struct CountryRow { var iso2: String, iso3: String, name: String, capital: String, population: Int, id: Int32 }
        var countries: [CountryRow] = []
        for line in countryLines where !line.hasPrefix("#") {
            let f = Self.fields(line)
            guard f.count >= 17, f[0].count == 2 else { continue }
            countries.append(CountryRow(
                iso2: String(f[0]), iso3: String(f[1]), name: String(f[4]), capital: String(f[5]),
                population: Int(f[7]) ?? 0, id: Int32(f[16]) ?? 0))
        }
        // Divisions.
        struct AdminRow { var key: String, name: String, ascii: String, id: Int32 }
        var admin1: [AdminRow] = []
        for line in try lines("admin1CodesASCII.txt", required: true) ?? [] {
            let f = Self.fields(line)
            guard f.count >= 4 else { continue }
            admin1.append(AdminRow(key: String(f[0]), name: String(f[1]), ascii: String(f[2]), id: Int32(f[3]) ?? 0))
        }
        var admin2: [AdminRow] = []
        for line in try lines("admin2Codes.txt", required: false) ?? [] {
            let f = Self.fields(line)
            guard f.count >= 4 else { continue }
            admin2.append(AdminRow(key: String(f[0]), name: String(f[1]), ascii: String(f[2]), id: Int32(f[3]) ?? 0))
        }
        // Places.
        var placeFiles: [String] = []
        let dirFiles = (try? FileManager.default.contentsOfDirectory(atPath: geonamesDirectory)) ?? []
        if dirFiles.contains("allCountries.txt") {
            placeFiles = ["allCountries.txt"]
        } else {
            placeFiles = dirFiles.filter { $0.hasPrefix("cities") && $0.hasSuffix(".txt") }.sorted()
        }
        guard !placeFiles.isEmpty else {
            throw GazetteerError(file: geonamesDirectory, reason: "no allCountries.txt or cities*.txt (decompress .xz dumps first)")
        }
        var places: [Rec] = []
        var seen = Set<Int32>()
        var adminPoint: [Int32: (Double, Double)] = [:]  // A-class rows: their own coordinates
        var members1: [String: [(Double, Double, Int)]] = [:]
        var members2: [String: [(Double, Double, Int)]] = [:]
        for file in placeFiles {
            for line in try lines(file, required: true) ?? [] {
                let f = Self.fields(line)
                guard f.count >= 15, let id = Int32(f[0]), let lat = Double(f[4]), let lon = Double(f[5]),
                    lat.isFinite, lon.isFinite
                else { continue }
                let fclass = f[6], code = String(f[7]), cc = String(f[8])
                if fclass == "A" { adminPoint[id] = (lat, lon); continue }
                guard fclass == "P", !seen.contains(id) else { continue }
                seen.insert(id)
                let pop = Int(f[14]) ?? 0
                let a1 = f[10].isEmpty ? "" : "\(cc).\(f[10])"
                if !a1.isEmpty {
                    members1[a1, default: []].append((lat, lon, pop))
                    if f.count > 11, !f[11].isEmpty { members2["\(a1).\(f[11])", default: []].append((lat, lon, pop)) }
                }
                var names: [(String, NameKind)] = [(String(f[1]), .primary)]
                if f[2] != f[1] { names.append((String(f[2]), .primary)) }
                for alt in f[3].split(separator: ",") where Self.acceptableAlternate(alt) {
                    names.append((String(alt), .alternate))
                }
                places.append(Rec(
                    id: id, name: String(f[1]), lat: lat, lon: lon, population: pop, country: cc, admin1Key: a1,
                    featureCode: code.isEmpty ? "PPL" : code, precision: .settlement, names: names))
            }
        }
        // Alternate names file.
        if let altLines = try lines("alternateNamesV2.txt", required: false) {
            var byId: [Int32: Int] = [:]
            for (i, p) in places.enumerated() { byId[p.id] = i }
            for line in altLines {
                let f = Self.fields(line)
                guard f.count >= 4, let id = Int32(f[1]), let i = byId[id] else { continue }
                let lang = f[2]
                guard lang.isEmpty || lang == "en" || lang == "abbr", Self.acceptableAlternate(f[3]) else { continue }
                if f.count > 7, f[7] == "1" { continue }  // historic
                places[i].names.append((String(f[3]), .alternate))
            }
        }
        // Country points.
        var shapePoint: [String: (Double, Double)] = [:]
        if let shapes = countryShapes {
            shapePoint = try Self.countryCentroids(path: shapes, iso3to2: Dictionary(
                countries.map { ($0.iso3, $0.iso2) }, uniquingKeysWith: { a, _ in a }))
        }
        var capitalPoint: [String: (Double, Double, Int)] = [:]
        let capitalName = Dictionary(countries.map { ($0.iso2, $0.capital) }, uniquingKeysWith: { a, _ in a })
        for p in places where p.featureCode == "PPLC" || capitalName[p.country] == p.name {
            let rank = (p.featureCode == "PPLC" ? 1 << 40 : 0) + p.population
            if rank > capitalPoint[p.country]?.2 ?? -1 { capitalPoint[p.country] = (p.lat, p.lon, rank) }
        }
        var records: [Rec] = []
        for c in countries {
            var point = shapePoint[c.iso2]
            if point == nil, let cap = capitalPoint[c.iso2] { point = (cap.0, cap.1) }
            guard let (lat, lon) = point else { continue }
            records.append(Rec(
                id: c.id, name: c.name, lat: lat, lon: lon, population: c.population, country: c.iso2,
                admin1Key: "", featureCode: "PCLI", precision: .country, names: [(c.name, .primary)]))
            stats.countries += 1
        }
        // The middle of the members' extent, trimmed of the outer 3 % on each side.
        func median(_ xs: [Double]) -> Double {
            let s = xs.sorted()
            guard !s.isEmpty else { return 0 }
            let cut = s.count / 33
            return (s[cut] + s[s.count - 1 - cut]) / 2
        }
        let suffixes = Self.divisionSuffixes
        func adminNames(_ a: AdminRow) -> [(String, NameKind)] {
            var names: [(String, NameKind)] = [(a.name, .primary)]
            if a.ascii != a.name { names.append((a.ascii, .primary)) }
            for n in [a.name, a.ascii] {
                for s in suffixes where n.hasSuffix(s) && n.count > s.count + 2 {
                    names.append((String(n.dropLast(s.count)), .primary))
                }
            }
            return names
        }
        for a in admin1 {
            let members = members1[a.key] ?? []
            let point = adminPoint[a.id] ?? (members.isEmpty ? nil : (median(members.map(\.0)), median(members.map(\.1))))
            guard let (lat, lon) = point else { continue }
            let cc = String(a.key.prefix(2))
            records.append(Rec(
                id: a.id, name: a.name, lat: lat, lon: lon, population: members.reduce(0) { $0 + $1.2 },
                country: cc, admin1Key: a.key, featureCode: "ADM1", precision: .admin1, names: adminNames(a)))
            stats.admin1 += 1
        }
        for a in admin2 {
            let members = members2[a.key] ?? []
            let point = adminPoint[a.id] ?? (members.isEmpty ? nil : (median(members.map(\.0)), median(members.map(\.1))))
            guard let (lat, lon) = point else { continue }
            let parts = a.key.split(separator: ".")
            guard parts.count >= 2 else { continue }
            records.append(Rec(
                id: a.id, name: a.name, lat: lat, lon: lon, population: members.reduce(0) { $0 + $1.2 },
                country: String(parts[0]), admin1Key: "\(parts[0]).\(parts[1])", featureCode: "ADM2",
                precision: .admin2, names: adminNames(a)))
            stats.admin2 += 1
        }
        stats.places = places.count
        records.append(contentsOf: places)
        places = []
        // Curated additions.
        if let additions {
            stats.curated = try Self.applyAdditions(additions, to: &records, admin1: admin1.map { ($0.key, $0.name, $0.ascii) })
        }
        stats.records = records.count
        return try Self.encode(records, admin1: admin1.map { ($0.key, $0.name) }, stats: stats,
                               romanized: romanizedCountries)
    }

    /// Words GeoNames appends to division names ("Idlib Governorate", "Diyarbakır Province"): each
    /// division is also indexed without them, and a town is named like its division when it bears
    /// the name without them.
    public static let divisionSuffixes = [
        " District", " Rayon", " Province", " Governorate", " Oblast", " Region", " Prefecture",
        " Municipality", " Sahari", " Muhafazah", " Voivodeship", " Department", " State",
    ]

    static func acceptableAlternate(_ s: Substring) -> Bool {
        var letters = 0, upper = 0
        for u in s.unicodeScalars {
            if u.properties.isAlphabetic { letters += 1 }
            if u.properties.isUppercase { upper += 1 }
            if u.value >= 0x30 && u.value <= 0x39 { return false }
            if u.value >= 0x370 && u.properties.isAlphabetic { return false }  // non-Latin script
        }
        if letters < 3 { return false }
        if upper == letters && letters <= 4 { return false }  // codes: "YLV", "NYC"
        return true
    }
}
