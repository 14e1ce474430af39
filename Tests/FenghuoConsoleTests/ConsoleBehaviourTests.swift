import FenghuoConsole
import FenghuoDomain
import FenghuoStore
import FenghuoTUI
import Testing
import TestSupport

@Suite("Console behaviour: keys, modes and paging on the demo city")
struct ConsoleBehaviourTests {
    let reader = DemoCity.database.reader

    /// Every open incident in queue order, read straight from the store.
    func allOpenIncidents() throws -> [Incident] {
        try reader.incidents(PageRequest(limit: 100_000)).rows
    }

    @Test func number_keys_and_function_keys_switch_panes() {
        let h = Harness()
        #expect(h.model.active == .dispatch)
        h.press(.char("2"))
        #expect(h.model.active == .hotline)
        #expect(h.screen.contains("工单队列"))
        h.press(.function(3))
        #expect(h.model.active == .approvals)
        #expect(h.screen.contains("审批队列"))
        h.press(.char("4"))
        #expect(h.screen.contains("今日接警"))
        h.press(.function(1))
        #expect(h.screen.contains("警情队列"))
    }

    @Test func moving_past_the_last_visible_row_pages_by_key_to_the_next_row() throws {
        // Given the dispatch queue at 80×24, which shows fewer rows than there are open incidents
        let h = Harness(size: Size(width: 80, height: 24))
        let all = try allOpenIncidents()
        let visible = h.model.dispatch.queue.rows.count
        #expect(all.count > visible)
        // When the selection moves down one row past the window
        h.press(Array(repeating: .down, count: visible))
        // Then the window moved by one row and the selection is the next incident in queue order
        #expect(h.model.dispatch.queue.selectedRow?.id == all[visible].id)
        #expect(h.model.dispatch.queue.rows.first?.id == all[1].id)
        // And moving back up past the top brings the first incident back
        h.press(Array(repeating: .up, count: visible + 1))
        #expect(h.model.dispatch.queue.selectedRow?.id == all[0].id)
        #expect(h.model.dispatch.queue.rows.first?.id == all[0].id)
    }

    @Test func page_down_then_end_reach_the_last_open_incident() throws {
        let h = Harness(size: Size(width: 80, height: 24))
        let all = try allOpenIncidents()
        h.press(.pageDown)
        #expect(h.model.dispatch.queue.rows.first?.id == all[h.model.dispatch.queue.capacity].id)
        h.press(.char("G"))
        #expect(h.model.dispatch.queue.selectedRow?.id == all.last?.id)
        h.press(.home)  // `g` is the last outcome's record now
        #expect(h.model.dispatch.queue.selectedRow?.id == all.first?.id)
    }

    @Test func typing_a_chinese_filter_narrows_the_queue_as_you_type_and_esc_clears_it() throws {
        // Given the hotline queue
        let h = Harness(pane: .hotline)
        let before = h.model.hotline.queue.total
        // When the agent types / then 渗水 (two characters: the LIKE path)
        h.press(.char("/"))
        h.type("渗水")
        // Then only tickets mentioning 渗水 remain, and the title shows the filter
        let filtered = h.model.hotline.queue
        #expect(filtered.total > 0)
        #expect(filtered.total < before)
        #expect(filtered.rows.allSatisfy { $0.summary.contains("渗水") || $0.address.contains("渗水") || $0.id.contains("渗水") })
        #expect(h.screen.contains("工单队列 /渗水"))
        // When a third character is typed (the trigram index path) the list narrows further or stays
        h.type("开")
        #expect(h.model.hotline.queue.total <= filtered.total)
        // When Esc is pressed the filter is gone and every open ticket is back
        h.press(.escape)
        #expect(h.model.hotline.queue.total == before)
        #expect(!h.screen.contains("/渗水"))
    }

    @Test func a_filter_that_matches_nothing_says_so() {
        let h = Harness(pane: .approvals)
        h.press(.char("/"))
        h.type("不存在的申请人")
        #expect(h.model.approvals.queue.total == 0)
        #expect(h.screen.contains("没有匹配的记录"))
    }

    @Test func enter_opens_the_selected_ticket_and_esc_goes_back() throws {
        let h = Harness(pane: .hotline)
        let selected = try #require(h.model.hotline.queue.selectedRow)
        h.press(.enter)
        #expect(h.model.hotline.expanded)
        #expect(h.screen.contains("工单详情 \(selected.id)"))
        #expect(h.screen.contains(selected.callerPhone))
        h.press(.escape)
        #expect(!h.model.hotline.expanded)
        #expect(h.screen.contains("工单队列"))
    }

    @Test func the_ticket_detail_follows_the_selection() throws {
        let h = Harness(pane: .hotline)
        h.press(.down, .down)
        let selected = try #require(h.model.hotline.queue.selectedRow)
        #expect(h.model.hotline.detail?.id == selected.id)
        #expect(h.screen.contains("工单详情 \(selected.id)"))
    }

    @Test func tab_moves_focus_to_the_unit_board_and_arrows_then_move_there() {
        let h = Harness()
        let queueSelection = h.model.dispatch.queue.selectedRow?.id
        h.press(.tab, .down, .down)
        #expect(h.model.dispatch.queue.selectedRow?.id == queueSelection)
        let cell = h.cell(of: h.model.dispatch.units[2].id)
        #expect(cell?.style == Harness.defaultTheme[.selected])
    }

