// swift-tools-version: 6.1
// sitrep's benchmark suite: a separate package so `swift test` in the main package stays fast.
// Run from this directory: `swift package benchmark` (see README.md).
import PackageDescription
import class Foundation.NSString

// SwiftPM names a path dependency after its directory (the clone's name, e.g. "sitrep").
let sitrep = ((#filePath as NSString).deletingLastPathComponent as NSString)
    .deletingLastPathComponent.split(separator: "/").last.map { $0.lowercased() } ?? "sitrep"

let package = Package(
    name: "SitrepBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "SitrepBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "SitrepExtract", package: sitrep),
                .product(name: "SitrepCorpus", package: sitrep),
                .product(name: "SitrepStore", package: sitrep),
            ],
            path: "Benchmarks/SitrepBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // synchronous driver for callgrind (see Sources/SitrepProfile/main.swift)
        .executableTarget(
            name: "SitrepProfile",
            dependencies: [
                .product(name: "SitrepExtract", package: sitrep),
                .product(name: "SitrepCorpus", package: sitrep),
            ],
            path: "Sources/SitrepProfile"
        ),
    ],
    swiftLanguageModes: [.v6]
)
