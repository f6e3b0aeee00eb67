import ArgumentParser
import Foundation
import SitrepMerge
import SitrepStore

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, geojson, jsonl
}

extension ReconcilePolicy: ExpressibleByArgument {}

/// A plain text table: columns padded to their widest cell (cells capped at `maxWidth`).
struct TextTable {
    var header: [String]
    var rows: [[String]] = []
    var maxWidth = 48

    /// The old cell clipping (by `Character`), for cells the byte path does not take.
    func clip(_ s: String) -> String {
        let flat = s.replacingOccurrences(of: "\n", with: " ")
        return flat.count > maxWidth ? String(flat.prefix(maxWidth - 1)) + "…" : flat
    }

    func render() -> String {
        var out: [UInt8] = []
        write(into: &out, sink: nil)
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes the table into `out` (drained to `sink` as it fills). Cells are measured in
    /// characters: ASCII text without a carriage return by its bytes, other text by `Character`.
    func write(into out: inout [UInt8], sink: ChunkedOutput?) {
        // Every displayed cell in one arena: start, byte length, width in characters.
        var arena: [UInt8] = []
        var cells: [(start: Int, length: Int, width: Int)] = []
        cells.reserveCapacity((rows.count + 1) * header.count)
        var widths = [Int](repeating: 0, count: header.count)
        func add(_ s: String, clipped: Bool, column: Int) {
            let start = arena.count
            var width = 0
            var simple = true
            for b in s.utf8 where b >= 0x80 || b == 0x0D {
                simple = false
                break
            }
            if simple {
                let n = s.utf8.count
                if clipped && n > maxWidth {
                    arena.append(contentsOf: s.utf8.prefix(maxWidth - 1))
                    arena.append(contentsOf: "…".utf8)
                    width = maxWidth
                } else {
                    arena.append(contentsOf: s.utf8)
                    width = n
                }
                if clipped {
                    for i in start..<arena.count where arena[i] == 0x0A { arena[i] = 0x20 }
                }
            } else {
                let c = clipped ? clip(s) : s
                arena.append(contentsOf: c.utf8)
                width = c.count
            }
            cells.append((start, arena.count - start, width))
            if column < widths.count { widths[column] = Swift.max(widths[column], width) }
        }
        for (i, c) in header.enumerated() { add(c, clipped: false, column: i) }
        for r in rows { for (i, c) in r.enumerated() { add(c, clipped: true, column: i) } }
        var k = 0
        func line(_ count: Int) {
            for i in 0..<count {
                let c = cells[k + i]
                guard i < widths.count else { continue }
                out.append(contentsOf: arena[c.start..<(c.start + c.length)])
                if i != count - 1 {
                    for _ in 0..<(widths[i] - c.width + 2) { out.append(0x20) }
                }
            }
            out.append(0x0A)
            k += count
        }
        line(header.count)
        for (n, w) in widths.enumerated() {
            if n > 0 { out.append(contentsOf: "  ".utf8) }
            for _ in 0..<w { out.append(0x2D) }
        }
        out.append(0x0A)
        for r in rows {
            line(r.count)
            sink?.drain(&out)
        }
    }
}

func writeOut(_ s: String) {
    let sink = ChunkedOutput()
    var bytes = Array(s.utf8)
    sink.drain(&bytes, force: true)
}

/// Writes a table to stdout in chunks.
func writeOut(_ table: TextTable) {
    let sink = ChunkedOutput()
    var out: [UInt8] = []
    out.reserveCapacity(1 << 17)
    table.write(into: &out, sink: sink)
    sink.drain(&out, force: true)
}

/// Filters shared by `incidents` and `export`.
struct IncidentFilters: ParsableArguments {
    @Option(help: "Incidents on or after this date (YYYY-MM-DD).") var from: String?
    @Option(help: "Incidents on or before this date (YYYY-MM-DD).") var to: String?
    @Option(help: "ISO 3166-1 alpha-2 country code.") var country: String?
    @Option(help: "LAT,LON,KM: incidents within KM of a point.") var near: String?
    @Option(help: "Event type or sub-event type (ACLED names).") var type: String?
    @Option(help: "Actor id (or its side, e.g. AZE) or part of its name.") var actor: String?
    @Option(help: "Full-text search over the reports' article text.") var text: String?

