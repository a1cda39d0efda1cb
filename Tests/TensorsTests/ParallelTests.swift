import Foundation
import Synchronization
import Tensors
import Testing

@Suite struct ParallelTests {
    @Test func mapKeepsOrderAndRunsEveryIteration() {
        let counter = Atomic<Int>(0)
        let squares = Parallel.map(1000) { i -> Int in
            counter.add(1, ordering: .relaxed)
            return i * i
        }
        #expect(squares == (0..<1000).map { $0 * $0 })
        #expect(counter.load(ordering: .relaxed) == 1000)
        #expect(Parallel.map(0) { $0 }.isEmpty)
    }

    struct Failure: Error, Equatable { let index: Int }

    @Test func mapThrowsTheLowestFailingIndexAfterAllIterationsRan() {
        let ran = Atomic<Int>(0)
        #expect(throws: Failure(index: 3)) {
            _ = try Parallel.map(64) { (i: Int) throws(Failure) -> Int in
                ran.add(1, ordering: .relaxed)
                if i == 3 || i == 40 { throw Failure(index: i) }
                return i
            }
        }
        #expect(ran.load(ordering: .relaxed) == 64)
    }

    @Test func loopsInsideALoopRunInlineOnTheOuterThread() {
        #expect(!Parallel.isNested)
        let outer = 8
        let inner = 16
        // Each inner iteration records whether it ran on its outer iteration's thread.
        let sameThread = Parallel.map(outer) { _ -> [Bool] in
            #expect(Parallel.isNested)
            let me = pthread_self()
            var flags = [Bool](repeating: false, count: inner)
            flags.withUnsafeMutableBufferPointer { out in
                Parallel.forEach(inner) { j in out[j] = pthread_equal(pthread_self(), me) != 0 }
            }
            return flags
        }
        #expect(sameThread.allSatisfy { $0.allSatisfy { $0 } })
        #expect(!Parallel.isNested)
    }
}
