/// One generated article: the contract's input record plus what the page formats need.
public struct GeneratedArticle: Sendable, Hashable {
    /// What a paragraph is, so the HTML writer can place furniture where pages put it.
    public enum Kind: String, Sendable, Hashable {
        case body, caption, appeal, newsletter, related, agencies
    }

    public struct Paragraph: Sendable, Hashable {
        public let kind: Kind
        public let text: String
    }

    public let index: Int
    public let id: String
    public let title: String
    public let source: String
    public let host: String
    public let url: String
    /// `YYYY-MM-DD`.
    public let published: String
    /// `HH:MM`, the hour of publication (UTC).
    public let time: String
    /// Weekday of publication, 0 = Monday.
    public let weekday: Int
    public let paragraphs: [Paragraph]
    /// The main place, for checks and for the scale tests' expectations.
    public let place: CorpusData.Place

    /// The body as plain text: paragraphs separated by a blank line.
    public var text: String {
        paragraphs.map(\.text).joined(separator: "\n\n")
    }
}

/// Writes news-like conflict articles from templates and word lists (`en/generate/`). Article `i`
/// of seed `s` depends on nothing but `(s, i)`: same seed, same bytes, in any order.
public struct CorpusGenerator: Sendable {
    public let data: CorpusData
    public let seed: UInt64

    public init(data: CorpusData, seed: UInt64) {
        self.data = data
        self.seed = seed
    }

    public static func english(seed: UInt64) throws -> CorpusGenerator {
        try CorpusGenerator(data: .english(), seed: seed)
    }

    /// First and last publication day, as days since 1970-01-01 (2015-01-01 ... 2025-12-31).
    static let firstDay = 16_436
    static let lastDay = 20_453

    public func article(_ index: Int) -> GeneratedArticle {
        var fill = Filler(data: data, rng: SplitMix64(seed: seed, index: UInt64(index)))

        let day = fill.rng.int(in: Self.firstDay...Self.lastDay)
        let (y, m, d) = Self.civil(fromDays: day)
        fill.published = (y, m, d, Self.weekday(ofDays: day))
        let time = "\(Self.pad(fill.rng.int(in: 5...22))):\(Self.pad(fill.rng.below(60)))"

        let title = fill.sentence(fill.template("headline"), terminal: false)
        var paragraphs: [GeneratedArticle.Paragraph] = []
        var length = 0
        func add(_ kind: GeneratedArticle.Kind, _ text: String) {
            paragraphs.append(.init(kind: kind, text: text))
            length += text.utf8.count + 2
        }

        // lead, then an optional photo caption (often repeated further down, as scraped pages do)
        var lead = fill.sentence(fill.template("lead"))
        if fill.rng.chance(50) { lead += " " + fill.sentence(fill.template("body")) }
        add(.body, lead)
        var caption: String?
        if fill.rng.chance(60) {
            let c = fill.sentence(fill.pickFurniture("caption"), terminal: false)
            caption = c
            add(.caption, c)
        }

        let target = fill.rng.int(in: 2_100...5_400)
        let sections = ["body", "body", "body", "casualty", "casualty", "quote", "denial", "background", "humanitarian"]
        var appealPlaced = false
        var paragraphCount = 0
        // the furniture added after the body takes up to ~500 bytes: totals stay within 2-6 kB
        while length < target {
            let sentences = fill.rng.int(in: 1...3)
            var parts: [String] = []
            for _ in 0..<sentences {
                let section = fill.rng.pick(sections) ?? "body"
                parts.append(fill.sentence(fill.template(section)))
            }
            add(.body, parts.joined(separator: " "))
            paragraphCount += 1
            if !appealPlaced, paragraphCount == 3, fill.rng.chance(50) {
                add(.appeal, fill.sentence(fill.pickFurniture("appeal"), terminal: false))
                appealPlaced = true
            }
            if paragraphCount == 4, fill.rng.chance(30) {
                add(.related, fill.sentence(fill.pickFurniture("related"), terminal: false))
            }
        }
        if fill.rng.chance(40) { add(.body, fill.sentence(fill.template("closing"))) }
        if let caption, fill.rng.chance(50) { add(.caption, caption) }
        if fill.rng.chance(30) { add(.newsletter, fill.sentence(fill.pickFurniture("newsletter"), terminal: false)) }
        if !appealPlaced, fill.rng.chance(40) { add(.appeal, fill.sentence(fill.pickFurniture("appeal"), terminal: false)) }
        if fill.rng.chance(30) {
            // a trailing credit on the last body paragraph: "... said. /Reuters"
            if let k = paragraphs.lastIndex(where: { $0.kind == .body }) {
                let credit = fill.rng.pick(data.furniture["credit"] ?? []) ?? "/Reuters"
                paragraphs[k] = .init(kind: .body, text: paragraphs[k].text + " " + credit)
            }
        }
        if fill.rng.chance(25) { add(.agencies, fill.pickFurniture("agencies")) }

        let id = "gen-\(seed)-\(Self.pad(index, 6))"
        let date = "\(Self.pad(y, 4))-\(Self.pad(m))-\(Self.pad(d))"
        let slug = Self.slug(title)
        return GeneratedArticle(
            index: index, id: id, title: title, source: fill.outlet.name, host: fill.outlet.host,
            url: "https://\(fill.outlet.host)/\(Self.pad(y, 4))/\(Self.pad(m))/\(Self.pad(d))/\(slug)-\(index)",
            published: date, time: time, weekday: fill.published.weekday, paragraphs: paragraphs, place: fill.place)
    }

