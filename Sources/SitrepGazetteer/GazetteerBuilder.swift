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

    // MARK: curated additions

    /// Applies `place`, `alias` and `unname` rows. Returns the number of rows applied.
    static func applyAdditions(_ additions: (name: String, text: String), to records: inout [Rec],
                               admin1: [(key: String, name: String, ascii: String)]) throws -> Int {
        let lex = try Lexicon(name: additions.name, text: additions.text, required: ["op", "name", "source"])
        var byId: [Int32: Int] = [:]
        var countryRec: [String: Int] = [:]
        var admin1Rec: [String: Int] = [:]
        for (i, r) in records.enumerated() {
            if r.id > 0, byId[r.id] == nil { byId[r.id] = i }
            if r.precision == .country { countryRec[r.country] = i }
            if r.precision == .admin1 { admin1Rec[r.admin1Key] = i }
        }
        var applied = 0
        for row in lex.rows {
            func fail(_ reason: String) -> LanguageDataError {
                LanguageDataError(file: additions.name, line: row.line, reason: reason)
            }
            let extra = row["names"].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            let id = Int32(row["geonameid"]) ?? 0
            func target() throws -> Int {
                if id > 0, let i = byId[id] { return i }
                if row["precision"] == "country", let i = countryRec[row["country"]] { return i }
                if row["precision"] == "admin1", let i = admin1Rec[row["admin1"]] { return i }
                throw fail("no record with geonameid '\(row["geonameid"])' / country '\(row["country"])'")
            }
            switch row["op"] {
            case "place":
                guard let lat = Double(row["lat"]), let lon = Double(row["lon"]),
                    let precision = ["settlement": GazetteerPrecision.settlement, "admin2": .admin2, "admin1": .admin1,
                                     "country": .country, "region": .region][row["precision"]]
                else { throw fail("place rows need lat, lon and a precision") }
                let cc = row["country"]
                let a1 = admin1.first { $0.key.hasPrefix(cc + ".") && ($0.name == row["admin1"] || $0.ascii == row["admin1"]) }
                var names: [(String, NameKind)] = [(row["name"], .curated)]
                names += extra.map { ($0, NameKind.curated) }
                records.append(Rec(
                    id: id, name: row["name"], lat: lat, lon: lon, population: Int(row["population"]) ?? 0,
                    country: cc, admin1Key: a1?.key ?? "", featureCode: row.optional("featureCode") ?? "RGN",
                    precision: precision, names: names))
                if id > 0 { byId[id] = records.count - 1 }
            case "alias":
                let i = try target()
                records[i].names += ([row["name"]] + extra).map { ($0, NameKind.curated) }
            case "move":
                let i = try target()
                guard let lat = Double(row["lat"]), let lon = Double(row["lon"]), abs(lat) <= 90, abs(lon) <= 180 else {
                    throw fail("move rows need lat and lon")
                }
                records[i].lat = lat
                records[i].lon = lon
            case "unname":
                let i = try target()
                let drop = Set(([row["name"]] + extra).map { Fold.fold($0) })
                records[i].names.removeAll { drop.contains(Fold.fold($0.0)) }
            default:
                throw fail("unknown op '\(row["op"])' (place, alias, move, unname)")
            }
            applied += 1
        }
        return applied
    }

    // MARK: name variants

    /// Mechanical spelling variants of a name: ə→a, hyphens as spaces, apostrophes dropped,
    /// Saint/St., Mount/Mt., Fort/Ft., Arabic article forms.
    public static func variants(of name: String) -> [String] {
        var out: [String] = [name]
        func add(_ s: String) {
            let t = s.trimmingCharacters(in: .whitespaces)
            if !t.isEmpty, !out.contains(t) { out.append(t) }
        }
        if name.contains("ə") || name.contains("Ə") || name.contains("ǝ") || name.contains("Ǝ") {
            add(name.replacingOccurrences(of: "ə", with: "a").replacingOccurrences(of: "Ə", with: "A")
                .replacingOccurrences(of: "ǝ", with: "a").replacingOccurrences(of: "Ǝ", with: "A"))
            add(name.replacingOccurrences(of: "ǝ", with: "e").replacingOccurrences(of: "Ǝ", with: "E"))
        }
        for s in out where s.contains("-") { add(s.replacingOccurrences(of: "-", with: " ")) }
        for s in out where s.contains("'") || s.contains("’") || s.contains("ʼ") {
            add(s.replacingOccurrences(of: "'", with: "").replacingOccurrences(of: "’", with: "")
                .replacingOccurrences(of: "ʼ", with: ""))
        }
        let pairs: [(String, [String])] = [
            ("Saint ", ["St. ", "St "]), ("St. ", ["Saint ", "St "]), ("St ", ["Saint ", "St. "]),
            ("Sainte ", ["Ste. ", "Ste "]), ("Mount ", ["Mt. ", "Mt "]), ("Fort ", ["Ft. ", "Ft "]),
        ]
        for s in out {
            for (from, tos) in pairs where s.hasPrefix(from) {
                for to in tos { add(to + s.dropFirst(from.count)) }
            }
        }
        let articles = ["Al ", "Al-", "al-", "El ", "El-", "el-", "Ar ", "Ar-", "As ", "As-", "Ash ", "Ash-", "Ad ", "Ad-",
                        "An ", "An-", "At ", "At-", "Az ", "Az-", "Adh ", "Adh-"]
        for s in out {
            for a in articles where s.hasPrefix(a) {
                let rest = String(s.dropFirst(a.count))
                guard rest.count >= 4, rest.first?.isUppercase ?? false else { continue }
                add(rest)
                add("Al " + rest)
                add("al-" + rest)
                add("El " + rest)
            }
        }
        return out
    }

    // MARK: country centroids

    static func countryCentroids(path: String, iso3to2: [String: String]) throws -> [String: (Double, Double)] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GazetteerError(file: path, reason: "cannot read the country shapes (GeoJSON; decompress first)")
        }
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let features = root["features"] as? [[String: Any]]
        else { throw GazetteerError(file: path, reason: "not a GeoJSON FeatureCollection") }
        var out: [String: (Double, Double)] = [:]
        for feature in features {
            guard let props = feature["properties"] as? [String: Any],
                let geometry = feature["geometry"] as? [String: Any],
                let type = geometry["type"] as? String
            else { continue }
            var iso2 = props["ISO_A2"] as? String ?? "-99"
            if iso2 == "-99", let a3 = props["ADM0_A3"] as? String, let c = iso3to2[a3] { iso2 = c }
            guard iso2.count == 2 else { continue }
            var polygons: [[[Double]]] = []  // outer rings as flat [lon, lat, lon, lat...]
            if type == "Polygon", let rings = geometry["coordinates"] as? [[[Double]]], let outer = rings.first {
                polygons.append(outer)
            } else if type == "MultiPolygon", let polys = geometry["coordinates"] as? [[[[Double]]]] {
                for p in polys { if let outer = p.first { polygons.append(outer) } }
            }
            var best: (area: Double, lat: Double, lon: Double)?
            for ring in polygons where ring.count >= 3 {
                var a = 0.0, cx = 0.0, cy = 0.0
                for i in 0..<ring.count {
                    let p = ring[i], q = ring[(i + 1) % ring.count]
                    guard p.count >= 2, q.count >= 2 else { continue }
                    let cross = p[0] * q[1] - q[0] * p[1]
                    a += cross
                    cx += (p[0] + q[0]) * cross
                    cy += (p[1] + q[1]) * cross
                }
                guard abs(a) > 1e-12 else { continue }
                let area = abs(a) / 2
                if best == nil || area > (best?.area ?? 0) {
                    best = (area, cy / (3 * a), cx / (3 * a))
                }
            }
            if let best { out[iso2] = (best.lat, best.lon) }
        }
        return out
    }

    // MARK: encoding

    static func encode(_ records: [Rec], admin1: [(key: String, name: String)], stats: Stats,
                       romanized: Set<String> = []) throws -> (bytes: [UInt8], stats: Stats) {
        var stats = stats
        var countryCodes = [""]
        var countryIdx: [String: UInt16] = ["": 0]
        for cc in Set(records.map(\.country)).sorted() where !cc.isEmpty {
            countryIdx[cc] = UInt16(countryCodes.count)
            countryCodes.append(cc)
        }
        var admin1Idx: [String: UInt16] = [:]
        var admin1Names: [String] = []
        for a in admin1 where admin1Idx[a.key] == nil && admin1Names.count < 0xFFFF {
            admin1Idx[a.key] = UInt16(admin1Names.count)
            admin1Names.append(a.name)
        }
        var featureCodes: [String] = []
        var featureIdx: [String: UInt8] = [:]
        var countryRecord = [Int32](repeating: -1, count: countryCodes.count)
        var admin1Record = [Int32](repeating: -1, count: admin1Names.count)

        var ids: [Int32] = [], lats: [Float] = [], lons: [Float] = [], pops: [UInt32] = []
        var nameStarts: [UInt32] = [0], cIdx: [UInt16] = [], aIdx: [UInt16] = [], fIdx: [UInt8] = [], prec: [UInt8] = []
        var blob: [UInt8] = []
        var index: [UInt64: [UInt32]] = [:]
        var prefixes = Set<UInt64>()
        for (r, rec) in records.enumerated() {
            ids.append(rec.id)
            lats.append(Float(rec.lat))
            lons.append(Float(rec.lon))
            pops.append(UInt32(clamping: rec.population))
            blob.append(contentsOf: rec.name.utf8)
            nameStarts.append(UInt32(blob.count))
            let c = countryIdx[rec.country] ?? 0
            cIdx.append(c)
            let a = admin1Idx[rec.admin1Key] ?? 0xFFFF
            aIdx.append(a)
            if let f = featureIdx[rec.featureCode] {
                fIdx.append(f)
            } else {
                guard featureCodes.count < 255 else { throw GazetteerError(file: "feature codes", reason: "more than 255") }
                featureIdx[rec.featureCode] = UInt8(featureCodes.count)
                fIdx.append(UInt8(featureCodes.count))
                featureCodes.append(rec.featureCode)
            }
            prec.append(rec.precision.rawValue)
            if rec.precision == .country, c > 0 { countryRecord[Int(c)] = Int32(r) }
            if rec.precision == .admin1, a != 0xFFFF { admin1Record[Int(a)] = Int32(r) }
            var done = Set<UInt64>()
            // Primary and curated names first, so a record keeps its strongest kind per key.
            let ordered = rec.names.filter { $0.1 != .alternate } + rec.names.filter { $0.1 == .alternate }
            for (name, kind) in ordered {
                for v in variants(of: name) {
                    let tks = TokenTrie<Int>.keys(of: v)
                    guard !tks.isEmpty, tks.count <= 8 else { continue }
                    var h = Gazetteer.seed
                    for (j, k) in tks.enumerated() {
                        h = Gazetteer.extend(h, k)
                        if j < tks.count - 1 { prefixes.insert(h) }
                    }
                    if done.insert(h).inserted {
                        index[h, default: []].append(UInt32(r) << 2 | UInt32(kind.rawValue))
                    }
                }
                // Romanized names: also under their spelling skeleton (no prefixes: probed whole).
                if romanized.contains(rec.country), let sk = NameSkeleton.key(name), done.insert(sk).inserted {
                    index[sk, default: []].append(UInt32(r) << 2 | UInt32(kind.rawValue))
                    stats.skeletonPostings += 1
                }
            }
        }
        for p in prefixes where index[p] == nil { index[p] = [] }
        let keys = index.keys.sorted()
        var postStart: [UInt32] = []
        var postings: [UInt32] = []
        postStart.reserveCapacity(keys.count + 1)
        let staticPrior: (UInt32) -> Double = { p in
            let rec = records[Int(p >> 2)]
            return Gazetteer.prior(population: rec.population, precision: rec.precision, featureCode: rec.featureCode,
                                   kind: NameKind(rawValue: UInt8(p & 3)) ?? .alternate)
        }
        for k in keys {
            postStart.append(UInt32(postings.count) | (prefixes.contains(k) ? 0x8000_0000 : 0))
            // Best prior first, so readers can stop after the first few.
            let sorted = (index[k] ?? []).map { ($0, staticPrior($0)) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            postings.append(contentsOf: sorted.map(\.0))
        }
        postStart.append(UInt32(postings.count))
        var tables = ""
        for (i, cc) in countryCodes.enumerated() { tables += "\(cc)\t\(countryRecord[i])\n" }
        tables += "\u{1}"
        for (i, n) in admin1Names.enumerated() { tables += "\(n)\t\(admin1Record[i])\n" }
        tables += "\u{1}"
        tables += featureCodes.joined(separator: "\n")
        let tableBytes = Array(tables.utf8)

        var w = BinaryWriter()
        w.array(Gazetteer.magic)
        w.scalar(UInt32(records.count))
        w.scalar(UInt32(blob.count))
        w.scalar(UInt32(keys.count))
        w.scalar(UInt32(postings.count))
        w.scalar(UInt32(tableBytes.count))
        w.array(ids); w.array(lats); w.array(lons); w.array(pops); w.array(nameStarts)
        w.array(cIdx); w.array(aIdx); w.array(fIdx); w.array(prec); w.array(blob)
        w.array(keys); w.array(postStart); w.array(postings); w.array(tableBytes)
        stats.keys = keys.count
        stats.postings = postings.count
        stats.bytes = w.bytes.count
        return (w.bytes, stats)
    }
}
