@testable import FenghuoConsole
import FenghuoDomain
import FenghuoStore
import FenghuoTUI
import Foundation
import Testing
import TestSupport

@Suite("The dispatch desk's life cycle at the console: verbs, timeline, step timers and the alert line")
struct DispatchLifeCycleTests {
    @Test func work_note_and_merge_verbs_send_their_commands_on_the_selected_incident() throws {
        let rig = try WriteRig(pane: .dispatch)
        let selected = try #require(rig.model.dispatch.queue.selectedRow)
        rig.command("work")
        rig.command("note 现场有浓烟，已疏散三楼")
        rig.command("merge 12")
        rig.press(.char("y"))
        let day = String(selected.id[...selected.id.lastIndex(of: "-")!])
        #expect(rig.sent.map(\.command) == [.workIncident(.init(selected.id)), .noteIncident(.init(selected.id), text: "现场有浓烟，已疏散三楼"),
                                            .mergeIncident(.init(selected.id), into: .init(day + "0012"))])
    }

    @Test func the_short_verbs_dispatch_by_the_days_number_and_report_units_in_one_word() throws {
        let rig = try WriteRig(pane: .dispatch)
        let unit = try #require(rig.model.dispatch.units.first { $0.status == .dispatched || $0.status == .enRoute })
        rig.command("d 42 P-BH-03,P-BH-04 P-GX-01")
        rig.command("en \(unit.id)")
        rig.command("ar \(unit.id)")
        rig.command("clr \(unit.id)")
        #expect(rig.sent.map(\.command) == [
            .dispatch(incident: "J20261201-0042", units: ["P-BH-03", "P-BH-04", "P-GX-01"]),
            .updateUnitStatus(unit: .init(unit.id), event: .depart), .updateUnitStatus(unit: .init(unit.id), event: .arrive),
            .updateUnitStatus(unit: .init(unit.id), event: .clear),
        ])
        #expect(rig.sent[1].baseVersion == unit.version, "a unit report goes on the version the board shows")
        rig.command("d 42")
        #expect(rig.screen.contains("用法：d N UNIT [UNIT…]"), "\(rig.screen)")
    }

    @Test func a_days_number_names_yesterdays_open_incident_when_today_has_none_of_that_number() throws {
        let rig = try WriteRig(pane: .dispatch)
        let open = try #require(rig.model.dispatch.queue.rows.first { $0.status.isOpen })
        // Last night's call, still open after midnight.
        try rig.database.writer.write { db in
            try db.execute(sql: "CREATE TEMP TABLE copy AS SELECT * FROM incident WHERE id = ?", arguments: [open.id])
            try db.execute(sql: "UPDATE copy SET id = 'J20261130-0777', created_at = created_at - 86400")
            try db.execute(sql: "INSERT INTO incident SELECT * FROM copy")
        }
        rig.notice(.changed)
        rig.command("d 777 P-BH-03")
        rig.command("d 778 P-BH-03")
        #expect(rig.sent.map(\.command) == [.dispatch(incident: "J20261130-0777", units: ["P-BH-03"]),
                                            .dispatch(incident: "J20261201-0778", units: ["P-BH-03"])])
    }

    @Test func tab_after_resolve_or_cancel_offers_only_the_dispositions_of_that_step_and_desk() throws {
        let rig = try WriteRig(pane: .dispatch)
        let selected = try #require(rig.model.dispatch.queue.selectedRow)
        let all = rig.model.context.directory.dispositions.values
        for (verb, use) in [("resolve ", Disposition.Use.resolve), ("cancel ", .cancel)] {
            rig.press(.char(":"))
            rig.type(verb)
            rig.press(.tab)
            let offered = Set(rig.model.completions.compactMap { $0.split(separator: " ").first.map(String.init) })
            let fitting = Set(all.filter { $0.fits(use, selected.agency) }.map(\.code))
            #expect(!offered.isEmpty && offered == fitting, "\(verb): \(offered) vs \(fitting)")
            rig.press(.escape)
        }
    }

    @Test func up_and_down_on_the_colon_line_walk_the_lines_sent_before() throws {
        let rig = try WriteRig(pane: .dispatch)
        let selected = try #require(rig.model.dispatch.queue.selectedRow)
        rig.command("note 第一条")
        rig.command("note 第二条")
        rig.press(.char(":"))
        rig.press(.up)
        #expect(rig.screen.contains(":note 第二条"), "\(rig.screen)")
        rig.press(.up, .up)
        #expect(rig.screen.contains(":note 第一条"), "the oldest stays at the top: \(rig.screen)")
        rig.press(.down)
        #expect(rig.screen.contains(":note 第二条"))
        rig.press(.down)
        #expect(!rig.screen.contains(":note"), "past the newest, the line is empty again")
        rig.press(.up, .enter)
        #expect(rig.sent.map(\.command).last == .noteIncident(.init(selected.id), text: "第二条"))
        #expect(rig.sent.count == 3)
    }

    @Test func close_releases_the_units_still_on_the_incident_and_its_question_names_them() throws {
        let rig = try WriteRig(pane: .dispatch)
        // An incident with a unit on scene (the board says so)
        let busy = try #require(rig.model.dispatch.units.first { $0.status == .onScene && $0.incidentID != nil })
        let index = try #require(rig.model.dispatch.queue.rows.firstIndex { $0.id == busy.incidentID })
        rig.press(Array(repeating: Key.down, count: index))
        #expect(rig.model.dispatch.queue.selectedRow?.id == busy.incidentID)
        rig.command("close")
        #expect(rig.flat.contains("一并释放\(busy.id)"), "\(rig.screen)")
        rig.press(.char("y"))
        #expect(rig.sent.map(\.command) == [.closeIncident(.init(busy.incidentID!), release: true)])
    }

    @Test func the_incident_detail_shows_its_timeline_newest_first_with_who_did_each_step() throws {
        let rig = try WriteRig(pane: .dispatch, size: Size(width: 120, height: 50))
        let selected = try #require(rig.model.dispatch.queue.rows.first { $0.timeline.count >= 3 })
        let index = try #require(rig.model.dispatch.queue.rows.firstIndex { $0.id == selected.id })
        rig.press(Array(repeating: Key.down, count: index))
        rig.press(.enter)
        #expect(rig.screen.contains("处警记录（新的在上）"), "\(rig.screen)")
        let lines = rig.screen.split(separator: "\n").map(String.init)
        let created = try #require(lines.firstIndex { $0.contains("接警登记 · \(selected.timeline[0].by)") }, "\(rig.screen)")
        let last = try #require(lines.firstIndex { $0.contains(" · \(selected.timeline.last!.by)") && $0.contains(String(Format(.zh).clock(selected.timeline.last!.at).suffix(8))) })
        #expect(last < created, "the newest step is above the call")
    }

    @Test func an_overdue_step_is_red_on_the_queue_and_on_the_alert_line_and_bang_opens_it() throws {
        let rig = try WriteRig(pane: .dispatch)
        // A waiting call that has waited well past its time to dispatch.
        let waiting = try #require(rig.model.dispatch.queue.rows.first { $0.status == .new })
        let allowed = try #require(rig.model.context.directory.responseTargets.allowed(waiting.priority, .dispatch))
        // Far past it, so it leads its priority on the alert line (a P1's entries come before it).
        let late = allowed * 20
        try rig.elsewhere("UPDATE incident SET status_changed_at = ? WHERE id = ?",
                          [Int(rig.now.timeIntervalSince1970 - late), waiting.id])
        #expect(rig.screen.contains("⚠ 告警"), "\(rig.screen)")
        let listed = rig.model.dispatch.alerts(rig.model.context)
        #expect(listed.contains { $0.incidentID == waiting.id && { if case .step = $0.subject { true } else { false } }($0) }, "\(listed)")
        // The line shows the most urgent first (here perhaps a P1's report due), as far as it fits.
        let head = try #require(listed.first)
        #expect(rig.screen.contains("P\(head.priority.rawValue) …\(head.incidentID.suffix(4))"), "\(rig.screen)")
        // The time-in-step cell is drawn in the danger colour (on a row not under the cursor).
        if rig.model.dispatch.queue.selectedRow?.id == waiting.id { rig.press(.down) }
        let row = try #require(rig.backend.lines.firstIndex { $0.hasPrefix("│") && $0.contains(waiting.id) })
        let clock = Format(.zh).elapsed(since: Date(timeIntervalSince1970: 0), now: Date(timeIntervalSince1970: late))
        let x = try #require(rig.backend.lines[row].range(of: clock, options: .backwards).map { rig.backend.lines[row][..<$0.lowerBound].displayWidth },
                             "\(clock) in \(rig.backend.lines[row])")
        #expect(rig.backend.buffer[x, row].style == rig.model.context.theme[.danger])
        // `!` opens the first alert's incident.
        let first = try #require(rig.model.dispatch.alerts(rig.model.context).first)
        rig.press(.char("!"))
        #expect(rig.screen.contains("警情详情 \(first.incidentID)"), "\(rig.screen)")
    }
}

