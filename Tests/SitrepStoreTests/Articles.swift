import SitrepAnnotate
import SitrepExtract
import SitrepMerge

/// News-style test articles (written for these tests) about two shellings of one city and the
/// running death toll of the war, from outlets that disagree.
enum Articles {
    typealias F = Fixture

    static let armMoD = ActorRef(id: "ARM.GOV.MOD", name: "Armenia's defence ministry", country: "AM", kind: .government)
    static let ombudsman = ActorRef(id: "NKR.OMB", name: "the region's human rights ombudsman", country: nil, kind: .deFactoAuthority)

    static let a1Text = """
        Rockets slammed into residential streets of Stepanakert on Saturday morning, killing two civilians \
        and setting several apartment blocks on fire, local officials said.

        Rescue workers searched the rubble until noon while families sheltered in basements across the city.

        Nagorno-Karabakh officials say 963 of their troops have been killed since the fighting began in late September.
        """

    /// Outlet A: 2 civilians killed in Stepanakert on 24 October, per NK officials; NK military toll 963.
    static var a1: Analysis {
        F.analysis(id: "a1", text: a1Text, published: "2020-10-24", source: "Caucasus Wire",
                   url: "https://caucasus-wire.example/stepanakert-rockets", title: "Rockets hit Stepanakert",
                   events: [F.EventSpec(date: F.day("2020-10-24"), place: F.stepanakert, claimant: F.nkOfficials,
                                        deaths: [F.Deaths(best: 2, claimant: F.nkOfficials, clause: "killing two civilians")],
                                        evidence: "Rockets slammed into residential streets of Stepanakert")],
                   tolls: [F.Deaths(best: 963, victims: "military", claimant: F.nkOfficials, scope: "cumulative",
                                    clause: "963 of their troops have been killed")])
    }

    /// A wire copy of A in another outlet: same text, near-duplicate, not an independent source.
    static var a1Copy: Analysis {
        var a = F.analysis(id: "a1-copy", text: a1Text, published: "2020-10-24", source: "Regional Herald",
                           url: "https://regional-herald.example/wire/stepanakert", title: "Rockets hit Stepanakert",
                           events: [F.EventSpec(date: F.day("2020-10-24"), place: F.stepanakert, claimant: F.nkOfficials,
                                                deaths: [F.Deaths(best: 2, claimant: F.nkOfficials, clause: "killing two civilians")],
                                                evidence: "Rockets slammed into residential streets of Stepanakert")],
                           tolls: [F.Deaths(best: 963, victims: "military", claimant: F.nkOfficials, scope: "cumulative",
                                            clause: "963 of their troops have been killed")])
        a.article.id = "a1-copy"
        return a
    }

    static let a2Text = """
        Three civilians died when a barrage of rockets struck the centre of Stepanakert on Saturday, \
        Armenia's defence ministry said on Sunday, blaming Azerbaijani forces for the attack.

        Russia's president said last week that the death toll of the war was nearing 5,000.
        """

    /// Outlet B: 3 civilians, per Armenia's MoD; Russia's president: toll nearing 5,000.
    static var a2: Analysis {
        F.analysis(id: "a2", text: a2Text, published: "2020-10-25", source: "Yerevan Daily",
                   events: [F.EventSpec(date: F.day("2020-10-24"), place: F.stepanakert, claimant: armMoD,
                                        deaths: [F.Deaths(best: 3, claimant: armMoD, clause: "Three civilians died")],
                                        evidence: "Three civilians died when a barrage of rockets struck the centre of Stepanakert")],
                   tolls: [F.Deaths(best: 5000, low: 4500, high: .some(5000), qualifier: "nearly", victims: "people",
                                    claimant: F.russiaPresident, scope: "cumulative",
                                    clause: "the death toll of the war was nearing 5,000")])
    }

    static let a3Text = """
        Azerbaijan's defence ministry denied that its forces had fired on Stepanakert on Saturday, \
        saying its artillery struck only military positions outside the city.
        """

