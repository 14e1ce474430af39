import FenghuoConsole
import FenghuoDomain
import FenghuoProtocol
import FenghuoStore
import FenghuoTUI
import Foundation
import Testing
import TestSupport

/// `n` on the dispatch and hotline panes: a form over the body whose Enter queues one typed
/// `createIncident` / `createTicket`, built through the command's declaration.
@Suite("Intake forms: new incident, new ticket")
struct IntakeFormTests {
    /// A console on a stand-in agent (as in AgentModeTests), in either language, recording what it sends.
    final class Rig {
        let backend: TestBackend
        let program: Program<ConsoleModel>
        var sent: [CommandRequest] = []

        init(pane: PaneID, size: Size = Size(width: 120, height: 40), language: Language = .zh, agent: Bool = true) {
            let reader = DemoCity.database.reader
            let now = DemoCity.now
            backend = TestBackend(size: size)
            var model = ConsoleModel(language: language, theme: Harness.defaultTheme, size: size, now: now, start: pane,
                                     operatorLabel: "duty1")
            model.agentConnected = agent
            weak var rig: Rig?
            program = Program(model: model, backend: backend, clock: { now }) { effect in
                if case .submit(let request) = effect {
                    rig?.sent.append(request)
                    return [.agent(.queued(id: Int64(rig?.sent.count ?? 0), label: request.label))]
                }
                return reader.perform(effect)
            }
            rig = self
            program.send(.tick(now))
            if agent {
                program.send(.agent(.status(SyncStatus(online: true, phase: .ready, lagSeq: 0, lagMs: 0, outbox: 0, lastSyncAt: now))))
            }
            program.render()
        }

        var screen: String { backend.lines.joined(separator: "\n") }

        func press(_ keys: Key...) {
            for key in keys { program.send(.key(key)) }
            program.render()
        }

        func type(_ text: String) {
            for c in text { program.send(.key(.char(c))) }
            program.render()
        }
    }

