import SitrepAnnotate
import SitrepText

// Mention tails: everything a mention writes after its text (`,"place":{…},"rule":"…"}`) is
// fixed by its payload and its rule, and most mentions repeat a pair written before (the same
// actor row by the same rule, the same place again in one document). The tail is cached whole,
// keyed by the bits of the payload and the rule as the mention stores them: a hit writes the
// head, the span and the text, then copies the tail, with no copy of the payload (no reference
// counting) and no look-up of the object and the rule one by one.

extension AnalysisJSON {
    /// Where a mention keeps its payload and rule, read once per thread (a static's every use
    /// goes through its one-time initializer); `isValid` false when the layout cannot say.
    struct TailLayout {
        let payload: Int
        let payloadSize: Int
        let rule: Int

        init() {
            let payload = MemoryLayout<Mention>.offset(of: \Mention.payload) ?? -1
            let rule = MemoryLayout<Mention>.offset(of: \Mention.rule) ?? -1
            let size = MemoryLayout<Mention.Payload>.size
            let valid = payload >= 0 && rule >= 0 && size > 0 && size <= 24 && MemoryLayout<String>.size == 16
            self.payload = valid ? payload : -1
            self.payloadSize = size
            self.rule = rule
        }

        var isValid: Bool { payload >= 0 }
    }

    /// The payload's bytes (up to three words; bytes past its size read as zero) and the rule's
    /// two words. Equal bits mean the same case, the same shared boxes and the same rule storage,
    /// so the same tail; the table holds the payload and the rule, so no box or string storage
    /// is freed and its address reused while its tail is cached. (Equal values with unequal bits,
    /// e.g. unused bytes of a shorter case, are merely written again.)
    struct TailKey: BitsKey {
        var p0: UInt64 = 0, p1: UInt64 = 0, p2: UInt64 = 0, r0: UInt64 = 0, r1: UInt64 = 0

        @inline(__always)
        init(_ m: UnsafePointer<Mention>, _ layout: TailLayout) {
            let raw = UnsafeRawPointer(m)
            let p = raw + layout.payload
            let size = layout.payloadSize
            if size >= 8 { p0 = p.loadUnaligned(as: UInt64.self) }
            if size >= 16 { p1 = p.loadUnaligned(fromByteOffset: 8, as: UInt64.self) }
            if size == 24 { p2 = p.loadUnaligned(fromByteOffset: 16, as: UInt64.self) }
            let full = size & ~7
            if full < size {
                // the bytes after the last whole word (an enum's tag byte)
                var word: UInt64 = 0
                var k = size &- 1
                while k >= full {
                    word = word &<< 8 | UInt64(p.load(fromByteOffset: k, as: UInt8.self))
                    k &-= 1
                }
                switch full {
                case 0: p0 = word
                case 8: p1 = word
                default: p2 = word
                }
            }
            let r = raw + layout.rule
            r0 = r.loadUnaligned(as: UInt64.self)
            r1 = r.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        }

        var hash: UInt64 {
            AnalysisJSON.mix(AnalysisJSON.mix(AnalysisJSON.mix(p0, p1 ^ (p2 &<< 1)), r0), r1)
        }
    }

    /// What a cached tail keeps alive: the payload's boxes and the rule's storage.
    struct TailHeld {
        let payload: Mention.Payload
        let rule: String
    }

    /// The kind of a mention, stored as the first byte of its cached tail.
    enum TailKind: UInt8 {
        case time, place, actor, weapon
    }

    /// `{"kind":"…","start":` of a kind.
    @inline(__always)
    static func head(_ kind: UInt8) -> StaticString {
        switch kind {
        case TailKind.place.rawValue: "{\"kind\":\"place\",\"start\":"
        case TailKind.actor.rawValue: "{\"kind\":\"actor\",\"start\":"
        case TailKind.weapon.rawValue: "{\"kind\":\"weapon\",\"start\":"
        default: "{\"kind\":\"time\",\"start\":"
        }
    }

