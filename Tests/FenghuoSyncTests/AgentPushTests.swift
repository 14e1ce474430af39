import FenghuoDomain
import FenghuoProtocol
@testable import FenghuoSync
import Foundation
import Synchronization
import Testing
import TestSupport

/// The agent's upload path against a central that misbehaves on purpose (`ScriptedCentral`):
/// what it refuses, what it answers, how often it is asked.
@Suite("Agent uploads", .serialized, .ownThread)
struct AgentPushTests {
    // MARK: Sizes

    @Test func a_command_over_the_limit_is_refused_when_queued_with_its_size_and_the_limit() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-outbox-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outbox = try Outbox(path: folder.appendingPathComponent("outbox.sqlite").path)
        let small = try outbox.enqueue(incident(narrativeBytes: 2_000), baseVersion: nil, at: Date())
        do {
            _ = try outbox.enqueue(incident(narrativeBytes: 1_100_000), baseVersion: nil, at: Date())
            Issue.record("a 1.1 MB command was queued")
        } catch let error as CommandTooLarge {
            #expect(error.bytes > 1_100_000)
            #expect(error.limit == ProtocolLimits.maxCommandBytes)
            #expect(error.rejection.code == "too_large")
            #expect(error.rejection.message.contains("\(error.bytes) bytes") && error.rejection.message.contains("\(ProtocolLimits.maxCommandBytes) bytes"))
        }
        // Nothing was written for it: the next command takes the next id.
        #expect(try outbox.enqueue(incident(narrativeBytes: 10), baseVersion: nil, at: Date()) == small + 1)
        #expect(try outbox.count() == 2)
    }

    @Test func the_largest_command_any_declaration_allows_fits_the_limit_so_only_an_unchecked_one_meets_it() throws {
        // Every argument at its limit, in the widest scalars JSON carries (4 bytes each): text
        // limits count scalars, so this bounds every command that passes its declaration.
        let wide = "\u{20000}"
        for name in Command.Name.allCases {
            var args: [String: ArgumentValue] = [:]
            for argument in name.spec.arguments {
                args[argument.key] = switch argument.kind {
                case .text(let max): .text(String(repeating: wide, count: max))
                case .record, .catalog: .text(String(repeating: wide, count: 40))
                case .records: .list(Array(repeating: String(repeating: wide, count: 40), count: 50))
                case .flag: .flag(true)
                case .choice(let choices): .text(choices.map(\.code).max { $0.utf8.count < $1.utf8.count } ?? "")
                case .coordinates: .text("-89.1234567890123,-179.123456789012345")
                case .number(let range): .text(String(range.upperBound))
                }
            }
            let command = try Command(CommandPayload(name: name, args: args))
            let envelope = CommandEnvelope(clientID: String(repeating: "c", count: ProtocolLimits.maxClientID), mutationID: .max,
                                           command: command, baseVersion: .max)
            let bytes = try JSONEncoder().encode(envelope).count
            #expect(bytes <= ProtocolLimits.maxCommandBytes, "\(name.rawValue) at its limits is \(bytes) bytes")
        }
    }

    @Test func batches_are_cut_by_bytes_so_every_body_fits_what_central_reads() throws {
        let entries = (1...500).map { id in
            Outbox.Entry(mutationID: Int64(id), name: "createIncident",
                         args: ["narrative": .text(String(repeating: "y", count: 2_100)), "type": .text("theft")],
                         baseVersion: nil, queuedAt: Date())
        }
        var after: Int64 = 0
        var bodies: [Int] = []
        while case .send(let batch)? = try PushBatch.make(entries: entries.filter { $0.mutationID > after }, clientID: "c-1",
                                                          after: after, fillFrom: nil, bodyLimit: ProtocolLimits.maxBody, maxCount: 500) {
            #expect(batch.first == after + 1 && batch.ids == Array(batch.first...batch.last), "a batch must be consecutive")
            let decoded = try JSONDecoder().decode(PushRequest.self, from: batch.body)
            #expect(decoded.commands.map(\.mutationID) == batch.ids)
            bodies.append(batch.body.count)
            after = batch.last
        }
        #expect(after == 500)
        #expect(bodies.count >= 2, "500 commands of 2.1 KB do not fit one 1 MiB body")
        #expect(bodies.allSatisfy { $0 <= ProtocolLimits.maxBody }, "\(bodies)")
    }

    @Test func a_batch_central_refuses_as_too_large_is_halved_until_it_fits_and_all_arrive_in_order() async throws {
        let central = try await ScriptedCentral()
        central.state.withLock {
            $0.bodyLimit = 100_000
            $0.pushesDown = true
        }
        let a = try AgentUnderTest(central: central.url)
        var ids: [Int64] = []
        for i in 0..<30 { ids.append(try await a.agent.submit(incident(narrativeBytes: 12_000, marker: "n\(i)-"), baseVersion: nil)) }
        // 360 KB wait for a central that takes 100 KB a body.
        central.state.withLock { $0.pushesDown = false }
        // Settled in order: once the last is, every one is (a failure waits once, not 30 times).
        #expect(await a.outcome(ids[ids.count - 1], timeout: 30)?.kind == .applied)
        for id in ids { #expect(await a.outcome(id, timeout: 0.5)?.kind == .applied, "command \(id)") }
        let (recorded, refused) = central.state.withLock { ($0.recorded, $0.refusedAsTooLarge) }
        #expect(recorded.map(\.mutationID) == ids)
        #expect(refused >= 1, "central's limit was never met: the test proves nothing")
    }

    @Test func a_command_central_refuses_even_alone_is_settled_as_rejected_and_the_ones_behind_it_arrive() async throws {
        let central = try await ScriptedCentral()
        central.state.withLock { $0.bodyLimit = 30_000 }
        let a = try AgentUnderTest(central: central.url)
        let before = try await a.agent.submit(incident(narrativeBytes: 100, marker: "before"), baseVersion: nil)
        let big = try await a.agent.submit(incident(narrativeBytes: 40_000, marker: "big"), baseVersion: nil)
        let after = try await a.agent.submit(incident(narrativeBytes: 100, marker: "after"), baseVersion: nil)
        #expect(await a.outcome(before)?.kind == .applied)
        let outcome = await a.outcome(big)
        #expect(outcome?.kind == .rejected)
        #expect(outcome?.rejection?.code == "too_large")
        #expect(outcome?.message?.contains("413") == true, "\(String(describing: outcome))")
        #expect(await a.outcome(after)?.kind == .applied)
        // Central got a stand-in under the big command's id, never the command.
        let recorded = central.state.withLock { $0.recorded }
        try #require(recorded.map(\.mutationID) == [before, big, after])
        #expect(recorded[1].args.keys.sorted() == [PushBatch.standInKey])
        // The outcome outlives the outbox row: asked again later, it is the same.
        #expect(await a.outcome(big)?.rejection?.code == "too_large")
    }

    @Test func a_created_records_id_outlives_an_agent_restart_until_its_command_settles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-outbox-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("outbox.sqlite").path
        // Central answered the pushes of 1 and 2 with the records they wrote; then the agent stopped.
        do {
            let outbox = try Outbox(path: path)
            _ = try outbox.enqueue(incident(narrativeBytes: 10), baseVersion: nil, at: Date())
            _ = try outbox.enqueue(incident(narrativeBytes: 10), baseVersion: nil, at: Date())
            try outbox.recordApplied([1: "J20261202-0141", 2: "J20261202-0142"])
        }
        // Started again, it still knows them; once 1 settles, only 2 is kept.
        let reopened = try Outbox(path: path)
        #expect(try reopened.appliedRecords() == [1: "J20261202-0141", 2: "J20261202-0142"])
        try reopened.drop(through: 1)
        #expect(try reopened.appliedRecords() == [2: "J20261202-0142"])
    }

    // MARK: Subscribers

    @Test func a_new_subscriber_is_told_of_each_command_still_waiting_with_when_it_was_queued() async throws {
        let central = try await ScriptedCentral()
        central.state.withLock { $0.pushesDown = true }
        let a = try AgentUnderTest(central: central.url)
        let before = Date()
        let first = try await a.agent.submit(incident(narrativeBytes: 100, marker: "first"), baseVersion: nil)
        let close = try await a.agent.submit(.closeIncident("J20261202-0007"), baseVersion: 3)
        // A console that starts now (after a quit with these queued) subscribes
        let events = Mutex<[AgentEvent]>([])
        let subscription = await a.agent.subscribe { event in events.withLock { $0.append(event) } }
        defer { Task { await a.agent.unsubscribe(subscription) } }
        let queued = events.withLock { $0 }.filter { $0.kind == .queued }
        #expect(queued.map(\.mutationID) == [first, close])
        #expect(queued.map(\.subject?.command) == ["createIncident", "closeIncident"])
        #expect(queued.map(\.subject?.record) == [nil, "J20261202-0007"])
        #expect(queued.allSatisfy { ($0.subject?.queuedAt).map { $0 >= before.addingTimeInterval(-1) && $0 <= Date() } == true })
        // and hears them settle once central takes pushes again.
        central.state.withLock { $0.pushesDown = false }
        #expect(await a.outcome(close, timeout: 30) != nil)
        #expect(events.withLock { $0 }.contains { $0.kind == .applied && $0.mutationID == first })
    }

    // MARK: Gaps

    @Test func a_mutation_gap_that_never_closes_backs_off_and_is_reported_in_status() async throws {
        let central = try await ScriptedCentral()
        let a = try AgentUnderTest(central: central.url)
        let id = try await a.agent.submit(incident(narrativeBytes: 100), baseVersion: nil)
        #expect(await a.outcome(id)?.kind == .applied)
        central.state.withLock { $0.gapExpecting = 1 }
        let queued = try await a.agent.submit(incident(narrativeBytes: 100), baseVersion: nil)
        try await Task.sleep(for: .seconds(3))
        let pushes = central.state.withLock { $0.pushes }
        // 50 ms doubling to 5 s makes about 8 tries in 3 s; resending at once made thousands.
        #expect(pushes < 25, "\(pushes) pushes in 3 s")
        let status = await a.agent.status()
        let error = try #require(status.lastError, "status says nothing of the gap")
        #expect(error.contains("expects mutation 1") && error.contains("sent \(queued)"), "\(error)")
        // Central comes right: the queue flows and the report is gone.
        central.state.withLock { $0.gapExpecting = nil }
        #expect(await a.outcome(queued, timeout: 10)?.kind == .applied)
        #expect(await a.agent.status().lastError == nil)
    }

    // MARK: What central answers

    @Test func a_refusal_only_in_the_push_answer_is_reported_rejected_never_applied() async throws {
        let central = try await ScriptedCentral()
        central.state.withLock {
            $0.answers[1] = ("rejected", CommandRejection(.mutationReused(mutationID: 1)))
            $0.answers[2] = ("superseded", nil)
            $0.answers[3] = ("duplicate", nil)
        }
        let a = try AgentUnderTest(central: central.url)
        var ids: [Int64] = []
        for i in 0..<4 { ids.append(try await a.agent.submit(incident(narrativeBytes: 100, marker: "m\(i)"), baseVersion: nil)) }
        // The feed brings no rejection row for 1: only the push answer says it was not applied.
        let reused = await a.outcome(ids[0])
        #expect(reused?.kind == .rejected)
        #expect(reused?.rejection?.code == "mutation_reused")
        // A status this build does not know is not taken for applied.
        let unknown = await a.outcome(ids[1])
        #expect(unknown?.kind == .rejected)
        #expect(unknown?.rejection?.code == "unknown_outcome")
        #expect(unknown?.message?.contains("superseded") == true)
        // `duplicate` is central saying it holds this very command: applied.
        #expect(await a.outcome(ids[2])?.kind == .applied)
        #expect(await a.outcome(ids[3])?.kind == .applied)
    }

    @Test func waiting_on_an_id_never_queued_is_an_error_at_once() async throws {
        let central = try await ScriptedCentral()
        let a = try AgentUnderTest(central: central.url)
        let id = try await a.agent.submit(incident(narrativeBytes: 100), baseVersion: nil)
        for bad in [0, -5, id + 1, Int64.max] {
            let answer = await a.outcome(bad, timeout: 2)
            #expect(answer?.kind == .error, "wait \(bad) answered \(String(describing: answer))")
            #expect(answer?.message?.contains("#\(bad)") == true)
        }
        #expect(await a.outcome(id)?.kind == .applied)
    }
}
