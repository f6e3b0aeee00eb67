import SitrepAnnotate
import SitrepIngest
import SitrepLanguage
import SitrepText
import Testing

@testable import SitrepExtract

private let extractor: Extractor? = try? Extractor.english()

private struct C: Equatable, CustomStringConvertible {
    var who: String
    var as_: String
    var verb: String
    var stance: String
    var content: String
    var denies: Int?

    var description: String { "\(who) [\(as_)] \(verb) \(stance) «\(content)» denies=\(denies.map(String.init) ?? "-")" }
}

private func claims(_ text: String) throws -> [C] {
    let a = try #require(extractor).analyze(Article(id: "t", text: text))
    return a.claims.map {
        C(who: $0.claimant.id, as_: a.document.string($0.claimantSpan), verb: $0.verb, stance: $0.stance,
          content: a.document.string($0.content), denies: $0.denies)
    }
}

private func analysis(_ text: String) throws -> Analysis {
    try #require(extractor).analyze(Article(id: "t", text: text))
}

@Suite("Claims")
struct ClaimExtractorTests {
    /// A war report in the style of the acceptance articles (written for this test).
    static let frontline = """
        Rockets hit the centre of Stepanakert overnight, local officials said, adding that two civilians were wounded.

        Local officials said the town was hit by Azerbaijan's Smerch multiple rocket launchers.

        Officials in Azerbaijan claimed that Armenian rockets hit the town of Barda on Sunday. They also said a woman was killed.

        Azerbaijan's defence ministry denied the allegations. It said instead that Armenian units had fired on hamlets near Aghdam, a claim denied by ethnic Armenian forces.

        Russian president Vladimir Putin said on Thursday that according to Moscow's information, nearly 5,000 people had been killed.
        """

