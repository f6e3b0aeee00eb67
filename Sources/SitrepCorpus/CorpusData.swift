import SitrepLanguage

/// The generator's language data, loaded from `Resources/en/generate/*.tsv`.
public struct CorpusData: Sendable {
    public struct Place: Sendable, Hashable {
        public let name: String
        public let country: String
        public let admin1: String
        public let latitude: Double
        public let longitude: Double
        public let region: String
    }

    public struct Outlet: Sendable, Hashable {
        public let name: String
        public let host: String
        public let curlyQuotes: Bool
    }

    public struct Speaker: Sendable, Hashable {
        public let phrase: String
    }

    /// A theatre: its places and its actors by side.
    public struct Region: Sendable {
        public let name: String
        public var places: [Place] = []
        public var sideA: [String] = []
        public var sideB: [String] = []
        public var neutral: [String] = []
    }

    public let regions: [Region]
    public let weapons: [String]
    public let speakers: [Speaker]
    public let outlets: [Outlet]
    /// Templates by section (`headline`, `lead`, `body`, ...).
    public let templates: [String: [String]]
    /// Word lists by slot (`victims`, `say`, `weekday`, ...).
    public let vocab: [String: [String]]
    /// Page furniture by kind (`appeal`, `caption`, `credit`, `nav`, ...).
    public let furniture: [String: [String]]

    static let requiredSections = ["headline", "lead", "body", "casualty", "quote", "denial", "background",
                                   "humanitarian", "closing"]
    static let requiredSlots = ["victims", "say", "event", "qualifier", "direction", "wounded", "weekday",
                                "month", "number-word", "daypart", "building"]
    static let requiredFurniture = ["appeal", "newsletter", "caption", "credit", "related", "agencies", "nav"]

    /// Loads the bundled English generator data.
    public static func english() throws -> CorpusData {
        let dir = "en/generate"
        let places = try LanguageResources.lexicon("\(dir)/places.tsv",
                                                   required: ["name", "country", "admin1", "lat", "lon", "region"])
        let actors = try LanguageResources.lexicon("\(dir)/actors.tsv", required: ["name", "region", "side"])
        let weapons = try LanguageResources.lexicon("\(dir)/weapons.tsv", required: ["phrase", "category"])
        let speakers = try LanguageResources.lexicon("\(dir)/speakers.tsv", required: ["phrase", "side"])
        let outlets = try LanguageResources.lexicon("\(dir)/outlets.tsv", required: ["name", "host", "quotes"])
        let templates = try LanguageResources.lexicon("\(dir)/templates.tsv", required: ["section", "template"])
        let vocab = try LanguageResources.lexicon("\(dir)/vocab.tsv", required: ["slot"])
        let furniture = try LanguageResources.lexicon("\(dir)/furniture.tsv", required: ["kind", "text"])
        return try CorpusData(places: places, actors: actors, weapons: weapons, speakers: speakers,
                              outlets: outlets, templates: templates, vocab: vocab, furniture: furniture)
    }

    public init(places: Lexicon, actors: Lexicon, weapons: Lexicon, speakers: Lexicon, outlets: Lexicon,
                templates: Lexicon, vocab: Lexicon, furniture: Lexicon) throws {
        var byRegion: [String: Region] = [:]
        var order: [String] = []
        for row in places.rows {
            guard let lat = Double(row["lat"]), let lon = Double(row["lon"]), (-90...90).contains(lat),
                (-180...180).contains(lon)
            else {
                throw LanguageDataError(file: places.name, line: row.line, reason: "bad coordinates '\(row["lat"])', '\(row["lon"])'")
            }
            let place = Place(name: row["name"], country: row["country"], admin1: row["admin1"],
                              latitude: lat, longitude: lon, region: row["region"])
            if byRegion[place.region] == nil {
                byRegion[place.region] = Region(name: place.region)
                order.append(place.region)
            }
            byRegion[place.region]?.places.append(place)
        }
        for row in actors.rows {
            guard byRegion[row["region"]] != nil else {
                throw LanguageDataError(file: actors.name, line: row.line, reason: "region '\(row["region"])' has no places")
            }
            switch row["side"] {
            case "a": byRegion[row["region"]]?.sideA.append(row["name"])
            case "b": byRegion[row["region"]]?.sideB.append(row["name"])
            case "n": byRegion[row["region"]]?.neutral.append(row["name"])
            default:
                throw LanguageDataError(file: actors.name, line: row.line, reason: "side must be a, b or n")
            }
        }
        regions = try order.compactMap { name -> Region? in
            guard let region = byRegion[name] else { return nil }
            if region.places.count < 2 || region.sideA.isEmpty || region.sideB.isEmpty {
                throw LanguageDataError(file: actors.name,
                                        reason: "region '\(name)' needs two places and an actor on each side")
            }
            return region
        }
        self.weapons = weapons.rows.map { $0["phrase"] }
        self.speakers = speakers.rows.map { Speaker(phrase: $0["phrase"]) }
        self.outlets = outlets.rows.map { Outlet(name: $0["name"], host: $0["host"], curlyQuotes: $0["quotes"] == "curly") }
        self.templates = Dictionary(grouping: templates.rows, by: { $0["section"] }).mapValues { $0.map { $0["template"] } }
        // an empty value is meaningful (a figure without qualifier), so `value` is not required
        self.vocab = Dictionary(grouping: vocab.rows, by: { $0["slot"] }).mapValues { $0.map { $0["value"] } }
        self.furniture = Dictionary(grouping: furniture.rows, by: { $0["kind"] }).mapValues { $0.map { $0["text"] } }

        for section in Self.requiredSections where (self.templates[section] ?? []).isEmpty {
            throw LanguageDataError(file: templates.name, reason: "no template for section '\(section)'")
        }
        for slot in Self.requiredSlots where (self.vocab[slot] ?? []).isEmpty {
            throw LanguageDataError(file: vocab.name, reason: "no value for slot '\(slot)'")
        }
        for kind in Self.requiredFurniture where (self.furniture[kind] ?? []).isEmpty {
            throw LanguageDataError(file: furniture.name, reason: "no row of kind '\(kind)'")
        }
        if self.vocab["weekday"]?.count != 7 || self.vocab["month"]?.count != 12 || self.vocab["number-word"]?.count != 10 {
            throw LanguageDataError(file: vocab.name, reason: "need 7 weekdays, 12 months and 10 number words, in order")
        }
        if regions.isEmpty || self.weapons.isEmpty || self.speakers.isEmpty || self.outlets.isEmpty {
            throw LanguageDataError(file: "en/generate", reason: "places, weapons, speakers and outlets must not be empty")
        }
    }

    func words(_ slot: String) -> [String] { vocab[slot] ?? [] }
}
