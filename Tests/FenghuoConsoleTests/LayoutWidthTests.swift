@testable import FenghuoConsole
import FenghuoDomain
import FenghuoStore
import FenghuoTUI
import Testing
import TestSupport

/// Columns that flex with the terminal: golden screens at 100 and 200 columns (80 and 120 are in
/// GoldenScreenTests), and every width from 60 to 220 checked for cut characters and for the
/// columns a duty officer needs.
@Suite("Layouts from 60 to 220 columns")
struct LayoutWidthTests {
    static let sizes = [Size(width: 100, height: 30), Size(width: 200, height: 50)]

    @Test(arguments: PaneID.allCases, [Language.zh, .en])
    func pane_matches_its_golden_screen_at_100_and_200_columns(_ pane: PaneID, _ language: Language) {
        for size in Self.sizes {
            let h = Harness(pane: pane, size: size, language: language)
            #expect(Golden.mismatch(h.lines, named: "\(pane)-\(language.rawValue)-\(size.width)x\(size.height)") == nil)
        }
    }

    /// Every wide character whole (its lead cell followed by its continuation and the other way
    /// round), every row exactly as wide as the terminal, every body row ending in a border.
    static func problems(in buffer: Buffer) -> [String] {
        var found: [String] = []
        let area = buffer.area
        for y in 0..<area.height {
            for x in 0..<area.width {
                let cell = buffer[x, y]
                if cell.width == 2, x + 1 >= area.width || !buffer[x + 1, y].isContinuation {
                    found.append("row \(y) col \(x): \(cell.symbol) has lost its right half")
                }
                if cell.isContinuation, x == 0 || buffer[x - 1, y].width != 2 {
                    found.append("row \(y) col \(x): a right half with no character")
                }
            }
            let line = buffer.line(y)
            if line.displayWidth != area.width { found.append("row \(y) is \(line.displayWidth) columns, not \(area.width)") }
        }
        for y in 1..<(area.height - 1) where !"│┐┘".contains(buffer[area.width - 1, y].symbol) {
            // The dispatch pane's alert line, above the status bar, is the one row with no border.
            let line = buffer.line(y)
            if y == area.height - 2, line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix(" ⚠") { continue }
            found.append("row \(y) does not end in a border: \(line)")
        }
        return found
    }

    @Test(arguments: PaneID.allCases, [Language.zh, .en])
    func no_character_is_cut_at_any_width_from_60_to_220(_ pane: PaneID, _ language: Language) {
        let h = Harness(pane: pane, size: Size(width: 60, height: 30), language: language)
        for width in 60...220 {
            h.resize(Size(width: width, height: 30))
            // Below 80 columns the console asks for a larger window instead of a layout.
            guard width >= ConsoleModel.minimumSize.width else { continue }
            let problems = Self.problems(in: h.backend.buffer)
            #expect(problems.isEmpty, "\(pane) \(language) at \(width) columns:\n\(problems.prefix(5).joined(separator: "\n"))")
        }
    }

    @Test(arguments: [Language.zh, .en])
    func the_address_column_is_there_at_every_width_from_80(_ language: Language) {
        let h = Harness(pane: .dispatch, size: Size(width: 80, height: 30), language: language)
        let address = Strings(language)(.colAddress), type = Strings(language)(.colType)
        for width in 80...220 {
            h.resize(Size(width: width, height: 30))
            // The queue's header row: the address is there, and so is the type.
            let header = h.lines[2]
            #expect(header.contains(address) && header.contains(type), "\(language) at \(width): \(header)")
        }
    }

    @Test func at_200_columns_the_address_and_unit_names_take_the_room() {
        let h = Harness(pane: .dispatch, size: Size(width: 200, height: 50))
        // A busy unit's name on the board, whole, with the incident it serves.
        let busy = h.model.dispatch.units.first { $0.id == "P-BH-01" }
        let shown = busy.map { "\($0.id) \(Strings(.zh).status($0.status))" + ($0.incidentID.map { "  →\($0.suffix(4)) " } ?? "  ") + $0.name }
        #expect(shown.map { h.screen.contains($0) } == true, "\(shown ?? "no P-BH-01")")
        // No unit name on the board is cut (the board is what follows the queue's right border).
        let board = h.lines.filter { $0.contains("││") }.compactMap { $0.components(separatedBy: "││").last }
        #expect(board.count > 40 && board.allSatisfy { !$0.contains("…") }, "\(board)")
        // Every address on screen is whole, the longest included (the 120-column layout cuts them).
        let longest = h.model.dispatch.queue.rows.prefix(40).max { $0.address.displayWidth < $1.address.displayWidth }
        #expect(longest.map { h.screen.contains($0.address) } == true, "\(longest?.address ?? "no rows")")
    }

