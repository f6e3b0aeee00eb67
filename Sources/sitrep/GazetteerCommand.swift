import ArgumentParser
import Foundation
import SitrepGazetteer
import SitrepAnnotate
import SitrepLanguage
import SitrepText

struct Gazetteer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build and inspect the bundled gazetteer.",
        subcommands: [Build.self, Lookup.self, Bench.self]
    )

    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build the compact gazetteer from GeoNames dumps and the curated additions.",
            discussion: """
                DIR holds plain-text GeoNames dumps: allCountries.txt or cities*.txt (19 columns),
                admin1CodesASCII.txt, admin2Codes.txt, countryInfo.txt, and alternateNamesV2.txt when
                present. Decompress .xz dumps first (xz -dk). The curated additions default to the
                bundled en/places/additions.tsv.
                """
        )

        @Option(help: "Directory with the GeoNames dump files.")
        var geonames: String

        @Option(help: "Output file (the bundled one is Sources/SitrepGazetteer/Resources/gazetteer.sgaz).")
        var out: String

        @Option(help: "Curated additions TSV (default: the bundled en/places/additions.tsv).")
        var additions: String?

        @Option(help: "GeoJSON country polygons (e.g. Natural Earth admin-0) for country points.")
        var countryShapes: String?

        func run() async throws {
            let additionsText: (name: String, text: String)
            if let additions {
                guard let data = FileManager.default.contents(atPath: additions) else {
                    throw ValidationError("cannot read \(additions)")
                }
                additionsText = (additions, String(decoding: data, as: UTF8.self))
            } else {
                additionsText = ("en/places/additions.tsv", try LanguageResources.text("en/places/additions.tsv"))
            }
            let builder = GazetteerBuilder(
                geonamesDirectory: geonames, additions: additionsText, countryShapes: countryShapes)
            let (bytes, stats) = try builder.build()
            guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else {
                throw ValidationError("cannot write \(out)")
            }
            Stderr.line("sitrep: gazetteer: \(stats) -> \(out)")
        }
    }

    struct Lookup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the records a name matches, and the load time.")

        @Argument(help: "Names to look up.")
        var names: [String]

        @Option(help: "Gazetteer file (default: the bundled one).")
        var file: String?

        func run() async throws {
            let clock = ContinuousClock()
            let t0 = clock.now
            let g = try file.map { try SitrepGazetteer.Gazetteer.load(path: $0) } ?? SitrepGazetteer.Gazetteer.bundled()
            let ms = (clock.now - t0).seconds * 1000
            Stderr.line(String(format: "sitrep: loaded %d records in %.1f ms", g.count, ms))
            for name in names {
                for (r, kind) in g.lookup(name) {
                    print("\(name)\t\(g.name(r))\t\(g.geonameid(r).map(String.init) ?? "-")\t\(g.countryCode(r) ?? "-")\t\(g.admin1Name(r) ?? "-")\t\(g.lat(r))\t\(g.lon(r))\t\(g.featureCode(r))\t\(g.precision(r).name)\t\(g.population(r))\t\(kind)")
                }
            }
        }
    }

    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure gazetteer load time and memory, and place tagging throughput on one core.",
            discussion: """
                Reads JSONL articles ({"text": ...}), segments them once (not timed), then times place
                recognition and resolution alone over the documents, repeated for at least --seconds.
                """)

        @Argument(help: "JSONL file with a \"text\" field per line.")
        var input: String

        @Option(help: "Minimum measuring time in seconds.")
        var seconds: Double = 3

        /// User + system CPU time of this process.
        static func cpuSeconds() -> Double {
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        }

        static func rssKB() -> Int {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
            for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
                return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
            }
            return 0
        }

        func run() async throws {
            let clock = ContinuousClock()
            let rss0 = Self.rssKB()
            let t0 = clock.now
            let g = try SitrepGazetteer.Gazetteer.bundled()
            let loadMs = (clock.now - t0).seconds * 1000
            let rss1 = Self.rssKB()
            Stderr.line(String(format: "gazetteer: %d records, load %.1f ms, +%.1f MB resident", g.count, loadMs,
                               Double(rss1 - rss0) / 1024))
            let tagger = try PlaceTagger.english()
            let text = try TextProcessor.english()
            guard let data = FileManager.default.contents(atPath: input) else { throw ValidationError("cannot read \(input)") }
            var docs: [Document] = []
            var bytes = 0
            for line in data.split(separator: UInt8(ascii: "\n")) {
                guard let obj = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                    let t = obj["text"] as? String
                else { continue }
                docs.append(text.document(t))
                bytes += t.utf8.count
            }
            let context = ArticleContext(published: nil)
            var total = 0, places = 0, rounds = 0
            let cpu0 = Self.cpuSeconds()
            let start = clock.now
            while (clock.now - start).seconds < seconds {
                for d in docs {
                    var ann = Annotations()
                    tagger.tag(d, context: context, into: &ann)
                    places += ann.places.count
                }
                total += bytes
                rounds += 1
            }
            let secs = (clock.now - start).seconds
            let cpu = Self.cpuSeconds() - cpu0
            Stderr.line(String(format: "places: %d docs x %d rounds, %.1f MB in %.2f s wall / %.2f s CPU: %.1f MB/s wall, %.1f MB/s CPU (%d places)",
                               docs.count, rounds, Double(total) / 1e6, secs, cpu, Double(total) / 1e6 / secs,
                               Double(total) / 1e6 / max(cpu, 1e-9), places))
        }
    }
}