    func query(limit: Int) throws -> IncidentQuery {
        var q = IncidentQuery(from: from, to: to, country: country, type: type, actor: actor, text: text, limit: limit)
        if let near {
            let parts = near.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 3, let lat = parts[0], let lon = parts[1], let km = parts[2],
                (-90...90).contains(lat), (-180...180).contains(lon), km > 0
            else { throw ValidationError("--near expects LAT,LON,KM, e.g. 39.82,46.75,25") }
            q.near = (lat, lon, km)
        }
        for (name, value) in [("--from", from), ("--to", to)] {
            if let v = value, DayNumber.parse(v) == nil { throw ValidationError("\(name) expects YYYY-MM-DD, got '\(v)'") }
        }
        return q
    }
}

func fail(_ error: any Error) -> ExitCode {
    Stderr.line("sitrep: \(error)")
    return ExitCode(3)
}

struct Incidents: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List incidents (merged reports) with reconciled figures.")
    @OptionGroup var database: DatabaseOption
    @OptionGroup var filters: IncidentFilters
    @Option(help: "table, json, csv, geojson or jsonl.") var format: OutputFormat = .table
    @Option(help: "Reconciliation policy for the figures shown: conservative or range.") var policy: ReconcilePolicy = .range
    @Option(help: "At most this many incidents (0: all).") var limit = 1000

    func run() throws {
        let store = try database.open()
        let q = try filters.query(limit: limit)
        do {
            switch format {
            case .table:
                let rows = try store.incidents(q)
                var t = TextTable(header: ["id", "date", "prec", "type", "location", "cc", "actor1", "actor2", "killed", "range", "reports", "src", "contested"])
                for r in rows {
                    let cons = policy == .conservative
                    let best = cons ? r.fatalitiesConservative : r.fatalitiesBest
                    let range = cons ? "" : (r.fatalitiesLow.map { "\($0)–\(r.fatalitiesHigh.map(String.init) ?? "?")" } ?? "")
                    t.rows.append([r.id, r.dateStart, r.precision, r.subtype.isEmpty ? r.type : r.subtype, r.location ?? "",
                                   r.country ?? "", r.actor1 ?? "", r.actor2 ?? "", best.map(String.init) ?? "",
                                   range, String(r.reports), String(r.independentSources), r.contested ? "yes" : ""])
                }
                writeOut(t)
                Stderr.line("sitrep: \(rows.count) incident\(rows.count == 1 ? "" : "s")\(limit > 0 && rows.count == limit ? " (limit reached; --limit 0 for all)" : "")")
            default:
                break
            }
        } catch let e as ValidationError {
            throw e
        } catch {
            throw fail(error)
        }
        guard format != .table else { return }
        do {
            try streamIncidents(store, q, format: format, policy: policy, fd: STDOUT_FILENO)
        } catch let e as ValidationError {
            throw e
        } catch {
            throw fail(error)
        }
    }
}

