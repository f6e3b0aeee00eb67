/// A compact binary form of a `Report`, as `events.report` stores it (see the store's
/// `v4-integer-keys` migration).
///
/// The report's identity (`key`, `article`, `eventIndex`) and its near-duplicate group are left
/// out: they are columns of the event's and its article's rows, and the reader supplies them.
/// Layout: a format byte (1), then the fields in declaration order — strings as a varint byte
/// count and UTF-8, integers as zigzag varints, doubles as their 8-byte bit pattern, optionals
/// behind a presence byte, arrays behind a varint count. About a quarter of the JSON's size, and
/// read back without a JSON parser when the merge state is restored.
public enum ReportCodec {
    static let format: UInt8 = 1

    public static func encode(_ r: Report) -> [UInt8] {
        var w = ByteWriter()
        w.bytes.reserveCapacity(256 + r.snippet.utf8.count)
        w.byte(format)
        w.optString(r.source)
        w.optString(r.published)
        w.string(r.type)
        w.string(r.subtype)
        w.actor(r.actor1)
        w.actor(r.actor2)
        w.optInt(r.dayStart)
        w.optInt(r.dayEnd)
        w.string(r.precision)
        w.byte(r.dateFromPublished ? 1 : 0)
        if let p = r.place {
            w.byte(1)
            w.string(p.name)
            w.optInt(p.geonameid)
            w.optString(p.country)
            w.optString(p.admin1)
            w.double(p.lat)
            w.double(p.lon)
            w.string(p.precision)
        } else {
            w.byte(0)
        }
        w.actor(r.claimant)
        w.string(r.stance)
        w.strings(r.deniedBy)
        w.varint(UInt64(r.figures.count))
        for f in r.figures {
            w.string(f.outcome)
            w.string(f.victims)
            w.int(f.low)
            w.int(f.best)
            w.optInt(f.high)
            w.string(f.qualifier)
            w.optString(f.claimantID)
            w.optString(f.claimantName)
            w.optInt(f.casualty)
            w.string(f.rule)
        }
        w.strings(r.weapons)
        w.string(r.snippet)
        w.strings(r.rules)
        return w.bytes
    }

    /// The report stored as `bytes`, with its identity and group from the rows; nil when the bytes
    /// are not this format (truncated, another version). With `evidence: false` the snippet and the
    /// rule list are checked and skipped, left empty (what `MergeEngine` holds: it drops them; their
    /// strings cost ≈ 2,000 instructions per report on restart).
    public static func decode(_ bytes: UnsafeRawBufferPointer, article: String, eventIndex: Int, dupGroup: String,
                              evidence: Bool = true) -> Report? {
        var r = ByteReader(bytes)
        guard r.byte() == format else { return nil }
        guard let source = r.optString(), let published = r.optString(), let type = r.string(),
            let subtype = r.string(), let actor1 = r.actor(), let actor2 = r.actor(), let dayStart = r.optInt(),
            let dayEnd = r.optInt(), let precision = r.string(), let fromPublished = r.byte()
        else { return nil }
        var place: PlaceKey?
        switch r.byte() {
        case 0: place = nil
        case 1:
            guard let name = r.string(), let geonameid = r.optInt(), let country = r.optString(),
                let admin1 = r.optString(), let lat = r.double(), let lon = r.double(), let precision = r.string()
            else { return nil }
            place = PlaceKey(name: name, geonameid: geonameid, country: country, admin1: admin1, lat: lat, lon: lon,
                             precision: precision)
        default: return nil
        }
        guard let claimant = r.actor(), let stance = r.string(), let deniedBy = r.strings(), let nf = r.count()
        else { return nil }
        var figures: [ReportFigure] = []
        figures.reserveCapacity(nf)
        for _ in 0..<nf {
            guard let outcome = r.string(), let victims = r.string(), let low = r.int(), let best = r.int(),
                let high = r.optInt(), let qualifier = r.string(), let cid = r.optString(), let cname = r.optString(),
                let casualty = r.optInt(), let rule = r.string()
            else { return nil }
            figures.append(ReportFigure(outcome: outcome, victims: victims, low: low, best: best, high: high,
                                        qualifier: qualifier, claimantID: cid, claimantName: cname, casualty: casualty,
                                        rule: rule))
        }
        guard let weapons = r.strings() else { return nil }
        var snippet = "", rules: [String] = []
        if evidence {
            guard let s = r.string(), let rs = r.strings() else { return nil }
            (snippet, rules) = (s, rs)
        } else {
            guard r.skipString(), let n = r.count() else { return nil }
            for _ in 0..<n { guard r.skipString() else { return nil } }
        }
        guard r.atEnd else { return nil }
        return Report(
            key: Report.key(article: article, event: eventIndex), article: article, eventIndex: eventIndex,
            source: source, published: published, dupGroup: dupGroup, type: type, subtype: subtype, actor1: actor1,
            actor2: actor2, dayStart: dayStart, dayEnd: dayEnd, precision: precision, dateFromPublished: fromPublished != 0,
            place: place, claimant: claimant, stance: stance, deniedBy: deniedBy, figures: figures, weapons: weapons,
            snippet: snippet, rules: rules)
    }

