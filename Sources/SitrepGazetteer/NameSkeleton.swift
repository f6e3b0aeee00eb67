import Foundation
import SitrepText

/// The spelling skeleton of a romanized name: the key under which the many English, French and
/// scholarly romanizations of one Arabic or Persian name meet.
///
/// "Idleb" / "Idlib", "Khan Shaykun" / "Khan Shaykhun", "Jisr ash-Shugur" / "Jisr ash Shughur",
/// "Tel Refaat" / "Tall Rif‘at", "Dhameer" / "Ad Dumayr", "Kafr Zeita" / "Kafr Zayta" all share one
/// skeleton. Steps, on the folded name (lowercase, no diacritics):
/// - apostrophes and ʿayn / hamza marks vanish; words are joined (spaces and hyphens vanish);
/// - Arabic article words ("al", "el", "ad", "ash", …, standalone or hyphen-joined) vanish when
///   more follows;
/// - digraphs fold: kh→k, sh/ch→s, th→t, dh→d, gh→g, dj→j, ph→f; q and c→k;
/// - an "h" closing a word after a vowel (tāʾ marbūṭa: Hamah / Hama) vanishes;
/// - every run of vowels (a e i o u y) becomes one vowel mark, and doubled consonants one.
/// Names whose skeleton is shorter than `minimumLength` get none (too many collisions).
///
/// `Builder` computes it word by word without allocating (the place tagger feeds it token bytes);
/// `skeleton(_:)` / `key(_:)` are the slow paths for names (the gazetteer builder).
public enum NameSkeleton {
    public static let minimumLength = 5

    /// Words that are Arabic articles when they open a name part ("al-Sham", "ash Shughur").
    public static let articles: [String] = [
        "al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "adh", "ath", "ed", "er", "es", "et", "ez", "en", "ul",
    ]
    static let articleSet = Set(articles)

    static let vowelMark: UInt8 = 0x2A  // "*"

    /// Streaming skeleton: feed words (lowercase ASCII letters) in order; read `hash` and `count`.
    public struct Builder {
        public private(set) var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        public private(set) var count = 0
        @usableFromInline var last: UInt8 = 0

        public init() {}

        /// The state besides `hash` (the count and the last character), as one word: two builders
        /// with equal `hash` and `state` emit the same from then on.
        @inlinable public var state: UInt64 { UInt64(count) << 8 | UInt64(last) }

        /// The index key of what was fed so far (meaningful when `count >= minimumLength`).
        public var key: UInt64 { Gazetteer.extend(NameSkeleton.seed, hash) }

        /// Emits one skeleton character; `sink` sees what is emitted (the slow path records it,
        /// the tagger's hot path passes `NoSink`: the builder itself holds no reference, so copies
        /// of it cost no reference counting).
        @inline(__always)
        mutating func emit<S: SkeletonSink>(_ c: UInt8, _ sink: inout S) {
            if c == last { return }
            last = c
            count += 1
            hash = (hash ^ UInt64(c)) &* 0x0000_0100_0000_01b3
            sink.put(c)
        }

        /// Feeds one word (UTF-8). Bytes other than letters (apostrophes) are skipped; letters are
        /// folded (lowercase, Latin diacritics off: "Şuşa" → "susa"). Returns false, feeding
        /// nothing, when the word holds a letter that does not fold to ASCII.
        @discardableResult
        public mutating func feed(word: UnsafeBufferPointer<UInt8>) -> Bool {
            // fast path: ASCII letters only ("Idleb", "Shaykun")
            var plain = word.count <= 32
            if plain {
                // (b | 0x20) - "a" < 26: an ASCII letter of either case, one compare
                for b in word where (b | 0x20) &- 0x61 >= 26 {
                    plain = false
                    break
                }
            }
            if plain {
                var none = NoSink()
                feedLetters(word, word.count, lowercase: true, &none)
                return true
            }
            // letters only, folded
            var buf: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
            var n = 0
            var i = 0
            var folded: [UInt8] = []
            while i < word.count {
                let b = word[i]
                var c = b
                if b >= 0x80 {
                    // decode one scalar, fold it (rare: only non-ASCII words get here)
                    var v = UInt32(b), len = 1
                    if b & 0xE0 == 0xC0 { v = UInt32(b & 0x1F); len = 2 } else if b & 0xF0 == 0xE0 {
                        v = UInt32(b & 0x0F); len = 3
                    } else if b & 0xF8 == 0xF0 { v = UInt32(b & 0x07); len = 4 } else { return false }
                    guard i + len <= word.count else { return false }
                    for j in 1..<len { v = v << 6 | UInt32(word[i + j] & 0x3F) }
                    i += len
                    folded.removeAll(keepingCapacity: true)
                    Fold.append(scalar: v, to: &folded)
                    for f in folded {
                        if f >= 0x80 { return false }  // a letter outside the folded Latin ranges
                        guard f >= 97 && f <= 122, n < 32 else { continue }
                        withUnsafeMutableBytes(of: &buf) { $0[n] = f }
                        n += 1
                    }
                    continue
                }
                i += 1
                if c >= 65 && c <= 90 { c |= 0x20 }
                guard c >= 97 && c <= 122 else { continue }
                guard n < 32 else { break }
                withUnsafeMutableBytes(of: &buf) { $0[n] = c }
                n += 1
            }
            withUnsafeBytes(of: buf) { raw in
                let w = raw.bindMemory(to: UInt8.self)
                var none = NoSink()
                feedLetters(w, n, lowercase: false, &none)
            }
            return true
        }

