import ArgumentParser
import Foundation
import SitrepGazetteer
import SitrepLanguage

struct Gazetteer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build and inspect the bundled gazetteer.",
        subcommands: [Build.self, Lookup.self]
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
}
