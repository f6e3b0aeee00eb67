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
/// - digraphs fold: kh→k, sh/ch→s, th→t, dh→d, gh→g, dj→j, ph→f, q→k;
/// - an "h" closing a word after a vowel (tāʾ marbūṭa: Hamah / Hama) vanishes;
/// - every run of vowels (a e i o u y) becomes one vowel mark, and doubled consonants one.
/// Names whose skeleton is shorter than `minimumLength` get none (too many collisions).
public enum NameSkeleton {
    public static let minimumLength = 5

    /// Words that are Arabic articles when they open a name part ("al-Sham", "ash Shughur").
    static let articles: Set<String> = [
        "al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "adh", "ath", "ed", "er", "es", "et", "ez", "en",
        "ul", "il", "l",
    ]

    /// The skeleton string of a name, or nil when it is too short to be distinctive.
    public static func skeleton(_ name: String, minimumLength: Int = NameSkeleton.minimumLength) -> String? {
        // Fold to lowercase ASCII letters; other scalars separate words.
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
        // Articles vanish when a further word follows.
        var kept: [[UInt8]] = []
        for (i, w) in words.enumerated() {
            if i < words.count - 1, articles.contains(String(decoding: w, as: UTF8.self)) { continue }
            kept.append(w)
        }
        var out: [UInt8] = []
        out.reserveCapacity(16)
        let vowel: UInt8 = 0x2A  // "*"
        for w in kept {
            var j = 0
            let n = w.count
            while j < n {
                var c = w[j]
                let next: UInt8 = j + 1 < n ? w[j + 1] : 0
                if next == 0x68 {  // "h"
                    switch c {
                    case 0x6B, 0x74, 0x64, 0x67, 0x70: j += 1  // kh th dh gh ph
                    case 0x73, 0x63: c = 0x73; j += 1  // sh ch
                    default: break
                    }
                    if c == 0x70 { c = 0x66 }
                } else if c == 0x64 && next == 0x6A {
                    j += 1
                    c = 0x6A  // dj
                } else if c == 0x63 {
                    c = 0x6B  // c
                }
                if c == 0x71 { c = 0x6B }  // q
                j += 1
                let isVowel = c == 0x61 || c == 0x65 || c == 0x69 || c == 0x6F || c == 0x75 || c == 0x79
                if c == 0x68 && j == n && out.last == vowel { continue }  // word-final h after a vowel
                let mapped = isVowel ? vowel : c
                if out.last == mapped { continue }
                out.append(mapped)
            }
        }
        guard out.count >= minimumLength else { return nil }
        return String(decoding: out, as: UTF8.self)
    }

    /// The index key of a name's skeleton (distinct from every phrase key), or nil.
    public static func key(_ name: String) -> UInt64? {
        guard let s = skeleton(name) else { return nil }
        return key(skeleton: s)
    }

    public static func key(skeleton s: String) -> UInt64 {
        Gazetteer.extend(seed, Fold.hash(folded: Array(s.utf8)))
    }

    /// Seed of skeleton keys: unlike phrase keys, so the two never meet in the index.
    public static let seed: UInt64 = 0x2F6A_91C3_5D07_B8E1
}
