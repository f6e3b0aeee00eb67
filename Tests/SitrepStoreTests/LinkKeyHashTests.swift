import Foundation
@testable import SitrepMerge
import Testing

/// The hashes and strings the merge engine computes per report (incident ids, ISO dates, an
/// actor's side, a linking key's side, family and region), against the string-building forms they
/// replaced: incident ids are stored, and a key's hashes decide which reports may link.
@Suite struct LinkKeyHashTests {
    static func referenceHex(_ v: UInt64) -> String {
        let digits = Array("0123456789abcdef")
        var x = v
        var out: [Character] = []
        for _ in 0..<16 {
            out.insert(digits[Int(x & 0xF)], at: 0)
            x >>= 4
        }
        return String(out)
    }

    @Test func incidentIDsAndHexAreTheJoinedStrings() {
        var rng = SplitMix(seed: 5)
        for v in [0, 1, 0xF, 0xDEAD_BEEF, UInt64.max] + (0..<200).map({ _ in rng.next() }) {
            #expect(StableHash.hex(v) == Self.referenceHex(v))
        }
        for founder in ["", "f1", "0123456789abcdef0123456789abcdef#12", "Zürich#0", String(repeating: "x", count: 300)] {
            let expected = "INC-" + Self.referenceHex(StableHash.fnv64(founder.utf8, seed: 7))
            #expect(MergeEngine.incidentID(founder: founder) == expected)
        }
        // A value pinned: stored databases name their incidents by it.
        #expect(MergeEngine.incidentID(founder: "f1") == "INC-" + Self.referenceHex(StableHash.fnv64(Array("f1".utf8), seed: 7)))
    }

    @Test func isoDatesAreThePaddedParts() {
        func reference(_ day: Int) -> String {
            let (y, m, d) = DayNumber.civil(day)
            func pad(_ v: Int, _ w: Int) -> String {
                let s = String(v)
                return String(repeating: "0", count: Swift.max(0, w - s.count)) + s
            }
            return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
        }
        let edges = [DayNumber.from(year: 0, month: 1, day: 1), DayNumber.from(year: 9999, month: 12, day: 31)]
        var days = Array(stride(from: -800_000, through: 3_000_000, by: 997)) + [0, -1, 1]
        for e in edges { days += [e - 1, e, e + 1] }
        for day in days { #expect(DayNumber.iso(day) == reference(day), "day \(day)") }
        #expect(DayNumber.iso(DayNumber.from(year: 2020, month: 10, day: 4)) == "2020-10-04")
    }

    @Test func reportKeysAreTheInterpolatedStrings() {
        for article in ["", "0123456789abcdef0123456789abcdef", "Zürich", "a#b"] {
            for event in [0, 1, 9, 10, 99, 100, 12_345, Int.max, -1, Int.min] {
                #expect(Report.key(article: article, event: event) == "\(article)#\(event)")
            }
        }
    }

    @Test func continuedHashIsTheHashOfTheJoinedBytes() {
        for (a, b) in [("", ""), ("AZ", "Nagorno-Karabakh"), ("", "x"), ("Ünïcode", "bytes ✓")] {
            let joined = StableHash.fnv64((a + b).utf8)
            #expect(StableHash.fnv64(continuing: StableHash.fnv64(a.utf8), utf8Of: b) == joined)
            #expect(StableHash.fnv64(utf8Of: a + b) == joined)
            #expect(StableHash.fnv64(utf8Of: a, seed: 7) == StableHash.fnv64(a.utf8, seed: 7))
        }
    }

    @Test func keySidesAreTheHashesOfTheSides() {
        let ids = ["AZE.GOV.MOD", "AZE", "", ".", "..", ".X", ".X.Y", "A..B", "X.", "ARM.MIL", "É.GOV", ".\u{301}X.Y",
                   "A.\u{301}B", "ÅÄ"]
        for id in ids {
            let a = ActorKey(id: id, name: "n")
            let split = id.split(separator: ".", maxSplits: 1).first ?? Substring(id)
            #expect(a.side == split, "id \(id)")
            #expect(a.side.utf8.elementsEqual(split.utf8), "id \(id)")
            #expect(Linking.Key.sideHash(a) == StableHash.fnv64(split.utf8) | 1, "id \(id)")
        }
    }

    @Test func keyRegionAndFamilyAreTheHashesOfTheJoinedStrings() {
        for r in MergeTests.randomReports(40, seed: 9) {
            let k = Linking.Key(r)
            let region = ((r.place?.country ?? "") + "\u{1F}" + (r.place?.admin1 ?? ""))
            #expect(k.region == StableHash.fnv64(region.utf8))
            #expect(k.family == StableHash.fnv64(Linking.family(r.type).utf8))
            let side = r.actor1.map { $0.id.split(separator: ".", maxSplits: 1).first ?? Substring($0.id) }
            #expect(k.side1 == (side.map { StableHash.fnv64($0.utf8) | 1 } ?? 0))
        }
        var r = MergeTests.randomReports(1, seed: 3)[0]
        r.place?.country = nil
        r.place?.admin1 = "Ünï"
        #expect(Linking.Key(r).region == StableHash.fnv64("\u{1F}Ünï".utf8))
    }
}
