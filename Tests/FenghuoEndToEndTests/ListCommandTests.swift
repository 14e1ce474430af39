import FenghuoProtocol
import Foundation
import GRDB
import Testing
import TestSupport

/// `fenghuo list` on a real agent's files: newest first, a status of the kind's own, a time
/// from which on, refusals that say what would do, and the outbox with its arguments.
@Suite("fenghuo list", .serialized, .processes)
struct ListCommandTests {
    /// `list … --json` parsed: one object an item.
    static func items(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        let run = try Binary.run(["list"] + arguments + ["--json"])
        #expect(run.status == 0, "\(run.output)", sourceLocation: sourceLocation)
        let json = try #require(run.output.split(separator: "\n").first { $0.hasPrefix("[") }, "\(run.output)")
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
    }

    @Test func newest_first_by_default_with_status_and_since_and_refusals_that_name_the_choices() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        try c.startAgent("duty", user: "duty1", password: "demoduty")
        try await c.waitSynced("duty")
        let dir = c.agentDir("duty")
        // An incident reported now is the newest: `--limit 1` is it (it was the oldest one before).
        let submitted = try Binary.run(["submit", "createIncident", "type=theft", "district=binhu", "address=滨湖区湖心路8号",
                                        "narrative=list-newest", "--data", dir, "--timeout", "30"])
        #expect(submitted.status == 0, "\(submitted.output)")
        try await c.waitSynced("duty")
        let newest = try Self.items(["incidents", "--data", dir, "--limit", "1"])
        #expect(newest.first?["narrative"] as? String == "list-newest")
        // Newest first throughout, oldest first when asked.
        let all = try Self.items(["incidents", "--data", dir])
        let times = all.compactMap { $0["created_at"] as? Int }
        #expect(times.count == all.count && times.count > 100)
        #expect(times == times.sorted(by: >))
        let oldest = try Self.items(["incidents", "--data", dir, "--limit", "3", "--oldest-first"])
        #expect(oldest.compactMap { $0["created_at"] as? Int } == Array(times.sorted().prefix(3)))

        // --status by code or by the console's Chinese name, and only that status.
        let replica = try c.replicaDB("duty")
        let openNew = try await replica.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM incident WHERE status = 'new'") ?? 0 }
        let byCode = try Self.items(["incidents", "--data", dir, "--status", "new"])
        #expect(byCode.count == openNew && openNew > 0)
        #expect(byCode.allSatisfy { $0["status"] as? String == "new" })
        #expect(try Self.items(["incidents", "--data", dir, "--status", "待派"]).count == openNew)
        let onScene = try Self.items(["units", "--data", dir, "--status", "on_scene"])
        #expect(onScene.allSatisfy { $0["status"] as? String == "on_scene" })

        // --since: a span back from now, a day, an instant.
        let hourAgo = Int(Date().timeIntervalSince1970) - 3600
        let lastHour = try await replica.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM incident WHERE created_at >= ?", arguments: [hourAgo + 1]) ?? 0
        }
        let recent = try Self.items(["incidents", "--data", dir, "--since", "1h"])
        #expect(recent.count >= 1 && abs(recent.count - lastHour) <= 1, "\(recent.count) vs \(lastHour)")
        #expect(recent.allSatisfy { ($0["created_at"] as? Int ?? 0) >= hourAgo })
        #expect(try Self.items(["incidents", "--data", dir, "--since", "2020-01-01"]).count == all.count)
        #expect(try Self.items(["incidents", "--data", dir, "--since", "2099-01-01T00:00:00+08:00"]).isEmpty)
        #expect(try Self.items(["incidents", "--data", dir, "--since", "2h", "--status", "new"])
            .allSatisfy { $0["status"] as? String == "new" })

        // Refusals: what was wrong and every value that would do, in the language asked for.
        let status = try Binary.run(["list", "incidents", "--data", dir, "--status", "open"])
        #expect(status.status != 0)
        #expect(status.output.contains("--status 'open' is not a status of incidents; use one of: new (待派), dispatched (已派), en_route (出动), on_scene (到场), working (处置中), resolved (已结束), closed (已关闭), merged (合并), cancelled (撤销)."), "\(status.output)")
        let zh = try Binary.run(["list", "tickets", "--data", dir, "--status", "open", "--lang", "zh"])
        #expect(zh.status != 0)
        #expect(zh.output.contains("--status 'open' 不是工单的状态；可用：registered（待派单）"), "\(zh.output)")
        let since = try Binary.run(["list", "incidents", "--data", dir, "--since", "yesterday"])
        #expect(since.status != 0)
        #expect(since.output.contains("--since 'yesterday' is not a time: give 2026-12-01, 2026-12-01T09:00:00+08:00, or a span back from now like 30m, 2h, 7d."), "\(since.output)")
        let noStatus = try Binary.run(["list", "rejections", "--data", dir, "--status", "new"])
        #expect(noStatus.status != 0)
        #expect(noStatus.output.contains("rejections have no status to choose from"), "\(noStatus.output)")
    }

    @Test func the_outbox_lists_each_queued_command_with_its_arguments_masked() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        try c.startAgent("duty", user: "duty1", password: "demoduty")
        try await c.waitSynced("duty")
        // Central gone: what is submitted stays queued.
        c.stopCentral()
        let dir = c.agentDir("duty")
        for narrative in ["first-queued", "身份证110101199003071234 second-queued"] {
            let run = try Binary.run(["submit", "createIncident", "type=theft", "district=binhu", "address=滨湖区 湖心路8号",
                                      "narrative=\(narrative)", "caller=王五", "phone=13812345678", "--data", dir, "--no-wait"])
            #expect(run.status == 0, "\(run.output)")
        }
        let text = try Binary.run(["list", "outbox", "--data", dir])
        #expect(text.status == 0, "\(text.output)")
        let lines = text.output.split(separator: "\n").filter { $0.contains("createIncident") }
        try #require(lines.count == 2, "\(text.output)")
        // Newest first, each with its arguments in the declaration's order, a blank quoted.
        #expect(lines[0].hasPrefix("2\tv0\tpending\t"), "\(lines[0])")
        #expect(lines[0].hasSuffix("createIncident type=theft district=binhu address=\"滨湖区 湖心路8号\" narrative=\"身份证110101********1234 second-queued\" caller=王五 phone=138****5678"), "\(lines[0])")
        #expect(lines[1].contains("narrative=first-queued"), "\(lines[1])")
        #expect(!text.output.contains("13812345678") && !text.output.contains("19900307"))
        // The JSON keeps the arguments whole, for scripts.
        let json = try Self.items(["outbox", "--data", dir, "--oldest-first"])
        #expect(json.map { $0["id"] as? Int } == [1, 2])
        #expect((json.first?["args"] as? String)?.contains("13812345678") == true)
    }
}
