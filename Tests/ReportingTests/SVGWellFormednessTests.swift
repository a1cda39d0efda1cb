import Foundation
import Reporting
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct SVGWellFormednessTests {
    /// Every `<svg>…</svg>` element of a document.
    static func svgElements(in html: String) -> [String] {
        var out: [String] = []
        var rest = html[...]
        while let start = rest.range(of: "<svg"),
            let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex)
        {
            out.append(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
        }
        return out
    }

    @Test func everyInlineSVGIsWellFormedXMLDespiteHostileText() {
        // Task names and outputs carry <script>, quotes, & and control characters: if any were
        // left unescaped the XML parser would reject the chart.
        let html = HTMLReport(input: SampleReport.input()).render()
        let svgs = Self.svgElements(in: html)
        #expect(svgs.count == 9)
        for svg in svgs {
            let parser = XMLParser(data: Data(svg.utf8))
            #expect(
                parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "") in \(svg.prefix(120))")
        }
    }
}
