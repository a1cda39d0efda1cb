import Synchronization

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
        capacity = FloatBufferPool.sizeClass(max(1, count))
        pointer = FloatBufferPool.take(capacity: capacity)
        pointer.initialize(repeating: 0, count: count)
    }

    /// Allocates a copy of `count` elements starting at `source`.
    public convenience init(copying source: UnsafePointer<Float>, count: Int) {
        self.init(count: count)
        pointer.update(from: source, count: count)
    }

    /// Allocates a copy of a tensor's elements.
    public convenience init(_ tensor: Tensor) {
        self.init(count: tensor.count)
        tensor.scalars.withUnsafeBufferPointer {
            pointer.update(from: $0.baseAddress!, count: count)
        }
    }

    /// Elements actually allocated (a size class at or above `count`).
    let capacity: Int

    deinit { FloatBufferPool.give(pointer, capacity: capacity) }

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

/// A process-wide cache of freed large `FloatBuffer` allocations, reused by later buffers of the
/// same size class.
///
/// Training allocates the same activation buffers every step. Returned to glibc, each large
/// block would be unmapped and mapped again, paying a page fault per 4 KiB on first touch
/// (measured: about a tenth of a training step). Sizes are rounded up to one of eight classes per
/// power of two (at most 12.5 % slack); blocks under 16 Ki elements are not cached; the cache
/// holds at most 4 GiB.
enum FloatBufferPool {
    static let smallest = 1 << 14
    static let limitElements = 1 << 30

    struct State: ~Copyable {
        /// Size class → addresses of free blocks (as integers: pointers are not `Sendable`).
        var free: [Int: [UInt]] = [:]
        var cachedElements = 0
    }

    static let state = Mutex(State())

    /// The allocation size for `count` elements.
    static func sizeClass(_ count: Int) -> Int {
        if count < smallest { return count }
        let octave = Int.bitWidth - 1 - count.leadingZeroBitCount  // 2^octave <= count
        let step = 1 << (octave - 3)
        return (count + step - 1) / step * step
    }

    static func take(capacity: Int) -> UnsafeMutablePointer<Float> {
        if capacity >= smallest {
            let reused = state.withLock { s -> UInt? in
                guard let address = s.free[capacity]?.popLast() else { return nil }
                s.cachedElements -= capacity
                return address
            }
            if let reused, let pointer = UnsafeMutablePointer<Float>(bitPattern: reused) {
                return pointer
            }
        }
        return .allocate(capacity: capacity)
    }

    static func give(_ pointer: UnsafeMutablePointer<Float>, capacity: Int) {
        if capacity >= smallest {
            let address = UInt(bitPattern: pointer)
            let kept = state.withLock { s -> Bool in
                if s.cachedElements + capacity > limitElements { return false }
                s.free[capacity, default: []].append(address)
                s.cachedElements += capacity
                return true
            }
            if kept { return }
        }
        pointer.deallocate()
    }
}
