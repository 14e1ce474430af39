import Testing
import FenghuoTUI

@Suite("Tabs")
struct TabsTests {
    let theme = Theme.builtinDefault

    @Test func tabs_are_numbered_and_the_active_one_is_highlighted() {
        // Given three panes with the second active, drawn on a 30-column title bar
        var buffer = Buffer(size: Size(width: 30, height: 1))
        let tabs = Tabs(titles: ["调度", "热线", "审批"], active: 1)
        // When drawn from column 0
        let end = tabs.render(at: 0, y: 0, into: &buffer, theme: theme, clip: buffer.area)
        // Then each tab is " n 标题 " followed by one title-bar space
        #expect(buffer.lines == [" 1 调度   2 热线   3 审批     "])
        #expect(end == 27)
        let legend: KeyValuePairs<Character, Style> = [
            "a": theme[.tabActive], "i": theme[.tabInactive], "t": theme[.title], ".": .plain,
        ]
        #expect(styleMap(buffer, legend) == ["iiiiiiiit" + "aaaaaaaat" + "iiiiiiiit" + "..."])
    }

    @Test func the_width_of_the_tabs_is_the_columns_they_take() {
        // Given tab titles / Then width is what render would advance: " n title " plus one space each
        let tabs = Tabs(titles: ["调度", "热线", "审批"], active: 0)
        #expect(tabs.width == 27)
        #expect(Tabs(titles: [], active: 0).width == 0)
        #expect(Tabs(titles: ["Ops"], active: 0).width == 8)
    }

    @Test func tabs_cut_at_the_clip_never_show_half_a_character() {
        // Given a clip of 13 columns: the second tab's 热 would start at column 12
        var buffer = Buffer(size: Size(width: 16, height: 1))
        let end = Tabs(titles: ["调度", "热线"], active: 0)
            .render(at: 0, y: 0, into: &buffer, theme: theme, clip: Rect(x: 0, y: 0, width: 13, height: 1))
        // Then column 12 is a blank and nothing lies beyond the clip
        #expect(buffer.lines == [" 1 调度   2     "])
        #expect(end == 13)
        #expect(styleMap(buffer, ["a": theme[.tabActive], "i": theme[.tabInactive], "t": theme[.title], ".": .plain])
                == ["aaaaaaaatiiii..."])
    }
}

@Suite("StatusBar")
struct StatusBarTests {
    let bar = Style(fg: .indexed(252), bg: .indexed(236))
    let key = Style(fg: .indexed(220), bg: .indexed(236), modifiers: .bold)
    let online = Style(fg: .indexed(46), bg: .indexed(236), modifiers: .bold)

    @Test func left_spans_start_at_the_left_and_right_spans_end_at_the_right() {
        // Given a 20-column bar with a key hint on the left and a status on the right
        var buffer = Buffer(size: Size(width: 20, height: 1))
        StatusBar(left: [Span("F1", key), Span(" 帮助", bar)], right: [Span("在线", online)], style: bar)
            .render(in: buffer.area, into: &buffer)
        // Then the gap between them is the bar's background
        #expect(buffer.lines == ["F1 帮助         在线"])
        #expect(styleMap(buffer, ["k": key, "b": bar, "o": online]) == ["kk" + String(repeating: "b", count: 14) + "oooo"])
    }

    @Test func left_text_that_runs_into_the_right_text_is_cut_without_half_a_character() {
        // Given a long unit name and a right part of 5 columns: 15 columns for the left
        var buffer = Buffer(size: Size(width: 20, height: 1))
        StatusBar(left: [Span("市应急管理局指挥中心值班", bar)], right: [Span("离线 ", online)], style: bar)
            .render(in: buffer.area, into: &buffer)
        // Then 挥 (columns 14–15) does not fit: a blank stands before the right part
        #expect(buffer.lines == ["市应急管理局指 离线 "])
        #expect(styleMap(buffer, ["b": bar, "o": online]) == [String(repeating: "b", count: 15) + "ooooo"])
    }

