import Foundation

/// Deterministic number formatting for reports: fixed decimals, POSIX digits, no locale, no
/// negative zero.
enum NumberFormatting {
    /// Decimals for a value of the given scale: 3 below 10, 2 below 100, else 1.
    /// Accuracy 0.812 → `0.812`; perplexity 26.21; BLEU 31.4 → `31.40`; 412.3 → `412.3`.
    static func decimals(forScale scale: Double) -> Int {
        let magnitude = abs(scale)
        return magnitude >= 100 ? 1 : magnitude >= 10 ? 2 : 3
    }

    /// `value` with `decimals` decimals; `n/a` for NaN, `inf`/`-inf` for infinities.
    static func fixed(_ value: Double, decimals: Int) -> String {
        if value.isNaN { return "n/a" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        var text = String(format: "%.\(decimals)f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            text.removeFirst()
        }
        return text
    }

    /// A score, with decimals chosen by `scale` (default: its own magnitude).
    static func score(_ value: Double, scale: Double? = nil) -> String {
        fixed(value, decimals: decimals(forScale: scale ?? value))
    }

    /// A signed difference (`+0.012`, `-0.078`, `0.000`), decimals chosen by `scale`.
    static func signed(_ value: Double, scale: Double) -> String {
        let text = fixed(value, decimals: decimals(forScale: scale))
        if text.hasPrefix("-") || text == "n/a" || text.allSatisfy({ $0 == "0" || $0 == "." }) {
            return text
        }
        return "+" + text
    }

    /// A p-value: `<0.001` below 0.001, else three decimals.
    static func pValue(_ value: Double) -> String {
        value < 0.001 ? "<0.001" : fixed(value, decimals: 3)
    }

    /// An SVG coordinate: at most two decimals, trailing zeros dropped (`12`, `12.5`, `12.25`).
    static func coordinate(_ value: Double) -> String {
        var text = fixed((value * 100).rounded() / 100, decimals: 2)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// A percentage of a proportion, no decimals: `0.95` → `95%`.
    static func percent(_ proportion: Double) -> String {
        let value = proportion * 100
        let decimals = value == value.rounded() ? 0 : 1
        return fixed(value, decimals: decimals) + "%"
    }
}
