import Foundation
import Testing
import TestSupport

/// Home and End as real terminals send them, typed into the real console in tmux. Under each
/// TERM some encodings are in terminfo (curses decodes them: KEY_HOME, KEY_FIND, …) and the
/// rest are not (`KeySequence` decodes them); either way End goes to the last row and Home,
/// in a `/` filter, moves the cursor to the start without cancelling the filter.
@Suite("Home and End in a real terminal", .serialized, .processes)
struct HomeEndInTerminalTests {
    /// The bytes after ESC for Home and End: tmux/screen/PuTTY/Linux, rxvt, xterm, xterm app mode.
    static let encodings = [("[1~", "[4~"), ("[7~", "[8~"), ("[H", "[F"), ("OH", "OF")]

    /// `12/571` from a list's heading (the ticket queue's unless told).
    static func position(_ screen: String, in heading: String = "工单队列") -> (row: String, total: String)? {
        guard let line = screen.split(separator: "\n").first(where: { $0.contains(heading) }),
              let match = line.firstMatch(of: /([\d,]+)\/([\d,]+)\s*┐/) else { return nil }
        return (String(match.1), String(match.2))
    }

    @Test(arguments: ["xterm-256color", "tmux-256color", "vt220", "rxvt"])
    func end_goes_to_the_last_ticket_and_home_back_to_the_first(_ term: String) throws {
        let tmux = try Tmux(width: 120, height: 40, command: Binary.console(term: term, arguments: "--pane hotline"))
        tmux.waitFor("the ticket queue") { Self.position($0)?.row == "1" }
        for (home, end) in Self.encodings {
            tmux.type("\u{1B}" + end)
            let atEnd = tmux.waitFor("End (ESC\(end)) at the last row under \(term)") {
                guard let p = Self.position($0) else { return false }
                return p.row == p.total
            }
            // Still the ticket list: ESC[4~ used to be Esc, then 4 (the dashboard).
            #expect(atEnd.contains("工单队列") && !atEnd.contains("今日接警"), "ESC\(end) under \(term)")
            tmux.type("\u{1B}" + home)
            tmux.waitFor("Home (ESC\(home)) at the first row under \(term)") { Self.position($0)?.row == "1" }
        }
        tmux.press("q")
        #expect(tmux.waitForExit() == 0)
    }

    @Test(arguments: ["xterm-256color", "tmux-256color", "vt220", "rxvt"])
    func home_and_end_in_a_filter_move_the_cursor_and_keep_the_filter(_ term: String) throws {
        let tmux = try Tmux(width: 120, height: 40, command: Binary.console(term: term, arguments: "--pane hotline"))
        tmux.waitFor(text: "工单队列")
        tmux.press("/")
        tmux.type("停水")
        tmux.waitFor(text: "/停水")
        // Home, a letter, End, a letter, in each encoding: the letters land at the two ends.
        var expected = "停水"
        for (n, (home, end)) in Self.encodings.enumerated() {
            let before = String(UnicodeScalar(UInt8(ascii: "a") + UInt8(2 * n)))
            let after = String(UnicodeScalar(UInt8(ascii: "a") + UInt8(2 * n + 1)))
            tmux.type("\u{1B}" + home)
            tmux.type(before)
            tmux.type("\u{1B}" + end)
            tmux.type(after)
            expected = before + expected + after
            tmux.waitFor("the filter prompt /\(expected) under \(term)") { $0.split(separator: "\n").last?.hasPrefix("/\(expected)") == true }
        }
        // Delete at the start takes the first letter; the prompt is still open.
        tmux.type("\u{1B}[1~")
        tmux.type("\u{1B}[3~")
        expected.removeFirst()
        tmux.waitFor("Delete (ESC[3~) to remove the first letter under \(term)") {
            $0.split(separator: "\n").last?.hasPrefix("/\(expected)") == true
        }
        tmux.press("Escape")
        tmux.waitFor("the filter to be cancelled by Esc itself") { !$0.contains("/\(expected)") }
        tmux.press("q")
        #expect(tmux.waitForExit() == 0)
    }

    @Test func insert_page_down_and_page_up_are_not_read_as_pane_keys() throws {
        // vt100's terminfo names none of these keys, so curses passes each on as Esc and
        // characters: Insert (ESC[2~) used to be Esc, then 2 (the hotline pane), and the page
        // keys did nothing.
        let tmux = try Tmux(width: 120, height: 40, command: Binary.console(term: "vt100"))
        tmux.waitFor("the incident queue") { Self.position($0, in: "警情队列")?.row == "1" }
        tmux.type("\u{1B}[2~")
        tmux.type("\u{1B}[6~")
        let paged = tmux.waitFor("PageDown to move a page") { (Self.position($0, in: "警情队列")?.row).map { $0 != "1" } ?? false }
        #expect(paged.contains("警情队列") && !paged.contains("工单队列"))
        tmux.type("\u{1B}[5~")
        tmux.waitFor("PageUp back to the first row") { Self.position($0, in: "警情队列")?.row == "1" }
        tmux.press("q")
        #expect(tmux.waitForExit() == 0)
    }
}
