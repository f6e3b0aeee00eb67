import Testing
import SitrepAnnotate
import SitrepIngest
@testable import SitrepExtract

/// Golden articles, one per ACLED event family, written for these tests (news-style, invented).
@Suite struct EventTests {
    func analyze(_ text: String, published: String? = "2021-03-14") throws -> Analysis {
        try TestSupport.extractor.get().analyze(Article(id: "t", text: text, published: published))
    }

    func subtypes(_ text: String) throws -> [String] {
        try analyze(text).events.map(\.subtype)
    }

    @Test func battles() throws {
        let a = try analyze(
            "Government troops and rebel fighters clashed for several hours outside the town of Varenka on Friday, "
                + "a military spokesman said. Two soldiers were killed in the fighting.")
        #expect(a.events.first?.type == "Battles")
        #expect(a.events.first?.subtype == "Armed clash")
        #expect(a.events.first?.fatalities?.best == 2)
        #expect(try subtypes("The army recaptured the border village of Lesno from insurgents after a two-day assault.")
            == ["Government regains territory"])
        #expect(try subtypes("Rebels seized control of the district headquarters of Orlan after heavy fighting.")
            == ["Non-state actor overtakes territory"])
    }

    /// Regression: in an undated article an event whose sentence names no date took the
    /// estimated publication day with day precision; it is as precise as the estimate.
    @Test func undatedArticleEventsAreAsPreciseAsTheEstimate() throws {
        let text = """
            Fighting that broke out on September 27, 2020 is now in its sixth week.

            Artillery shells struck residential blocks in Stepanakert on Thursday, two aid workers said.

            Separately, a drone strike destroyed a fuel depot near the town of Martuni, local officials said.
            """
        let a = try analyze(text, published: nil)
        #expect(a.annotations.publishedEstimate?.precision == .week)
        let strike = try #require(a.events.first { $0.subtype == "Air/drone strike" })
        #expect(strike.date?.precision == .week)
        #expect(strike.date.map { $0.start.year == 2020 } == true)
    }

    @Test func explosions() throws {
        #expect(try subtypes("Warplanes carried out airstrikes on the market town of Kerel, killing four people.")
            == ["Air/drone strike"])
        #expect(try subtypes("Artillery shells struck residential blocks in the northern suburbs overnight.")
            == ["Shelling/artillery/missile attack"])
        #expect(try subtypes("A roadside bomb exploded next to a police patrol on the highway, wounding three officers.")
            == ["Remote explosive/landmine/IED"])
        #expect(try subtypes("A suicide bomber blew himself up at a checkpoint, killing six guards.")
            == ["Suicide bomb"])
        #expect(try subtypes("An unknown attacker threw a hand grenade into a cafe late on Saturday.")
            == ["Grenade"])
        #expect(try subtypes("Residents said a helicopter dropped barrels of chlorine gas on the village.")
            == ["Chemical weapon"])
    }

    @Test func violenceAgainstCivilians() throws {
        #expect(try subtypes("Unidentified gunmen shot dead two farmers in their fields near the village.")
            == ["Attack"])
        #expect(try subtypes("Armed men kidnapped a local aid worker from her home on Tuesday night.")
            == ["Abduction/forced disappearance"])
        #expect(try subtypes("A rights group said soldiers raped several women during the raid.")
            == ["Sexual violence"])
    }

    @Test func protestsAndRiots() throws {
        #expect(try subtypes("Thousands of teachers rallied in the capital to demand higher wages.")
            == ["Peaceful protest"])
        #expect(try subtypes("Police fired tear gas to disperse protesters gathered outside the ministry.")
            == ["Protest with intervention"])
        #expect(try subtypes("Security forces opened fire on protesters in the port city, killing three demonstrators.")
            == ["Excessive force against protesters"])
        #expect(try subtypes("Protesters threw stones at police and set cars on fire during the demonstration.")
            == ["Violent demonstration"])
        #expect(try subtypes("An angry mob lynched a man accused of theft in the market.")
            == ["Mob violence"])
    }

    @Test func strategicDevelopments() throws {
        #expect(try subtypes("The two sides signed a ceasefire agreement in the capital on Monday.") == ["Agreement"])
        #expect(try subtypes("Police arrested twelve opposition activists in a dawn raid.").first == "Arrests")
        #expect(try subtypes("Air defence units intercepted two drones over the airport.") == ["Disrupted weapons use"])
        #expect(try subtypes("Troops established a new observation post on the hill overlooking the road.")
            == ["Headquarters or base established"])
        #expect(try subtypes("Looters ransacked shops in the city centre overnight.") == ["Looting/property destruction"])
        #expect(try subtypes("The militia withdrew from the town and handed over its positions to the police.")
            == ["Non-violent transfer of territory"])
        #expect(try subtypes("The ministry deployed reinforcements to the border region.") == ["Change to group/activity"])
    }

    @Test func nonEventsProduceNothing() throws {
        // statements, calls, talks, threats, predictions, hypotheticals, negations, disasters, crime
        #expect(try subtypes("The foreign ministers met for talks in Geneva on Thursday.").isEmpty)
        #expect(try subtypes("The group threatened to shell the city if its demands were not met.").isEmpty)
        #expect(try subtypes("Aid agencies called for a ceasefire to allow the evacuation of civilians.").isEmpty)
        #expect(try subtypes("Officials said no clashes took place along the border overnight.").isEmpty)
        #expect(try subtypes("Heavy floods hit the southern province, and an earthquake shook the coast.").isEmpty)
        #expect(try subtypes("Police said the robbery ring smuggled drugs through the port.").isEmpty)
        #expect(try subtypes("Experts warned that fighting could resume within weeks.").isEmpty)
    }

    @Test func agreementToAvoidTargetingIsAnAgreement() throws {
        let a = try analyze(
            "Attacks resumed within hours of an agreement on Sunday to avoid deliberately targeting civilians.")
        #expect(a.events.map(\.subtype) == ["Agreement"])
    }

    @Test func headlineLeadAndBodyMergeIntoOneIncident() throws {
        let text = """
            Rocket fire hits Varenka

            Rockets struck the centre of Varenka early on Sunday, local officials said.

            The rocket attack damaged a school and two houses, and one man was killed.
            """
        let a = try analyze(text)
        #expect(a.events.count == 1)
        #expect(a.events.first?.subtype == "Shelling/artillery/missile attack")
        #expect(a.events.first?.evidence.count == 3)
        #expect(a.events.first?.fatalities?.best == 1)
    }

    @Test func cumulativeTollIsNoEventAndNoFatalities() throws {
        let a = try analyze(
            "The fighting that started on 27 September has killed more than 2,000 people, according to officials.")
        #expect(a.events.isEmpty)
        #expect(a.casualties.first?.scope == "cumulative")
    }

    @Test func zeroFatalitiesAreZeroNotUnknown() throws {
        let a = try analyze("Rebels fired mortars at an army base on the hill. No fatalities were reported.")
        #expect(a.events.first?.fatalities == Figure(low: 0, best: 0, high: 0))
        let b = try analyze("Rebels fired mortars at an army base on the hill.")
        #expect(b.events.first?.fatalities == nil)
    }

    @Test func codersConventionGivesTheFigure() throws {
        let a = try analyze("Jets bombed a village west of the city. Unknown fatalities coded as 10.")
        #expect(a.events.first?.fatalities?.best == 10)
    }

    @Test func denialMarksTheEventDenied() throws {
        let a = try analyze("Separatists said the army shelled the village of Orlan, a claim denied by the defence ministry.")
        #expect(a.events.first?.stance == "denied")
    }

    @Test func everyEventHasEvidenceAndProvenance() throws {
        let a = try analyze("Warplanes bombed the village. Clashes broke out in the hills. Police arrested two men.")
        for e in a.events {
            #expect(!e.evidence.isEmpty)
            #expect(!e.rules.isEmpty)
        }
    }
}

