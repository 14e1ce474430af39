@testable import FenghuoConsole
import FenghuoDomain
import FenghuoStore
import FenghuoTUI
import Testing
import TestSupport

@Suite("The dispatch queue's filter words, column filters and waiting-only toggle")
struct DispatchFilterTests {
    let reader = DemoCity.database.reader

    func allOpen() throws -> [Incident] { try reader.incidents(PageRequest(limit: 100_000)).rows }

    @Test func a_status_word_on_screen_in_either_language_names_its_status() {
        let parse = FilterText.incidents.parse
        #expect(parse("待派").columns.statusesNamedByText == ["new"])
        #expect(parse("sent").columns.statusesNamedByText == ["dispatched"])
        #expect(parse("已结束").columns.statusesNamedByText == ["resolved"])
        #expect(parse("湖心路").columns.statusesNamedByText.isEmpty)
        #expect(parse("湖心路").text == "湖心路")
    }

    @Test func column_conditions_are_keyed_words_in_chinese_or_english_with_either_colon() {
        let parse = FilterText.incidents.parse
        let zh = parse("状态:待派 辖区:江北")
        #expect(zh.text.isEmpty)
        #expect(zh.columns.statuses == ["new"])
        #expect(zh.columns.districtPrefix == "江北")
        let en = parse("STATUS:scene district:Jiangbei 盗窃")
        #expect(en.columns.statuses == ["on_scene"])
        #expect(en.columns.districtPrefix == "Jiangbei")
        #expect(en.text == "盗窃")
        #expect(parse("状态：已派").columns.statuses == ["dispatched"], "the full-width colon of a Chinese input method")
        // An unknown key or an empty value is just text
        #expect(parse("时间:10").columns.statuses == nil)
        #expect(parse("时间:10").text == "时间:10")
        #expect(parse("状态:").columns.statuses == nil)
        // A word that names no status leaves nothing, rather than everything
        #expect(parse("状态:火星").columns.statuses == [])
    }

    @Test func slash_waiting_finds_the_waiting_incidents() throws {
        // Given the dispatch queue
        let h = Harness()
        let waiting = try allOpen().filter { $0.status == .new }
        #expect(!waiting.isEmpty)
        // When the officer types /待派
        h.press(.char("/"))
        h.type("待派")
        h.press(.enter)
        // Then every waiting incident is in the list
        #expect(h.model.dispatch.queue.total >= waiting.count)
        #expect(h.model.dispatch.queue.rows.first?.status == .new)
    }

    @Test func a_status_and_district_filter_keeps_exactly_those_incidents() throws {
        // Given a district with a waiting incident, named by the first two characters of its name
        let waiting = try #require(try allOpen().first { $0.status == .new })
        let name = try #require(try reader.directory().districts[waiting.district]?.name)
        let prefix = String(name.prefix(2))
        // When the officer filters by status and district
        let h = Harness()
        h.press(.char("/"))
        h.type("状态:待派 辖区:\(prefix)")
        h.press(.enter)
        // Then exactly the waiting incidents of that district are listed, and the title shows the filter
        let expected = try allOpen().filter { $0.status == .new && $0.district == waiting.district }
        #expect(h.model.dispatch.queue.total == expected.count)
        #expect(h.model.dispatch.queue.rows.map(\.id) == expected.map(\.id))
        #expect(h.screen.contains("/状态:待派 辖区:\(prefix)"))
        // And a status the district has no incident in leaves the list empty, saying so
        h.press(.char("/"))
        h.press(Array(repeating: .backspace, count: 20))
        h.type("status:sent district:\(prefix)")
        h.press(.enter)
        #expect(h.model.dispatch.queue.rows.allSatisfy { $0.status == .dispatched && $0.district == waiting.district })
    }

    @Test func w_toggles_waiting_only_and_says_so_in_the_queue_title() throws {
        // Given the dispatch queue with every open incident
        let h = Harness()
        let all = try allOpen()
        #expect(h.model.dispatch.queue.total == all.count)
        // When w is pressed
        h.press(.char("w"))
        // Then only the waiting incidents remain, and the title says so
        #expect(h.model.dispatch.waitingOnly)
        #expect(h.model.dispatch.queue.total == all.count { $0.status == .new })
        #expect(h.model.dispatch.queue.rows.allSatisfy { $0.status == .new })
        #expect(h.screen.contains("仅待派"))
        // When it is pressed again every open incident is back
        h.press(.char("w"))
        #expect(!h.model.dispatch.waitingOnly)
        #expect(h.model.dispatch.queue.total == all.count)
        #expect(!h.screen.contains("仅待派"))
    }

    @Test func w_is_off_again_after_g_jumps_to_an_incident_that_does_not_wait() throws {
        // Given waiting only on, and an incident on scene
        var pane = DispatchPane()
        _ = pane.toggleWaitingOnly()
        let onScene = try #require(try allOpen().first { $0.status == .onScene })
        // When g jumps to it
        let effects = pane.open(onScene)
        // Then the read asks for the whole queue, where the incident is
        #expect(!pane.waitingOnly)
        guard case .load(.list(let q))? = effects.first else { Issue.record("\(effects)"); return }
        #expect(q.page.columns.statuses == nil)
    }

    @Test func the_help_names_w_in_both_languages() {
        for (language, text) in [(Language.zh, "只看待派"), (.en, "waiting only")] {
            let bindings = KeyMap(Strings(language)).paneBindings(.dispatch)
            #expect(bindings.contains { $0.label == "w" && $0.help == text }, "\(language)")
        }
    }

    @Test func the_queue_shows_the_time_since_the_call_beside_the_time_in_the_step() throws {
        // Given a wide dispatch queue, whose first incident has been waiting since its call
        let h = Harness(size: Size(width: 200, height: 50))
        let header = try #require(h.lines.first { $0.contains("接警时长") })
        #expect(header.contains("接警时长 状态时长"))
        // Then an incident on scene shows its call's age and, beside it, the (shorter) time in its step
        let onScene = try #require(try allOpen().first { $0.status == .onScene && $0.createdAt < $0.statusChangedAt })
        let c = h.model.context
        let line = try #require(h.lines.first { $0.contains(onScene.id) })
        let call = c.format.elapsed(since: onScene.createdAt, now: c.now), step = c.format.elapsed(since: onScene.statusChangedAt, now: c.now)
        #expect(line.contains(call) && line.contains(step), "\(line)")
    }
}