    @Test func right_text_wider_than_the_bar_starts_at_the_left_and_is_cut() {
        // Given a right part (8 columns) wider than the 7-column bar / Then it starts at column 0,
        // the left part gets no room, and 心 does not fit beside the edge
        var buffer = Buffer(size: Size(width: 7, height: 1))
        StatusBar(left: [Span("ab", key)], right: [Span("在线中心", online)], style: bar)
            .render(in: buffer.area, into: &buffer)
        #expect(buffer.lines == ["在线中 "])
    }

    @Test func a_status_bar_paints_only_its_own_row() {
        // Given a 4-column bar at (2, 1) over dots / Then only that row's four cells change;
        // an empty area draws nothing
        var buffer = bufferWithLines(["......", "......", "......"])
        StatusBar(left: [Span("a", key)], style: bar).render(in: Rect(x: 2, y: 1, width: 4, height: 1), into: &buffer)
        #expect(buffer.lines == ["......", "..a   ", "......"])
        #expect(styleMap(buffer, ["k": key, "b": bar, ".": .plain]) == ["......", "..kbbb", "......"])
        StatusBar(left: [Span("zz", key)], style: bar).render(in: Rect(x: 0, y: 0, width: 0, height: 1), into: &buffer)
        #expect(buffer.lines == ["......", "..a   ", "......"])
    }
}

@Suite("PromptLine: prompt, text and cursor")
struct PromptLineTests {
    let theme = Theme.builtinDefault
    var legend: KeyValuePairs<Character, Style> {
        [
            "P": theme[.prompt].adding(.bold), "p": theme[.prompt], "c": theme[.promptCursor],
            "h": Style(fg: .indexed(244), bg: .indexed(236)),
        ]
    }

    func draw(_ line: PromptLine, width: Int) -> (lines: [String], cursor: Int, styles: [String]) {
        var buffer = Buffer(size: Size(width: width, height: 1))
        let cursor = line.render(in: buffer.area, into: &buffer, theme: theme)
        return (buffer.lines, cursor, styleMap(buffer, legend))
    }

    @Test func the_cursor_after_chinese_text_sits_two_columns_per_character_along() {
        // Given ":" and "北京" typed, cursor at the end
        let result = draw(PromptLine(prompt: ":", input: TextInput("北京")), width: 12)
        // Then the cursor is at column 1 + 4 = 5, drawn as a reverse-video space
        #expect(result.cursor == 5)
        #expect(result.lines == [":北京       "])
        #expect(result.styles == ["Ppppp" + "c" + "pppppp"])
    }

    @Test func a_cursor_on_a_chinese_character_covers_both_of_its_columns() {
        // Given "北京" with the cursor moved back one character
        var input = TextInput("北京")
        _ = input.handle(.left)
        let result = draw(PromptLine(prompt: ":", input: input), width: 12)
        // Then the cursor is on 京 at column 3, and 京's two cells are in the cursor style
        #expect(result.cursor == 3)
        #expect(result.lines == [":北京       "])
        #expect(result.styles == ["Ppp" + "cc" + "ppppppp"])
    }

    @Test func a_cursor_at_the_start_sits_on_the_first_character() {
        // Given "北京" with the cursor moved home / Then the cursor covers 北's two cells at column 1
        var input = TextInput("北京")
        _ = input.handle(.home)
        let result = draw(PromptLine(prompt: ":", input: input), width: 8)
        #expect(result.cursor == 1)
        #expect(result.lines == [":北京   "])
        #expect(result.styles == ["Pccppppp"])
    }

    @Test func a_line_too_long_for_the_screen_scrolls_to_keep_the_cursor_in_view() {
        // Given six ideographs (12 columns) after ":" in 10 columns
        let result = draw(PromptLine(prompt: ":", input: TextInput("北京市朝阳区")), width: 10)
        // Then whole characters scroll off the left and the cursor stays on screen
        #expect(result.lines == [":朝阳区   "])
        #expect(result.cursor == 7)
        #expect(result.styles == ["Pppppppcpp"])
    }

    @Test func scrolling_mixed_text_drops_whole_characters_from_the_left() {
        // Given ": " and "ab北京" (6 columns) in 8 columns with room for 5 before the cursor
        // Then a and b scroll off and the cursor sits after 京
        let result = draw(PromptLine(prompt: ": ", input: TextInput("ab北京")), width: 8)
        #expect(result.lines == [": 北京  "])
        #expect(result.cursor == 6)
        #expect(result.styles == ["PPppppcp"])
    }