/// Regression tests for rules found in aggregate error analysis (one per bug family).
@Suite struct EventRegressionTests {
    func analyze(_ text: String, published: String? = "2021-03-14") throws -> Analysis {
        try TestSupport.extractor.get().analyze(Article(id: "t", text: text, published: published))
    }

    @Test func whatADenialDeniesIsNotANewEvent() throws {
        let a = try analyze(
            "A missile struck a housing block in the city overnight, killing five people. "
                + "The defence ministry denied firing at civilian areas.")
        #expect(a.events.count == 1)
        #expect(a.events.first?.stance == "denied")
        #expect(a.events.first?.fatalities?.best == 5)
    }

    @Test func weakFollowUpJoinsTheReportedIncident() throws {
        let a = try analyze(
            "Artillery shells hit the town of Varenka on Friday.\n\n"
                + "Officials said three civilians were killed and blamed rebel forces for the attack.")
        #expect(a.events.count == 1)
        #expect(a.events.first?.subtype == "Shelling/artillery/missile attack")
        #expect(a.events.first?.fatalities?.best == 3)
    }

    @Test func chemicalShellsAreChemicalWeapons() throws {
        let a = try analyze("Militants fired mortar rounds filled with chlorine gas at army positions.")
        #expect(a.events.first?.subtype == "Chemical weapon")
    }

    @Test func interceptedSuspectsAreArrests() throws {
        let a = try analyze("Security services intercepted six suspects planning attacks on the embassy.")
        #expect(a.events.first?.subtype == "Arrests")
    }

