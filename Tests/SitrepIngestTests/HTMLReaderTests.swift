import Testing
@testable import SitrepIngest

@Suite struct HTMLReaderTests {
    let page = """
        <html><head>
        <title>Bridge destroyed | River Post</title>
        <meta property="og:site_name" content="River Post">
        <link rel="canonical" href="https://river.example/bridge">
        <script type="application/ld+json">{"datePublished":"2021-06-02T10:00:00Z"}</script>
        <script>var x = "<p>not text</p>";</script>
        </head><body>
        <nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
        <div id="cookie-consent">This site uses cookies.</div>
        <article>
          <h1>Bridge destroyed in overnight strike</h1>
          <div class="social-share"><a href="#">Share</a></div>
          <p>An airstrike destroyed the only road bridge across the river on Tuesday night, the regional governor said.</p>
          <p>Engineers said repairs would take months &amp; cost millions.<br>Traffic was diverted north.</p>
          <div class="newsletter-signup"><p>Sign up for our newsletter.</p></div>
          <ul class="related"><li><a href="/1">Older story one</a></li><li><a href="/2">Older story two</a></li></ul>
        </article>
        <footer><p>Contact us</p></footer>
        </body></html>
        """

    @Test func extractsMainTextAndMetadata() throws {
        let article = try HTMLReader.article(html: page, id: "page.html").get()
        #expect(article.title == "Bridge destroyed in overnight strike")
        #expect(article.source == "River Post")
        #expect(article.url == "https://river.example/bridge")
        #expect(article.published == "2021-06-02T10:00:00Z")
        #expect(article.text == """
            An airstrike destroyed the only road bridge across the river on Tuesday night, the regional governor said.

            Engineers said repairs would take months & cost millions.

            Traffic was diverted north.
            """)
        #expect(article.id == "page.html")
    }

    @Test func metaTagsWinOverFallbacks() throws {
        let html = """
            <html><head><title>Site title</title><meta property="og:title" content="OG title">
            <meta property="article:published_time" content="2021-01-05T09:00:00+03:00"></head>
            <body><p>Something happened in the valley, witnesses said on Monday.</p>
            <time datetime="2020-01-01">old</time></body></html>
            """
        let article = try HTMLReader.article(html: html, id: "x").get()
        #expect(article.title == "OG title")
        #expect(article.published == "2021-01-05T09:00:00+03:00")
    }

    @Test func pageWithoutTextFails() {
        let result = HTMLReader.article(html: "<html><body><nav><a href='/'>Home</a></nav></body></html>", id: "x")
        #expect(throws: HTMLReader.Failure.self) { try result.get() }
    }

    @Test func malformedMarkupNeverTraps() {
        let inputs = ["<", "<p", "<p class=\"x", "<!--", "<![CDATA[", "</", "<a href=>x</b></a></p>", "&#xFFFFFFF; &bogus; &amp",
                      "<p>unclosed <b>bold <i>text", String(repeating: "<div>", count: 5000) + "deep text."]
        for input in inputs {
            _ = HTMLReader.article(html: input, id: "x")
            _ = HTMLReader.fragmentText(input)
        }
    }

    @Test func entities() {
        #expect(Entities.decode("a &amp; b &lt;c&gt; &#8212; &#x2019; &rsquo; &unknown; & x") == "a & b <c> — ’ ’ &unknown; & x")
    }
}
