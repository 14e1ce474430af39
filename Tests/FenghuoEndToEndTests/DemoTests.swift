import Foundation
import GRDB
import Testing
import TestSupport

/// `fenghuo demo` and `fenghuo simulate`: the whole system on one machine.
@Suite("The demo and its simulator", .serialized, .processes)
struct DemoTests {
    @Test func the_simulator_works_the_city_through_central_and_an_agent_sees_it() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        try c.startAgent("duty", user: "duty1", password: "demoduty")
        try await c.waitSynced("duty")
        let before = try await c.centralDB().read { try Int.fetchOne($0, sql: "SELECT count(*) FROM change_log") ?? 0 }
        let run = try await Binary.runDetached(["simulate", "--central", c.base.absoluteString, "--data", c.agentDir("simulator"),
                                  "--rate", "50", "--count", "60", "--seed", "7"])
        #expect(run.status == 0, "\(run.output.suffix(2000))")
        // The last line is the tally: most actions are applied by central's rules.
        let tally = try #require(run.output.split(separator: "\n").last(where: { $0.contains(" applied, ") }))
        let applied = Int(tally.split(separator: " ").first ?? "") ?? 0
        #expect(applied >= 40, "\(tally)")
        let after = try await c.centralDB().read { try Int.fetchOne($0, sql: "SELECT count(*) FROM change_log") ?? 0 }
        #expect(after - before >= applied)
        // What the simulated consoles did reaches the duty officer's replica.
        try await c.waitSynced("duty")
        let central = try c.centralDB(), replica = try c.replicaDB("duty")
        let sql = "SELECT id || ':' || version FROM incident ORDER BY id"
        #expect(try await c.eventually { try c.rows(central, sql) == c.rows(replica, sql) })
    }

    @Test func the_simulator_leaves_an_incident_another_console_created_to_that_console() async throws {
        // Given the seeded city, and then a P1 fire a duty officer creates at their own console
        let c = try SyncCluster()
        try await c.startCentral()
        let historyUntil = Int(Date().timeIntervalSince1970)
        try await Task.sleep(for: .milliseconds(1_500))  // created_at counts whole seconds
        let token = try await c.login("duty1", "demoduty", clientID: "c-user-console")
        let narrative = "用户刚接报的火警，留给值班员调度"
        let answer = try await c.push(token: token, clientID: "c-user-console", mutationID: 1, name: "createIncident",
                                      args: ["type": "fire_home", "district": "binhu", "address": "滨湖区湖心路8号", "narrative": narrative])
        #expect(answer.contains("applied"), "\(answer)")
        // When the simulator works the city fast (its delays at 1/100, so its own and the history's are due at once)
        let run = try await Binary.runDetached(["simulate", "--central", c.base.absoluteString, "--data", c.agentDir("simulator"),
                                                "--rate", "50", "--count", "150", "--seed", "7",
                                                "--history-until", String(historyUntil), "--pace", "0.01"])
        #expect(run.status == 0, "\(run.output.suffix(2000))")
        // Then it worked the city's incidents (which it dispatches depends on the units free)
        let tally = try #require(run.output.split(separator: "\n").last(where: { $0.contains(" applied, ") }))
        #expect(tally.contains("updateUnitStatus "), "\(tally)")
        // But the user's incident still waits for the user, with no unit sent to it
        let mine = try await c.centralDB().read { db in
            try Row.fetchOne(db, sql: "SELECT status, unit_ids FROM incident WHERE narrative = ?", arguments: [narrative])
        }
        let row = try #require(mine, "the user's incident is not in central")
        #expect(row["status"] as String == "new")
        #expect(row["unit_ids"] as String == "")
    }

    @Test func demo_starts_everything_opens_the_chosen_role_and_stops_it_all_on_quit() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-demo-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: data) }
        let tmux = try Tmux(width: 120, height: 40, command:
            "cd '\(DemoCity.repositoryRoot.path)' && env TERM=xterm-256color LANG=C.UTF-8 '\(Binary.path)' demo --data '\(data.path)' --as hotline --rate 10")
        tmux.waitFor(text: "● 在线", timeout: 60)
        tmux.waitFor(text: "工单队列")
        let screen = tmux.waitFor(text: "话务员")
        #expect(screen.contains("待发 0"))
        for log in ["central", "agent", "simulator"] {
            #expect(FileManager.default.fileExists(atPath: data.appendingPathComponent("logs/\(log).log").path))
        }
        tmux.press("q")
        #expect(tmux.waitForExit(timeout: 15) == 0)
        // No child outlives the demo.
        let deadline = Date().addingTimeInterval(5)
        var left = ""
        repeat {
            left = (try? Subprocess.output(of: "/usr/bin/pgrep", ["-f", "fenghuo (central serve|agent|simulate) .*\(data.path)"]).output) ?? ""
            if left.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.1)
        } while Date() < deadline
        #expect(left.isEmpty, "still running: \(left)")
    }
}
