import Testing
import FenghuoTUI

@Suite("Buffer: cells, wide characters and clipping")
struct BufferTests {
    let red = Style(fg: .ansi(1))
    let blue = Style(fg: .ansi(4), modifiers: .bold)

    @Test func a_new_buffer_is_all_blank_cells() {
        // Given a 3×2 buffer / Then every cell is a plain one-column space.
        let buffer = Buffer(size: Size(width: 3, height: 2))
        #expect(buffer.area == Rect(x: 0, y: 0, width: 3, height: 2))
        #expect(buffer.cells == Array(repeating: Cell(symbol: " ", width: 1, style: .plain), count: 6))
        #expect(buffer.lines == ["   ", "   "])
    }

    @Test func writing_a_cjk_character_puts_a_wide_cell_and_a_continuation_cell() {
        // Given a blank 6×1 buffer
        var buffer = Buffer(size: Size(width: 6, height: 1))
        // When "北京" is written at column 0
        let end = buffer.write("北京", x: 0, y: 0, style: red)
        // Then each ideograph is a width-2 cell followed by an empty width-0 continuation
        #expect(end == 4)
        #expect(buffer[0, 0] == Cell(symbol: "北", width: 2, style: red))
        #expect(buffer[1, 0] == Cell(symbol: "", width: 0, style: red))
        #expect(buffer[1, 0].isContinuation)
        #expect(buffer[2, 0] == Cell(symbol: "京", width: 2, style: red))
        #expect(buffer[3, 0].isContinuation)
        #expect(buffer[4, 0] == .blank)
        #expect(buffer.lines == ["北京  "])
        #expect(styleMap(buffer, ["r": red, ".": .plain]) == ["rrrr.."])
    }

    @Test func write_returns_the_column_after_the_last_one_written() {
        // Given "ab北c" (5 columns) at column 2 / Then the next column is 7; empty text does not move
        var buffer = Buffer(size: Size(width: 12, height: 1))
        #expect(buffer.write("ab北c", x: 2, y: 0, style: .plain) == 7)
        #expect(buffer.write("", x: 5, y: 0, style: .plain) == 5)
        #expect(buffer.lines == ["  ab北c     "])
    }

    @Test func a_wide_character_that_does_not_fit_before_the_right_edge_leaves_a_blank() {
        // Given a buffer of odd width 5
        var buffer = Buffer(size: Size(width: 5, height: 1))
        // When three ideographs (6 columns) are written
        let end = buffer.write("北京市", x: 0, y: 0, style: red)
        // Then the third becomes a one-column blank in the write's style, not half a character
        #expect(buffer.lines == ["北京 "])
        #expect(buffer[4, 0] == Cell(symbol: " ", width: 1, style: red))
        #expect(end == 5)
        #expect(widthViolations(in: buffer).isEmpty)
    }

    @Test func a_wide_character_is_never_split_at_the_clip_edge() {
        // Given a row of x's and a clip 5 columns wide
        var buffer = bufferWithLines(["xxxxxxxx"])
        // When three ideographs are written into the clip
        buffer.write("北京市", x: 0, y: 0, style: red, clip: Rect(x: 0, y: 0, width: 5, height: 1))
        // Then the clip's last column is a blank and nothing spills past the clip
        #expect(buffer.lines == ["北京 xxx"])
        #expect(styleMap(buffer, ["r": red, ".": .plain]) == ["rrrrr..."])
        #expect(widthViolations(in: buffer).isEmpty)
    }

    @Test func a_clip_away_from_the_origin_cuts_on_its_own_right_edge() {
        // Given dots and a clip at columns 2–4
        var buffer = bufferWithLines(["........"])
        // When "北京" is written at column 2
        let end = buffer.write("北京", x: 2, y: 0, style: red, clip: Rect(x: 2, y: 0, width: 3, height: 1))
        // Then 北 fits, 京 would cross column 5 and leaves a blank at column 4
        #expect(buffer.lines == ["..北 ..."])
        #expect(end == 5)
    }

    @Test func text_starting_left_of_the_clip_loses_its_first_columns() {
        // Given a clip at columns 2–4 and text from column 0 / Then a and b are cut off, f too
        var buffer = bufferWithLines(["........"])
        buffer.write("abcdef", x: 0, y: 0, style: red, clip: Rect(x: 2, y: 0, width: 3, height: 1))
        #expect(buffer.lines == ["..cde..."])
    }

