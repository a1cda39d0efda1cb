/// A fixed-size, zero-initialised, heap-allocated run of `Float`s with a stable address.
///
/// Layers keep their activations (the values a backward pass needs) in these buffers rather than
/// in `Tensor`s, so that kernels can read one buffer and write another through plain pointers
/// without nested `withUnsafe…` closures. Parameters and anything exchanged across modules stay
/// `Tensor` values. The storage is freed when the last reference goes away.
///
/// `pointer` is valid only while the buffer is alive, and Swift may release a local reference
/// right after its last use — which can be the `.pointer` read itself. Functions that hand a
/// local buffer's pointer to a kernel therefore keep it alive to the end of their scope
/// (`defer { withExtendedLifetime(buffer) {} }`); never take `.pointer` of a temporary.
///
/// Not synchronised: concurrent writers must touch disjoint elements (as the parallel loops in
/// the Transformer module do, one head or one row range each).
public final class FloatBuffer: @unchecked Sendable {
    /// First element; valid for `count` elements while `self` is alive.
    public let pointer: UnsafeMutablePointer<Float>
    /// Number of elements.
    public let count: Int

    /// Allocates `count` elements, all zero.
    public init(count: Int) {
        precondition(count >= 0, "FloatBuffer: negative count \(count)")
        self.count = count
        pointer = .allocate(capacity: max(1, count))
        pointer.initialize(repeating: 0, count: max(1, count))
    }

    /// Allocates a copy of `count` elements starting at `source`.
    public convenience init(copying source: UnsafePointer<Float>, count: Int) {
        self.init(count: count)
        pointer.update(from: source, count: count)
    }

    /// Allocates a copy of a tensor's elements.
    public convenience init(_ tensor: Tensor) {
        self.init(count: tensor.count)
        tensor.scalars.withUnsafeBufferPointer { pointer.update(from: $0.baseAddress!, count: count) }
    }

    deinit { pointer.deallocate() }

    /// Sets every element to zero.
    public func zero() { pointer.update(repeating: 0, count: count) }

    /// The elements as a tensor of the given shape.
    /// - Precondition: the shape has `count` elements.
    public func tensor(shape: [Int]) -> Tensor {
        Tensor(shape: shape, scalars: Array(UnsafeBufferPointer(start: pointer, count: count)))
    }

    /// The elements as an array.
    public var array: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// Reads one element (bounds-checked in debug builds).
    public subscript(index: Int) -> Float {
        get {
            assert(index >= 0 && index < count, "FloatBuffer: index \(index) outside 0..<\(count)")
            return pointer[index]
        }
        set {
            assert(index >= 0 && index < count, "FloatBuffer: index \(index) outside 0..<\(count)")
            pointer[index] = newValue
        }
    }
}