    @Test func seizedWeaponsAreNotTerritory() throws {
        let a = try analyze("Police seized 40 rifles and ammunition during a raid on the warehouse.")
        #expect(a.events.first?.subtype == "Disrupted weapons use")
    }

    @Test func groundBattleAccompaniedByAirStrikesIsABattle() throws {
        let a = try analyze("Government troops clashed with rebels east of the town amid heavy airstrikes.")
        #expect(a.events.first?.type == "Battles")
    }

    @Test func shootingSoldiersIsABattleNotViolenceAgainstCivilians() throws {
        let a = try analyze("Gunmen shot dead two soldiers at a checkpoint on the highway.")
        #expect(a.events.first?.subtype == "Armed clash")
    }

    @Test func demonymIsNotTheEventLocation() throws {
        let a = try analyze("Russian warplanes carried out airstrikes on Aleppo on Monday.")
        #expect(a.events.first?.location?.name != "Russia")
        #expect(a.events.first?.location?.country == "SY")
    }

    @Test func sirensAreNotStrikes() throws {
        let a = try analyze("Residents of the capital spent the night in shelters as air-raid sirens sounded.")
        #expect(a.events.isEmpty)
    }
}

/// Deaths without a trigger word still make an incident, unless the text is about a disaster.
@Suite struct EventFallbackTests {
    func analyze(_ text: String) throws -> Analysis {
        try TestSupport.extractor.get().analyze(Article(id: "t", text: text, published: "2021-03-14"))
    }

    @Test func deathsWithoutTriggerAreTypedByVictims() throws {
        let soldiers = try analyze("Two soldiers were killed near the border post on Sunday.")
        #expect(soldiers.events.map(\.subtype) == ["Armed clash"])
        #expect(soldiers.events.first?.fatalities?.best == 2)
        let villagers = try analyze("The bodies of three villagers were found near the road.")
        #expect(villagers.events.map(\.subtype) == ["Attack"])
    }

    @Test func disasterDeathsAreNoEvent() throws {
        let a = try analyze("Twelve people died after torrential rains flooded the valley.")
        #expect(a.events.isEmpty)
        #expect(a.casualties.count == 1)
    }
}

/// Territory: who took it, with passives and objects named after the subject.
@Suite struct TerritoryTests {
    func subtype(_ text: String) throws -> String? {
        try TestSupport.extractor.get().analyze(Article(id: "t", text: text, published: "2021-03-14")).events.first?.subtype
    }

    @Test func subjectTakesTheTerritory() throws {
        #expect(try subtype("Army troops pushed into the rebel-held valley and captured the village of Orlan.")
            == "Government regains territory")
    }

    @Test func passiveAgentTakesTheTerritory() throws {
        #expect(try subtype("The village of Orlan was captured by rebels on Sunday.") == "Non-state actor overtakes territory")
    }

    @Test func passiveLoserLosesTheTerritory() throws {
        #expect(try subtype("The militants were pushed back from the hills above Orlan.") == "Government regains territory")
    }

    @Test func longerPhraseGivesWayWhenItsContextIsMissing() throws {
        // "were detained" is an intervention only at a protest; elsewhere it is an arrest
        #expect(try subtype("Three militants were detained in a raid on their hideout.") == "Arrests")
    }
}

/// A coder's category label opening a note names the sub-event type.
@Suite struct NoteLabelTests {
    @Test func labelOutweighsTriggers() throws {
        let a = try TestSupport.extractor.get().analyze(Article(
            id: "t", text: "Defusal: Engineers found and safely detonated a roadside bomb near the bridge.", published: "2021-03-14"))
        #expect(a.events.first?.subtype == "Disrupted weapons use")
        let b = try TestSupport.extractor.get().analyze(Article(
            id: "t", text: "Movement of forces: Two army battalions moved to the northern front.", published: "2021-03-14"))
        #expect(b.events.first?.subtype == "Change to group/activity")
    }
}

/// Clashes between crowds and security forces are riots, not battles.
@Suite struct CrowdClashTests {
    @Test func youthsClashingWithTroopsIsARiot() throws {
        let a = try TestSupport.extractor.get().analyze(Article(
            id: "t", text: "Several youths were wounded by rubber bullets during clashes with soldiers at the village entrance.",
            published: "2021-03-14"))
        #expect(a.events.first?.type == "Riots")
    }
}

/// The scene of an event in Middle East reports (sentences written for these tests).
@Suite struct EventSceneTests {
    func location(_ text: String) throws -> PlaceRef? {
        try TestSupport.extractor.get().analyze(Article(id: "t", text: text, published: "2018-02-20")).events.first?.location
    }

    @Test func theTownBeforeItsCountryside() throws {
        let p = try location("Regime forces shelled Murak town in Hama countryside, damaging houses.")
        #expect(p?.name == "Mūrak")
    }