    /// Outlet C: the attacker's side denies the shelling.
    static var a3: Analysis {
        F.analysis(id: "a3", text: a3Text, published: "2020-10-24", source: "Baku Times",
                   events: [F.EventSpec(date: F.day("2020-10-24"), place: F.stepanakert, claimant: F.azeMoD, stance: "denied",
                                        evidence: "Azerbaijan's defence ministry denied that its forces had fired on Stepanakert")],
                   denials: [F.DenialSpec(claimant: F.azeMoD, content: "its forces had fired on Stepanakert on Saturday", event: 0)])
    }

    static let a5Text = """
        The bombardment of Shusha, a hilltop town just south of Stepanakert, killed at least 40 people last week, \
        a volunteer group posted online, a figure no official has confirmed.
        """

    /// Outlet D: a week-precision account of a neighbouring town with an outlying figure.
    static var a5: Analysis {
        F.analysis(id: "a5", text: a5Text, published: "2020-10-27", source: "Mountain Post",
                   events: [F.EventSpec(date: F.day("2020-10-19", .week), place: F.shusha,
                                        deaths: [F.Deaths(best: 40, qualifier: "at-least", victims: "civilians",
                                                          clause: "killed at least 40 people")],
                                        evidence: "The bombardment of Shusha")])
    }

    static let a7Text = """
        The region's human rights ombudsman said three civilians were killed in Saturday's rocket attack on \
        Stepanakert and that dozens of homes were damaged.
        """

    /// Outlet E: independent support for 3.
    static var a7: Analysis {
        F.analysis(id: "a7", text: a7Text, published: "2020-10-25", source: "Highland News",
                   events: [F.EventSpec(date: F.day("2020-10-24"), place: F.stepanakert, claimant: ombudsman,
                                        deaths: [F.Deaths(best: 3, claimant: ombudsman, clause: "three civilians were killed")],
                                        evidence: "three civilians were killed in Saturday's rocket attack")])
    }

    static let a6Text = """
        Stepanakert came under heavy shelling again on Thursday and one civilian was killed, according to \
        emergency workers in the city.

        At least 1,000 people have been killed since the fighting broke out. Nagorno-Karabakh officials now say \
        1,166 of their soldiers have died.
        """

    /// 5 November: another shelling of the same city — a separate incident; later tolls.
    static var a6: Analysis {
        F.analysis(id: "a6", text: a6Text, published: "2020-11-05", source: "Caucasus Wire",
                   events: [F.EventSpec(date: F.day("2020-11-05"), place: F.stepanakert,
                                        deaths: [F.Deaths(best: 1, clause: "one civilian was killed")],
                                        evidence: "Stepanakert came under heavy shelling again on Thursday")],
                   tolls: [F.Deaths(best: 1000, qualifier: "at-least", victims: "people", scope: "cumulative",
                                    clause: "At least 1,000 people have been killed"),
                           F.Deaths(best: 1166, victims: "military", claimant: F.nkOfficials, scope: "cumulative",
                                    clause: "1,166 of their soldiers have died")])
    }

    static var all: [Analysis] { [a1, a1Copy, a2, a3, a5, a7, a6] }

    /// Outlet A's article updated at the same URL later that day: the toll rose to four.
    static var a1Updated: Analysis {
        let text = a1Text.replacingOccurrences(of: "killing two civilians", with: "killing four civilians")
        return F.analysis(
            id: "a1-v2", text: text, published: "2020-10-24T18:00:00Z", source: "Caucasus Wire",
            url: "https://caucasus-wire.example/stepanakert-rockets", title: "Rockets hit Stepanakert",
            events: [F.EventSpec(date: F.day("2020-10-24"), place: F.stepanakert, claimant: F.nkOfficials,
                                 deaths: [F.Deaths(best: 4, claimant: F.nkOfficials, clause: "killing four civilians")],
                                 evidence: "Rockets slammed into residential streets of Stepanakert")])
    }
}