@Suite("Enter on a unit of the board shows where it is committed and what it did")
struct UnitDetailTests {
    @Test func enter_on_a_busy_unit_shows_its_incident_and_its_steps_newest_first_and_esc_goes_back() throws {
        let rig = try WriteRig(pane: .dispatch, size: Size(width: 140, height: 45))
        let units = rig.model.dispatch.units
        let index = try #require(units.firstIndex { $0.status == .onScene && $0.incidentID != nil })
        let unit = units[index]
        rig.press(.tab)
        rig.press(Array(repeating: Key.down, count: index))
        rig.press(.enter)
        #expect(rig.screen.contains("力量详情 \(unit.id)"), "\(rig.screen)")
        #expect(rig.screen.contains("当前警情：\(unit.incidentID!)"), "\(rig.screen)")
        let lines = rig.screen.split(separator: "\n").map(String.init)
        let arrived = try #require(lines.firstIndex { $0.contains("\(unit.id) 到场 ·") }, "\(rig.screen)")
        let sent = try #require(lines.firstIndex { $0.contains("派遣 \(unit.id) ·") }, "\(rig.screen)")
        #expect(arrived < sent, "the arrival is newer than the dispatch")
        rig.press(.escape)
        #expect(!rig.screen.contains("力量详情"))
        #expect(rig.screen.contains("警情队列"))
    }
}
