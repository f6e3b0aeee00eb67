import SitrepExtract
import SitrepIngest
import SitrepMerge
import SitrepText

/// One casualty row as stored.
public struct CasualtyRow: Sendable, Hashable {
    public var outcome, qualifier, victims, scope, snippet, figure, rule: String
    public var low, best: Int
    public var high: Int?
    public var side, periodStart, periodEnd, claimantID, claimant: String?
}

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
    public var casualties: [CasualtyRow]
    /// `casualties` as stored: one JSON array per article, each casualty an array of the old
    /// columns in their order, compressed (`StoredBlob`, see `v4-casualties-per-article`); empty
    /// when there are none (no row is written).
    public var casualtiesJSON: [UInt8]
    public var claims: [ClaimRow]
    /// `claims` as stored: one JSON array per article, compressed (see `v4-claims-per-article`);
    /// empty when there are none.
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
        let doc = a.document
        casualties = a.casualties.map { c in
            CasualtyRow(outcome: c.outcome, qualifier: c.qualifier, victims: c.victims, scope: c.scope,
                        snippet: doc.string(c.span), figure: doc.string(c.figureSpan), rule: c.rule,
                        low: c.low, best: c.best, high: c.high, side: c.side,
                        periodStart: c.period?.start.description, periodEnd: c.period?.end.description,
                        claimantID: c.claimant?.id, claimant: c.claimant?.name)
        }
        casualtiesJSON = Self.packed(casualties)
        claims = a.claims.map { c in
            var ev: Int?
            var ca: Int?
            switch c.about {
            case .event(let i)?: ev = i
            case .casualty(let i)?: ca = i
            case nil: break
            }
            return ClaimRow(claimantID: c.claimant.id, claimant: c.claimant.name, verb: c.verb, stance: c.stance,
                            content: doc.string(c.content), rule: c.rule, aboutEvent: ev, aboutCasualty: ca,
                            denies: c.denies)
        }
        claimsJSON = Self.packed(claims)
    }
}

extension PreparedArticle {
    /// The column order of a packed casualty (the columns of the table before `v4-casualties-per-article`).
    public static let casualtyFields = [
        "idx", "outcome", "low", "best", "high", "qualifier", "victims", "side", "scope", "period_start", "period_end",
        "claimant_id", "claimant", "snippet", "figure", "rule",
    ]

    static func packed(_ rows: [ClaimRow]) -> [UInt8] {
        // No row is written for an article without claims; a zstd frame costs ≈ 130,000
        // instructions however small its input.
        guard !rows.isEmpty else { return [] }
        var w = JSONWriter(capacity: 160 * rows.count + 2)
        w.beginArray()
        for (i, c) in rows.enumerated() {
            w.beginArray()
            w.int(i); w.string(c.claimantID); w.string(c.claimant); w.string(c.verb); w.string(c.stance)
            w.string(c.content); w.int(c.aboutEvent); w.int(c.aboutCasualty); w.int(c.denies); w.string(c.rule)
            w.endArray()
        }
        w.endArray()
        // A page holds four compressed arrays, one plain one (and that one spilled to overflow pages).
        return StoredBlob.compress(w.bytes) ?? []
    }

    static func packed(_ rows: [CasualtyRow]) -> [UInt8] {
        guard !rows.isEmpty else { return [] }  // no row is written (see above)
        var w = JSONWriter(capacity: 256 * rows.count + 2)
        w.beginArray()
        for (i, c) in rows.enumerated() {
            w.beginArray()
            w.int(i); w.string(c.outcome); w.int(c.low); w.int(c.best); w.int(c.high); w.string(c.qualifier)
            w.string(c.victims); w.string(c.side); w.string(c.scope); w.string(c.periodStart); w.string(c.periodEnd)
            w.string(c.claimantID); w.string(c.claimant); w.string(c.snippet); w.string(c.figure); w.string(c.rule)
            w.endArray()
        }
        w.endArray()
        // A page holds four compressed arrays, one plain one (and that one spilled to overflow pages).
        return StoredBlob.compress(w.bytes) ?? []
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
