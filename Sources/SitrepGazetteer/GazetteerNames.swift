import Foundation
import SitrepLanguage
import SitrepText

// Curated additions and mechanical name variants of the gazetteer build.
extension GazetteerBuilder {
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
}
