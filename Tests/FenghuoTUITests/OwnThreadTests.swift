import Foundation
import Testing
import TestSupport

/// The suite's own scheduling: process-starting and timing tests must not queue for the two
/// threads of the cooperative pool (see `OwnThread.swift`).
@Suite("Test scheduling: own threads and process slots")
struct OwnThreadTests {
    @Test(.ownThread)
    func a_test_marked_own_thread_runs_on_a_thread_of_its_own_also_after_an_await() async throws {
        #expect(onOwnThread())
        try await Task.sleep(for: .milliseconds(5))
        #expect(onOwnThread())
        // A thread of it blocked waiting for the test's own child task: that task gets another.
        let started = DispatchSemaphore(value: 0)
        async let child = started.signal()
        block(on: started)
        _ = await child
    }

    @Test(.processes)
    func a_synchronous_test_that_starts_processes_also_runs_on_its_own_thread() {
        #expect(onOwnThread())
    }

    @Test
    func a_test_not_marked_runs_on_the_shared_pool() {
        #expect(!onOwnThread())
    }

    @Test
    func a_slot_is_given_only_after_one_is_released_and_in_order() async {
        let slots = ProcessSlots(count: 1)
        await slots.acquire()
        let order = Order()
        let second = Task { await slots.acquire(); await order.add(2) }
        try? await Task.sleep(for: .milliseconds(100))
        #expect(await order.items.isEmpty)
        await order.add(1)
        await slots.release()
        await second.value
        #expect(await order.items == [1, 2])
    }
}

/// Synchronous, so callable where async code may not use `Thread` directly.
private func onOwnThread() -> Bool { DedicatedThreadExecutor.isCurrentThreadOwn }
private func block(on semaphore: DispatchSemaphore) { semaphore.wait() }

private actor Order {
    var items: [Int] = []
    func add(_ item: Int) { items.append(item) }
}
