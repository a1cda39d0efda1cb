/// Write-once slots filled concurrently at distinct indices.
final class ResultSlots<Value>: @unchecked Sendable {
    private let storage: UnsafeMutablePointer<Value?>
    private let count: Int

    init(count: Int) {
        self.count = count
        storage = UnsafeMutablePointer<Value?>.allocate(capacity: count)
        storage.initialize(repeating: nil, count: count)
    }

    deinit {
        storage.deinitialize(count: count)
        storage.deallocate()
    }

    /// Each index must be written by one thread only.
    func set(_ index: Int, _ value: Value) { storage[index] = value }

    func values() -> [Value] {
        (0..<count).map { index in
            guard let value = storage[index] else {
                preconditionFailure("ResultSlots: slot \(index) of \(count) was never written")
            }
            return value
        }
    }
}
