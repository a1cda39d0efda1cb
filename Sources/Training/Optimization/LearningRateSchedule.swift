#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The learning rate of each optimizer step: linear warm-up from 0, then constant, linear decay
/// to 0, or half a cosine to 0 — exactly as transformers' `get_constant_schedule_with_warmup`,
/// `get_linear_schedule_with_warmup` and `get_cosine_schedule_with_warmup` (`num_cycles = 0.5`)
/// driven by `torch.optim.lr_scheduler.LambdaLR`.
///
/// Step indexing (the convention that silently differs between libraries): `LambdaLR` starts
/// with `last_epoch = 0` and advances after each `optimizer.step()`, so the 1-based optimizer
/// step `k` uses the multiplier `λ(k - 1)`. With `W` warm-up steps and `N` total steps, for
/// `s = k - 1`:
///
/// ```
/// warm-up  (s < W):  λ(s) = s / max(1, W)            // the first step has lr 0 when W > 0
/// constant:          λ(s) = 1
/// linear:            λ(s) = max(0, (N - s) / max(1, N - W))
/// cosine:            λ(s) = max(0, 0.5 · (1 + cos(π · (s - W) / max(1, N - W))))
/// ```
///
/// and `lr(k) = peakLearningRate · λ(k - 1)`, all in `Double`.
///
/// ### References
/// `transformers.optimization` (`_get_linear_schedule_with_warmup_lr_lambda`,
/// `_get_cosine_schedule_with_warmup_lr_lambda`, `_get_constant_schedule_with_warmup_lr_lambda`).
public struct LearningRateSchedule: Codable, Sendable, Equatable {
    /// The shape after warm-up.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case constant, linear, cosine
    }

    /// The shape after warm-up.
    public var kind: Kind
    /// The learning rate reached at the end of warm-up (`lr` of the optimizer).
    public var peakLearningRate: Double
    /// Warm-up steps `W` (0 for none).
    public var warmupSteps: Int
    /// Total optimizer steps `N` of the run (used by `linear` and `cosine`).
    public var totalSteps: Int

    /// - Precondition: `warmupSteps >= 0`, `totalSteps >= 0`.
    public init(kind: Kind, peakLearningRate: Double, warmupSteps: Int = 0, totalSteps: Int) {
        precondition(
            warmupSteps >= 0 && totalSteps >= 0,
            "LearningRateSchedule: negative warmupSteps \(warmupSteps) or totalSteps \(totalSteps)")
        self.kind = kind
        self.peakLearningRate = peakLearningRate
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    /// The multiplier `λ(s)` after `completedSteps` optimizer steps (transformers' lambda).
    public func multiplier(afterSteps completedSteps: Int) -> Double {
        let s = Double(completedSteps)
        let w = warmupSteps
        if completedSteps < w { return s / Double(max(1, w)) }
        switch kind {
        case .constant:
            return 1
        case .linear:
            return max(0, Double(totalSteps - completedSteps) / Double(max(1, totalSteps - w)))
        case .cosine:
            let progress = Double(completedSteps - w) / Double(max(1, totalSteps - w))
            return max(0, 0.5 * (1 + cos(Double.pi * 0.5 * 2 * progress)))
        }
    }

    /// The learning rate used by the 1-based optimizer step `step`: `peak · λ(step - 1)`.
    /// - Precondition: `step >= 1`.
    public func learningRate(atStep step: Int) -> Double {
        precondition(
            step >= 1, "LearningRateSchedule.learningRate: steps count from 1, got \(step)")
        return peakLearningRate * multiplier(afterSteps: step - 1)
    }
}