    @Test func text_is_not_written_on_rows_outside_the_clip_or_the_buffer() {
        // Given a 4×2 buffer
        var buffer = Buffer(size: Size(width: 4, height: 2))
        // When text goes to a row the clip excludes, and to rows beyond the buffer
        let end = buffer.write("北京", x: 0, y: 1, style: red, clip: Rect(x: 0, y: 0, width: 4, height: 1))
        buffer.write("ab", x: 0, y: 2, style: red)
        buffer.write("ab", x: 0, y: -1, style: red)
        // Then nothing changed and the column did not move
        #expect(end == 0)
        #expect(buffer == Buffer(size: Size(width: 4, height: 2)))
    }

    @Test func text_running_past_the_right_edge_is_cut() {
        // Given 6 letters from column 1 of a 4-wide buffer / Then three fit and the end is column 4
        var buffer = Buffer(size: Size(width: 4, height: 1))
        let end = buffer.write("abcdef", x: 1, y: 0, style: .plain)
        #expect(buffer.lines == [" abc"])
        #expect(end == 4)
    }

    @Test func overwriting_the_left_half_of_a_wide_character_blanks_its_right_half() {
        // Given "北京" at column 0
        var buffer = Buffer(size: Size(width: 6, height: 1))
        buffer.write("北京", x: 0, y: 0, style: red)
        // When "a" is written over 北's left half
        buffer.write("a", x: 0, y: 0, style: blue)
        // Then 北's continuation became a plain one-column blank (keeping 北's style)
        #expect(buffer.lines == ["a 京  "])
        #expect(buffer[1, 0] == Cell(symbol: " ", width: 1, style: red))
        #expect(widthViolations(in: buffer).isEmpty)
    }

    @Test func overwriting_the_right_half_of_a_wide_character_blanks_its_left_half() {
        // Given "北京" at column 0
        var buffer = Buffer(size: Size(width: 6, height: 1))
        buffer.write("北京", x: 0, y: 0, style: red)
        // When "b" is written over 北's continuation
        buffer.write("b", x: 1, y: 0, style: blue)
        // Then 北's first cell became a blank
        #expect(buffer.lines == [" b京  "])
        #expect(buffer[0, 0] == Cell(symbol: " ", width: 1, style: red))
        #expect(buffer[1, 0] == Cell(symbol: "b", width: 1, style: blue))
        #expect(widthViolations(in: buffer).isEmpty)
    }

    @Test func a_wide_character_written_across_two_others_blanks_both_outer_halves() {
        // Given "北京" at column 0
        var buffer = Buffer(size: Size(width: 6, height: 1))
        buffer.write("北京", x: 0, y: 0, style: red)
        // When "中" is written at column 1, over 北's right half and 京's left half
        buffer.write("中", x: 1, y: 0, style: blue)
        // Then 北's left half and 京's right half are blanks
        #expect(buffer.lines == [" 中   "])
        #expect(styleMap(buffer, ["r": red, "b": blue, ".": .plain]) == ["rbbr.."])
        #expect(widthViolations(in: buffer).isEmpty)
    }

    @Test func a_wide_character_written_exactly_over_another_replaces_it() {
        // Given "北京" / When 南 is written over 京 / Then it takes both of 京's cells
        var buffer = Buffer(size: Size(width: 4, height: 1))
        buffer.write("北京", x: 0, y: 0, style: red)
        buffer.write("南", x: 2, y: 0, style: blue)
        #expect(buffer.lines == ["北南"])
        #expect(styleMap(buffer, ["r": red, "b": blue]) == ["rrbb"])
    }

    @Test func no_orphan_continuation_cells_remain_after_many_random_writes() {
        // Given a small buffer and a fixed sequence of "random" writes, fills and restyles,
        // at positions that run off every edge, with and without clips
        var rng = SplitMix64(seed: 0xF34B_2026)
        let pieces = ["a", "Z", "北", "京", "市", "·", "─", "é", "e\u{301}", "😀", "\u{301}", "\t", "\n", " ", "１", "✓"]
        let styles = [Style.plain, red, blue]
        var buffer = Buffer(size: Size(width: 9, height: 3))
        for step in 0..<3000 {
            let style = styles[Int.random(in: 0..<styles.count, using: &rng)]
            let rect = Rect(x: Int.random(in: -2...9, using: &rng), y: Int.random(in: -1...3, using: &rng),
                            width: Int.random(in: 0...10, using: &rng), height: Int.random(in: 0...3, using: &rng))
            switch Int.random(in: 0..<10, using: &rng) {
            case 0:
                buffer.fill(rect, style: style)
            case 1:
                buffer.restyle(rect) { $0.adding(.underline) }
            default:
                let text = (0..<Int.random(in: 1...6, using: &rng))
                    .map { _ in pieces[Int.random(in: 0..<pieces.count, using: &rng)] }.joined()
                let clip: Rect? = Bool.random(using: &rng) ? rect : nil
                buffer.write(text, x: Int.random(in: -3...10, using: &rng), y: Int.random(in: -1...3, using: &rng),
                             style: style, clip: clip)
            }
            // Then after every step no wide character is ever split
            let violations = widthViolations(in: buffer)
            #expect(violations.isEmpty, "after step \(step): \(violations) in \(buffer.lines)")
            // and every row still shows exactly as many columns as the buffer is wide
            for line in buffer.lines {
                #expect(line.displayWidth == 9, "after step \(step): '\(line)'")
            }
            if !violations.isEmpty { break }
        }
    }