    @Test func anUnknownVillageFallsToTheCompassPartOfItsDivision() throws {
        let p = try location("Helicopters dropped barrel bombs on Hbit town in southern Idleb.")
        #expect(p?.name == "southern Idlib")
        #expect(p?.precision == .admin1)
        #expect((p?.lat ?? 99) < 35.93)  // south of Idlib city
    }

    @Test func aNeighbourhoodNamesakeFarAwayIsNotTheScene() throws {
        let p = try location("Two mortar rounds hit Qanawat neighborhood in Damascus on Monday, injuring a woman.")
        #expect(p?.name == "Damascus")
    }

    @Test func aNamesakeAbroadIsNotTheScene() throws {
        let p = try location("The army shelled the village of Sayad in the countryside of Hama.")
        #expect(p?.country == "SY")
    }

    @Test func aStreetIsNotItsNamesake() throws {
        let p = try location("Shells fell on Baghdad Street in the Sarouja area of Damascus, wounding civilians.")
        #expect(p?.name == "Damascus")
    }

    @Test func aTownNamedLikeItsDivisionAfterACommaIsTheContainer() throws {
        // "northwest Afrin, Aleppo": Aleppo is the governorate, the scene is in Afrin
        // (and "northwest Afrin" is the town's surroundings on that side)
        let p = try location("Rebel factions seized Tell Kurdi hill in northwest Afrin, Aleppo, after heavy fighting.")
        #expect(p?.name == "northwestern ‘Afrīn")
        #expect(p.map { $0.lat > 36.51 && $0.lon < 36.87 } == true)
    }

    @Test func aDistrictHoldsOnlyWhatLiesNearIt() throws {
        // the gazetteer's "Kabbasin" is 60 km from Afrin: a spelling namesake, not this village
        let p = try location("Jets struck Kabashin village in the Afrin district, burning two cars.")
        #expect(p?.name == "‘Afrīn")
    }

    @Test func aCityHoldsItsQuarters() throws {
        let p = try location("A rocket hit the Dummar area of Damascus city overnight, damaging a school.")
        #expect(p?.name == "Damascus")
    }

    @Test func aTownTypedAsACityIsNoCompassPart() throws {
        let p = try location("Gunmen shot a police officer in central Kirkuk city on Monday.")
        #expect(p?.precision == .settlement)
        #expect(p?.name == "Kirkuk")
    }

    @Test func aDivisionAloneIsPlacedAtItsSeat() throws {
        let p = try location("Gunmen killed a shopkeeper in Taizz on Monday.")
        #expect(p?.precision == .settlement)
        #expect(p?.country == "YE")
    }

    @Test func aFarNamesakeGivesWayToTheOneNearTheReport() throws {
        // a Saudi-led air strike: the Yemeni district, not the town in Kansas
        let p = try location("A Saudi-led coalition air strike was reported in Hays district on Tuesday.")
        #expect(p?.country == "YE")
    }

    @Test func withNothingElseADistrictSeatBeatsAnUnrankedVillage() throws {
        let p = try location("Coalition air strikes hit a farm in Harad.")
        #expect(p?.country == "YE")
    }

    @Test func aReferenceTownBeforeItsDivision() throws {
        // "north east of Hays in Al Hudaydah": Al Hudaydah is the governorate holding Hays
        // (and "north east of Hays" is the town's surroundings on that side)
        let p = try location("Government artillery pounded a Houthi camp north east of Hays in Al Hudaydah overnight.")
        #expect(p?.name == "northeastern Ḩays")
        #expect(p?.country == "YE")
    }

    @Test func anActorsNameIsNoScene() throws {
        let p = try location("A Hamas official was hurt by a car bomb in the southern port city of Sidon.")
        #expect(p?.name == "Sidon")
    }

    @Test func aNameBeforeDistrictIsTheDistrict() throws {
        let p = try location("Four air strikes were launched on Nihm district, damaging a mosque.")
        #expect(p?.precision == .admin2)
        #expect(p?.country == "YE")
    }

    @Test func aNameWithAnApostropheTheGazetteerWritesWithout() throws {
        // "Da'el" / "Sa'ada": the gazetteer has "Dael", "Saada"; the tagger leaves them out
        let p = try location("Regime forces shelled the town of Da'el, damaging homes.")
        #expect(p?.country == "SY")
        let q = try location("Coalition air strikes hit a farm in Sa'ada on Sunday.")
        #expect(q?.country == "YE")
    }

    @Test func twoCompassWordsMakeOnePart() throws {
        // "south eastern" after the division, "north-eastern" before "countryside of"
        let p = try location("Helicopters dropped barrel bombs on Rasm village in Idleb south eastern countryside.")
        #expect(p?.name == "southeastern Idlib")
        let q = try location("Government troops entered Tall Hamra in the north-eastern countryside of Hama at dawn.")
        #expect(q?.name == "northeastern Hama")
    }
}
