import Foundation
import SitrepLanguage
import SitrepText

// Country centroids and the binary encoding of the gazetteer build.
extension GazetteerBuilder {
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
