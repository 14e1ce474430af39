import FenghuoProtocol
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

    /// Runs the simulator on `c` with its delays at 1/100 (the history's and its own steps due at
    /// once, a drive of minutes over in seconds) until it sent `count` commands; its last tally line.
    static func simulateFast(_ c: SyncCluster, count: Int, seed: Int, historyUntil: Int) async throws -> Substring {
        let run = try await Binary.runDetached(["simulate", "--central", c.base.absoluteString, "--data", c.agentDir("simulator"),
                                                "--rate", "50", "--count", String(count), "--seed", String(seed),
                                                "--history-until", String(historyUntil), "--pace", "0.01"])
        #expect(run.status == 0, "\(run.output.suffix(2000))")
        return try #require(run.output.split(separator: "\n").last(where: { $0.contains(" applied, ") }))
    }

    @Test func the_simulator_leaves_an_incident_and_a_ticket_another_console_created_to_that_console() async throws {
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
        // And a ticket a call-taker registers at their own console
        let hotline = try await c.login("hotline1", "demohotline", clientID: "c-user-hotline")
        let summary = "用户刚登记的噪声投诉，留给话务员派单"
        let registered = try await c.push(token: hotline, clientID: "c-user-hotline", mutationID: 1, name: "createTicket",
                                          args: ["category": "noise_social", "district": "binhu", "address": "滨湖区湖心路8号", "summary": summary])
        #expect(registered.contains("applied"), "\(registered)")
        // When the simulator works the city fast (its delays at 1/100, so its own and the history's are due at once)
        let tally = try await Self.simulateFast(c, count: 150, seed: 7, historyUntil: historyUntil)
        // Then it worked the city's incidents (which it dispatches depends on the units free)
        #expect(tally.contains("updateUnitStatus "), "\(tally)")
        // But the user's incident still waits for the user, with no unit sent to it
        let mine = try await c.centralDB().read { db in
            try Row.fetchOne(db, sql: "SELECT status, unit_ids FROM incident WHERE narrative = ?", arguments: [narrative])
        }
        let row = try #require(mine, "the user's incident is not in central")
        #expect(row["status"] as String == "new")
        #expect(row["unit_ids"] as String == "")
        // And the user's ticket waits for the call-taker to route it, while the city's were routed
        #expect(tally.contains("transferTicket "), "\(tally)")
        let ticket = try await c.centralDB().read { try String.fetchOne($0, sql: "SELECT status FROM ticket WHERE summary = ?", arguments: [summary]) }
        #expect(ticket == "registered")
    }

    @Test func the_simulator_drives_a_consoles_unit_along_the_roads_toward_its_incident_and_leaves_its_arrival_to_the_console() async throws {
        // Given a duty officer's own incident, and the city's farthest free fire engine sent to it and on its way
        let c = try SyncCluster()
        try await c.startCentral()
        let historyUntil = Int(Date().timeIntervalSince1970)
        try await Task.sleep(for: .milliseconds(1_500))
        let token = try await c.login("duty1", "demoduty", clientID: "c-user-console")
        let narrative = "用户接报的火警，车辆由值班员派出"
        _ = try await c.push(token: token, clientID: "c-user-console", mutationID: 1, name: "createIncident",
                             args: ["type": "fire_home", "district": "binhu", "address": "滨湖区湖心路8号", "narrative": narrative])
        let central = try c.centralDB()
        let (incident, scene, unit) = try await central.read { db -> (String, (Double, Double), String) in
            let i = try #require(try Row.fetchOne(db, sql: "SELECT id, lat, lon FROM incident WHERE narrative = ?", arguments: [narrative]))
            let lat: Double = i["lat"], lon: Double = i["lon"]
            let unit = try #require(try String.fetchOne(db, sql: """
                SELECT id FROM unit WHERE agency = '119' AND status = 'available'
                ORDER BY (lat - ?) * (lat - ?) + (lon - ?) * (lon - ?) DESC LIMIT 1
                """, arguments: [lat, lat, lon, lon]))
            return (i["id"], (lat, lon), unit)
        }
        for (n, (name, args)) in [("dispatch", ["incident": incident, "units": unit]),
                                  ("updateUnitStatus", ["unit": unit, "event": "depart"])].enumerated() {
            let answer = try await c.push(token: token, clientID: "c-user-console", mutationID: Int64(n + 2), name: name, args: args)
            #expect(answer.contains("applied"), "\(name): \(answer)")
        }
        // When the simulator runs the city fast (a trip of minutes takes seconds at pace 1/100)
        let tally = try await Self.simulateFast(c, count: 300, seed: 11, historyUntil: historyUntil)
        #expect(tally.contains("moveUnit "), "\(tally)")
        // Then the engine reported positions, each closer to the scene by road than where it set out
        let positions = try await central.read { db in
            try String.fetchAll(db, sql: "SELECT row FROM change_log WHERE entity = 'unit' AND entity_id = ? ORDER BY seq", arguments: [unit])
        }.compactMap { json -> (Double, Double, String, Int64?)? in
            guard let record = try? JSONDecoder().decode(WireRecord.self, from: Data(json.utf8)), let row = record.rows("unit").first,
                  case .real(let lat)? = row["lat"], case .real(let lon)? = row["lon"], case .text(let status)? = row["status"] else { return nil }
            if case .integer(let at)? = row["moved_at"] { return (lat, lon, status, at) }
            return (lat, lon, status, nil)
        }
        let reports = positions.filter { $0.3 != nil }
        #expect(reports.count >= 5, "\(positions)")
        func meters(_ p: (Double, Double)) -> Double {
            let dy = (p.0 - scene.0) * 111_320, dx = (p.1 - scene.1) * 111_320 * cos(scene.0 * .pi / 180)
            return (dx * dx + dy * dy).squareRoot()
        }
        let start = try #require(positions.first { $0.2 == "en_route" })
        let last = try #require(reports.last)
        #expect(meters((last.0, last.1)) < meters((start.0, start.1)) - 1_000, "\(start) → \(last)")
        // Position reports did not change its status: the console reports 到场 itself
        #expect(reports.allSatisfy { $0.2 == "en_route" })
        let now = try await central.read { try String.fetchOne($0, sql: "SELECT status FROM unit WHERE id = ?", arguments: [unit]) }
        #expect(now == "en_route")
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
