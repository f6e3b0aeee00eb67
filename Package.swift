// swift-tools-version: 6.1
import PackageDescription

// Data flows one way: Ingest → Clean → Segment → Annotate → Extract → Merge → Store → CLI.
// Lower modules never import higher ones.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "sitrep",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sitrep", targets: ["sitrep"]),
        .library(name: "SitrepExtract", targets: ["SitrepExtract"]),
        .library(name: "SitrepStore", targets: ["SitrepStore"]),
        .library(name: "SitrepCorpus", targets: ["SitrepCorpus"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
    ],
    targets: [
        // Language data (lexicons as TSV, rules as JSON) and their loader. Depends on nothing.
        .target(name: "SitrepLanguage", resources: [.copy("Resources")], swiftSettings: strict),
        // The Document: text, UTF-8 ranges, scalar offsets, tokens, sentences, cleaning.
        .target(name: "SitrepText", dependencies: ["SitrepLanguage"], swiftSettings: strict),
        // Readers for plain text, JSONL, HTML and RSS/Atom: everything becomes an Article.
        .target(name: "SitrepIngest", dependencies: ["SitrepText"], swiftSettings: strict),
        // The bundled gazetteer: build from GeoNames dumps, load, look up.
        .target(name: "SitrepGazetteer", dependencies: ["SitrepText", "SitrepLanguage"],
                resources: [.copy("Resources")], swiftSettings: strict),
        // Mention taggers: time, place, actor, weapon, number.
        .target(name: "SitrepAnnotate", dependencies: ["SitrepText", "SitrepLanguage", "SitrepGazetteer"],
                swiftSettings: strict),
        // The deterministic corpus generator (`sitrep generate`): benchmarks and scale tests.
        .target(name: "SitrepCorpus", dependencies: ["SitrepText", "SitrepLanguage"], swiftSettings: strict),
        // Events, casualties, claims; the whole per-article pipeline and its JSON record.
        .target(name: "SitrepExtract", dependencies: ["SitrepAnnotate", "SitrepGazetteer", "SitrepIngest"], swiftSettings: strict),
        // Cross-article: near-duplicates, incidents, figure reconciliation, toll history.
        .target(name: "SitrepMerge", dependencies: ["SitrepExtract"], swiftSettings: strict),
        // The system zlib (stored analysis records are deflated).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // The system zstd runtime library (stored records are zstd frames; zlib still reads older ones).
        .systemLibrary(name: "CZstd", path: "Sources/CZstd"),
        // Persistence: the SitrepStore protocol and its SQLite implementation.
        .target(name: "SitrepStore", dependencies: ["SitrepMerge", "CZlib", "CZstd", .product(name: "GRDB", package: "GRDB.swift")],
                swiftSettings: strict),
        .executableTarget(name: "sitrep", dependencies: [
            "SitrepExtract", "SitrepStore", "SitrepGazetteer", "SitrepCorpus",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: strict),

        .testTarget(name: "SitrepTextTests", dependencies: ["SitrepText", "SitrepLanguage"], swiftSettings: strict),
        .testTarget(name: "SitrepIngestTests", dependencies: ["SitrepIngest"], swiftSettings: strict),
        .testTarget(name: "SitrepAnnotateTests", dependencies: ["SitrepAnnotate"], swiftSettings: strict),
        .testTarget(name: "SitrepExtractTests", dependencies: ["SitrepExtract"], exclude: ["Golden"],
                    swiftSettings: strict),
        .testTarget(name: "SitrepGazetteerTests", dependencies: ["SitrepGazetteer", "SitrepAnnotate"],
                    resources: [.copy("Fixture")], swiftSettings: strict),
        .testTarget(name: "SitrepStoreTests", dependencies: ["SitrepStore", "SitrepMerge", "SitrepExtract"], swiftSettings: strict),
        .testTarget(name: "SitrepCLITests", dependencies: ["sitrep", "SitrepCorpus", "SitrepIngest"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
