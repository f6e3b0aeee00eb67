import Testing
@testable import SitrepIngest

@Suite struct FeedReaderTests {
    let rss = """
        <?xml version="1.0"?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
        <channel><title>Border Desk</title>
        <item><title>Clash at checkpoint</title><link>https://b.example/1</link><guid>b-1</guid>
        <pubDate>Mon, 01 Mar 2021 12:00:00 +0000</pubDate>
        <description>&lt;p&gt;Guards exchanged fire at a checkpoint, the border service said.&lt;/p&gt;</description></item>
        <item><title>Mine blast</title><link>https://b.example/2</link>
        <content:encoded><![CDATA[<p>A mine exploded under a tractor.</p><p>The driver was hurt.</p>]]></content:encoded></item>
        </channel></rss>
        """

    @Test func rssItemsBecomeArticles() {
        let result = FeedReader.articles(xml: rss, path: "f.rss")
        #expect(result.problems.isEmpty)
        #expect(result.articles.count == 2)
        #expect(result.articles[0].id == "b-1")
        #expect(result.articles[0].title == "Clash at checkpoint")
        #expect(result.articles[0].published == "2021-03-01T12:00:00Z")
        #expect(result.articles[0].source == "Border Desk")
        #expect(result.articles[0].text == "Guards exchanged fire at a checkpoint, the border service said.")
        #expect(result.articles[1].id == "https://b.example/2")
        #expect(result.articles[1].text == "A mine exploded under a tractor.\n\nThe driver was hurt.")
    }

    @Test func atomEntries() {
        let atom = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Watch</title>
            <entry><title type="html">Shelling &amp;amp; fires</title><id>tag:v,2021:1</id>
            <link rel="alternate" href="https://v.example/1"/><updated>2021-04-02T08:00:00Z</updated>
            <summary>Fires spread after shelling near the dam.</summary></entry>
            <entry><title>Second</title><id>tag:v,2021:2</id><published>2021-04-03</published>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>First paragraph.</p><p>Second paragraph.</p></div></content></entry>
            </feed>
            """
        let result = FeedReader.articles(xml: atom, path: "a.atom")
        #expect(result.problems.isEmpty)
        #expect(result.articles.map(\.id) == ["tag:v,2021:1", "tag:v,2021:2"])
        #expect(result.articles[0].url == "https://v.example/1")
        #expect(result.articles[0].published == "2021-04-02T08:00:00Z")
        #expect(result.articles[0].title == "Shelling & fires")
        #expect(result.articles[1].text.contains("First paragraph."))
        #expect(result.articles[1].text.contains("Second paragraph."))
    }

    @Test func truncatedFeedKeepsCompleteItemsAndSaysSo() {
        let cut = String(rss.prefix(rss.count - 120))
        let result = FeedReader.articles(xml: cut, path: "f.rss")
        #expect(result.articles.first?.id == "b-1")
        #expect(result.problems.count == 1)
        #expect(result.problems[0].hasPrefix("feed is truncated"))
    }

    @Test func notAFeed() {
        let result = FeedReader.articles(xml: "<html><body>hello</body></html>", path: "x.xml")
        #expect(result.articles.isEmpty)
        #expect(result.problems == ["not an RSS or Atom feed (no <rss>, <feed> or <item>)"])
    }
}