    @Test func english_departments_read_by_their_short_names_where_the_long_ones_do_not_fit() {
        let h = Harness(pane: .hotline, size: Size(width: 80, height: 24), language: .en)
        let rows = h.lines.filter { $0.contains("R2026") }
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { !$0.contains("Municipal") }, "\(rows)")
        #expect(rows.contains { $0.contains("Housing") } && rows.contains { $0.contains("Civil Affairs") || $0.contains("Civil A") })
        // With room, the full name in every row.
        let wide = Harness(pane: .hotline, size: Size(width: 200, height: 50), language: .en)
        let wideRows = wide.lines.filter { $0.contains("R2026") && $0.contains("Housing") }
        #expect(!wideRows.isEmpty && wideRows.allSatisfy { $0.contains("Municipal Housing and Urban-Rural Development Bureau") },
                "\(wideRows.prefix(3))")
    }

    @Test func every_english_name_too_long_for_its_column_has_a_short_one_that_fits() throws {
        let directory = try DemoCity.database.reader.directory()
        for d in directory.departments.values {
            let short = try #require(EnglishShortName.departments[d.code], "department \(d.code) has no English short name")
            #expect(short.displayWidth <= 14 && short.displayWidth < d.nameEN.displayWidth, "\(d.code): \(short)")
        }
        for t in directory.incidentTypes.values where t.nameEN.displayWidth > 12 {
            let short = try #require(EnglishShortName.incidentTypes[t.code], "incident type \(t.code) (\(t.nameEN)) has no short name")
            #expect(short.displayWidth <= 12, "\(t.code): \(short)")
        }
        for category in directory.ticketCategories.values where category.nameEN.displayWidth > 10 {
            let short = try #require(EnglishShortName.ticketCategories[category.code],
                                     "ticket category \(category.code) (\(category.nameEN)) has no short name")
            #expect(short.displayWidth <= 10, "\(category.code): \(short)")
        }
        // A department of another city's fixtures, with no entry, loses the words all share.
        #expect(EnglishShortName.derived(from: "Municipal Water Conservancy Bureau") == "Water Conservancy")
    }

    @Test(arguments: [Language.zh, .en])
    func at_80_columns_the_hint_bar_keeps_the_most_useful_hints(_ language: Language) {
        let h = Harness(pane: .hotline, size: Size(width: 80, height: 24), language: language)
        let bar = h.lines[23]
        let s = Strings(language)
        let help = "? \(s(.keyHelp))", command = ": \(s(.keyCommand))", filter = "/ \(s(.keyFilter))"
        let open = "Enter \(s(.keyOpen))"
        for hint in [help, command, filter, open] { #expect(bar.contains(hint), "\(hint) in \(bar)") }
        // Most useful first, and the pane switch gives way (the title bar shows the panes).
        let places = [help, command, filter, open].compactMap { bar.range(of: $0)?.lowerBound }
        #expect(places == places.sorted())
        #expect(!bar.contains(s(.keyPanes)), "\(bar)")
    }

    @Test func with_almost_no_room_the_hint_bar_still_offers_help() {
        let h = Harness(pane: .dispatch, size: Size(width: 80, height: 24))
        let model = h.model
        let bindings = model.keyMap.global + model.keyMap.paneBindings(.dispatch)
        for room in [0, 2, 7, 8, 16, 30] {
            let spans = model.hintSpans(bindings, room: room)
            let text = spans.map(\.text).joined()
            #expect(text.contains("?"), "room \(room): \(text)")
            #expect(text.displayWidth <= max(room, 2), "room \(room): \(text)")
        }
        // A hint that does not fit gives way to a shorter one after it, not to nothing.
        let text = model.hintSpans(bindings, room: 30).map(\.text).joined()
        #expect(text == "  ? 帮助  : 命令  / 筛选", "\(text)")
    }
}
