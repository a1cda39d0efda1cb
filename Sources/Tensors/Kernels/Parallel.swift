import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Data-parallel loops over both cores (and more where there are more), through
/// `DispatchQueue.concurrentPerform`.
///
/// Used for work that BLAS does not already spread over threads: attention heads, rows of a
/// softmax, and whole independent jobs (probe batches, generations). Each iteration must write
/// disjoint memory.
///
/// **Nesting.** A loop started from inside another `Parallel` loop runs inline on its thread:
/// the outer loop already occupies every core, and splitting the inner work again would only add
/// dispatch overhead. So independent jobs run side by side with their own matmuls and attention
/// heads single-threaded, while a lone job still spreads its inner work over the cores.
public enum Parallel {
    /// The number of online cores (at least 1).
    public static let coreCount: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Marks threads that are running an iteration of a `Parallel` loop (see Nesting).
    private static let nestingKey: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key, nil)
        precondition(status == 0, "Parallel: pthread_key_create failed (\(status))")
        return key
    }()

    /// True on a thread that is running an iteration of a `Parallel` loop.
    public static var isNested: Bool { pthread_getspecific(nestingKey) != nil }

    /// Runs `body(i)` for `i` in `0..<count`, spread over the available cores; returns when all
    /// have finished. Runs inline when `count < 2`, on a one-core machine, or inside another
    /// `Parallel` loop.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || coreCount == 1 || isNested {
            for i in 0..<count { body(i) }
            return
        }
        withoutActuallyEscaping(body) { work in
            // The caller promises disjoint writes (see the type's notes); the box carries the
            // non-Sendable closure (it captures raw pointers) into Dispatch's worker threads.
            let box = UncheckedSendableBox(work)
            let key = nestingKey
            DispatchQueue.concurrentPerform(iterations: count) { i in
                let previous = pthread_getspecific(key)
                pthread_setspecific(key, UnsafeRawPointer(bitPattern: 1))
                box.value(i)
                pthread_setspecific(key, previous)
            }
        }
    }

    /// `(0..<count).map(body)` with the iterations spread over the cores (see `forEach`); the
    /// results keep their order. When iterations throw, the error of the lowest failing index is
    /// thrown after all have finished.
    public static func map<Result, Failure: Error>(
        _ count: Int, _ body: (Int) throws(Failure) -> Result
    ) throws(Failure) -> [Result] {
        if count <= 0 { return [] }
        var results = [Result?](repeating: nil, count: count)
        var errors = [Failure?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { out in
            errors.withUnsafeMutableBufferPointer { failures in
                let slots = UncheckedSendableBox((out, failures))
                forEach(count) { i in
                    do throws(Failure) {
                        slots.value.0[i] = try body(i)
                    } catch {
                        slots.value.1[i] = error
                    }
                }
            }
        }
        if let failure = errors.first(where: { $0 != nil }) { throw failure! }
        return results.map { $0! }
    }

    /// Splits `0..<count` into at most `chunks` contiguous ranges and runs `body` on each in
    /// parallel; for cheap per-element work where one task per element would cost more than it
    /// saves.
    public static func forEachRange(
        _ count: Int, chunks: Int = 8, _ body: (Range<Int>) -> Void
    ) {
        if count <= 0 { return }
        let parts = Swift.max(1, Swift.min(chunks, count))
        let step = (count + parts - 1) / parts
        forEach(parts) { part in
            let start = part * step
            let end = Swift.min(count, start + step)
            if start < end { body(start..<end) }
        }
    }
}

/// Carries a value that is not `Sendable` across a concurrency boundary whose safety the caller
/// guarantees by other means (disjoint writes).
struct UncheckedSendableBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
