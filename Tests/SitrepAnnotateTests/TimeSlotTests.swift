import Testing
import SitrepText
@testable import SitrepAnnotate

/// What the resolver reads from slots and masks resolved at load must agree with the rule file.
@Suite struct TimeSlotTests {
    @Test func paramSlotsMirrorTheRuleParams() throws {
        let tagger = try TimeTagger.english()
        #expect(TimeTagger.paramStride == TimeParam.allCases.count)
        #expect(tagger.paramSlots.count == tagger.rules.count * TimeTagger.paramStride)
        #expect(TimeParam.yearOffset.key == "year-offset")
        #expect(TimeParam.offset.key == "offset")
        var set = 0
        for (i, rule) in tagger.rules.enumerated() {
            for p in TimeParam.allCases {
                let slot = tagger.paramSlots[i * TimeTagger.paramStride + p.rawValue]
                #expect(slot == rule.params[p.key], "rule '\(rule.id)' param '\(p.key)'")
                if slot != nil { set += 1 }
            }
        }
        #expect(set >= 40)  // the rule file sets dozens of them: the slots are not all empty
    }

    @Test func entryFlagsMirrorTheTableValues() throws {
        let tagger = try TimeTagger.english()
        #expect(tagger.entryIsQuarter == tagger.tables.entries.map { $0.value == "Q" })
        #expect(tagger.entryIsFall == tagger.tables.entries.map { $0.value == "FA" })
        #expect(tagger.entryIsQuarter.contains(true) && tagger.entryIsFall.contains(true))
    }

    /// Every capture a match makes is of a group its rule's mask names (`TimeResolver.cap` skips
    /// the captures of a rule without the bit).
    @Test func ruleGroupMasksCoverEveryCapture() throws {
        let tagger = try TimeTagger.english()
        let processor = try TextProcessor.english()
        var captures = 0
        for text in TimeFollowTests.texts {
            let doc = processor.document(text)
            var all: [Capture] = []
            var cands: [TimeTagger.Candidate] = []
            tagger.candidates(doc, captures: &all, marks: tagger.startMarks.marks(doc.tokens), into: &cands)
            for c in cands {
                for k in c.capLo..<c.capHi {
                    let bit = UInt64(1) << UInt64(min(all[k].group, 63))
                    #expect(tagger.ruleGroups[c.rule] & bit != 0, "rule '\(tagger.rules[c.rule].id)' in: \(text)")
                    captures += 1
                }
            }
        }
        #expect(captures >= 20)
    }

    /// The small-string path of `TimeCalendar.string` makes what `String(decoding:)` makes.
    @Test func formattedStringsEqualDecodedOnes() {
        let ascii = Array("2024-03-05T12:30BC0480-W53-WE".utf8)
        let mixed = Array("é2024-ü03\u{FF}\u{80}x".utf8) + [0xC3]
        for bytes in [ascii, mixed] {
            for n in 0...bytes.count {
                bytes.withUnsafeBufferPointer { b in
                    guard let p = b.baseAddress else { return }
                    let made = TimeCalendar.string(p, count: n)
                    #expect(made == String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self))
                    #expect(Array(made.utf8) == Array(String(decoding: b[0..<n], as: UTF8.self).utf8))
                }
            }
        }
    }
}