/// Writes the incidents of `q` to `fd` as they are read (records rebuilt one at a time, output
/// drained in chunks). Returns the number of incidents the query gave.
@discardableResult
func streamIncidents(_ store: SQLiteStore, _ q: IncidentQuery, format: OutputFormat, policy: ReconcilePolicy,
                     fd: Int32) throws -> Int {
    let f: IncidentWriter.Format
    switch format {
    case .csv: f = .csv
    case .geojson: f = .geojson
    case .json: f = .json
    case .jsonl, .table: f = .jsonl
    }
    var w = IncidentWriter(format: f, policy: policy)
    let sink = ChunkedOutput(fd: fd)
    var rows = 0
    w.begin()
    // CSV and GeoJSON show the totals only: their records skip the per-category reconciliation.
    try store.forEachIncidentRecord(q, categories: f == .jsonl || f == .json) { _, record in
        rows += 1
        guard let record else { return }
        w.add(record)
        sink.drain(&w.out.bytes)
    }
    w.end()
    sink.drain(&w.out.bytes, force: true)
    if sink.failed { throw OutputError(reason: String(cString: strerror(errno))) }
    return rows
}

struct OutputError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

struct Export_: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export incidents: ACLED-style CSV, GeoJSON FeatureCollection or JSONL.",
        discussion: """
            CSV columns: ACLED's names (event_id_cnty, event_date, year, time_precision, event_type, sub_event_type,
            actor1, actor2, country, admin1, admin2, location, latitude, longitude, geo_precision, source, notes,
            fatalities) then fatalities_low, fatalities_high, claimants, contested, sources (independent sources).
            """
    )
    @OptionGroup var database: DatabaseOption
    @OptionGroup var filters: IncidentFilters
    @Option(help: "csv, geojson, jsonl or json.") var format: OutputFormat = .csv
    @Option(help: "conservative (ACLED: lowest credible) or range (UCDP: low/best/high).") var policy: ReconcilePolicy = .range
    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.") var output: String?

    func run() throws {
        guard format != .table else { throw ValidationError("export formats: csv, geojson, jsonl, json") }
        let store = try database.open()
        let q = try filters.query(limit: 0)
        do {
            if let output {
                let fd = open(output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                guard fd >= 0 else {
                    Stderr.line("sitrep: \(output): cannot write: \(String(cString: strerror(errno)))")
                    throw ExitCode(1)
                }
                let rows: Int
                do {
                    rows = try streamIncidents(store, q, format: format, policy: policy, fd: fd)
                    close(fd)
                } catch let e as OutputError {
                    close(fd)
                    Stderr.line("sitrep: \(output): cannot write: \(e.reason)")
                    throw ExitCode(1)
                }
                Stderr.line("sitrep: \(rows) incidents → \(output)")
            } else {
                try streamIncidents(store, q, format: format, policy: policy, fd: STDOUT_FILENO)
            }
        } catch let e as ExitCode {
            throw e
        } catch {
            throw fail(error)
        }
    }
}

struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "One incident with every report, claim, figure (with provenance) and link evidence.")
    @OptionGroup var database: DatabaseOption
    @Argument(help: "Incident id (INC-…).") var id: String
    @Option(help: "table or json.") var format: OutputFormat = .table

    func run() throws {
        let store = try database.open()
        let record: IncidentRecord?
        let reports: [ReportDetail]
        let claims: [ClaimDetail]
        do {
            record = try store.record(id)
            reports = try store.reports(ofIncident: id)
            claims = try store.claims(incident: id, claimant: nil, stance: nil, limit: 0)
        } catch {
            throw fail(error)
        }
        guard let r = record else {
            Stderr.line("sitrep: \(id): no such incident")
            throw ExitCode(1)
        }
        if format == .json {
            // As JSONEncoder wrote the old `Detail` struct: keys sorted, pretty-printed.
            var w = FoundationJSON(pretty: true)
            w.beginObject()
            w.key("claims")
            w.beginArray()
            for c in claims {
                w.beginObject()
                w.field("article", c.article)
                w.field("claimant", c.claim.claimant)
                w.field("content", c.claim.content)
                w.field("published", c.published ?? "")
                w.field("rule", c.claim.rule)
                w.field("source", c.source ?? "")
                w.field("stance", c.claim.stance)
                w.field("verb", c.claim.verb)
                w.endObject()
            }
            w.endArray()
            w.key("incident")
            RecordJSON.incident(r, style: .encoded, &w)
            w.field("notes", r.notes(policy: .range))
            w.key("reports")
            w.beginArray()
            for d in reports { RecordJSON.report(d.report, &w) }
            w.endArray()
            w.endObject()
            w.bytes.append(0x0A)
            ChunkedOutput().drain(&w.bytes, force: true)
            return
        }
        var out = "\(r.id)  \(r.dateStart)\(r.dayEnd != r.dayStart ? "…" + r.dateEnd : "") (\(r.precision))  \(r.type) / \(r.subtype)\n"
        out += r.notes(policy: .range) + "\n"
        if let p = r.place {
            out += "place: \(p.name) [\(p.precision)] \(p.country ?? "")\(p.admin1.map { " " + $0 } ?? "") \(Export.coordinate(p.lat)),\(Export.coordinate(p.lon))\n"
        }
        out += "actors: \(r.actor1?.name ?? "?") → \(r.actor2?.name ?? "?")\n"
        out += "sources: \(r.sources.joined(separator: ", ")) (\(r.independentSources) independent, \(r.reports.count) reports)\n"
        if r.contested { out += "contested: denied by \(r.deniedBy.joined(separator: ", "))\n" }
        func figLine(_ name: String, _ c: CategoryFigures) -> String {
            func from(_ xs: [FigureSource]) -> String {
                xs.map { "\($0.value) \($0.source ?? "?")\($0.claimant.map { " per " + $0 } ?? "") [\($0.report)]" }.joined(separator: "; ")
            }
            var s = "  \(name): conservative \(c.conservative.best); range low \(c.range.low) best \(c.range.best) high \(c.range.high.map(String.init) ?? "?")\n"
            s += "    low from: \(from(c.range.lowFrom))\n    best from: \(from(c.range.bestFrom))\n    high from: \(from(c.range.highFrom))\n"
            for e in c.range.excluded { s += "    excluded: \(e)\n" }
            return s
        }
        out += "figures:\n"
        if let f = r.fatalities { out += figLine("killed (all)", f) }
        for c in r.categories { out += figLine("\(c.outcome) \(c.victims)", c) }
        out += "reports:\n"
        for d in reports {
            let rep = d.report
            out += "  \(rep.key)  \(rep.published ?? "?")  \(rep.source ?? "?")  \(rep.type) / \(rep.subtype)  stance \(rep.stance)\(rep.claimant.map { " per " + $0.name } ?? "")\n"
            if let t = d.title { out += "    title: \(t)\n" }
            if let u = d.url { out += "    url: \(u)\n" }
            if let e = d.evidence { out += "    linked to \(e.to): \(e.summary)\n" } else { out += "    founding report\n" }
            for f in rep.figures {
                out += "    figure: \(f.outcome) \(f.victims) \(f.best) (\(f.low)–\(f.high.map(String.init) ?? "?"), \(f.qualifier))\(f.claimantName.map { " per " + $0 } ?? "") [\(f.rule)]\n"
            }
            if !rep.snippet.isEmpty { out += "    evidence: \(rep.snippet)\n" }
        }
        if !claims.isEmpty {
            out += "claims:\n"
            for c in claims {
                out += "  \(c.published ?? "?") \(c.source ?? "?"): \(c.claim.claimant) \(c.claim.verb) (\(c.claim.stance)): \(c.claim.content)\n"
            }
        }
        writeOut(out)
    }
}

struct Claims: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Attributed statements (who said or denied what).")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Only claims from the reports of this incident.") var incident: String?
    @Option(help: "Claimant id or part of its name.") var claimant: String?
    @Option(help: "asserts or denies.") var stance: String?
    @Option(help: "table, json or csv.") var format: OutputFormat = .table
    @Option(help: "At most this many (0: all).") var limit = 1000

    func run() throws {
        let store = try database.open()
        let rows: [ClaimDetail]
        do { rows = try store.claims(incident: incident, claimant: claimant, stance: stance, limit: limit) } catch { throw fail(error) }
        let header = ["published", "source", "claimant", "verb", "stance", "content", "article", "rule"]
        let cells = rows.map { c in
            [c.published ?? "", c.source ?? "", c.claim.claimant, c.claim.verb, c.claim.stance, c.claim.content, c.article, c.claim.rule]
        }
        writeTabular(header: header, rows: cells, format: format)
    }
}

