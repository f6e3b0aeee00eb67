import SitrepExtract
import SitrepIngest
import SitrepMerge
import SitrepText

/// One claim row as stored.
public struct ClaimRow: Sendable, Hashable {
    public var claimantID, claimant, verb, stance, content, rule: String
    public var aboutEvent, aboutCasualty, denies: Int?
}

/// Everything the store needs from one analysed article, computed off the writer thread.
public struct PreparedArticle: Sendable {
    /// Content hash: source, url, title, published and text.
    public var hash: String
    public var article: Article
    public var origin: String
    /// The extract contract line with `"text": ""` (the text is the article's `text` column;
    /// every offset still refers to it), compressed (`StoredBlob`) as `articles.analysis` stores it.
    public var analysis: [UInt8]
    public var signature: [UInt32]
    /// `signature` as stored.
    public var minhash: [UInt8]
    public var bands: [Int64]
    /// `bands` as stored: sorted, each once.
    public var storedBands: [Int64]
    /// Reports in the article's own near-duplicate group (its hash); the writer regroups them
    /// when the article turns out to copy a stored one.
    public var reports: [Report]
    /// `reports` as stored (`ReportCodec`: without key, article and group, so a regrouped report
    /// is stored the same).
    public var reportBlobs: [[UInt8]]
    public var tolls: [TollObservation]
    /// The article's casualties as stored: one JSON array per article, each casualty an array of
    /// the old columns in their order (`casualtyFields`), compressed (`StoredBlob`, see
    /// `v4-casualties-per-article`); empty when there are none (no row is written).
    public var casualtiesJSON: [UInt8]
    /// The article's claims as stored: one JSON array per article, each claim an array of the old
    /// columns (`ClaimRow`'s), compressed (see `v4-claims-per-article`); empty when there are none.
    public var claimsJSON: [UInt8]

    public static func contentHash(_ a: Article) -> String {
        StableHash.content([a.source, a.url, a.title, a.published, a.text])
    }

    /// `hash`, when given, is `contentHash(a.article)` computed already (ingest checks it
    /// before analysing).
    public init(_ a: Analysis, origin: String, hash known: String? = nil) {
        let hash = known ?? Self.contentHash(a.article)
        self.hash = hash
        article = a.article
        self.origin = origin
        // The contract line without its `text` (stored once, in `articles.text`).
        var stripped = a
        stripped.article.text = ""
        var json = AnalysisJSON.line(stripped)
        if json.last == 0x0A { json.removeLast() }
        // zstd only fails for inputs over 4 GB, which no article comes near; the empty blob
        // then stands for "not stored".
        analysis = StoredBlob.compress(json) ?? []
        signature = MinHash.signature(a.document)
        minhash = MinHash.encode(signature)
        bands = MinHash.bandKeys(signature)
        storedBands = Set(bands).sorted()
        reports = Report.reports(of: a, articleHash: hash, dupGroup: hash)
        reportBlobs = reports.map(ReportCodec.encode)
        tolls = TollObservation.observations(of: a, articleHash: hash)
        casualtiesJSON = Self.packedCasualties(a)
        claimsJSON = Self.packedClaims(a)
    }
}

extension PreparedArticle {
    /// The column order of a packed casualty (the columns of the table before `v4-casualties-per-article`).
    public static let casualtyFields = [
        "idx", "outcome", "low", "best", "high", "qualifier", "victims", "side", "scope", "period_start", "period_end",
        "claimant_id", "claimant", "snippet", "figure", "rule",
    ]