    @Test func a_new_incident_typed_in_chinese_is_sent_as_one_typed_command() throws {
        let rig = Rig(pane: .dispatch)
        rig.press(.char("n"))
        #expect(rig.screen.contains("新建警情"))
        rig.type("住宅火灾")
        rig.press(.enter)                 // the only match: 住宅火灾 (fire_home); on to the address
        #expect(rig.screen.contains("优先级 特急"))
        rig.type("滨湖区湖心路8号")         // names no gazetteer place as a whole: nothing is offered
        rig.press(.tab)
        rig.type("bh")                    // pinyin initials of 滨湖区
        rig.press(.tab)                   // Tab takes the only match and moves on, to the priority
        #expect(rig.screen.contains("P1 特急"))  // proposed by the type
        rig.press(.tab)
        rig.type("13800000000")
        rig.press(.tab)
        rig.type("张三")
        rig.press(.tab)
        rig.type("三楼厨房起火，有浓烟")
        #expect(rig.sent.isEmpty)
        rig.press(.enter)
        #expect(rig.sent.count == 1)
        let sent = try #require(rig.sent.first)
        #expect(sent.command == .createIncident(NewIncident(type: "fire_home", district: "binhu", address: "滨湖区湖心路8号",
                                                           narrative: "三楼厨房起火，有浓烟", caller: "张三", phone: "13800000000",
                                                           priority: .critical)))
        #expect(sent.label == "新建警情")
        #expect(sent.baseVersion == nil)
        // The form closed: the queue is back and the queued message shows.
        #expect(!rig.screen.contains("放弃已输入"))
        #expect(rig.screen.contains("已排队 #1 新建警情"))
        #expect(rig.screen.contains("警情队列"))
    }

    @Test func n_before_the_directory_is_read_says_so_and_opens_no_form_with_empty_lists() {
        // A console on an agent whose first reads have not come back yet.
        var model = ConsoleModel(language: .zh, theme: Harness.defaultTheme, size: Size(width: 120, height: 40),
                                 now: DemoCity.now, start: .dispatch, operatorLabel: "duty1")
        model.agentConnected = true
        model.role = .duty
        _ = model.update(.key(.char("n")))
        var buffer = Buffer(size: Size(width: 120, height: 40))
        _ = model.render(into: &buffer)
        let screen = buffer.lines.joined(separator: "\n")
        #expect(!screen.contains("新建警情"))
        #expect(screen.contains("正在读取目录"))
    }

    @Test func enter_with_a_required_field_missing_sends_nothing_and_marks_it() throws {
        let rig = Rig(pane: .dispatch)
        rig.press(.char("n"))
        rig.press(.enter)
        #expect(rig.sent.isEmpty)
        #expect(rig.screen.contains("必填"))
        // Filling all but the narrative still sends nothing.
        rig.type("住宅火灾")
        rig.press(.enter)
        rig.type("湖心路8号")
        rig.press(.tab)                    // the district is filled from the street
        rig.press(.enter)
        #expect(rig.sent.isEmpty)
        #expect(rig.screen.contains("必填"))
        #expect(rig.screen.contains("新建警情"))
    }

    @Test func keys_inside_the_form_edit_it_instead_of_quitting_or_switching_panes() throws {
        let rig = Rig(pane: .dispatch)
        rig.press(.char("n"), .tab)  // to the address
        rig.type("q2L?/:")
        #expect(!rig.program.model.isFinished)
        #expect(rig.program.model.active == .dispatch)
        #expect(rig.screen.contains("[q2L?/:"))
        // Esc after typing asks; n keeps the form, y throws it away.
        rig.press(.escape)
        #expect(rig.screen.contains("放弃已输入的内容？ y/n"))
        rig.press(.char("n"))
        #expect(rig.screen.contains("[q2L?/:"))
        rig.press(.escape, .char("y"))
        #expect(!rig.screen.contains("新建警情"))
        #expect(rig.sent.isEmpty)
        // Back in the console, q quits again.
        rig.press(.char("q"))
        #expect(rig.program.model.isFinished)
    }

    @Test func esc_on_an_untouched_form_just_closes_it() {
        let rig = Rig(pane: .hotline)
        rig.press(.char("n"))
        #expect(rig.screen.contains("新建工单"))
        rig.press(.escape)
        #expect(!rig.screen.contains("新建工单"))
        #expect(!rig.screen.contains("放弃已输入"))
    }

    @Test func a_new_ticket_on_the_hotline_pane() throws {
        let rig = Rig(pane: .hotline)
        rig.press(.char("n"))
        rig.type("停水")
        rig.press(.enter)
        rig.type("jbq")
        rig.press(.tab)
        rig.type("江北区沿江大道12号")
        rig.press(.tab)
        rig.type("小区停水")
        rig.press(.tab)
        rig.type("整栋楼停水半天")
        rig.press(.enter)
        let sent = try #require(rig.sent.first)
        #expect(rig.sent.count == 1)
        #expect(sent.command == .createTicket(NewTicket(category: "water_outage", district: "jiangbei", address: "江北区沿江大道12号",
                                                       summary: "小区停水", detail: "整栋楼停水半天")))
        #expect(sent.label == "新建工单")
    }

    @Test func without_an_agent_n_says_so_instead_of_opening_a_form() {
        let rig = Rig(pane: .dispatch, agent: false)
        rig.press(.char("n"))
        #expect(rig.screen.contains("代理未连接"))
        #expect(!rig.screen.contains("新建警情"))
        rig.type("abc")
        #expect(rig.sent.isEmpty)
    }

    @Test func n_is_in_the_help_and_the_hints_of_both_panes() {
        for pane in [PaneID.dispatch, .hotline] {
            let rig = Rig(pane: pane, size: Size(width: 160, height: 40))
            #expect(rig.screen.contains("n 新建"))
            rig.press(.char("?"))
            #expect(rig.screen.contains("新建"))
        }
    }

    // MARK: Golden screens

    @Test(arguments: [Language.zh, .en])
    func the_incident_form_matches_its_golden_screens(_ language: Language) {
        for size in GoldenScreenTests.sizes {
            let rig = Rig(pane: .dispatch, size: size, language: language)
            rig.press(.char("n"))
            rig.type("住宅火灾")
            rig.press(.enter)
            rig.type("滨湖区湖心路8号")
            #expect(Golden.mismatch(rig.backend.lines, named: "incident-form-\(language.rawValue)-\(size.width)x\(size.height)") == nil)
        }
    }

    @Test(arguments: [Language.zh, .en])
    func the_ticket_form_matches_its_golden_screens(_ language: Language) {
        for size in GoldenScreenTests.sizes {
            let rig = Rig(pane: .hotline, size: size, language: language)
            rig.press(.char("n"))
            rig.type("停水")
            rig.press(.enter)
            rig.type("江北")                // the district list, open on what matches
            #expect(Golden.mismatch(rig.backend.lines, named: "ticket-form-\(language.rawValue)-\(size.width)x\(size.height)") == nil)
        }
    }
}
