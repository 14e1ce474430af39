import FenghuoConsole
import FenghuoTUI
import Testing
import TestSupport

/// Each pane at the smallest supported terminal and at a common large one, in both languages.
@Suite("Golden screens of the four panes")
struct GoldenScreenTests {
    static let sizes = [Size(width: 80, height: 24), Size(width: 120, height: 40)]

    @Test(arguments: PaneID.allCases, [Language.zh, .en])
    func pane_matches_its_golden_screen_at_both_sizes(_ pane: PaneID, _ language: Language) {
        for size in Self.sizes {
            let h = Harness(pane: pane, size: size, language: language)
            #expect(Golden.mismatch(h.lines, named: "\(pane)-\(language.rawValue)-\(size.width)x\(size.height)") == nil)
        }
    }

    @Test func the_help_overlay_lists_the_key_map() {
        let h = Harness(pane: .dispatch, size: Size(width: 120, height: 40))
        h.press(.char("?"))
        #expect(Golden.mismatch(h.lines, named: "help-zh-120x40") == nil)
    }

    @Test func the_incident_detail_opens_on_enter() {
        let h = Harness(pane: .dispatch, size: Size(width: 80, height: 24))
        h.press(.down, .enter)
        #expect(Golden.mismatch(h.lines, named: "incident-detail-zh-80x24") == nil)
    }

    @Test func the_approval_detail_shows_each_department() {
        let h = Harness(pane: .approvals, size: Size(width: 120, height: 40), language: .en)
        h.press(.enter)
        #expect(Golden.mismatch(h.lines, named: "approval-detail-en-120x40") == nil)
    }

    @Test func a_terminal_below_80x24_gets_a_message_instead_of_a_layout() {
        let h = Harness(pane: .hotline, size: Size(width: 60, height: 20))
        #expect(Golden.mismatch(h.lines, named: "too-small-zh-60x20") == nil)
    }
}