    // MARK: calendar (proleptic Gregorian, days since 1970-01-01)

    /// Year, month, day of a day number (H. Hinnant's `civil_from_days`).
    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// 0 = Monday (1970-01-01 was a Thursday).
    static func weekday(ofDays z: Int) -> Int {
        ((z % 7) + 7 + 3) % 7
    }

    static func pad(_ v: Int, _ width: Int = 2) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// A URL slug: lowercase ASCII letters and digits joined by hyphens, at most 8 words.
    static func slug(_ title: String) -> String {
        var words: [String] = []
        var current: [UInt8] = []
        for b in title.utf8 {
            switch b {
            case 0x61...0x7A, 0x30...0x39: current.append(b)
            case 0x41...0x5A: current.append(b | 0x20)
            default:
                if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)); current = [] }
            }
        }
        if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
        return words.prefix(8).joined(separator: "-")
    }
}

/// Fills template slots for one article; holds the article's fixed cast (region, places, actors).
struct Filler {
    let data: CorpusData
    var rng: SplitMix64
    let region: CorpusData.Region
    let place: CorpusData.Place
    let place2: CorpusData.Place
    let actor: String
    let target: String
    let neutral: String
    let outlet: CorpusData.Outlet
    var published: (year: Int, month: Int, day: Int, weekday: Int) = (2020, 1, 1, 2)
    /// Templates already used in this article, so sentences do not repeat.
    var used: Set<String> = []

    init(data: CorpusData, rng: SplitMix64) {
        var rng = rng
        self.data = data
        let region = rng.pick(data.regions) ?? data.regions[0]
        self.region = region
        let i = rng.below(region.places.count)
        var j = rng.below(region.places.count - 1)
        if j >= i { j += 1 }
        place = region.places[i]
        place2 = region.places[j]
        let attackerIsA = rng.chance(50)
        let attackers = attackerIsA ? region.sideA : region.sideB
        let defenders = attackerIsA ? region.sideB : region.sideA
        actor = rng.pick(attackers) ?? "unidentified gunmen"
        target = rng.pick(defenders) ?? "local forces"
        neutral = rng.pick(region.neutral) ?? "the United Nations"
        outlet = rng.pick(data.outlets) ?? CorpusData.Outlet(name: "Regional Wire", host: "regionalwire.example", curlyQuotes: false)
        self.rng = rng
    }

    /// A template of `section` not yet used in this article when one is left.
    mutating func template(_ section: String) -> String {
        let all = data.templates[section] ?? []
        for _ in 0..<8 {
            guard let t = rng.pick(all) else { return "" }
            if used.insert(t).inserted { return t }
        }
        return rng.pick(all) ?? ""
    }

    mutating func pickFurniture(_ kind: String) -> String {
        rng.pick(data.furniture[kind] ?? []) ?? ""
    }

