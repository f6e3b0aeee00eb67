import Testing
@testable import SitrepIngest

@Suite struct PlainTextTests {
    @Test func datePrefixSharingTheFirstLine() {
        let a = PlainTextReader.article(id: "x", text: " date 2021-03-04 Shells hit the port at dawn.\n\nNobody was hurt.\n")
        #expect(a.published == "2021-03-04")
        #expect(a.text == "Shells hit the port at dawn.\n\nNobody was hurt.")
        #expect(a.title == nil)
    }

    @Test func headlineAndOutletLines() {
        let a = PlainTextReader.article(id: "x", text: "Rockets strike river port overnight: officials\nHarbor Times\nThe port was hit twice.\n\nCranes burned.")
        #expect(a.title == "Rockets strike river port overnight: officials")
        #expect(a.source == "Harbor Times")
        #expect(a.text == "The port was hit twice.\n\nCranes burned.")
    }

    @Test func keyValueHeader() {
        let a = PlainTextReader.article(id: "x", text: "Title: Convoy ambushed\nDate: March 5, 2021\nSource: Desk Wire\nURL: https://w.example/1\n\nA convoy was ambushed.")
        #expect(a.title == "Convoy ambushed")
        #expect(a.published == "2021-03-05")
        #expect(a.source == "Desk Wire")
        #expect(a.url == "https://w.example/1")
        #expect(a.text == "A convoy was ambushed.")
    }

    @Test func bodyOnlyIsLeftAlone() {
        let body = "The shelling resumed on Monday. Two houses burned.\n\nOfficials said the army fired first."
        let a = PlainTextReader.article(id: "x", text: body)
        #expect(a.text == body)
        #expect(a.title == nil && a.published == nil && a.source == nil)
    }

    @Test func publishedDateFormats() {
        #expect(PublishedDate.normalize("2020-10-24") == "2020-10-24")
        #expect(PublishedDate.normalize("2020-10-24T08:40:00+04:00") == "2020-10-24T08:40:00+04:00")
        #expect(PublishedDate.normalize("2020-10-24 08:40") == "2020-10-24T08:40")
        #expect(PublishedDate.normalize("Sat, 24 Oct 2020 10:05:00 +0000") == "2020-10-24T10:05:00Z")
        #expect(PublishedDate.normalize("Sat, 24 Oct 2020 10:05:00 GMT") == "2020-10-24T10:05:00Z")
        #expect(PublishedDate.normalize("October 24, 2020") == "2020-10-24")
        #expect(PublishedDate.normalize("24th October 2020") == "2020-10-24")
        #expect(PublishedDate.normalize("yesterday") == nil)
        #expect(PublishedDate.normalize("2020-13-45") == nil)
        #expect(PublishedDate.normalize("") == nil)
    }
}
