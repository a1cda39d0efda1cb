import Foundation
import Tensors
import TestSupport
import Transformer

/// Small helpers shared by the layer tests: random inputs and a scalar "probe" loss
/// `L = Σ y ⊙ probe`, whose gradient with respect to `y` is `probe` itself.
enum LayerTest {
    static func random(_ count: Int, scale: Float = 1, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in (2 * rng.nextUniform() - 1) * scale }
    }

    static func tensor(_ shape: [Int], scale: Float = 1, seed: UInt64) -> Tensor {
        Tensor(shape: shape, scalars: random(shape.reduce(1, *), scale: scale, seed: seed))
    }

    static func probeLoss(_ y: FloatBuffer, _ probe: [Float]) -> Double {
        var total = 0.0
        for i in 0..<y.count { total += Double(y[i]) * Double(probe[i]) }
        return total
    }

    /// A buffer holding `values`, kept alive until the test process ends, so that
    /// `LayerTest.buffer(x).pointer` may be passed straight to a layer (a temporary
    /// `FloatBuffer` could be freed right after `.pointer` is read).
    static func buffer(_ values: [Float]) -> FloatBuffer {
        let b = FloatBuffer(count: values.count)
        for (i, v) in values.enumerated() { b[i] = v }
        retainedLock.lock()
        retained.append(b)
        retainedLock.unlock()
        return b
    }

    nonisolated(unsafe) private static var retained: [FloatBuffer] = []
    private static let retainedLock = NSLock()
}
