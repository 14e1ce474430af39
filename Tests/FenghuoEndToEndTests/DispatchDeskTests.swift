import Foundation
import GRDB
import Testing
import TestSupport

/// The dispatch desk on the real binaries: a P1 fire from the phone call to units on their way,
/// by the recommendation, online and with central stopped; and `fenghuo dispatch recommend`.
@Suite("The dispatch desk, end to end", .serialized, .processes)
struct DispatchDeskTests {
    /// The units `fenghuo dispatch recommend --json` would send to `incident`.
    static func recommended(_ incident: String, _ c: SyncCluster) throws -> (units: [String], json: [String: Any]) {
        let run = try Binary.run(["dispatch", "recommend", incident, "--data", c.agentDir("a"), "--json"])
        #expect(run.status == 0, "\(run.output)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any], "\(run.output)")
        let units = (json["units"] as? [[String: Any]] ?? []).filter { $0["role"] as? String == "send" }.compactMap { $0["unit"] as? String }
        return (units, json)
    }

    /// Types a P1 house fire into the form and waits for central's new id.
    static func callInFire(_ tmux: Tmux, narrative: String, _ c: SyncCluster) async throws -> String {
        tmux.press("n", until: "新建警情")
        tmux.type("zzhz")                      // 住宅火灾 by its pinyin initials
        tmux.waitFor(text: "│住宅火灾")
        tmux.press("Enter")
        tmux.type("滨湖区湖心路8号")            // fills the district too
        tmux.press("Tab", "Tab", "Tab", "Tab")  // district, priority (proposed), phone, caller
        tmux.type("王女士")
        tmux.press("Tab")
        tmux.type(narrative)
        tmux.waitFor(text: narrative)
        tmux.press("Enter")
        // Central has it; the console says so for 6 s (a loaded machine may capture the pane
        // less often than that, so the record in central is what is waited for).
        func stored() throws -> String? {
            try c.centralDB().read { try String.fetchOne($0, sql: "SELECT id FROM incident WHERE narrative = ?", arguments: [narrative]) }
        }
        #expect(try await c.eventually(30) { try stored() != nil }, "\(tmux.screen())")
        let id = try #require(try stored(), "the incident is not in central's database")
        // And the console heard central's answer: nothing of it is still waiting to be sent.
        tmux.waitFor(text: "待发 0")
        return id
    }

    /// Central, a duty officer's agent synced, and the console on it in tmux.
    static func dutyConsole() async throws -> (SyncCluster, Tmux) {
        let c = try SyncCluster()
        try await c.startCentral()
        try c.startAgent("a", user: "duty1", password: "demoduty")
        try await c.waitSynced("a")
        let tmux = try Tmux(width: 120, height: 40, command: Binary.console(onAgent: c.agentDir("a")))
        tmux.waitForQueue()
        return (c, tmux)
    }

    static func centralUnits(_ incident: String, _ c: SyncCluster) throws -> (status: String, units: [String]) {
        try c.centralDB().read { db in
            let row = try Row.fetchOne(db, sql: "SELECT status, unit_ids FROM incident WHERE id = ?", arguments: [incident])
            let ids = (row?["unit_ids"] as String? ?? "").split(separator: ",").map(String.init)
            return (row?["status"] ?? "", ids)
        }
    }

    @Test func a_p1_fire_goes_from_the_call_to_the_recommended_units_in_two_keys_after_the_form() async throws {
        let (c, tmux) = try await Self.dutyConsole()
        let incident = try await Self.callInFire(tmux, narrative: "调度测试：二楼厨房起火有人被困", c)
        tmux.press("g")
        tmux.waitFor(text: "警情详情 \(incident)")
        let (units, json) = try Self.recommended(incident, c)
        // 住宅火灾 P1: two engines, a rescue vehicle, an ambulance and a patrol car, by road from 滨湖区.
        #expect(units.count == 5, "\(json)")
        #expect((json["units"] as? [[String: Any]])?.allSatisfy { ($0["eta_s"] as? Int ?? -1) >= 0 && $0["from_node"] != nil } == true)
        tmux.waitFor(text: "出动建议")
        tmux.waitFor(text: units[0])
        tmux.press("D")
        #expect(try await c.eventually { try Self.centralUnits(incident, c).status == "dispatched" }, "\(tmux.screen())")
        #expect(Set(try Self.centralUnits(incident, c).units) == Set(units))
        #expect(DemoQueueTests.quit(tmux) == 0)
    }

    @Test func with_central_stopped_D_queues_the_dispatch_and_central_applies_it_when_it_returns() async throws {
        let (c, tmux) = try await Self.dutyConsole()
        let incident = try await Self.callInFire(tmux, narrative: "断网调度测试：楼道起火", c)
        tmux.press("g")
        tmux.waitFor(text: "警情详情 \(incident)")
        tmux.waitFor(text: "出动建议")
        let (units, _) = try Self.recommended(incident, c)
        c.stopCentral()
        tmux.press("D")
        tmux.waitFor(text: "已排队")
        #expect(try Self.centralUnits(incident, c).status == "new")
        try await c.startCentral()
        #expect(try await c.eventually(30) { try Self.centralUnits(incident, c).status == "dispatched" }, "\(tmux.screen())")
        #expect(Set(try Self.centralUnits(incident, c).units) == Set(units))
        #expect(DemoQueueTests.quit(tmux) == 0)
    }

    @Test func link_120_on_a_fire_makes_the_ambulance_desks_part_and_the_detail_shows_it_with_its_steps() async throws {
        let (c, tmux) = try await Self.dutyConsole()
        let incident = try await Self.callInFire(tmux, narrative: "联动测试：三楼起火有人受伤", c)
        tmux.press("g")
        tmux.waitFor(text: "警情详情 \(incident)")
        tmux.press(":")
        tmux.type("link 120")
        tmux.press("Enter")
        _ = tmux.waitFor("the link applied") { $0.contains("已生效") && $0.contains("联动 \(incident)") }
        let part = try await c.centralDB().read { db in
            try Row.fetchOne(db, sql: "SELECT id, agency, type_code, caller_name, timeline FROM incident WHERE narrative LIKE ?",
                             arguments: ["联动 \(incident)：%"])
        }
        let row = try #require(part, "central holds no 120 part")
        #expect(row["agency"] as String == "120" && row["caller_name"] as String == "王女士")
        // 住宅火灾's plan names no 120 type: the agency's default.
        #expect(row["type_code"] as String == "first_aid")
        let partID: String = row["id"]
        tmux.waitFor(text: "联动：120 \(partID) 待派")
        tmux.waitFor(text: "120 联动自 \(incident)")
        #expect(DemoQueueTests.quit(tmux) == 0)
    }
}