    @Test("who asserts what, who denies what, and which claim a denial answers")
    func frontlineArticle() throws {
        let c = try claims(Self.frontline)
        let expected: [C] = [
            C(who: "LOCAL.GOV", as_: "local officials", verb: "said", stance: "asserts",
              content: "Rockets hit the centre of Stepanakert overnight", denies: nil),
            C(who: "LOCAL.GOV", as_: "Local officials", verb: "said", stance: "asserts",
              content: "the town was hit by Azerbaijan's Smerch multiple rocket launchers", denies: nil),
            C(who: "AZE.GOV", as_: "Officials in Azerbaijan", verb: "claimed", stance: "asserts",
              content: "Armenian rockets hit the town of Barda on Sunday", denies: nil),
            C(who: "AZE.GOV", as_: "They", verb: "said", stance: "asserts", content: "a woman was killed", denies: nil),
            C(who: "AZE.GOV.MOD", as_: "Azerbaijan's defence ministry", verb: "denied", stance: "denies",
              content: "the allegations", denies: 1),
            C(who: "AZE.GOV.MOD", as_: "It", verb: "said", stance: "asserts",
              content: "Armenian units had fired on hamlets near Aghdam", denies: nil),
            C(who: "NKR.MIL", as_: "ethnic Armenian forces", verb: "denied", stance: "denies",
              content: "Armenian units had fired on hamlets near Aghdam", denies: 5),
            C(who: "RUS.GOV.PRES", as_: "Russian president Vladimir Putin", verb: "said", stance: "asserts",
              content: "according to Moscow's information, nearly 5,000 people had been killed", denies: nil),
            // "according to Moscow's information" inside Putin's statement is the same attribution,
            // not a second claim (regression: it was listed twice)
        ]
        #expect(c.count == expected.count, "\(c)")
        for (got, want) in zip(c, expected) { #expect(got == want) }
    }

    @Test("the weapon is a multiple rocket launcher of Azerbaijan's forces")
    func weaponAndUser() throws {
        let a = try analysis(Self.frontline)
        let smerch = a.annotations.weapons.first { $0.weapon?.name == "BM-30 Smerch" }
        #expect(smerch?.weapon?.class == "multiple rocket launcher")
        let user = a.annotations.actors.first { a.document.string($0.span) == "Azerbaijan" }
        #expect(user?.actor?.id == "AZE.MIL")
        #expect(user?.actor?.kind == .stateMilitary)
    }

    @Test("statements, appeals, quotations and unnamed sources")
    func constructions() throws {
        let text = """
            The interior ministry said in a statement that three police officers were wounded.

            Writing on Twitter, Amnesty International, a human rights group, called on both sides to stop using cluster munitions.

            "We will not give up a single village," Armenian Foreign Minister Ara Ayvazian said.

            "The shelling must stop," said the International Committee of the Red Cross.

            Armenian defence ministry spokeswoman Shushan Stepanyan wrote: "Heavy fighting continues. Our units hold all positions."

            It was reported that a convoy was hit near Lachin. Two soldiers were said to have been captured.

            Three sources working there said the hospital had been evacuated.

            Armenia accused Azerbaijan of targeting civilians.

            Azerbaijani presidential aide Hikmet Hajiyev told Reuters that the offensive would continue. He said the army would not stop.

            At least 40 people were killed, according to the health ministry.

            The OSCE says it is alarmed by the reports.
            """
        let c = try claims(text)
        let expected: [C] = [
            C(who: "GOV.MOI", as_: "interior ministry", verb: "said", stance: "asserts",
              content: "three police officers were wounded", denies: nil),
            C(who: "NGO.AI", as_: "Amnesty International", verb: "called on", stance: "asserts",
              content: "both sides to stop using cluster munitions", denies: nil),
            C(who: "ARM.GOV.FM", as_: "Armenian Foreign Minister Ara Ayvazian", verb: "said", stance: "asserts",
              content: "We will not give up a single village", denies: nil),
            C(who: "ICRC", as_: "International Committee of the Red Cross", verb: "said", stance: "asserts",
              content: "The shelling must stop", denies: nil),
            C(who: "ARM.GOV.MOD.SPOX", as_: "Armenian defence ministry spokeswoman Shushan Stepanyan", verb: "wrote",
              stance: "asserts", content: "Heavy fighting continues. Our units hold all positions", denies: nil),
            C(who: "UNID.SOURCES", as_: "It was reported", verb: "It was reported", stance: "asserts",
              content: "a convoy was hit near Lachin", denies: nil),
            C(who: "UNID.SOURCES", as_: "were said", verb: "were said", stance: "asserts",
              content: "Two soldiers were said to have been captured", denies: nil),
            C(who: "UNID.SOURCES", as_: "Three sources", verb: "said", stance: "asserts",
              content: "the hospital had been evacuated", denies: nil),
            C(who: "ARM", as_: "Armenia", verb: "accused", stance: "asserts",
              content: "Azerbaijan of targeting civilians", denies: nil),
            C(who: "AZE.GOV.PRES.AIDE", as_: "Azerbaijani presidential aide Hikmet Hajiyev", verb: "told",
              stance: "asserts", content: "the offensive would continue", denies: nil),
            C(who: "AZE.GOV.PRES.AIDE", as_: "He", verb: "said", stance: "asserts",
              content: "the army would not stop", denies: nil),
            C(who: "GOV.MOH", as_: "health ministry", verb: "according to", stance: "asserts",
              content: "At least 40 people were killed", denies: nil),
            C(who: "OSCE", as_: "OSCE", verb: "says", stance: "asserts",
              content: "it is alarmed by the reports", denies: nil),
        ]
        #expect(c.count == expected.count, "\(c)")
        for (got, want) in zip(c, expected) { #expect(got == want) }
    }

    @Test("a quotation attributed in the next sentence")
    func speakerInNextSentence() throws {
        let c = try claims("\"We have lost contact with the northern villages.\" Regional officials said on Monday.")
        #expect(c == [
            C(who: "LOCAL.GOV", as_: "Regional officials", verb: "said", stance: "asserts",
              content: "We have lost contact with the northern villages", denies: nil)
        ])
    }

    @Test("verbs that also take plain objects need a clause; recipients that are no actor")
    func objectsAndRecipients() throws {
        #expect(try claims("Russia maintained a moratorium on executions.").isEmpty)
        let c = try claims("Russia maintained that the test was legal. Minister Anna Berg told Radio Nord that the border was open.")
        #expect(c.map(\.content) == ["the test was legal", "the border was open"])
        #expect(c.map(\.who) == ["RUS", "PER.ANNA_BERG"])
    }

    @Test("participles and unpaired quotation marks")
    func participlesAndOldQuotes() throws {
        let c = try claims(
            "Armenia's defence ministry issued a statement, saying Azerbaijani forces shelled Berd. ``It was terrible,'' three witnesses said.")
        #expect(c.map(\.who) == ["ARM.GOV.MOD", "UNID.WITNESSES"])
        #expect(c.map(\.content) == ["Azerbaijani forces shelled Berd", "It was terrible"])
    }

    @Test("nested attribution: officials report a denial")
    func nested() throws {
        let c = try claims(
            "Armenia's interior ministry opened an inquiry. Officials said the ministry had denied any involvement.")
        #expect(c.count == 2)
        #expect(c.first?.who == "GOV" && c.first?.content == "the ministry had denied any involvement")
        #expect(c.last?.who == "ARM.GOV.MOI" && c.last?.stance == "denies" && c.last?.content == "any involvement")
        #expect(c.last?.denies == 0)
    }