        /// Feeds `n` lowercase letters (`lowercase`: ASCII letters of any case, lowered here).
        mutating func feedLetters<S: SkeletonSink>(_ w: UnsafeBufferPointer<UInt8>, _ n: Int, lowercase: Bool, _ sink: inout S) {
            let lower: UInt8 = lowercase ? 0x20 : 0
            // the vowels a e i o u y, as bits over the letter's offset from "a"
            let vowels: UInt32 = 1 << 0 | 1 << 4 | 1 << 8 | 1 << 14 | 1 << 20 | 1 << 24
            var j = 0
            while j < n {
                var c = w[j] | lower
                j += 1
                if j < n {
                    let next = w[j] | lower
                    if next == 0x68 {  // "h" after k t d g p s c: a digraph
                        switch c {
                        case 0x6B, 0x74, 0x64, 0x67: j += 1  // kh th dh gh
                        case 0x70: c = 0x66; j += 1  // ph
                        case 0x73, 0x63: c = 0x73; j += 1  // sh ch
                        default: break
                        }
                    } else if c == 0x64 && next == 0x6A {
                        j += 1
                        c = 0x6A  // dj
                    } else if c == 0x63 {
                        c = 0x6B  // c
                    }
                } else if c == 0x63 {
                    c = 0x6B  // c
                }
                if c == 0x71 { c = 0x6B }  // q
                let offset = c &- 0x61
                let isVowel = offset < 26 && (vowels >> UInt32(offset)) & 1 != 0
                if c == 0x68 && j == n && last == NameSkeleton.vowelMark { continue }  // word-final h after a vowel
                emit(isVowel ? NameSkeleton.vowelMark : c, &sink)
            }
        }
    }

    /// The words of a name, folded to lowercase ASCII letters, articles that open a part dropped.
    static func words(_ name: String) -> [[UInt8]] {
        var ascii = true
        for u in name.utf8 where u >= 0x80 { ascii = false; break }
        let source = ascii ? name : name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        var words: [[UInt8]] = []
        var word: [UInt8] = []
        for u in source.unicodeScalars {
            let v = u.value
            if v >= 65 && v <= 90 {
                word.append(UInt8(v) | 0x20)
            } else if v >= 97 && v <= 122 {
                word.append(UInt8(v))
            } else if v == 0x27 || v == 0x2018 || v == 0x2019 || v == 0x02BC || v == 0x02BF || v == 0x02BE
                || v == 0x60 || v == 0xB4 || v == 0x2032
            {
                continue  // apostrophes, ʿayn and hamza marks
            } else {
                if !word.isEmpty { words.append(word); word = [] }
            }
        }
        if !word.isEmpty { words.append(word) }
        var kept: [[UInt8]] = []
        for (i, w) in words.enumerated() {
            if i < words.count - 1, articleSet.contains(String(decoding: w, as: UTF8.self)) { continue }
            kept.append(w)
        }
        return kept
    }

    /// The skeleton string of a name (vowel runs as "*"), or nil when it is shorter than `minimumLength`.
    public static func skeleton(_ name: String, minimumLength: Int = NameSkeleton.minimumLength) -> String? {
        var b = Builder()
        var sink = RecordingSink()
        for w in words(name) { w.withUnsafeBufferPointer { b.feedLetters($0, $0.count, lowercase: false, &sink) } }
        guard sink.bytes.count >= minimumLength else { return nil }
        return String(decoding: sink.bytes, as: UTF8.self)
    }

    /// The consonant skeleton of a name: its skeleton without the vowel marks, doubled letters
    /// made one ("Nehm" / "Nihm" / "Nehim" → "nhm", "Majaz" / "Majz" → "mjz", "Munabeh" / "Monabbih"
    /// → "mnb"), where romanizations disagree on the short vowels an Arabic name never writes. Nil
    /// when fewer than `minimumConsonants` letters remain. A loose key: for matching within a small
    /// set of candidates (the districts of one region), never for recognizing names in text.
    public static func consonants(_ name: String, minimumConsonants: Int = 3) -> String? {
        guard let full = skeleton(name, minimumLength: 1) else { return nil }
        var out: [UInt8] = []
        for c in full.utf8 where c != vowelMark && c != out.last { out.append(c) }
        return out.count >= minimumConsonants ? String(decoding: out, as: UTF8.self) : nil
    }

    /// The index key of a name's skeleton (distinct from every phrase key), or nil when too short.
    public static func key(_ name: String) -> UInt64? {
        var b = Builder()
        var none = NoSink()
        for w in words(name) { w.withUnsafeBufferPointer { b.feedLetters($0, $0.count, lowercase: false, &none) } }
        return b.count >= minimumLength ? b.key : nil
    }

    /// Seed of skeleton keys: unlike phrase keys, so the two never meet in the index.
    public static let seed: UInt64 = 0x2F6A_91C3_5D07_B8E1
}

/// What a skeleton builder emits, seen by the slow path (the recorded skeleton string).
protocol SkeletonSink {
    mutating func put(_ c: UInt8)
}

/// The hot path's sink: sees nothing.
struct NoSink: SkeletonSink {
    @inline(__always) mutating func put(_ c: UInt8) {}
}

/// Records the emitted characters (`NameSkeleton.skeleton`).
struct RecordingSink: SkeletonSink {
    var bytes: [UInt8] = []
    mutating func put(_ c: UInt8) { bytes.append(c) }
}
