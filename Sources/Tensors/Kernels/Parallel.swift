import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Data-parallel loops over both cores (and more where there are more), through
/// `DispatchQueue.concurrentPerform`.
///
/// Used for work that BLAS does not already spread over threads: attention heads, rows of a
/// softmax. Each iteration must write disjoint memory.
public enum Parallel {
    /// The number of online cores (at least 1).
    public static let coreCount: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Runs `body(i)` for `i` in `0..<count`, spread over the available cores; returns when all
    /// have finished. Runs inline when `count < 2`.
    public static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if count <= 0 { return }
        if count == 1 {
            body(0)
            return
        }
        withoutActuallyEscaping(body) { work in
            // The caller promises disjoint writes (see the type's notes); the box carries the
            // non-Sendable closure (it captures raw pointers) into Dispatch's worker threads.
            let box = UncheckedSendableBox(work)
            DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
        }
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
