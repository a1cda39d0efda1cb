import Testing

/// The worst disagreement between two float sequences under `|a - b| <= atol + rtol * |b|`.
public struct Mismatch: CustomStringConvertible, Sendable {
    /// Index of the element that exceeds its tolerance by the widest margin.
    public var index: Int
    public var actual: Double
    public var expected: Double
    /// How far past its tolerance the worst element is (absolute units).
    public var excess: Double
    /// Number of elements outside tolerance.
    public var count: Int

    public var description: String {
        "\(count) element(s) outside tolerance; worst at index \(index): "
            + "actual \(actual), expected \(expected), |diff| \(abs(actual - expected)) "
            + "exceeds tolerance by \(excess)"
    }
}

/// Compares element by element with NumPy's `allclose` rule, `|a - b| <= atol + rtol * |b|`.
///
/// NaN never equals anything (not even NaN); infinities must match exactly.
/// - Returns: `nil` when every element is within tolerance, otherwise the worst element.
public func firstMismatch<A: BinaryFloatingPoint, B: BinaryFloatingPoint>(
    _ actual: [A], _ expected: [B], rtol: Double, atol: Double
) -> Mismatch? {
    var worst: Mismatch?
    var count = 0
    for i in 0..<min(actual.count, expected.count) {
        let a = Double(actual[i])
        let b = Double(expected[i])
        let excess: Double
        if a.isNaN || b.isNaN {
            excess = .infinity
        } else if a.isInfinite || b.isInfinite {
            excess = a == b ? -1 : .infinity
        } else {
            excess = abs(a - b) - (atol + rtol * abs(b))
        }
        if excess > 0 {
            count += 1
            if worst == nil || excess > worst!.excess {
                worst = Mismatch(index: i, actual: a, expected: b, excess: excess, count: 0)
            }
        }
    }
    worst?.count = count
    return worst
}

/// Expects two float sequences of equal length to agree within `atol + rtol * |expected|`;
/// on failure the message names the worst element, its index and the number of failures.
public func expectClose<A: BinaryFloatingPoint, B: BinaryFloatingPoint>(
    _ actual: [A], _ expected: [B], rtol: Double = 1e-5, atol: Double = 1e-6,
    _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count else {
        let note = comment.map { " — \($0.rawValue)" } ?? ""
        Issue.record(
            Comment(rawValue: "length \(actual.count) != expected length \(expected.count)\(note)"),
            sourceLocation: sourceLocation)
        return
    }
    if let mismatch = firstMismatch(actual, expected, rtol: rtol, atol: atol) {
        let note = comment.map { " — \($0.rawValue)" } ?? ""
        Issue.record(
            Comment(rawValue: "\(mismatch) (rtol \(rtol), atol \(atol))\(note)"),
            sourceLocation: sourceLocation)
    }
}

/// Expects one number to agree with another within `atol + rtol * |expected|`.
public func expectClose<A: BinaryFloatingPoint, B: BinaryFloatingPoint>(
    _ actual: A, _ expected: B, rtol: Double = 1e-5, atol: Double = 1e-6,
    _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation
) {
    expectClose(
        [actual], [expected], rtol: rtol, atol: atol, comment,
        sourceLocation: sourceLocation)
}