    @Test func a_combining_mark_written_on_its_own_joins_the_previous_cell() {
        // Given "e" at column 0
        var buffer = Buffer(size: Size(width: 3, height: 1))
        buffer.write("e", x: 0, y: 0, style: .plain)
        // When a lone COMBINING ACUTE ACCENT is written at column 1
        let end = buffer.write("\u{301}", x: 1, y: 0, style: red)
        // Then it joins e's cell and takes no column
        #expect(buffer[0, 0].symbol == "e\u{301}")
        #expect(buffer[0, 0].width == 1)
        #expect(buffer[1, 0] == .blank)
        #expect(end == 1)
        #expect(buffer.lines == ["é  "])
    }

    @Test func a_combining_mark_after_a_wide_character_joins_the_wide_cell_not_its_continuation() {
        // Given 北 at columns 0–1 / When a lone mark is written at column 2
        // Then it joins 北's cell and the continuation stays empty
        var buffer = Buffer(size: Size(width: 4, height: 1))
        buffer.write("北", x: 0, y: 0, style: .plain)
        buffer.write("\u{301}", x: 2, y: 0, style: .plain)
        #expect(buffer[0, 0].symbol == "北\u{301}")
        #expect(buffer[1, 0] == Cell(symbol: "", width: 0, style: .plain))
    }

    @Test func a_combining_mark_following_a_tab_joins_the_space_the_tab_became() {
        // Given "\t" + mark, which Swift keeps as two characters
        var buffer = Buffer(size: Size(width: 3, height: 1))
        buffer.write("\t\u{301}x", x: 0, y: 0, style: .plain)
        #expect(buffer[0, 0].symbol == " \u{301}")
        #expect(buffer[1, 0].symbol == "x")
    }

    @Test func a_combining_mark_with_no_cell_before_it_is_dropped() {
        // Given a mark at the very start of a row / Then it is dropped and the text follows at column 0
        var buffer = Buffer(size: Size(width: 3, height: 1))
        buffer.write("\u{301}ab", x: 0, y: 0, style: .plain)
        #expect(buffer.lines == ["ab "])
        #expect(buffer[0, 0].symbol == "a")
    }

    @Test func a_precomposed_and_a_decomposed_letter_each_take_one_cell() {
        // Given é written decomposed then precomposed / Then each is one cell
        var buffer = Buffer(size: Size(width: 4, height: 1))
        buffer.write("e\u{301}é", x: 0, y: 0, style: .plain)
        #expect(buffer[0, 0].symbol == "e\u{301}")
        #expect(buffer[1, 0].symbol == "é")
        #expect(buffer.lines == ["éé  "])
    }

    @Test func tabs_and_newlines_become_single_spaces() {
        // Given text with a tab, a newline and a CRLF
        var buffer = bufferWithLines(["xxxxxxxxx"])
        // When written
        let end = buffer.write("a\tb\nc\r\nd", x: 0, y: 0, style: red)
        // Then each becomes one space cell in the write's style, on the same row
        #expect(buffer.lines == ["a b c dxx"])
        #expect(end == 7)
        #expect(buffer[1, 0] == Cell(symbol: " ", width: 1, style: red))
        #expect(buffer[5, 0] == Cell(symbol: " ", width: 1, style: red))
    }

    @Test func other_control_characters_never_reach_a_cell() {
        // Given text from a record holding an escape sequence and a bell
        var buffer = Buffer(size: Size(width: 10, height: 1))
        // When written
        buffer.write("a\u{1B}[31mb\u{7}c", x: 0, y: 0, style: .plain)
        // Then no cell's symbol holds a control character (the terminal would act on it,
        // or curses would draw it as ^[ and push the rest of the row out of line)
        let dirty = buffer.cells.enumerated().filter { _, cell in
            cell.symbol.unicodeScalars.contains { $0.properties.generalCategory == .control }
        }.map { index, cell in "cell \(index): \(cell.symbol.unicodeScalars.map { String($0.value, radix: 16) })" }
        #expect(dirty.isEmpty, "\(dirty)")
    }

