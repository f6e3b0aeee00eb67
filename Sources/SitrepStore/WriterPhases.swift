/// The writer's CPU split into the phases of a batch (`SITREP_PHASES=1`; `sitrep ingest --timing`
/// prints it), by the calling thread's CPU clock: what grows with the database shows up here.
///
/// Off by default: each lap reads the thread clock (a system call), ≈ 40 per article with the
/// per-incident laps; on, the writer measured 0.676 → 0.737 ms/article (+9 %) at 200,000 articles,
/// so compare phases only between runs that both have it on.
public struct WriterPhases: Sendable {
    public enum Phase: Int, CaseIterable, Sendable {
        case lookup, nearDuplicates, articleRow, fullText, bandRow, reportRows, merge, incidentRecord, linkEvidence, incidents, commit

        public var name: String {
            switch self {
            case .lookup: return "hash/url look-ups"
            case .nearDuplicates: return "near-duplicates"
            case .articleRow: return "article row"
            case .fullText: return "full text"
            case .bandRow: return "band row"
            case .reportRows: return "event/claim/casualty/toll rows"
            case .merge: return "merge apply"
            case .incidentRecord: return "incident records (built)"
            case .linkEvidence: return "link evidence (JSON, hash)"
            case .incidents: return "incident/link rows (SQL)"
            case .commit: return "commit"
            }
        }
    }

    public enum Count: Int, CaseIterable, Sendable {
        case upserts, inserted, unchangedLinks, linksWritten, unlinks

        public var name: String {
            switch self {
            case .upserts: return "incidents written"
            case .inserted: return "incidents inserted"
            case .unchangedLinks: return "incidents written without a link change"
            case .linksWritten: return "links written"
            case .unlinks: return "links removed"
            }
        }
    }

    public let enabled: Bool
    /// Events counted per `Count.rawValue`.
    public private(set) var counts = Array(repeating: 0, count: Count.allCases.count)
    /// CPU seconds per phase, by `Phase.rawValue`.
    public private(set) var seconds: [Double]
    private var mark = 0.0

    public init(enabled: Bool) {
        self.enabled = enabled
        seconds = Array(repeating: 0, count: Phase.allCases.count)
    }

    /// Starts timing from now (the next `lap` charges what follows).
    mutating func start() {
        guard enabled else { return }
        mark = threadCPUSeconds()
    }

    /// Charges the CPU since the last mark to `phase`.
    mutating func lap(_ phase: Phase) {
        guard enabled else { return }
        let now = threadCPUSeconds()
        seconds[phase.rawValue] += now - mark
        mark = now
    }

    /// Counts `count` (when enabled).
    mutating func count(_ count: Count, _ n: Int = 1) {
        guard enabled else { return }
        counts[count.rawValue] += n
    }

    /// One line per phase with a share, for `--timing` (`articles`: per-article milliseconds).
    public func report(articles: Int) -> [String] {
        guard enabled else { return [] }
        let total = seconds.reduce(0, +)
        let n = Double(max(1, articles))
        return Phase.allCases.map { p in
            let s = seconds[p.rawValue]
            let share = total > 0 ? 100 * s / total : 0
            return "\(p.name): \(Self.fixed(s, 2)) s, \(Self.fixed(s * 1000 / n, 4)) ms/article, \(Self.fixed(share, 1)) %"
        } + Count.allCases.map { c in "\(c.name): \(counts[c.rawValue]) (\(Self.fixed(Double(counts[c.rawValue]) / n, 3)) per article)" }
    }

    static func fixed(_ x: Double, _ digits: Int) -> String {
        var p = 1.0
        for _ in 0..<digits { p *= 10 }
        let v = (x * p).rounded() / p
        var s = "\(v)"
        let frac = s.split(separator: ".").dropFirst().first?.count ?? 0
        if frac < digits { s += String(repeating: "0", count: digits - frac) }
        return s
    }
}