    @Test func the_command_line_switches_panes_language_and_quits() {
        let h = Harness()
        h.press(.char(":"))
        h.type("hot")
        h.press(.tab)  // completes to "hotline "
        h.press(.enter)
        #expect(h.model.active == .hotline)
        h.press(.char(":"))
        h.type("lang en")
        h.press(.enter)
        #expect(h.screen.contains("Ticket queue"))
        h.press(.char(":"))
        h.type("q")
        h.press(.enter)
        #expect(h.model.isFinished)
    }

    @Test func an_unknown_command_is_reported_with_the_list_of_verbs() {
        let h = Harness()
        h.press(.char(":"))
        h.type("launch")
        h.press(.enter)
        #expect(h.screen.contains("未知命令“launch”"))
        #expect(h.screen.contains("dispatch"))
        #expect(!h.model.isFinished)
    }

    @Test func q_quits_and_the_help_overlay_is_built_from_the_key_map() {
        let h = Harness()
        h.press(.char("?"))
        for binding in KeyMap(Strings(.zh)).global {
            #expect(h.screen.contains(binding.help), "help lists \(binding.label)")
        }
        h.press(.escape)
        #expect(!h.screen.contains("帮助 · 按键"))
        h.press(.char("q"))
        #expect(h.model.isFinished)
    }

    @Test func capital_l_toggles_the_language() {
        let h = Harness()
        h.press(.char("L"))
        #expect(h.screen.contains("Incident queue"))
        h.press(.char("L"))
        #expect(h.screen.contains("警情队列"))
    }

    @Test func a_resize_changes_how_many_rows_are_fetched_and_shown() {
        let h = Harness(size: Size(width: 80, height: 24))
        let small = h.model.dispatch.queue.rows.count
        h.resize(Size(width: 120, height: 40))
        #expect(h.model.dispatch.queue.rows.count > small)
        #expect(h.lines.count == 40)
        h.resize(Size(width: 70, height: 20))
        #expect(h.screen.contains("终端窗口太小"))
        h.resize(Size(width: 80, height: 24))
        #expect(h.screen.contains("警情队列"))
    }

    @Test func urgent_incidents_are_drawn_in_the_priority_1_style() throws {
        let h = Harness()
        // A critical incident below the first row is not selected, so it shows the plain priority style.
        let rows = h.model.dispatch.queue.rows
        let second = try #require(rows.dropFirst().first { $0.priority == .critical })
        let line = try #require(h.lines.firstIndex { $0.contains(second.id) })
        let cell = h.backend.buffer[1, line]
        #expect(cell.symbol == "特")
        #expect(cell.style.fg == Harness.defaultTheme[.priority1].fg)
        #expect(cell.style.modifiers.contains(.bold))
    }

    @Test func the_clock_ticks_the_time_since_the_last_status_change() throws {
        let h = Harness(size: Size(width: 120, height: 40))
        let first = try #require(h.model.dispatch.queue.rows.first)
        let before = Format(.zh).elapsed(since: first.statusChangedAt, now: DemoCity.now)
        #expect(h.screen.contains(before))
        h.program.send(.tick(DemoCity.now.addingTimeInterval(61)))
        h.program.render()
        let after = Format(.zh).elapsed(since: first.statusChangedAt, now: DemoCity.now.addingTimeInterval(61))
        #expect(h.screen.contains(after))
        #expect(h.screen.contains("10:01:01"))
    }

    @Test func esc_on_the_list_clears_a_filter_that_enter_kept() {
        let h = Harness(pane: .hotline)
        let all = h.model.hotline.queue.total
        h.press(.char("/"))
        h.type("噪声")
        h.press(.enter)
        #expect(h.model.hotline.queue.total < all)
        h.press(.escape)
        #expect(h.model.hotline.queue.filter.isEmpty)
        #expect(h.model.hotline.queue.total == all)
    }

    @Test func a_filter_matches_the_names_shown_for_codes() throws {
        // Given incidents whose type is shown as 盗窃 but stored as a code
        let h = Harness()
        let directory = try reader.directory()
        let theft = try #require(directory.incidentTypes.values.first { $0.name.contains("盗窃") })
        let expected = try allOpenIncidents().filter { directory.incidentTypes[$0.typeCode]?.name.contains("盗窃") == true
            || $0.address.contains("盗窃") || $0.narrative.contains("盗窃") }
        // When the officer filters by the name
        h.press(.char("/"))
        h.type("盗窃")
        // Then every incident of that type is listed
        #expect(h.model.dispatch.queue.total == expected.count)
        #expect(expected.contains { $0.typeCode == theft.code })
    }

    @Test func lang_without_a_language_shows_its_usage_and_ctrl_c_cancels_a_prompt() {
        let h = Harness()
        h.press(.char(":"))
        h.type("lang")
        h.press(.enter)
        #expect(h.screen.contains("用法：lang zh|en"))
        h.press(.char(":"))
        h.type("quit")
        h.press(.ctrl("c"))
        #expect(!h.model.isFinished)
        #expect(!h.screen.contains(":quit"))
    }

    @Test func the_position_stays_numeric_after_paging() throws {
        let h = Harness(pane: .hotline, size: Size(width: 80, height: 24))
        h.press(.pageDown)
        let q = h.model.hotline.queue
        #expect(q.position == q.capacity + 1)
        #expect(h.screen.contains("\(q.capacity + 1)/"))
    }
}
