import SitrepLanguage
import SitrepText

/// Recognizes weapons and means of attack, with their class: named systems ("BM-30 Smerch",
/// "Smerch long-range multiple rocket systems") and generic attack words ("shelling", "airstrike").
public struct WeaponTagger: Sendable {
    let lexicon: WeaponLexicon

    package init(lexicon: WeaponLexicon) {
        self.lexicon = lexicon
    }

    public static func english() throws -> WeaponTagger {
        try WeaponTagger(lexicon: .english())
    }

    static let hyphen = Fold.key("-")

    public func tag(_ doc: Document, context: ArticleContext, into annotations: inout Annotations) {
        let tokens = doc.tokens
        let hyphen = Self.hyphen
        var found: [Mention] = []
        let filter = lexicon.phrases.index.tokenFilter
        let capitalized = TokenFlags.capitalized  // read once, not through its accessor per token
        // the scan reads tokens and filter words through unsafe views (no bounds checks per token)
        tokens.withUnsafeBufferPointer { tp in
        filter.any.withUnsafeBufferPointer { anyBits in
        filter.capital.withUnsafeBufferPointer { capitalBits in
        for sentence in doc.sentences {
            let limit = sentence.tokens.upperBound
            var i = sentence.tokens.lowerBound
            while i < limit {
                let t = tp[i]
                // cheap rejection (filterSlot inlined)
                let h = Int(truncatingIfNeeded: (t.key ^ (t.key >> 29)) & 0xFFFF)
                let bit = UInt64(1) << UInt64(h & 63)
                guard anyBits[h >> 6] & bit != 0 || (t.flags.contains(capitalized) && capitalBits[h >> 6] & bit != 0) else {
                    i += 1
                    continue
                }
                // not the tail of a hyphenated compound ("anti-tank" is not a tank)
                let joined = i > sentence.tokens.lowerBound && !t.has(.spaceBefore) && tp[i - 1].key == hyphen
                guard t.kind == .word || t.kind == .number, !joined,
                    let m = lexicon.phrases.longest(tokens, at: i, limit: limit),
                    let entry = m.values.first
                else {
                    i += 1
                    continue
                }
                var end = m.end
                if !entry.generic {
                    // "Smerch long-range multiple rocket systems": descriptors extend a named system
                    while let d = lexicon.descriptors.longest(tokens, at: end, limit: limit) {
                        end = d.end
                    }
                }
                found.append(Mention(span: doc.span(of: i..<end), payload: .weapon(entry.ref), rule: entry.provenance))
                i = end
            }
        }
        }
        }
        }
        annotations.weapons.append(contentsOf: found)
        annotations.weapons.sort { $0.span < $1.span }
    }
}
