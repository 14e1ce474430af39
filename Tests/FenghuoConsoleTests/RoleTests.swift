import FenghuoConsole
import FenghuoDomain
import FenghuoTUI
import Foundation
import Testing
import TestSupport

/// A role-aware console: panes say when they are not the role's, tiles say when the role may
/// not see them, and only the verbs the role may use are offered or sent.
@Suite("Role-aware console")
struct RoleTests {
    @Test func each_panes_roles_are_the_roles_central_sends_its_records_to() {
        for pane in PaneID.allCases {
            let served = Set(Role.allCases.filter { role in
                guard let kind = pane.entity else { return true }
                return Visibility.access(role, to: kind) != .none
            })
            #expect(pane.roles == served, "\(pane)")
        }
    }

    @Test func a_pane_outside_the_role_says_what_it_is_for_and_how_to_open_it() throws {
        let rig = try WriteRig(pane: .hotline, role: .duty)
        #expect(rig.screen.contains("热线：12345 市民诉求工单"))
        #expect(rig.flat.contains("你的角色是值班员：中心不向本终端同步工单"))
        #expect(rig.screen.contains("fenghuo demo --as hotline"))
        #expect(!rig.screen.contains("（暂无记录）"))
        rig.press(.char("3"))
        #expect(rig.screen.contains("fenghuo demo --as staff"))
    }

    @Test func tiles_the_role_may_not_see_read_no_access_never_zero() throws {
        let rig = try WriteRig(pane: .dashboard, role: .staff)
        // Staff are sent no incidents: every incident tile and the incident trend.
        let incidentTiles = rig.backend.lines.filter { $0.contains("今日接警") }
        #expect(!incidentTiles.isEmpty)
        #expect(rig.backend.lines.filter { $0.contains("— 无权限") }.count >= 2, "\(rig.screen)")
        #expect(rig.screen.contains("近24小时接警") && rig.screen.contains("部门人员不查看警情"))
        // Their department's tickets only: the ticket tiles say so.
        #expect(rig.screen.contains("本部门"))
        // A hotline agent is sent no units: the board says so instead of 待命 0/0.
        let hotline = try WriteRig(pane: .dispatch, role: .hotline)
        #expect(hotline.screen.contains("话务员不查看力量"))
        #expect(!hotline.screen.contains("待命 0/0"))
    }

    @Test func the_leaders_console_is_read_only_and_refuses_writes_here() throws {
        let rig = try WriteRig(pane: .dispatch, role: .leader, operatorLabel: "领导")
        #expect(rig.screen.contains("领导  只读"), "\(rig.screen)")
        rig.command("close")
        #expect(rig.sent.isEmpty)
        #expect(rig.screen.contains("关闭 只限值班员使用，你的角色是领导"))
        rig.press(.char("n"))
        #expect(rig.screen.contains("新建警情 只限值班员使用"))
        rig.command("submit createTicket category=停水 district=江北区 address=x summary=y")
        #expect(rig.sent.isEmpty)
        rig.press(.char("?"))
        #expect(rig.screen.contains("只读：本角色不发送命令"))
        #expect(!rig.screen.contains("assign UNIT"))
    }

    @Test func help_and_tab_offer_only_what_the_role_may_do() throws {
        let duty = try WriteRig(pane: .dispatch, role: .duty)
        duty.press(.char(":"))
        duty.type("submit create")
        duty.press(.tab)
        #expect(duty.screen.contains(":submit createIncident"), "\(duty.screen)")
        duty.press(.escape)
        duty.press(.char("?"))
        #expect(duty.screen.contains("assign UNIT"))
        let hotline = try WriteRig(pane: .hotline, role: .hotline)
        hotline.press(.char(":"))
        hotline.type("a")
        hotline.press(.tab)
        // `assign` and `accept` are the duty officer's and staff's: `approvals` is all that starts with a.
        #expect(hotline.screen.contains(":approvals"), "\(hotline.screen)")
        hotline.press(.escape)
        hotline.command("accept")
        #expect(hotline.sent.isEmpty)
        #expect(hotline.screen.contains("签收 只限部门人员使用，你的角色是话务员"))
        hotline.command("frobnicate")
        #expect(!hotline.screen.contains(" accept ") && hotline.screen.contains("transfer"))
    }
}
