import Testing
import SitrepText
@testable import SitrepAnnotate

/// The second-token pre-check (`TimeAutomaton.Follow`) skips the automaton at most tokens; it
/// must never skip one where a walk finds a match.
@Suite struct TimeFollowTests {
    static let texts = [
        "On March 3, 2021, the army said it had withdrawn two days earlier.",
        "The ceasefire, agreed last Tuesday, held for the next three weeks until mid-April.",
        "By the end of 1994 some 30,000 people had fled; in the 1990s the region was quiet.",
        "Talks resumed at 10:35 a.m. on Friday and will continue next week, officials said.",
        "Each year, about twenty-five convoys cross the border; in the third quarter of 2019 only a few did.",
        "The village was shelled for a couple of hours on the night of 12 June.",
        "Fighting in the spring of 1942 lasted several months, and the war ended in 1945.",
        "He was 52 years old. The report covers the past decade and the coming years.",
        "Now, the mission enters its sixth week, a year after the first strike on 4 May.",
        "In the early hours of Sunday, three rockets hit the city; two more followed at noon.",
        "Yesterday's attack came a day after the 2020 accord; the fiscal year 2021 budget was cut.",
        "The 20th century ended; in 480 BC the fleet sailed, and on Christmas Day 1914 the guns fell silent.",
        "Prices rose 3.5 percent a year, and $2 million a month went to the militia every week since 2015.",
    ]

    @Test func preCheckPassesWhereverAWalkMatches() throws {
        let tagger = try TimeTagger.english()
        let processor = try TextProcessor.english()
        let automaton = tagger.automaton
        var matches = 0
        for text in Self.texts {
            let doc = processor.document(text)
            let matcher = TimeMatcher(tagger: tagger)
            var caps: [Capture] = []
            var best: [Capture] = []
            automaton.follows.withUnsafeBufferPointer { follows in
                tagger.infos.withUnsafeBufferPointer { infos in
                    matcher.withHot(doc, infos: infos) { hot in
                        var h = hot
                        for sentence in doc.sentences {
                            h.limit = sentence.tokens.upperBound
                            for i in sentence.tokens {
                                guard matcher.match(h, at: i, caps: &caps, bestCaps: &best) != nil else { continue }
                                matches += 1
                                var start = false
                                if let f = automaton.firstFollow[doc.tokens[i].key] {
                                    start = TimeMatcher.mayContinue(follows[Int(f)], h, at: i)
                                }
                                if !start && doc.tokens[i].has(.hasDigit) {
                                    start = TimeMatcher.mayContinue(automaton.digitFollow, h, at: i)
                                        || automaton.digitAcceptKinds.contains { matcher.number($0, h, at: i) != nil }
                                }
                                #expect(start, "pre-check skips a match at '\(doc.text(of: i))' in: \(text)")
                            }
                        }
                    }
                }
            }
        }
        #expect(matches >= 30)
    }
}
