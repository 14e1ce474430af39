import Foundation
import GRDB
import Testing
import TestSupport

/// `n` in the real console on an agent: the new-incident form, filled in Chinese, reaches central.
@Suite("The intake form on an agent", .serialized, .processes)
struct IntakeFormOnAgentTests {
    @Test func an_incident_typed_into_the_form_in_chinese_arrives_in_centrals_database() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        try c.startAgent("a", user: "duty1", password: "demoduty")
        try await c.waitSynced("a")

        let tmux = try Tmux(width: 120, height: 40, command: Binary.console(onAgent: c.agentDir("a")))
        tmux.waitFor(text: "● 在线")
        tmux.waitForQueue()
        tmux.press("n", until: "新建警情")
        tmux.type("住宅火灾")
        tmux.waitFor(text: "│住宅火灾")       // the list, down to the one type
        tmux.press("Enter")
        tmux.waitFor(text: "优先级 特急")     // chosen, and on to the address
        tmux.type("滨湖区湖心路8号")
        tmux.press("Tab")                     // on to the district, filled from the street
        tmux.type("滨湖区")
        tmux.press("Tab")                     // takes the only match, on to the priority
        tmux.press("Tab", "Tab")              // phone, caller
        tmux.type("张三")
        tmux.press("Tab")
        tmux.type("表单测试：三楼厨房起火")
        tmux.waitFor(text: "三楼厨房起火")
        tmux.press("Enter")
        tmux.waitFor(text: "已生效")
        let row = try await c.centralDB().read { db in
            try Row.fetchOne(db, sql: "SELECT type_code, priority, district, address, caller_name FROM incident WHERE narrative = ?",
                             arguments: ["表单测试：三楼厨房起火"])
        }
        let incident = try #require(row, "the incident is not in central's database")
        #expect(incident["type_code"] as String? == "fire_home")
        #expect(incident["priority"] as Int? == 1)
        #expect(incident["district"] as String? == "binhu")
        #expect(incident["address"] as String? == "滨湖区湖心路8号")
        #expect(incident["caller_name"] as String? == "张三")
        tmux.press("q")
        #expect(tmux.waitForExit() == 0)
    }

    /// The quickest fire call: a landmark by its pinyin initials fills address and district, its
    /// warning shows before Enter, and central places the incident at the landmark's point.
    /// Keys: n, zzhz, Enter, wmxc, Enter, Tab, Tab, the narrative, Enter (14 plus the narrative).
    @Test func a_fire_at_a_landmark_typed_by_pinyin_initials_arrives_at_the_landmarks_point() async throws {
        let c = try SyncCluster()
        try await c.startCentral()
        try c.startAgent("a", user: "duty1", password: "demoduty")
        try await c.waitSynced("a")

        let tmux = try Tmux(width: 120, height: 40, command: Binary.console(onAgent: c.agentDir("a")))
        tmux.waitFor(text: "● 在线")
        tmux.waitForQueue()
        tmux.press("n", until: "新建警情")
        tmux.type("zzhz")                     // 住宅火灾
        tmux.waitFor(text: "│住宅火灾")
        tmux.press("Enter")
        tmux.type("wmxc")                     // 文庙新村
        tmux.waitFor(text: "文庙新村  老城区 · 小区")
        tmux.press("Enter")                   // address and district filled, on to the phone
        tmux.waitFor(text: "⚠ 地址警示")
        tmux.waitFor(text: "老旧小区")
        tmux.press("Tab", "Tab")              // caller, narrative
        tmux.type("定位测试：五楼冒烟")
        tmux.waitFor(text: "五楼冒烟")
        tmux.press("Enter")
        tmux.waitFor(text: "已生效")
        let row = try await c.centralDB().read { db in
            try Row.fetchOne(db, sql: "SELECT type_code, priority, district, address, lat, lon FROM incident WHERE narrative = ?",
                             arguments: ["定位测试：五楼冒烟"])
        }
        let incident = try #require(row, "the incident is not in central's database")
        #expect(incident["type_code"] as String? == "fire_home")
        #expect(incident["priority"] as Int? == 1)
        #expect(incident["district"] as String? == "laocheng")
        #expect(incident["address"] as String? == "文庙新村")
        #expect(incident["lat"] as Double? == 30.522286)
        #expect(incident["lon"] as Double? == 114.270191)
        tmux.press("q")
        #expect(tmux.waitForExit() == 0)
    }
}