    /// Writes a mention whose tail is cached (then true); false, writing nothing, otherwise.
    /// The head, the offsets, the text and the tail go out in one write (`JSONLine.mention`).
    @inline(__always)
    static func cachedMention(_ m: UnsafePointer<Mention>, _ key: TailKey, _ doc: DocView, _ w: inout JSONLine,
                              _ cache: inout ObjectCache) -> Bool {
        let e = cache.tails.entry(key)
        guard e > 0 else { return false }
        let r = cache.tails.ranges[e &- 1]
        let span = m.pointee.span
        let start = doc.offsets.scalar(span.start, hint: &cache.scalarHint)
        let end = doc.offsets.scalar(span.end, hint: &cache.scalarHint)
        let bytes = doc.bytes
        let lo = Swift.max(0, Swift.min(span.start, bytes.count))
        let hi = Swift.max(lo, Swift.min(span.end, bytes.count))
        let text = UnsafeBufferPointer(rebasing: bytes[lo..<hi])
        cache.tails.bytes.withUnsafeBufferPointer { held in
            w.mention(head(held[r.lowerBound]), start, end, text, UnsafeBufferPointer(rebasing: held[(r.lowerBound &+ 1)..<r.upperBound]))
        }
        return true
    }

    /// A claim's head key: the claimant's box address and the verb's and the
    /// stance's two words, read at their offsets. The table holds the claimant and both strings,
    /// so no box or storage is freed and its address reused while the head is cached.
    struct ClaimHeadKey: BitsKey {
        var claimant: UInt64, verb0: UInt64, verb1: UInt64, stance0: UInt64, stance1: UInt64

        @inline(__always)
        init(_ raw: UnsafeRawPointer, _ o: WordOffsets) {
            claimant = raw.loadUnaligned(fromByteOffset: o.claimClaimant, as: UInt64.self)
            verb0 = raw.loadUnaligned(fromByteOffset: o.claimVerb, as: UInt64.self)
            verb1 = raw.loadUnaligned(fromByteOffset: o.claimVerb &+ 8, as: UInt64.self)
            stance0 = raw.loadUnaligned(fromByteOffset: o.claimStance, as: UInt64.self)
            stance1 = raw.loadUnaligned(fromByteOffset: o.claimStance &+ 8, as: UInt64.self)
        }

        var hash: UInt64 {
            AnalysisJSON.mix(AnalysisJSON.mix(AnalysisJSON.mix(claimant, verb0), verb1 ^ (stance0 &<< 1)), stance1)
        }
    }

    /// What a cached claim head keeps alive.
    struct ClaimHeadHeld {
        let claimant: ActorRef
        let verb: String
        let stance: String
    }

    /// A casualty middle's key: the two words of its qualifier, victims, side (an optional
    /// string) and scope, read at their offsets. The table holds the four strings, so no storage
    /// is freed and its address reused while the middle is cached.
    struct CasualtyMiddleKey: BitsKey {
        var q0: UInt64, q1: UInt64, v0: UInt64, v1: UInt64, s0: UInt64, s1: UInt64, c0: UInt64, c1: UInt64

        @inline(__always)
        init(_ raw: UnsafeRawPointer, _ o: WordOffsets) {
            q0 = raw.loadUnaligned(fromByteOffset: o.casualtyQualifier, as: UInt64.self)
            q1 = raw.loadUnaligned(fromByteOffset: o.casualtyQualifier &+ 8, as: UInt64.self)
            v0 = raw.loadUnaligned(fromByteOffset: o.casualtyVictims, as: UInt64.self)
            v1 = raw.loadUnaligned(fromByteOffset: o.casualtyVictims &+ 8, as: UInt64.self)
            s0 = raw.loadUnaligned(fromByteOffset: o.casualtySide, as: UInt64.self)
            s1 = raw.loadUnaligned(fromByteOffset: o.casualtySide &+ 8, as: UInt64.self)
            c0 = raw.loadUnaligned(fromByteOffset: o.casualtyScope, as: UInt64.self)
            c1 = raw.loadUnaligned(fromByteOffset: o.casualtyScope &+ 8, as: UInt64.self)
        }

        var hash: UInt64 {
            let h = AnalysisJSON.mix(AnalysisJSON.mix(q0, q1 ^ (v0 &<< 1)), v1 ^ (s0 &<< 2))
            return AnalysisJSON.mix(AnalysisJSON.mix(h, s1 ^ (c0 &<< 3)), c1)
        }
    }

    /// What a cached casualty middle keeps alive.
    struct CasualtyMiddleHeld {
        let qualifier: String
        let victims: String
        let side: String?
        let scope: String
    }
}
