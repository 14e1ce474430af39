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
        tmux.waitFor(text: "警情队列")
        tmux.press("n", until: "新建警情")
        tmux.type("住宅火灾")
        tmux.waitFor(text: "│住宅火灾")       // the list, down to the one type
        tmux.press("Enter")
        tmux.waitFor(text: "优先级 特急")     // chosen, and on to the district
        tmux.type("滨湖区")
        tmux.press("Tab")                     // takes the only match
        tmux.type("滨湖区湖心路8号")
        tmux.press("Tab")
        tmux.type("张三")
        tmux.press("Tab", "Tab")
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
}
