import Foundation
import SitrepAnnotate
import SitrepText
import Testing
@testable import SitrepExtract

/// The record writer's shortcuts write what the plain paths write: precomputed raw-value
/// fragments, objects copied from the per-thread cache (across lines and after the tables empty
/// themselves), and the published date read from bytes.
@Suite struct WriterCacheTests {
    func json(_ s: String) -> String {
        var w = JSONLine(capacity: 8)
        w.string(s)
        return String(decoding: w.finish().dropLast(), as: UTF8.self)
    }

    func fragment(_ s: StaticString) -> String {
        s.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
    }

    @Test func rawValueFragmentsAreTheQuotedRawValues() {
        for t in [TimexType.date, .time, .duration, .set] {
            #expect(fragment(AnalysisJSON.quoted(t)) == json(t.rawValue))
        }
        for p in [PlaceRef.Precision.settlement, .admin2, .admin1, .country, .region] {
            #expect(fragment(AnalysisJSON.quoted(p)) == json(p.rawValue))
        }
        let kinds: [ActorRef.Kind] = [.stateMilitary, .government, .deFactoAuthority, .armedGroup, .internationalOrg,
                                      .ngo, .media, .person, .civilians, .unidentifiedSources, .other]
        for k in kinds { #expect(fragment(AnalysisJSON.quoted(k)) == json(k.rawValue)) }
        let precisions: [DatePrecision] = [.day, .week, .month, .quarter, .season, .year, .decade, .century, .unknown]
        for d in precisions { #expect(fragment(AnalysisJSON.quoted(d)) == json(d.rawValue)) }
    }

    /// Lines written with a warm cache (the same articles again, in another order, and with
    /// the tables emptied in between) equal lines written by a fresh thread's cache.
    @Test func cachedObjectsWriteTheSameBytes() throws {
        let extractor = try TestSupport.extractor.get()
        let texts = [
            "On Sunday, Syrian troops shelled Idlib with mortars, killing 5 civilians, the ministry said.",
            "Azerbaijani forces fired Grad rockets at Stepanakert on October 4, 2020, officials said. "
                + "Armenian troops returned fire near Shusha.",
            "Russian and Turkish officials met in Moscow on Tuesday. Syrian troops entered Idlib.",
            "Houthi drones struck Aden and Marib last week, the Yemeni army said on Monday.",
        ]
        let analyses = texts.enumerated().map { k, text in
            extractor.analyze(.init(id: "c\(k)", text: text, published: "2020-10-05"))
        }
        func fresh(_ a: Analysis) -> [UInt8] {
            var cache = AnalysisJSON.ObjectCache()
            return JSONLine.build(capacity: 16) { w in AnalysisJSON.write(a, &w, &cache) }
        }
        let expected = analyses.map(fresh)
        var shared = AnalysisJSON.ObjectCache()
        for round in 0..<3 {
            for k in (round == 1 ? Array(analyses.indices.reversed()) : Array(analyses.indices)) {
                let line = JSONLine.build(capacity: 16) { w in AnalysisJSON.write(analyses[k], &w, &shared) }
                #expect(line == expected[k], "round \(round), article \(k)")
            }
        }
        // the thread's own cache (as `sitrep extract` uses it)
        for k in analyses.indices { #expect(AnalysisJSON.line(analyses[k]) == expected[k]) }
        #expect(expected.allSatisfy { !$0.isEmpty })
    }

    /// A table that fills up empties itself and keeps answering right.
    @Test func fullTablesStartOver() {
        var cache = AnalysisJSON.ObjectCache()
        let limit = AnalysisJSON.RenderedTable<AnalysisJSON.RecordKey, ActorRef>.limit
        for round in 0..<2 {
            for i in 0..<(limit + 50) {
                let a = ActorRef(id: "ACTOR.\(i % (limit + 7))", name: "Actor number \(i) \"quoted\"", country: i % 2 == 0 ? nil : "YE",
                                 kind: i % 3 == 0 ? .armedGroup : .government)
                var plain = JSONLine(capacity: 8)
                AnalysisJSON.actor(a, &plain)
                var cached = JSONLine(capacity: 8)
                AnalysisJSON.actor(a, &cached, &cache)
                AnalysisJSON.actor(a, &cached, &cache)
                let one = plain.finish().dropLast()
                #expect(Array(cached.finish().dropLast()) == Array(one + one), "round \(round), actor \(i)")
            }
        }
    }

    /// A mention whose tail (object and rule) is copied from the tail cache writes what the full
    /// path writes, the first time and every time after, for every kind.
    @Test func cachedMentionTailsWriteTheSameBytes() throws {
        let extractor = try TestSupport.extractor.get()
        let text = "On Sunday, Syrian troops shelled Idlib with Grad rockets. Syrian troops then shelled Idlib "
            + "again with Grad rockets on Monday, the ministry said. \"Syrian troops\" left Idlib."
        let a = extractor.analyze(.init(id: "t", text: text, published: "2020-10-05"))
        let all = a.annotations.all
        #expect(Set(all.map(\.kind)).count == 4)
        var warm = AnalysisJSON.ObjectCache()
        let layout = warm.tailLayout
        #expect(layout.isValid)
        var hits = 0
        a.document.bytes.withUnsafeBufferPointer { bytes in
            a.document.offsets.withView { offsets in
                let doc = AnalysisJSON.DocView(bytes: bytes, offsets: offsets)
                for round in 0..<3 {
                    for m in all {
                        withUnsafePointer(to: m) { p in
                            var fresh = AnalysisJSON.ObjectCache()
                            var plain = JSONLine(capacity: 8)
                            AnalysisJSON.mentionOnce(at: p, doc, &plain, &fresh)
                            if warm.tails.entry(AnalysisJSON.TailKey(p, layout)) > 0 { hits += 1 }
                            var cached = JSONLine(capacity: 8)
                            AnalysisJSON.mention(at: p, doc, &cached, &warm)
                            let got = cached.finish()
                            let want = plain.finish()
                            #expect(got == want, "round \(round), \(m.kind) \(m.span)")
                        }
                    }
                }
            }
        }
        #expect(hits >= all.filter { $0.kind != "time" }.count * 2)
    }

    /// The vocabulary strings of events, casualties and claims are keyed in place: the offsets
    /// are known, and the key read there is the key of the string itself.
    @Test func wordKeysReadInPlaceAreTheStringsKeys() throws {
        let o = AnalysisJSON.WordOffsets()
        let all = [o.eventType, o.eventSubtype, o.eventStance, o.casualtyOutcome, o.casualtyQualifier, o.casualtyScope,
                   o.claimVerb, o.claimStance, o.claimRule, o.element]
        #expect(all.allSatisfy { $0 >= 0 })
        let extractor = try TestSupport.extractor.get()
        let a = extractor.analyze(.init(id: "w", text: "Syrian troops shelled Idlib on Sunday, killing 5 civilians, "
            + "the ministry said.", published: "2020-10-05"))
        #expect(!a.claims.isEmpty)
        for c in a.claims {
            withUnsafePointer(to: c) { p in
                for (offset, s) in [(o.claimVerb, c.verb), (o.claimStance, c.stance), (o.claimRule, c.rule)] {
                    let raw = UnsafeRawPointer(p) + offset
                    let key = AnalysisJSON.StringKey(word0: raw.loadUnaligned(as: UInt64.self),
                                                     word1: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                    #expect(key == AnalysisJSON.StringKey(s))
                }
            }
        }
    }

    /// A claim whose head (claimant, verb, stance) is copied from the claim-head cache writes
    /// what a fresh cache writes field by field, the first time and every time after; the
    /// claimant's key read in place is its box's address.
    @Test func cachedClaimHeadsWriteTheSameBytes() throws {
        let extractor = try TestSupport.extractor.get()
        let text = "Syrian troops shelled Idlib on Sunday, killing 5 civilians, the ministry said. "
            + "The ministry said 3 more people were wounded on Monday. Rebels denied that the attack took place. "
            + "\"We hold our positions,\" a rebel commander said. The ministry said the fighting continued."
        let a = extractor.analyze(.init(id: "c", text: text, published: "2020-10-05"))
        #expect(a.claims.count >= 3)
        var warm = AnalysisJSON.ObjectCache()
        #expect(warm.words.claimClaimant >= 0)
        expectCachedWritesMatch(a, a.claims, "claim", &warm, write: AnalysisJSON.claim) { claim, k, warm in
            let key = AnalysisJSON.ClaimHeadKey(UnsafeRawPointer(claim), warm.words)
            let address = UInt64(UInt(bitPattern: ObjectIdentifier(claim.pointee.claimant.record)))
            #expect(key.claimant == address, "claim \(k)")
        }
        #expect(warm.claimHeads.keys.count >= 1)
        #expect(warm.claimHeads.keys.count <= a.claims.count)
    }

    /// A casualty whose middle (qualifier, victims, side, scope) is copied from the cache writes
    /// what a fresh cache writes field by field, the first time and every time after.
    @Test func cachedCasualtyMiddlesWriteTheSameBytes() throws {
        let extractor = try TestSupport.extractor.get()
        let text = "Shelling killed 5 civilians in Idlib on Sunday, the ministry said. About 12 people were "
            + "wounded. At least 3 soldiers were killed on Monday, and nearly 40 people have died since March. "
            + "Two children were among the dead, a doctor said."
        let a = extractor.analyze(.init(id: "k", text: text, published: "2020-10-05"))
        #expect(a.casualties.count >= 3)
        var warm = AnalysisJSON.ObjectCache()
        #expect(warm.words.casualtyVictims >= 0 && warm.words.casualtySide >= 0)
        expectCachedWritesMatch(a, a.casualties, "casualty", &warm, write: AnalysisJSON.casualty)
        #expect(warm.casualtyMiddles.keys.count >= 1)
        #expect(warm.casualtyMiddles.keys.count <= a.casualties.count)
    }

    /// Writes each record of `records` through the warm cache three rounds over, and each time
    /// through a fresh cache as well: the bytes must agree; `check` sees each record after its write.
    private func expectCachedWritesMatch<Record>(
        _ a: Analysis, _ records: [Record], _ label: String, _ warm: inout AnalysisJSON.ObjectCache,
        write: (UnsafePointer<Record>, AnalysisJSON.DocView, inout JSONLine, inout AnalysisJSON.ObjectCache) -> Void,
        check: (UnsafePointer<Record>, Int, AnalysisJSON.ObjectCache) -> Void = { _, _, _ in }
    ) {
        a.document.bytes.withUnsafeBufferPointer { bytes in
            a.document.offsets.withView { offsets in
                let doc = AnalysisJSON.DocView(bytes: bytes, offsets: offsets)
                records.withUnsafeBufferPointer { list in
                    guard let base = list.baseAddress else { return }
                    for round in 0..<3 {
                        for k in list.indices {
                            var fresh = AnalysisJSON.ObjectCache()
                            var plain = JSONLine(capacity: 8)
                            write(base + k, doc, &plain, &fresh)
                            var cached = JSONLine(capacity: 8)
                            write(base + k, doc, &cached, &warm)
                            let got = cached.finish()
                            let want = plain.finish()
                            #expect(got == want, "round \(round), \(label) \(k)")
                            check(base + k, k, warm)
                        }
                    }
                }
            }
        }
    }

    @Test func publishedDatesMatchCalendarDateISO() {
        let inputs = [
            "2020-10-05", "2020-10-05T12:00:00Z", "2020-13-05", "2020-00-10", "2020-10-32", "2020-10-00",
            "0000-01-01", "9999-12-31", "2020-1-05", "2020/10/05", "20201005", "2020-10-0", "2020-10-05\u{301}",
            "2020-10-05 ", "-2020-10-05", "+020-10-05", "2020--10-05", "", "2020-10-5x", "٢٠٢٠-10-05",
            "2020-10-05é", "2020-02-31", "1999-07-04\r\n",
        ]
        for s in inputs {
            #expect(Extractor.publishedDate(s) == CalendarDate(iso: s), "\(s.debugDescription)")
        }
        #expect(Extractor.publishedDate(nil) == nil)
    }
}
