/// A binary min-heap of `rank << 32 | position` over caller-provided storage.
struct MinHeap {
    let storage: UnsafeMutableBufferPointer<UInt64>
    var count = 0

    init(storage: UnsafeMutableBufferPointer<UInt64>) { self.storage = storage }

    @inline(__always)
    mutating func pushUnordered(_ value: UInt64) {
        storage[count] = value
        count += 1
    }

    mutating func heapify() {
        if count < 2 { return }
        var i = count / 2 - 1
        while i >= 0 {
            siftDown(i)
            i -= 1
        }
    }

    @inline(__always)
    mutating func push(_ value: UInt64) {
        var i = count
        count += 1
        while i > 0 {
            let parent = (i - 1) >> 1
            if storage[parent] <= value { break }
            storage[i] = storage[parent]
            i = parent
        }
        storage[i] = value
    }

    @inline(__always)
    mutating func pop() -> UInt64? {
        if count == 0 { return nil }
        let top = storage[0]
        count -= 1
        if count > 0 {
            storage[0] = storage[count]
            siftDown(0)
        }
        return top
    }

    @inline(__always)
    private mutating func siftDown(_ start: Int) {
        var i = start
        let value = storage[i]
        while true {
            var child = 2 * i + 1
            if child >= count { break }
            if child + 1 < count, storage[child + 1] < storage[child] { child += 1 }
            if storage[child] >= value { break }
            storage[i] = storage[child]
            i = child
        }
        storage[i] = value
    }
}
