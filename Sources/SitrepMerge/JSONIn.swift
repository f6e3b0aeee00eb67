import SitrepText

/// Reading back what `JSONOut` writes, by hand: the same result `JSONDecoder` gives for these
/// `Codable` types (a missing or null optional is nil; a missing required member fails), about
/// ten times faster. Restoring the merge state reads every active report of the database.
extension Report {
    /// A report from its stored JSON, or nil when the text is not a report.
    public static func decode(json text: String) -> Report? {
        JSONValue.parse(text).flatMap(Report.init(json:))
    }

    public init?(json value: JSONValue) {
        // members asked in the order JSONOut writes them: each look-up is one comparison
        guard var v = JSONIn.Members(value) else { return nil }
        guard let key = v["key"]?.string, let article = v["article"]?.string,
            let eventIndex = v["eventIndex"]?.int,
            let source = JSONIn.optional(v["source"], \.string), let published = JSONIn.optional(v["published"], \.string),
            let dupGroup = v["dupGroup"]?.string, let type = v["type"]?.string, let subtype = v["subtype"]?.string,
            let actor1 = JSONIn.optional(v["actor1"], ActorKey.init(json:)),
            let actor2 = JSONIn.optional(v["actor2"], ActorKey.init(json:)),
            let dayStart = JSONIn.optional(v["dayStart"], \.int), let dayEnd = JSONIn.optional(v["dayEnd"], \.int),
            let precision = v["precision"]?.string, let dateFromPublished = v["dateFromPublished"]?.bool,
            let place = JSONIn.optional(v["place"], PlaceKey.init(json:)),
            let claimant = JSONIn.optional(v["claimant"], ActorKey.init(json:)),
            let stance = v["stance"]?.string, let deniedBy = JSONIn.strings(v["deniedBy"]),
            let figureValues = v["figures"]?.array, let weapons = JSONIn.strings(v["weapons"]),
            let snippet = v["snippet"]?.string, let rules = JSONIn.strings(v["rules"])
        else { return nil }
        var figures: [ReportFigure] = []
        figures.reserveCapacity(figureValues.count)
        for f in figureValues {
            guard let figure = ReportFigure(json: f) else { return nil }
            figures.append(figure)
        }
        self.init(key: key, article: article, eventIndex: eventIndex, source: source, published: published,
                  dupGroup: dupGroup, type: type, subtype: subtype, actor1: actor1, actor2: actor2,
                  dayStart: dayStart, dayEnd: dayEnd, precision: precision, dateFromPublished: dateFromPublished,
                  place: place, claimant: claimant, stance: stance, deniedBy: deniedBy, figures: figures,
                  weapons: weapons, snippet: snippet, rules: rules)
    }
}

extension ReportFigure {
    public init?(json v: JSONValue) {
        guard let outcome = v["outcome"]?.string, let victims = v["victims"]?.string, let low = v["low"]?.int,
            let best = v["best"]?.int, let qualifier = v["qualifier"]?.string, let rule = v["rule"]?.string,
            let high = JSONIn.optional(v["high"], \.int),
            let claimantID = JSONIn.optional(v["claimantID"], \.string),
            let claimantName = JSONIn.optional(v["claimantName"], \.string),
            let casualty = JSONIn.optional(v["casualty"], \.int)
        else { return nil }
        self.init(outcome: outcome, victims: victims, low: low, best: best, high: high, qualifier: qualifier,
                  claimantID: claimantID, claimantName: claimantName, casualty: casualty, rule: rule)
    }
}

extension ActorKey {
    public init?(json v: JSONValue) {
        guard let id = v["id"]?.string, let name = v["name"]?.string else { return nil }
        self.init(id: id, name: name)
    }
}

extension PlaceKey {
    public init?(json v: JSONValue) {
        guard let name = v["name"]?.string, let lat = v["lat"]?.double, let lon = v["lon"]?.double,
            let precision = v["precision"]?.string,
            let geonameid = JSONIn.optional(v["geonameid"], \.int),
            let country = JSONIn.optional(v["country"], \.string),
            let admin1 = JSONIn.optional(v["admin1"], \.string)
        else { return nil }
        self.init(name: name, geonameid: geonameid, country: country, admin1: admin1, lat: lat, lon: lon,
                  precision: precision)
    }
}

enum JSONIn {
    /// An object's members looked up from where the last look-up matched: records written in a
    /// fixed member order are read with one comparison per member.
    struct Members {
        let members: [JSONValue.Member]
        var next = 0

        init?(_ v: JSONValue) {
            guard case .object(let m) = v else { return nil }
            members = m
        }

        subscript(key: String) -> JSONValue? {
            mutating get {
                let n = members.count
                var k = 0
                var i = next
                while k < n {
                    if i >= n { i = 0 }
                    if members[i].key == key {
                        next = i + 1
                        return members[i].value
                    }
                    i += 1
                    k += 1
                }
                return nil
            }
        }
    }

    /// An optional member as `decodeIfPresent` reads it: `.some(nil)` when absent or null,
    /// `.some(value)` when it converts, nil (failure) when it is there but of the wrong kind.
    static func optional<T>(_ v: JSONValue?, _ convert: (JSONValue) -> T?) -> T?? {
        guard let v, !v.isNull else { return .some(nil) }
        guard let t = convert(v) else { return nil }
        return .some(t)
    }

    /// An array of strings, or nil.
    static func strings(_ v: JSONValue?) -> [String]? {
        guard let items = v?.array else { return nil }
        var out: [String] = []
        out.reserveCapacity(items.count)
        for item in items {
            guard let s = item.string else { return nil }
            out.append(s)
        }
        return out
    }
}
