import Testing

@testable import Reporting

@Suite struct NumberFormattingTests {
    @Test func decimalsFollowTheScale() {
        #expect(NumberFormatting.score(0.8125) == "0.812")  // %.3f rounds half to even in binary
        #expect(NumberFormatting.score(41.256) == "41.26")
        #expect(NumberFormatting.score(412.34) == "412.3")
        #expect(NumberFormatting.signed(-0.0781, scale: 0.8) == "-0.078")
        #expect(NumberFormatting.signed(0.0124, scale: 0.8) == "+0.012")
        #expect(NumberFormatting.signed(-0.0001, scale: 0.8) == "0.000")  // no "-0.000"
        #expect(NumberFormatting.pValue(0.0004) == "<0.001")
        #expect(NumberFormatting.pValue(0.0312) == "0.031")
        #expect(NumberFormatting.coordinate(12.5) == "12.5")
        #expect(NumberFormatting.coordinate(12.0) == "12")
        #expect(NumberFormatting.coordinate(-0.001) == "0")
        #expect(NumberFormatting.percent(0.95) == "95%")
        #expect(NumberFormatting.fixed(.nan, decimals: 2) == "n/a")
    }

    @Test func escapingCoversEveryMarkupCharacter() {
        #expect(
            Escaping.html("<a href='x'>\"&\"</a>")
                == "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;")
        #expect(Escaping.html("情感 \u{01}") == "情感 \u{FFFD}")
        #expect(Escaping.markdownCell("a|b\nc") == "a\\|b c")
    }
}
