import Testing

/// Central finite differences `(f(x + εeᵢ) − f(x − εeᵢ)) / 2ε` at a few coordinates.
///
/// - Parameters:
///   - x: the point (float32, as layers store parameters).
///   - indices: the coordinates to differentiate along.
///   - epsilon: the step (float32 round-off makes steps below about 1e-3 noisy).
///   - f: the scalar function, evaluated in double where possible.
/// - Returns: one derivative per index.
public func numericalGradient(
    at x: [Float], indices: [Int], epsilon: Float = 1e-2, _ f: ([Float]) -> Double
) -> [Double] {
    indices.map { i in
        var plus = x
        plus[i] += epsilon
        var minus = x
        minus[i] -= epsilon
        let step = Double(plus[i]) - Double(minus[i])
        return (f(plus) - f(minus)) / step
    }
}

/// Spread-out sample coordinates of a vector of `count` elements (deterministic).
public func sampleIndices(count: Int, samples: Int = 12) -> [Int] {
    if count <= samples { return Array(0..<count) }
    return (0..<samples).map { ($0 * 7919 + 13) % count }
}

/// Finite-difference gradient check: the analytic gradient at sample coordinates must agree
/// with central differences within `atol + rtol·|numeric|`.
///
/// - Parameters:
///   - x: where the gradient was computed.
///   - analytic: the backward pass's gradient, same length as `x`.
///   - f: the function whose gradient `analytic` claims to be.
public func gradientCheck(
    _ x: [Float], analytic: [Float], samples: Int = 12, epsilon: Float = 1e-2,
    rtol: Double = 2e-2, atol: Double = 2e-3, _ name: String = "",
    sourceLocation: SourceLocation = #_sourceLocation, _ f: ([Float]) -> Double
) {
    #expect(
        x.count == analytic.count, "\(name): gradient length \(analytic.count) for \(x.count)",
        sourceLocation: sourceLocation)
    let indices = sampleIndices(count: x.count, samples: samples)
    let numeric = numericalGradient(at: x, indices: indices, epsilon: epsilon, f)
    expectClose(
        indices.map { analytic[$0] }, numeric, rtol: rtol, atol: atol,
        Comment(rawValue: "finite differences of \(name) at \(indices)"),
        sourceLocation: sourceLocation)
}