    public static func decode(_ bytes: [UInt8], article: String, eventIndex: Int, dupGroup: String,
                              evidence: Bool = true) -> Report? {
        bytes.withUnsafeBytes { decode($0, article: article, eventIndex: eventIndex, dupGroup: dupGroup, evidence: evidence) }
    }
}

struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func byte(_ b: UInt8) { bytes.append(b) }

    mutating func varint(_ v: UInt64) {
        var x = v
        while x >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: x) | 0x80)
            x >>= 7
        }
        bytes.append(UInt8(x))
    }

    mutating func int(_ v: Int) {
        let x = Int64(v)
        varint(UInt64(bitPattern: (x << 1) ^ (x >> 63)))
    }

    mutating func optInt(_ v: Int?) {
        if let v {
            byte(1)
            int(v)
        } else {
            byte(0)
        }
    }

    mutating func double(_ d: Double) {
        var x = d.bitPattern
        for _ in 0..<8 {
            bytes.append(UInt8(truncatingIfNeeded: x))
            x >>= 8
        }
    }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { buf in
            varint(UInt64(buf.count))
            bytes.append(contentsOf: buf)
        }
    }

    mutating func optString(_ s: String?) {
        if let s {
            byte(1)
            string(s)
        } else {
            byte(0)
        }
    }

    mutating func strings(_ xs: [String]) {
        varint(UInt64(xs.count))
        for x in xs { string(x) }
    }

    mutating func actor(_ a: ActorKey?) {
        if let a {
            byte(1)
            string(a.id)
            string(a.name)
        } else {
            byte(0)
        }
    }
}

/// Reads what `ByteWriter` wrote; every read returns nil past the end or on a malformed value.
/// Optional reads return `.some(nil)` for an absent value.
struct ByteReader {
    let buf: UnsafeRawBufferPointer
    var at = 0

    init(_ buf: UnsafeRawBufferPointer) { self.buf = buf }

    var atEnd: Bool { at == buf.count }

    mutating func byte() -> UInt8? {
        guard at < buf.count else { return nil }
        defer { at += 1 }
        return buf[at]
    }

    mutating func varint() -> UInt64? {
        var x: UInt64 = 0
        var shift: UInt64 = 0
        while shift < 64 {
            guard let b = byte() else { return nil }
            x |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return x }
            shift += 7
        }
        return nil
    }

    mutating func count() -> Int? {
        guard let n = varint(), n <= UInt64(buf.count - at) else { return nil }
        return Int(n)
    }

    mutating func int() -> Int? {
        guard let u = varint() else { return nil }
        return Int(Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1))))
    }

    mutating func optInt() -> Int?? {
        switch byte() {
        case 0: return .some(nil)
        case 1: return int().map { .some($0) }
        default: return nil
        }
    }

    mutating func double() -> Double? {
        guard buf.count - at >= 8 else { return nil }
        var x: UInt64 = 0
        for i in 0..<8 { x |= UInt64(buf[at + i]) << (8 * UInt64(i)) }
        at += 8
        return Double(bitPattern: x)
    }

    mutating func string() -> String? {
        guard let n = count() else { return nil }
        let s = String(decoding: UnsafeRawBufferPointer(rebasing: buf[at..<(at + n)]), as: UTF8.self)
        at += n
        return s
    }

    /// Steps over a string without building it; false past the end.
    mutating func skipString() -> Bool {
        guard let n = count() else { return false }
        at += n
        return true
    }

    mutating func optString() -> String?? {
        switch byte() {
        case 0: return .some(nil)
        case 1: return string().map { .some($0) }
        default: return nil
        }
    }

    mutating func strings() -> [String]? {
        guard let n = count() else { return nil }
        var out: [String] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            guard let s = string() else { return nil }
            out.append(s)
        }
        return out
    }

    mutating func actor() -> ActorKey?? {
        switch byte() {
        case 0: return .some(nil)
        case 1:
            guard let id = string(), let name = string() else { return nil }
            return .some(ActorKey(id: id, name: name))
        default: return nil
        }
    }
}