    @Test func lines_show_each_wide_character_once_and_keep_trailing_spaces() {
        // Given two rows with ideographs, a box-drawing rule and an emoji
        var buffer = Buffer(size: Size(width: 7, height: 2))
        buffer.write("烽火·🔥", x: 0, y: 0, style: .plain)
        buffer.write("─调─", x: 1, y: 1, style: .plain)
        // Then each row reads as written, continuations skipped, padded to the width
        #expect(buffer.lines == ["烽火·🔥", " ─调─  "])
        #expect(buffer.line(1) == " ─调─  ")
        #expect(buffer.lines.map(\.displayWidth) == [7, 7])
    }

    @Test func spans_are_written_one_after_another_each_in_its_own_style() {
        // Given three spans from column 1 / Then each continues where the last ended, in its style
        var buffer = Buffer(size: Size(width: 9, height: 1))
        let end = buffer.write([Span("烽火", red), Span("Ops", blue), Span("")], x: 1, y: 0)
        #expect(end == 8)
        #expect(buffer.lines == [" 烽火Ops "])
        #expect(styleMap(buffer, ["r": red, "b": blue, ".": .plain]) == [".rrrrbbb."])
    }

    @Test func spans_share_one_clip() {
        // Given spans and a 5-column clip / Then 京 of the second span is a blank at the clip edge
        var buffer = Buffer(size: Size(width: 8, height: 1))
        buffer.write([Span("ab", red), Span("北京", blue)], x: 0, y: 0, clip: Rect(x: 0, y: 0, width: 5, height: 1))
        #expect(buffer.lines == ["ab北    "])
        #expect(styleMap(buffer, ["r": red, "b": blue, ".": .plain]) == ["rrbbb..."])
    }

    @Test func fill_blanks_a_rectangle_in_a_style() {
        // Given a buffer full of text
        var buffer = bufferWithLines(["abcd", "efgh", "ijkl"])
        // When the middle 2×2 is filled
        buffer.fill(Rect(x: 1, y: 0, width: 2, height: 2), style: red)
        // Then those cells are blanks in that style, the rest untouched
        #expect(buffer.lines == ["a  d", "e  h", "ijkl"])
        #expect(styleMap(buffer, ["r": red, ".": .plain]) == [".rr.", ".rr.", "...."])
    }

    @Test func fill_is_clipped_to_the_buffer() {
        var buffer = bufferWithLines(["abc", "def"])
        buffer.fill(Rect(x: 2, y: 1, width: 10, height: 10), style: red)
        buffer.fill(Rect(x: -5, y: -5, width: 5, height: 20), style: blue)  // wholly outside
        #expect(buffer.lines == ["abc", "de "])
        #expect(styleMap(buffer, ["r": red, ".": .plain]) == ["...", "..r"])
    }

    @Test func fill_over_half_a_wide_character_blanks_the_other_half() {
        // Given "北京市" / When columns 1–2 (北's right half, 京's left half) are filled
        // Then 北's left half and 京's right half become blanks in their old style
        var buffer = Buffer(size: Size(width: 6, height: 1))
        buffer.write("北京市", x: 0, y: 0, style: red)
        buffer.fill(Rect(x: 1, y: 0, width: 2, height: 1), style: blue)
        #expect(buffer.lines == ["    市"])
        #expect(styleMap(buffer, ["r": red, "b": blue]) == ["rbbrrr"])
        #expect(widthViolations(in: buffer).isEmpty)
    }

    @Test func restyle_changes_the_style_and_keeps_the_text() {
        // Given "北京ab" in red
        var buffer = Buffer(size: Size(width: 6, height: 2))
        buffer.write("北京ab", x: 0, y: 0, style: red)
        // When the first three columns of row 0 are made bold (and a rect off the buffer too)
        buffer.restyle(Rect(x: 0, y: 0, width: 3, height: 1)) { $0.adding(.bold) }
        buffer.restyle(Rect(x: 10, y: 10, width: 3, height: 3)) { _ in blue }
        // Then text and widths are unchanged and only those cells are bold
        let bold = red.adding(.bold)
        #expect(buffer.lines == ["北京ab", "      "])
        #expect(buffer[1, 0] == Cell(symbol: "", width: 0, style: bold))
        #expect(styleMap(buffer, ["B": bold, "r": red, ".": .plain]) == ["BBBrrr", "......"])
    }

    @Test func the_buffer_knows_which_points_it_contains() {
        // Given a 3×2 buffer / Then only 0..<3 × 0..<2 is inside
        let buffer = Buffer(size: Size(width: 3, height: 2))
        #expect(buffer.contains(x: 0, y: 0))
        #expect(buffer.contains(x: 2, y: 1))
        #expect(!buffer.contains(x: 3, y: 0))
        #expect(!buffer.contains(x: 0, y: 2))
        #expect(!buffer.contains(x: -1, y: 0))
    }
}