    @Test("negation traps give no claim")
    func negationTraps() throws {
        let c = try claims("""
            The ministry did not deny the report. Officials declined to comment. No casualties were reported. \
            The army has not confirmed the figure. Nobody claimed responsibility. Azerbaijan has never disclosed its losses.
            """)
        #expect(c.isEmpty, "\(c)")
    }

    @Test("two parties give different figures; the second denies the first")
    func competingFigures() throws {
        let c = try claims("""
            Armenia's defence ministry said 12 of its soldiers had been killed in the fighting. \
            Azerbaijan's defence ministry said more than 100 Armenian soldiers were killed and denied that any Azerbaijani troops had died.
            """)
        #expect(c.count == 3, "\(c)")
        #expect(c.map(\.who) == ["ARM.GOV.MOD", "AZE.GOV.MOD", "AZE.GOV.MOD"])
        #expect(c[0].content == "12 of its soldiers had been killed in the fighting")
        #expect(c[1].content.hasPrefix("more than 100 Armenian soldiers were killed"))
        #expect(c[2].stance == "denies" && c[2].content == "any Azerbaijani troops had died" && c[2].denies == 0)
    }

    /// Regression: a sentence with two passive cues gave the same claim twice (the frontline
    /// article above covers a verb with an inner "according to").
    @Test("one attribution read by two constructions is one claim")
    func duplicateReadingsMerge() throws {
        let text = """
            Rocket fire was also said to have hit the town of Fuzuli, where two schools had reportedly \
            been damaged.

            Reporters Without Borders called for the release of aid workers who it says are held in the city.
            """
        let found = try claims(text)
        #expect(found.filter { $0.content.hasPrefix("Rocket fire") }.count == 1, "\(found)")
        // a speaker mention of its own inside another claim's content stays a claim
        #expect(found.contains { $0.as_ == "it" && $0.verb == "says" }, "\(found)")
        #expect(found.contains { $0.verb == "called for" }, "\(found)")
    }

    @Test("claims never crash and stay inside the text")
    func robustness() throws {
        for text in [
            "", "said", "\"", "according to", "according to X,", "It was reported", "denied by", "a claim denied by",
            "\"Unclosed quote said X", ", said", "They said: \"", "He told", "called on", String(repeating: "said ", count: 200),
        ] {
            let a = try analysis(text)
            for c in a.claims {
                #expect(c.content.start <= c.content.end && c.content.end <= a.document.bytes.count)
                #expect(c.claimantSpan.end <= a.document.bytes.count)
                if let d = c.denies { #expect(d >= 0 && d < a.claims.count) }
            }
        }
    }
}

@Suite("Claim lexicon examples")
struct ClaimExampleTests {
    @Test("every row of en/claims/examples.tsv")
    func examples() throws {
        let lexicon = try LanguageResources.lexicon(
            "en/claims/examples.tsv", required: ["text", "claimant", "verb", "stance", "content"])
        #expect(!lexicon.rows.isEmpty)
        for row in lexicon.rows {
            let c = try claims(row["text"]).first
            #expect(c?.who == row["claimant"], "\(row.provenance): \(String(describing: c))")
            #expect(c?.verb == row["verb"], "\(row.provenance)")
            #expect(c?.stance == row["stance"], "\(row.provenance)")
            #expect(c?.content == row["content"], "\(row.provenance): \(String(describing: c))")
        }
    }
}

@Suite("Claims: per-thread token tables")
struct ClaimTokenTableTests {
    /// The actor tables are reused from document to document: a long document full of actors,
    /// then a short one, must give the short one's claims exactly as when it comes first.
    @Test func tablesAreResetBetweenDocuments() throws {
        let x = try #require(extractor)
        let long = Article(id: "long", text: String(repeating: ClaimExtractorTests.frontline + "\n\n", count: 4))
        let short = Article(id: "short", text: "The ministry said that two soldiers were killed. Officials denied it.")
        let alone = x.analyze(short).claims
        _ = x.analyze(long)
        let after = x.analyze(short).claims
        #expect(alone.map(\.verb) == after.map(\.verb))
        #expect(alone.map(\.claimant.id) == after.map(\.claimant.id))
        #expect(alone.map(\.content) == after.map(\.content))
        #expect(alone.map(\.claimantSpan) == after.map(\.claimantSpan))
        // and a table larger than before: the tables grow and stay all -1
        let longer = Article(id: "longer", text: String(repeating: ClaimExtractorTests.frontline + "\n\n", count: 40))
        let once = x.analyze(longer).claims.count
        #expect(x.analyze(longer).claims.count == once)
        #expect(x.analyze(short).claims.map(\.content) == alone.map(\.content))
    }
}
