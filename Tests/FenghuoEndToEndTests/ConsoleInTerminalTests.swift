import Foundation
import Testing
import TestSupport

/// The real binary in a real terminal (tmux): what a duty officer would do at the console.
@Suite("The console in a real terminal", .serialized, .processes)
struct ConsoleInTerminalTests {
    @Test func switching_panes_and_quitting_restores_the_terminal() throws {
        let tmux = try Tmux(width: 120, height: 40, command: Binary.console())
        tmux.waitForQueue()
        tmux.waitFor(text: "力量状态")
        tmux.press("2")
        tmux.waitFor(text: "工单队列")
        tmux.press("3")
        tmux.waitFor(text: "审批队列")
        tmux.press("4")
        tmux.waitFor(text: "今日接警")
        tmux.press("F1")
        tmux.waitForQueue()
        tmux.press("q")
        #expect(tmux.waitForExit() == 0)
        // The alternate screen was left: the console's frame is gone from the terminal.
        #expect(!tmux.screen().contains("警情队列"))
    }

    @Test func a_chinese_filter_typed_at_the_console_keeps_only_matching_rows() throws {
        let tmux = try Tmux(width: 120, height: 40, command: Binary.console())
        tmux.waitForQueue()
        tmux.press("/")
        tmux.type("江北区")
        // The title takes the filter at the key; the rows follow when the query has run.
        func rows(_ screen: String) -> [Substring] { screen.split(separator: "\n").filter { $0.contains("J2026") } }
        let screen = tmux.waitFor("only 江北区 rows under the filter") {
            $0.contains("警情队列 /江北区") && !rows($0).isEmpty && rows($0).allSatisfy { $0.contains("江北区") }
        }
        #expect(!rows(screen).isEmpty)
        tmux.press("Escape")
        tmux.waitFor("the filter to clear") { !$0.contains("/江北区") && $0.contains("警情队列") }
        tmux.press("q")
        #expect(tmux.waitForExit() == 0)
    }

    @Test func chinese_columns_line_up_exactly_in_the_terminal() throws {
        let tmux = try Tmux(width: 120, height: 40, command: Binary.console())
        let screen = tmux.waitFor("the queue and the board") { $0.contains("警情队列") && $0.contains("P-") }
        // Every body line has its two panel borders at the same terminal columns.
        // (The dispatch pane's alert line, above the status bar, is not a panel row.)
        let lines = screen.split(separator: "\n").map(String.init).dropFirst().dropLast().filter { !$0.isEmpty && !$0.hasPrefix(" ⚠") }
        let borders = lines.map { line -> [Int] in
            var col = 0
            var found: [Int] = []
            for c in line {
                if c == "│" || c == "┐" || c == "┘" || c == "┌" || c == "└" { found.append(col) }
                col += c.unicodeScalars.first.map { $0.value >= 0x1100 && Self.isWide($0.value) ? 2 : 1 } ?? 1
            }
            return found
        }
        #expect(Set(borders.map { $0.last ?? -1 }).count == 1, "right borders: \(Set(borders.map { $0.last ?? -1 }))")
        #expect(borders.allSatisfy { $0.contains(0) })
        tmux.press("q")
        _ = tmux.waitForExit()
    }

    static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v)
    }

    @Test func resizing_redraws_the_layout_and_a_small_window_gets_a_message() throws {
        let tmux = try Tmux(width: 120, height: 40, command: Binary.console())
        tmux.waitForQueue()
        tmux.resize(width: 80, height: 24)
        tmux.waitFor("the 80×24 layout") { s in
            let lines = s.split(separator: "\n")
            return s.contains("警情队列") && lines.count <= 24 && lines.contains { $0.hasPrefix("└") && $0.hasSuffix("┘") }
        }
        tmux.resize(width: 60, height: 20)
        tmux.waitFor(text: "终端窗口太小")
        tmux.waitFor(text: "60×20")
        tmux.resize(width: 100, height: 30)
        tmux.waitFor("the layout again") { $0.contains("警情队列") && !$0.contains("终端窗口太小") }
        tmux.press("q")
        #expect(tmux.waitForExit() == 0)
    }

    @Test(arguments: ["linux", "vt100"])
    func the_console_works_on_basic_terminals(_ term: String) throws {
        let tmux = try Tmux(width: 100, height: 30, command: Binary.console(term: term))
        tmux.waitForQueue()
        tmux.press("2")
        tmux.waitFor(text: "工单队列")
        tmux.press("/")
        tmux.type("停水")
        tmux.waitFor(text: "工单队列 /停水")
        tmux.press("Enter")
        tmux.press("q")
        #expect(tmux.waitForExit() == 0)
    }

    @Test func english_on_request() throws {
        let tmux = try Tmux(width: 120, height: 40, command: Binary.console(arguments: "--lang en --pane approvals"))
        tmux.waitFor(text: "Approval queue")
        tmux.press("?")
        tmux.waitFor(text: "Help · keys")
        tmux.press("Escape")
        tmux.press(":")
        tmux.type("quit")
        tmux.press("Enter")
        #expect(tmux.waitForExit() == 0)
    }

    @Test func sigterm_restores_the_terminal_and_exits_143() throws {
        let tmux = try Tmux(width: 100, height: 30, command: Binary.console())
        tmux.waitForQueue()
        let pid = try #require(tmux.consolePID())
        kill(pid, SIGTERM)
        #expect(tmux.waitForExit() == 143)
        #expect(!tmux.screen().contains("警情队列"))
    }

    @Test func a_crash_gives_the_terminal_back_before_the_process_dies() throws {
        let tmux = try Tmux(width: 100, height: 30, command: Binary.console())
        tmux.waitForQueue()
        let pid = try #require(tmux.consolePID())
        kill(pid, SIGSEGV)
        #expect(tmux.waitForExit() == 128 + Int(SIGSEGV))
        #expect(!tmux.screen().contains("警情队列"))
    }
}
