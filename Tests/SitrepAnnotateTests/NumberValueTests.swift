import Testing
import SitrepText
@testable import SitrepAnnotate

/// The number reader parses number tokens from bytes; it must give the Double that
/// `Document.numberValue` (the String parser) gives, for every number token.
@Suite struct NumberValueTests {
    static let text: Result<TextProcessor, any Error> = Result { try TextProcessor.english() }

    @Test func bytesParseLikeTheStringParser() throws {
        let doc = try Self.text.get().document(
            "Counts: 963, 1,000 and 12,345,678 people; 3.5 and 0.1 and 2.675 and 007 and 1.000001 km; "
                + "999999999999999 and 1234567890123456789 units; 4.20 and 10.5 percent; 1,000.25 tonnes; 3rd day.")
        var numbers = 0
        for i in doc.tokens.indices where doc.tokens[i].kind == .number {
            numbers += 1
            #expect(NumberReader.numberValue(doc, ofToken: i) == doc.numberValue(ofToken: i), "\(doc.text(of: i))")
        }
        #expect(numbers >= 12)
    }
}
