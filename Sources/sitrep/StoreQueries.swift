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

    func render() -> String {
        func clip(_ s: String) -> String {
            let flat = s.replacingOccurrences(of: "\n", with: " ")
            return flat.count > maxWidth ? String(flat.prefix(maxWidth - 1)) + "…" : flat
        }
        let all = [header] + rows.map { $0.map(clip) }
        var widths = [Int](repeating: 0, count: header.count)
        for r in all { for (i, c) in r.enumerated() where i < widths.count { widths[i] = Swift.max(widths[i], c.count) } }
        var out = ""
        for (n, r) in all.enumerated() {
            var line = ""
            for (i, c) in r.enumerated() where i < widths.count {
                line += i == r.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count + 2)
            }
            out += line + "\n"
            if n == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }
}

func writeOut(_ s: String) {
    FileHandle.standardOutput.write(Data(s.utf8))
}

func jsonString(_ o: Any) -> String {
    guard let data = try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted])
    else { return "null" }
    return String(decoding: data, as: UTF8.self) + "\n"
}

func encodeJSON<T: Encodable>(_ v: T) -> String {
    let e = JSONEncoder()
    e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
    guard let data = try? e.encode(v) else { return "null\n" }
    return String(decoding: data, as: UTF8.self) + "\n"
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
            let rows = try store.incidents(q)
            switch format {
            case .table:
                var t = TextTable(header: ["id", "date", "prec", "type", "location", "cc", "actor1", "actor2", "killed", "range", "reports", "src", "contested"])
                for r in rows {
                    let cons = policy == .conservative
                    let best = cons ? r.fatalitiesConservative : r.fatalitiesBest
                    let range = cons ? "" : (r.fatalitiesLow.map { "\($0)–\(r.fatalitiesHigh.map(String.init) ?? "?")" } ?? "")
                    t.rows.append([r.id, r.dateStart, r.precision, r.subtype.isEmpty ? r.type : r.subtype, r.location ?? "",
                                   r.country ?? "", r.actor1 ?? "", r.actor2 ?? "", best.map(String.init) ?? "",
                                   range, String(r.reports), String(r.independentSources), r.contested ? "yes" : ""])
                }
                writeOut(t.render())
                Stderr.line("sitrep: \(rows.count) incident\(rows.count == 1 ? "" : "s")\(limit > 0 && rows.count == limit ? " (limit reached; --limit 0 for all)" : "")")
            default:
                let records = try store.records(rows.map(\.id))
                writeOut(try render(records, format: format, policy: policy))
            }
        } catch let e as ValidationError {
            throw e
        } catch {
            throw fail(error)
        }
    }
}

func render(_ records: [IncidentRecord], format: OutputFormat, policy: ReconcilePolicy) throws -> String {
    switch format {
    case .csv: return Export.csv(records, policy: policy)
    case .geojson: return Export.geojson(records, policy: policy)
    case .jsonl, .table: return records.map { Export.jsonLine($0, policy: policy) }.joined()
    case .json: return "[\n" + records.map { Export.jsonLine($0, policy: policy).dropLast() }.joined(separator: ",\n") + "\n]\n"
    }
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
            let rows = try store.incidents(q)
            var text = ""
            // In chunks, so a large export does not decode every record at once.
            var chunks: [String] = []
            var i = 0
            let step = 5000
            if format == .csv { chunks.append(Export.csvHeader()) }
            var first = true
            while i < rows.count {
                let records = try store.records(rows[i..<Swift.min(rows.count, i + step)].map(\.id))
                switch format {
                case .csv: chunks.append(records.map { Export.csvLine($0, policy: policy) }.joined())
                case .jsonl: chunks.append(records.map { Export.jsonLine($0, policy: policy) }.joined())
                case .geojson:
                    for r in records { chunks.append((first ? "" : ",\n") + Export.feature(r, policy: policy)); first = false }
                case .json:
                    for r in records { chunks.append((first ? "" : ",\n") + Export.jsonLine(r, policy: policy).dropLast()); first = false }
                case .table: break
                }
                i += step
            }
            switch format {
            case .geojson: text = "{\"type\":\"FeatureCollection\",\"features\":[\n" + chunks.joined() + "\n]}\n"
            case .json: text = "[\n" + chunks.joined() + "\n]\n"
            default: text = chunks.joined()
            }
            if let output {
                do {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: output))
                } catch {
                    Stderr.line("sitrep: \(output): cannot write: \(error.localizedDescription)")
                    throw ExitCode(1)
                }
                Stderr.line("sitrep: \(rows.count) incidents → \(output)")
            } else {
                writeOut(text)
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
            struct Detail: Encodable {
                var incident: IncidentRecord
                var notes: String
                var reports: [Report]
                var claims: [[String: String]]
            }
            let cl = claims.map { c in
                ["article": c.article, "source": c.source ?? "", "published": c.published ?? "", "claimant": c.claim.claimant,
                 "verb": c.claim.verb, "stance": c.claim.stance, "content": c.claim.content, "rule": c.claim.rule]
            }
            writeOut(encodeJSON(Detail(incident: r, notes: r.notes(policy: .range), reports: reports.map(\.report), claims: cl)))
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
        writeOut(tabular(header: header, rows: cells, format: format))
    }
}

/// Table, CSV or JSON (array of objects) for flat rows.
func tabular(header: [String], rows: [[String]], format: OutputFormat) -> String {
    switch format {
    case .csv:
        return ([header] + rows).map { $0.map { Export.csvCell($0) }.joined(separator: ",") + "\r\n" }.joined()
    case .json, .jsonl, .geojson:
        let objs = rows.map { r in Dictionary(uniqueKeysWithValues: zip(header, r)) }
        return jsonString(objs)
    case .table:
        return TextTable(header: header, rows: rows).render()
    }
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
            writeOut(encodeJSON(series))
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
        writeOut(tabular(header: header, rows: rows, format: format))
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
        writeOut(tabular(header: header, rows: rows.map {
            [$0.source, String($0.articles), String($0.incidents), $0.first ?? "", $0.last ?? "", String($0.longestGapDays), String($0.gaps)]
        }, format: format))
    }
}