/// Table, CSV or JSON (array of objects) for flat rows, written to stdout in chunks.
func writeTabular(header: [String], rows: [[String]], format: OutputFormat) {
    let sink = ChunkedOutput()
    var out: [UInt8] = []
    out.reserveCapacity(1 << 17)
    switch format {
    case .csv:
        for r in [header] + rows {
            for (i, c) in r.enumerated() {
                if i > 0 { out.append(0x2C) }
                Export.appendCSVCell(c, to: &out)
            }
            out.append(0x0D)
            out.append(0x0A)
            sink.drain(&out)
        }
    case .json, .jsonl, .geojson:
        // As JSONSerialization wrote an array of [header: cell] dictionaries (pretty, sorted keys).
        let order = FoundationJSON.serializationOrder(header)
        let columns = order.compactMap { header.firstIndex(of: $0) }
        var w = FoundationJSON(pretty: true)
        w.beginArray()
        for r in rows {
            w.beginObject()
            for i in columns where i < r.count { w.field(header[i], r[i]) }
            w.endObject()
            sink.drain(&w.bytes)
        }
        w.endArray()
        w.bytes.append(0x0A)
        out = w.bytes
    case .table:
        TextTable(header: header, rows: rows).write(into: &out, sink: sink)
    }
    sink.drain(&out, force: true)
}

extension Export {
    static func csvCell(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

struct Tolls: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Cumulative tolls as time series per claimant and victim category.")
    @OptionGroup var database: DatabaseOption
    @Option(help: "Claimant id or part of its name.") var claimant: String?
    @Option(help: "Victim category: civilians, military, people, ...") var victims: String?
    @Option(help: "killed, wounded, ...") var outcome: String?
    @Option(help: "table, json or csv.") var format: OutputFormat = .table

    func run() throws {
        let store = try database.open()
        let series: [TollSeries]
        do { series = try store.tolls(claimant: claimant, victims: victims, outcome: outcome) } catch { throw fail(error) }
        if format == .json {
            var w = FoundationJSON(pretty: true)
            RecordJSON.tolls(series, &w)
            w.bytes.append(0x0A)
            ChunkedOutput().drain(&w.bytes, force: true)
            return
        }
        let header = ["claimant", "outcome", "victims", "as_of", "low", "best", "high", "qualifier", "sources", "articles"]
        var rows: [[String]] = []
        for s in series {
            for p in s.points {
                rows.append([s.claimantName, s.outcome, s.victims, p.asOf, String(p.low), String(p.best),
                             p.high.map(String.init) ?? "", p.qualifier, p.sources.joined(separator: "; "), String(p.articles.count)])
            }
        }
        writeTabular(header: header, rows: rows, format: format)
    }
}

struct Sources: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Coverage health per outlet: articles, incidents, first/last date, gaps.")
    @OptionGroup var database: DatabaseOption
    @Option(help: "table, json or csv.") var format: OutputFormat = .table

    func run() throws {
        let store = try database.open()
        let rows: [SourceCoverage]
        do { rows = try store.sources() } catch { throw fail(error) }
        let header = ["source", "articles", "incidents", "first", "last", "longest_gap_days", "gaps_over_7_days"]
        writeTabular(header: header, rows: rows.map {
            [$0.source, String($0.articles), String($0.incidents), $0.first ?? "", $0.last ?? "", String($0.longestGapDays), String($0.gaps)]
        }, format: format)
    }
}