    @Test func an_empty_line_shows_its_hint_after_the_cursor_in_the_muted_style() {
        // Given an empty filter line with a hint / Then the hint starts two columns after the cursor,
        // muted over the prompt's background
        let result = draw(PromptLine(prompt: "/", input: TextInput(), hint: "输入关键词"), width: 14)
        #expect(result.lines == ["/  输入关键词 "])
        #expect(result.cursor == 1)
        #expect(result.styles == ["Pcp" + String(repeating: "h", count: 10) + "p"])
    }

    @Test func the_hint_is_hidden_once_something_is_typed() {
        // Given one character typed / Then no hint is drawn
        let result = draw(PromptLine(prompt: "/", input: TextInput("火"), hint: "输入关键词"), width: 10)
        #expect(result.lines == ["/火       "])
        #expect(result.cursor == 3)
    }

    @Test func a_prompt_line_paints_only_its_row() {
        // Given a prompt line at (2, 1) over dots / Then row 0 and columns 0–1 are untouched
        var buffer = bufferWithLines(["........", "........"])
        let cursor = PromptLine(prompt: ":", input: TextInput("ab"))
            .render(in: Rect(x: 2, y: 1, width: 6, height: 1), into: &buffer, theme: theme)
        #expect(cursor == 5)
        #expect(buffer.lines == ["........", "..:ab   "])
    }
}

@Suite("Sparkline")
struct SparklineTests {
    let style = Style(fg: .indexed(75))

    func draw(_ values: [Int], width: Int, height: Int = 1) -> Buffer {
        var buffer = Buffer(size: Size(width: width, height: height))
        Sparkline(values: values).render(in: buffer.area, into: &buffer, style: style)
        return buffer
    }

    @Test func values_become_eight_levels_of_block_bars_scaled_to_the_largest() {
        // Given 0…8 with a peak of 8 / Then each eighth is one level, and zero is blank
        let buffer = draw([0, 1, 2, 3, 4, 5, 6, 7, 8], width: 9)
        #expect(buffer.lines == [" ▁▂▃▄▅▆▇█"])
        #expect(styleMap(buffer, ["s": style]) == ["sssssssss"])
    }

    @Test func a_taller_area_stacks_full_blocks_under_the_top_level() {
        // Given two rows (16 eighths) and values 4, 8, 16
        let buffer = draw([4, 8, 16], width: 3, height: 2)
        #expect(buffer.lines == [
            "  █",
            "▄██",
        ])
    }

    @Test func a_small_value_still_shows_the_lowest_bar() {
        // Given a value far below the peak / Then it still shows ▁ (only zero is blank)
        #expect(draw([1, 1000], width: 2).lines == ["▁█"])
        #expect(draw([0, 0, 0], width: 3).lines == ["   "])
    }

    @Test func with_more_values_than_columns_the_newest_are_shown() {
        // Given five values and three columns / Then the last three are drawn (3, 4, 5 of peak 5)
        #expect(draw([1, 2, 3, 4, 5], width: 3).lines == ["▄▆█"])
    }

    @Test func with_fewer_values_than_columns_each_value_spans_several_and_every_column_shows_one() {
        // Given two values / Then they stretch over all 4 (or 5) columns, no column left blank
        #expect(draw([1, 2], width: 4).lines == ["▄▄██"])
        #expect(draw([1, 2], width: 5).lines == ["▄▄▄██"])
    }

    @Test func a_sparkline_draws_inside_its_area_only_and_nothing_for_no_values() {
        // Given a 2×1 area at (1, 1), and an empty sparkline over row 0 / Then only the area changes
        var buffer = bufferWithLines(["......", "......"])
        Sparkline(values: [8, 4]).render(in: Rect(x: 1, y: 1, width: 2, height: 1), into: &buffer, style: style)
        Sparkline(values: []).render(in: Rect(x: 0, y: 0, width: 6, height: 1), into: &buffer, style: style)
        #expect(buffer.lines == ["......", ".█▄..."])
    }
}