    mutating func word(_ slot: String) -> String {
        rng.pick(data.words(slot)) ?? ""
    }

    /// Fills every `{slot}` and capitalizes the first letter. `terminal`: the template carries its
    /// own final punctuation (sentences do; headlines and furniture are used as written).
    mutating func sentence(_ template: String, terminal: Bool = true) -> String {
        var out = fillSlots(template, depth: 0)
        if let first = out.utf8.first, first >= 0x61, first <= 0x7A {
            out = String(decoding: [first - 0x20], as: UTF8.self) + out.dropFirst()
        }
        return out
    }

    mutating func fillSlots(_ template: String, depth: Int) -> String {
        var out = ""
        out.reserveCapacity(template.utf8.count + 64)
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                rest = rest[open...]
                break
            }
            let name = String(rest[rest.index(after: open)..<close])
            let value = slot(name)
            out += depth < 2 && value.contains("{") ? fillSlots(value, depth: depth + 1) : value
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }

    mutating func slot(_ name: String) -> String {
        switch name {
        case "place": return place.name
        case "place2": return place2.name
        case "country": return place.country
        case "admin": return place.admin1
        case "actor": return actor
        case "target": return target
        case "neutral": return neutral
        case "outlet": return outlet.name
        case "lq": return outlet.curlyQuotes ? "\u{201C}" : "\""
        case "rq": return outlet.curlyQuotes ? "\u{201D}" : "\""
        case "weapon": return rng.pick(data.weapons) ?? "artillery"
        case "fig": return figure(large: false)
        case "fig2": return figure(large: true)
        case "n": return smallNumber()
        case "km": return String(rng.int(in: 4...140))
        case "when": return when()
        case "past": return past()
        case "speaker":
            return rng.pick(data.speakers)?.phrase ?? "officials"
        case "side": return rng.chance(50) ? actor : target
        case "victims", "say", "event", "direction", "wounded", "building":
            return word(name)
        default:
            return "{\(name)}"
        }
    }

    /// "at least 12", "more than 1,300", "nine": a qualifier (often) and a number.
    mutating func figure(large: Bool) -> String {
        let value: Int
        switch rng.below(10) {
        case 0..<5: value = rng.int(in: 2...(large ? 90 : 40))
        case 5..<8: value = rng.int(in: 10...(large ? 900 : 150))
        case 8: value = rng.int(in: 100...(large ? 60_000 : 2_000))
        default: value = rng.int(in: 2...10)
        }
        let qualifier = word("qualifier")
        let number = value <= 10 && rng.chance(60) ? (data.words("number-word")[value - 1]) : Self.grouped(value)
        return qualifier.isEmpty ? number : qualifier + " " + number
    }

    mutating func smallNumber() -> String {
        let v = rng.int(in: 2...9)
        return rng.chance(70) ? data.words("number-word")[v - 1] : String(v)
    }

    /// "1,300": thousands separated by commas.
    static func grouped(_ v: Int) -> String {
        let s = String(v)
        guard v >= 1000 else { return s }
        var out = ""
        for (k, c) in s.enumerated() {
            if k > 0 && (s.count - k) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }

    /// A date expression near publication: "on Tuesday", "early on Sunday", "overnight", "on March 3".
    mutating func when() -> String {
        let back = rng.int(in: 0...6)
        let weekday = (published.weekday - back + 7) % 7
        let weekdays = data.words("weekday"), months = data.words("month")
        switch rng.below(10) {
        case 0: return "overnight"
        case 1: return back == 0 ? "on \(weekdays[weekday])" : "earlier this week"
        case 2, 3:
            var (y, m, d) = (published.year, published.month, published.day - back)
            if d < 1 {
                m -= 1
                if m < 1 { m = 12; y -= 1 }
                d += Self.daysIn(year: y, month: m)
            }
            return rng.chance(50) ? "on \(months[m - 1]) \(d)" : "on \(d) \(months[m - 1])"
        default:
            return "\(word("daypart")) \(weekdays[weekday])"
        }
    }

    /// An earlier month: "March 2022".
    mutating func past() -> String {
        let months = data.words("month")
        let y = published.year - rng.int(in: 1...4)
        return "\(months[rng.below(12)]) \(y)"
    }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
