// A synchronous driver for instruction-count profiling (valgrind's callgrind cannot run the
// async `sitrep` executable here: it dies inside libdispatch). Usage:
//   SitrepProfile STAGE [ARTICLES] [SEED]
// STAGE: generate | clean | annotate | extract | parse | claims | events (casualties + events,
// as the "events+casualties" benchmark) | stages (claims, casualties, events) | threads1,
// threads2, threads3 (extract split over that many threads, CPU per thread: see Threads.swift)
// Generates the corpus in memory (untimed), then runs STAGE over it once. Profile with
//   valgrind --tool=callgrind --toggle-collect='*SitrepProfile*run*' .build/release/SitrepProfile clean 300
import Foundation
import SitrepAnnotate
import SitrepCorpus
import SitrepExtract
import SitrepIngest
import SitrepText

let arguments = CommandLine.arguments
let stage = arguments.count > 1 ? arguments[1] : "clean"
let count = arguments.count > 2 ? Int(arguments[2]) ?? 300 : 300
let seed = arguments.count > 3 ? UInt64(arguments[3]) ?? 20_260_101 : 20_260_101

do {
    let generator = try CorpusGenerator.english(seed: seed)
    let generated = (0..<count).map { generator.article($0) }
    let articles = generated.map {
        Article(id: $0.id, text: $0.text, published: $0.published, title: $0.title, source: $0.source, url: $0.url)
    }
    var jsonl: [UInt8] = []
    for g in generated { jsonl.append(contentsOf: CorpusWriter.jsonl(g)) }
    let extractor = try Extractor.english()
    let staged = ["claims", "events", "stages"].contains(stage)
    let documents = stage == "annotate" || staged ? articles.map { extractor.text.document($0.text) } : []
    // the extract stages' input (untimed): annotations as the pipeline filters them, and claims
    var annotations: [Annotations] = []
    var claims: [[Claim]] = []
    if staged {
        for (a, d) in zip(articles, documents) {
            let context = ArticleContext(published: a.published.flatMap(CalendarDate.init(iso:)), title: a.title,
                                         source: a.source)
            annotations.append(extractor.annotator.annotate(d, context: context))
            claims.append(extractor.claims.extract(d, annotations[annotations.count - 1]))
        }
    }
    let bytes = articles.reduce(0) { $0 + $1.text.utf8.count }
    let clock = ContinuousClock()
    let start = clock.now
    let checksum = Profile.run(stage, articles: articles, documents: documents, jsonl: jsonl, extractor: extractor,
                               generator: generator, annotations: annotations, claims: claims)
    let (s, atto) = (clock.now - start).components
    let seconds = Double(s) + Double(atto) / 1e18
    FileHandle.standardError.write(Data(String(
        format: "%@: %d articles, %.2f MB in %.3f s: %.1f MB/s (checksum %d)\n",
        stage, count, Double(bytes) / 1e6, seconds, Double(bytes) / 1e6 / seconds, checksum).utf8))
} catch {
    FileHandle.standardError.write(Data("SitrepProfile: \(error)\n".utf8))
    exit(3)
}

enum Profile {
    @inline(never)
    static func run(_ stage: String, articles: [Article], documents: [Document], jsonl: [UInt8],
                    extractor: Extractor, generator: CorpusGenerator, annotations: [Annotations] = [],
                    claims: [[Claim]] = []) -> Int {
        var checksum = 0
        switch stage {
        case "generate":
            for i in 0..<articles.count { checksum &+= CorpusWriter.jsonl(generator.article(i)).count }
        case "clean":
            for a in articles { checksum &+= extractor.text.document(a.text).tokens.count }
        case "dump":
            var out = ""
            for a in articles {
                let d = extractor.text.document(a.text)
                out += "DOC \(a.id)\n"
                for t in d.tokens { out += "T \(t.start) \(t.end) \(t.key) \(t.kind.rawValue) \(t.flags.rawValue)\n" }
                for s in d.sentences { out += "S \(s.span) \(s.tokens) \(s.paragraph)\n" }
                for p in d.paragraphs { out += "P \(p.span) \(p.tokens) \(p.sentences)\n" }
                for b in d.boilerplate { out += "B \(b.span) \(b.reason) \(b.rule)\n" }
            }
            FileHandle.standardOutput.write(Data(out.utf8))
        case "digest":
            // an FNV hash over everything clean+segment produce: equal before and after a speed fix
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            func mix(_ v: Int) { h = (h ^ UInt64(truncatingIfNeeded: v)) &* 0x100_0000_01b3 }
            for a in articles {
                let d = extractor.text.document(a.text)
                for t in d.tokens {
                    mix(Int(t.start)); mix(Int(t.end)); mix(Int(truncatingIfNeeded: t.key)); mix(Int(t.kind.rawValue))
                    mix(Int(t.flags.rawValue))
                }
                for s in d.sentences { mix(s.span.start); mix(s.span.end); mix(s.tokens.lowerBound); mix(s.paragraph) }
                for p in d.paragraphs { mix(p.span.start); mix(p.span.end); mix(p.sentences.lowerBound) }
                for b in d.boilerplate { mix(b.span.start); mix(b.span.end); for c in b.reason.utf8 { mix(Int(c)) } }
                mix(d.offsets.scalarCount); mix(d.offsets.scalar(d.bytes.count / 2))
            }
            checksum = Int(truncatingIfNeeded: h)
        case "annotate":
            for (a, d) in zip(articles, documents) {
                let context = ArticleContext(published: a.published.flatMap(CalendarDate.init(iso:)), title: a.title,
                                             source: a.source)
                checksum &+= extractor.annotator.annotate(d, context: context).times.count
            }
        case "claims":
            for k in documents.indices { checksum &+= extractor.claims.extract(documents[k], annotations[k]).count }
        case "events":
            for k in documents.indices {
                var list = claims[k]
                let casualties = extractor.casualties.extract(documents[k], annotations[k], claims: list)
                checksum &+= casualties.count
                checksum &+= extractor.events.extract(documents[k], annotations[k], casualties: casualties, claims: &list).count
            }
        case "stages":
            for k in documents.indices {
                var list = extractor.claims.extract(documents[k], annotations[k])
                let casualties = extractor.casualties.extract(documents[k], annotations[k], claims: list)
                checksum &+= list.count &+ casualties.count
                checksum &+= extractor.events.extract(documents[k], annotations[k], casualties: casualties, claims: &list).count
            }
        case "threads1", "threads2", "threads3":
            let n = Int(String(stage.last ?? "1")) ?? 1
            let separate = ProcessInfo.processInfo.environment["SITREP_SEPARATE"] == "1"
            do {
                checksum = try Threads.run(threads: n, articles: articles, extractor: extractor, separate: separate)
            } catch {
                FileHandle.standardError.write(Data("SitrepProfile: \(error)\n".utf8))
            }
        case "extract":
            for a in articles { checksum &+= AnalysisJSON.line(extractor.analyze(a)).count }
        case "parse":
            let path = NSTemporaryDirectory() + "sitrep-profile-\(getpid()).jsonl"
            _ = FileManager.default.createFile(atPath: path, contents: Data(jsonl))
            defer { try? FileManager.default.removeItem(atPath: path) }
            let reader = InputReader()
            let units = reader.units([path])
            while let unit = units.next() { checksum &+= reader.items(for: unit).count }
        default:
            FileHandle.standardError.write(Data("unknown stage \(stage)\n".utf8))
        }
        return checksum
    }
}
