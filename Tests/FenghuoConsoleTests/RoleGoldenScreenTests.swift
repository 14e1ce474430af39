import FenghuoConsole
import FenghuoDomain
import FenghuoTUI
import Testing
import TestSupport

/// Each role's four panes on an agent's console: its own panes, the "not your role" panels,
/// the tiles it may not see, and the leader's 只读.
@Suite("Golden screens of each role's panes")
struct RoleGoldenScreenTests {
    static let operators: [Role: String] = [.duty: "值班员一 值班员", .hotline: "话务员一 话务员", .staff: "城管一 部门人员", .leader: "领导一 领导"]

    @Test(arguments: Role.allCases)
    func each_roles_panes_match_their_golden_screens(_ role: Role) throws {
        let rig = try WriteRig(pane: .dispatch, role: role, operatorLabel: Self.operators[role]!)
        for pane in PaneID.allCases {
            rig.press(.char(Character("\(pane.rawValue + 1)")))
            #expect(Golden.mismatch(rig.backend.lines, named: "role-\(role.rawValue)-\(pane)-zh-120x40") == nil)
        }
    }

    @Test func a_not_your_role_panel_fits_80x24_in_english() throws {
        let rig = try WriteRig(pane: .approvals, size: Size(width: 80, height: 24), role: .hotline, language: .en,
                               operatorLabel: "hotline1")
        #expect(Golden.mismatch(rig.backend.lines, named: "role-hotline-approvals-en-80x24") == nil)
    }
}