    /// The claims as stored (the columns `ClaimRow` reads back), written straight from the
    /// analysis: building the rows first made a `String` of each claim's text, then escaped it.
    static func packedClaims(_ a: Analysis) -> [UInt8] {
        // No row is written for an article without claims; a zstd frame costs ≈ 130,000
        // instructions however small its input.
        guard !a.claims.isEmpty else { return [] }
        let doc = a.document
        var w = JSONWriter(capacity: 160 * a.claims.count + 2)
        w.beginArray()
        for i in a.claims.indices {
            var ev: Int?
            var ca: Int?
            switch a.claims[i].about {
            case .event(let e)?: ev = e
            case .casualty(let c)?: ca = c
            case nil: break
            }
            w.beginArray()
            w.int(i); w.string(a.claims[i].claimant.id); w.string(a.claims[i].claimant.name)
            w.string(a.claims[i].verb); w.string(a.claims[i].stance); text(a.claims[i].content, doc, &w)
            w.int(ev); w.int(ca); w.int(a.claims[i].denies); w.string(a.claims[i].rule)
            w.endArray()
        }
        w.endArray()
        // A page holds four compressed arrays, one plain one (and that one spilled to overflow pages).
        return StoredBlob.compress(w.bytes) ?? []
    }

    /// The casualties as stored (`casualtyFields`), written straight from the analysis.
    static func packedCasualties(_ a: Analysis) -> [UInt8] {
        guard !a.casualties.isEmpty else { return [] }  // no row is written (see above)
        let doc = a.document
        var w = JSONWriter(capacity: 256 * a.casualties.count + 2)
        w.beginArray()
        for i in a.casualties.indices {
            let period = a.casualties[i].period
            let claimant = a.casualties[i].claimant
            w.beginArray()
            w.int(i); w.string(a.casualties[i].outcome); w.int(a.casualties[i].low); w.int(a.casualties[i].best)
            w.int(a.casualties[i].high); w.string(a.casualties[i].qualifier); w.string(a.casualties[i].victims)
            w.string(a.casualties[i].side); w.string(a.casualties[i].scope)
            w.string(period?.start.description); w.string(period?.end.description)
            w.string(claimant?.id); w.string(claimant?.name)
            text(a.casualties[i].span, doc, &w); text(a.casualties[i].figureSpan, doc, &w)
            w.string(a.casualties[i].rule)
            w.endArray()
        }
        w.endArray()
        return StoredBlob.compress(w.bytes) ?? []
    }

    /// A span's text as a JSON string, escaped from the document's bytes in place. What
    /// `Document.string` gives, byte for byte, whenever the span starts and ends on character
    /// boundaries (every span the extractor makes; the text between is valid UTF-8); a span
    /// that cuts a character takes that repaired string instead.
    static func text(_ span: Span, _ doc: Document, _ w: inout JSONWriter) {
        let bytes = doc.bytes
        let lo = Swift.max(0, Swift.min(span.start, bytes.count))
        let hi = Swift.max(lo, Swift.min(span.end, bytes.count))
        func boundary(_ i: Int) -> Bool { i == bytes.count || bytes[i] & 0xC0 != 0x80 }
        if boundary(lo) && boundary(hi) {
            w.string(utf8: bytes[lo..<hi])
        } else {
            w.string(doc.string(span))
        }
    }
}

/// What one ingest call did.
public struct IngestSummary: Sendable, Hashable {
    /// New articles stored (including new versions and near-duplicates).
    public var added = 0
    /// Articles already stored (same content hash): nothing changed.
    public var unchanged = 0
    /// New versions of an article at a known URL (the old version's reports were superseded).
    public var newVersions = 0
    /// Older versions that arrived after a newer one (stored, but their reports stay inactive).
    public var lateOldVersions = 0
    /// Articles found to be near-duplicates of a stored one.
    public var nearDuplicates = 0
    public var reports = 0
    public var incidentsWritten = 0
    public var incidentsDeleted = 0

    public init() {}

    public static func += (a: inout IngestSummary, b: IngestSummary) {
        a.added += b.added
        a.unchanged += b.unchanged
        a.newVersions += b.newVersions
        a.lateOldVersions += b.lateOldVersions
        a.nearDuplicates += b.nearDuplicates
        a.reports += b.reports
        a.incidentsWritten += b.incidentsWritten
        a.incidentsDeleted += b.incidentsDeleted
    }
}
