import Foundation

/// Colours, tick placement and colour scales shared by the charts.
enum ChartStyle {
    /// The Okabe–Ito palette (distinguishable with colour-vision deficiencies), cycled.
    static let palette = [
        "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#8C6D1F", "#000000",
    ]

    static func color(_ index: Int) -> String { palette[index % palette.count] }

    static let axis = "#888"
    static let grid = "#e5e5e5"
    static let better = (r: 0.0, g: 114.0, b: 178.0)  // blue
    static let worse = (r: 213.0, g: 94.0, b: 0.0)  // vermillion

    /// "Nice" ticks covering `[low, high]`: steps of 1, 2 or 5 × 10^k, about `count` of them.
    static func ticks(low: Double, high: Double, count: Int = 5) -> [Double] {
        var low = low
        var high = high
        if !(high > low) {
            let pad = low == 0 ? 1 : abs(low) * 0.1
            low -= pad
            high += pad
        }
        let raw = (high - low) / Double(max(count, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2.0, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        let first = Int((low / step).rounded(.down))
        let last = max(first + 1, Int((high / step).rounded(.up)))
        return (first...min(last, first + 50)).map { Double($0) * step }
    }

    /// Decimals that distinguish consecutive ticks.
    static func tickDecimals(_ ticks: [Double]) -> Int {
        guard ticks.count >= 2 else { return 2 }
        let step = abs(ticks[1] - ticks[0])
        return max(0, min(6, Int((-log10(step)).rounded(.up))))
    }

    /// A diverging fill: white at 0, blue towards `+1` (better), vermillion towards `-1` (worse).
    static func diverging(_ value: Double) -> String {
        let t = max(-1, min(1, value.isFinite ? value : 0))
        let target = t >= 0 ? better : worse
        let a = abs(t)
        func channel(_ c: Double) -> Int { Int((255 + (c - 255) * a).rounded()) }
        return String(
            format: "#%02X%02X%02X", channel(target.r), channel(target.g), channel(target.b))
    }

    /// Whether text on a diverging fill of `value` should be white.
    static func needsLightText(_ value: Double) -> Bool { abs(value) > 0.6 }
}
