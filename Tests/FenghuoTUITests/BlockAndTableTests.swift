import Testing
import FenghuoTUI

@Suite("Block: a frame with a title")
struct BlockTests {
    let border = Style(fg: .indexed(240))
    let title = Style(fg: .indexed(231), bg: .indexed(24), modifiers: .bold)

    @Test func a_block_draws_a_frame_with_a_chinese_title() {
        // Given a blank 10×3 buffer
        var buffer = Buffer(size: Size(width: 10, height: 3))
        // When a block titled 调度 is drawn over all of it
        Block(title: [Span("调度", title)], borderStyle: border).render(in: buffer.area, into: &buffer)
        // Then the title sits after the corner, padded by a border-styled space each side
        #expect(buffer.lines == [
            "┌ 调度 ──┐",
            "│        │",
            "└────────┘",
        ])
        #expect(styleMap(buffer, ["b": border, "t": title, ".": .plain]) == [
            "bbttttbbbb",
            "b........b",
            "bbbbbbbbbb",
        ])
    }

    @Test func a_title_too_long_for_the_frame_stops_before_the_corner_without_half_a_character() {
        // Given a 10-wide frame: 8 columns for " 调度中心 " (10 columns)
        var buffer = Buffer(size: Size(width: 10, height: 3))
        Block(title: [Span("调度中心", title)], borderStyle: border).render(in: buffer.area, into: &buffer)
        // Then 心 would cross the corner: a blank in the title's style takes its place
        #expect(buffer.lines == [
            "┌ 调度中 ┐",
            "│        │",
            "└────────┘",
        ])
        #expect(styleMap(buffer, ["b": border, "t": title, ".": .plain])[0] == "bbtttttttb")
    }

    @Test func a_right_title_sits_against_the_right_corner() {
        // Given a left and a right title on a 16-column frame / Then the right one ends one
        // border cell before the corner, padded by a space each side
        var buffer = Buffer(size: Size(width: 16, height: 2))
        Block(title: [Span("热线")], titleRight: [Span("3/12")]).render(in: buffer.area, into: &buffer)
        #expect(buffer.lines == [
            "┌ 热线 ── 3/12 ┐",
            "└──────────────┘",
        ])
    }

    @Test func a_block_draws_only_its_frame_and_nothing_outside_its_area() {
        // Given a buffer of dots / When a block is drawn at (1, 1), 10×3
        var buffer = bufferWithLines(["............", "............", "............", "............"])
        Block(title: [Span("审批")]).render(in: Rect(x: 1, y: 1, width: 10, height: 3), into: &buffer)
        // Then the dots around it and inside it remain
        #expect(buffer.lines == [
            "............",
            ".┌ 审批 ──┐.",
            ".│........│.",
            ".└────────┘.",
        ])
    }

    @Test func a_block_of_height_two_has_no_sides_and_smaller_blocks_draw_nothing() {
        // Given a 4×2 block / Then it is just top and bottom; a 1-wide or 1-high block draws nothing
        var buffer = Buffer(size: Size(width: 4, height: 2))
        Block().render(in: buffer.area, into: &buffer)
        #expect(buffer.lines == ["┌──┐", "└──┘"])

        var tiny = bufferWithLines(["..", ".."])
        Block(title: [Span("标题")]).render(in: Rect(x: 0, y: 0, width: 1, height: 2), into: &tiny)
        Block().render(in: Rect(x: 0, y: 0, width: 2, height: 1), into: &tiny)
        #expect(tiny.lines == ["..", ".."])
    }

    @Test func the_inner_area_is_inside_the_border() {
        // Given a frame / Then the inner area is one cell in from every side
        #expect(Block.inner(Rect(x: 0, y: 0, width: 10, height: 3)) == Rect(x: 1, y: 1, width: 8, height: 1))
        #expect(Block.inner(Rect(x: 4, y: 2, width: 2, height: 2)).isEmpty)
    }
}

@Suite("Table: header, rows, truncation and selection")
struct TableTests {
    let theme = Theme.builtinDefault
    let red = Style(fg: .indexed(196))

    var columns: [Table.Column] {
        [Table.Column("单位", .fill(1)), Table.Column("数量", .length(4), alignRight: true)]
    }

    var rows: [Table.Row] {
        [
            Table.Row([Span("朝阳区应急管理局"), Span("12")]),
            Table.Row([Span("海淀"), Span("7", Style(fg: .indexed(196), modifiers: .underline))]),
            Table.Row([Span("东城"), Span("135", red)]),
        ]
    }

    @Test func a_table_truncates_chinese_cells_with_an_ellipsis_and_right_aligns_numbers() {
        // Given 16 columns: a fill column (11 wide), a gap, and a right-aligned column of 4
        var buffer = Buffer(size: Size(width: 16, height: 4))
        // When three rows are drawn
        Table(columns: columns, rows: rows).render(in: buffer.area, into: &buffer, theme: theme)
        // Then the long name is cut to fit with …, and the numbers end in the same column
        #expect(buffer.lines == [
            "单位        数量",
            "朝阳区应急…   12",
            "海淀           7",
            "东城         135",
        ])
    }

    @Test func a_cjk_cell_cut_at_an_odd_width_loses_a_whole_character_and_stays_aligned() {
        // Given a fill column of 10 (odd room of 9 beside the …)
        var buffer = Buffer(size: Size(width: 15, height: 2))
        Table(columns: columns, rows: Array(rows.prefix(1))).render(in: buffer.area, into: &buffer, theme: theme)
        // Then four ideographs and … take 9 columns and one space pads the column
        #expect(buffer.lines == [
            "单位       数量",
            "朝阳区应…    12",
        ])
        #expect(widthViolations(in: buffer).isEmpty)
    }

    @Test func the_header_and_each_row_are_styled_cell_by_cell() {
        // Given row 1 selected in a focused table
        var buffer = Buffer(size: Size(width: 16, height: 4))
        Table(columns: columns, rows: rows, selected: 1).render(in: buffer.area, into: &buffer, theme: theme)
        // Then: the header is in the header style, unselected rows in base with a cell's own
        // colour laid over it, and the selected row (gap included) in the selection style
        // with the cell's modifiers added but not its colour
        let legend: KeyValuePairs<Character, Style> = [
            "h": theme[.header], "b": theme[.base], "s": theme[.selected],
            "S": theme[.selected].adding(.underline), "r": Style(fg: .indexed(196), bg: theme[.base].bg),
        ]
        #expect(styleMap(buffer, legend) == [
            "hhhhhhhhhhhhhhhh",
            "bbbbbbbbbbbbbbbb",
            "ssssssssssssSSSS",
            "bbbbbbbbbbbbrrrr",
        ])
    }

    @Test func an_unfocused_table_shows_its_selection_in_the_unfocused_style() {
        // Given row 0 selected in a table without focus / Then that row is in selectedUnfocused
        var buffer = Buffer(size: Size(width: 16, height: 3))
        Table(columns: columns, rows: rows, selected: 0, focused: false).render(in: buffer.area, into: &buffer, theme: theme)
        let legend: KeyValuePairs<Character, Style> = [
            "u": theme[.selectedUnfocused], "h": theme[.header], "b": theme[.base],
            "r": Style(fg: .indexed(196), modifiers: .underline),
        ]
        #expect(styleMap(buffer, legend) == [
            "hhhhhhhhhhhhhhhh",
            "uuuuuuuuuuuuuuuu",
            "bbbbbbbbbbbbrrrr",
        ])
    }

    @Test func only_the_rows_that_fit_below_the_header_are_drawn() {
        // Given three rows and room for two
        var buffer = Buffer(size: Size(width: 16, height: 3))
        Table(columns: columns, rows: rows).render(in: buffer.area, into: &buffer, theme: theme)
        #expect(buffer.lines == [
            "单位        数量",
            "朝阳区应急…   12",
            "海淀           7",
        ])
        #expect(Table.visibleRows(in: Rect(x: 0, y: 0, width: 16, height: 3)) == 2)
        #expect(Table.visibleRows(in: Rect(x: 0, y: 0, width: 16, height: 1)) == 0)
        #expect(Table.visibleRows(in: Rect(x: 0, y: 0, width: 16, height: 0)) == 0)
    }

    @Test func an_empty_table_shows_its_empty_text_in_the_muted_style() {
        // Given no rows and an empty text / Then it shows one column in, below the header, muted
        var buffer = Buffer(size: Size(width: 16, height: 3))
        Table(columns: columns, rows: [], emptyText: "暂无工单").render(in: buffer.area, into: &buffer, theme: theme)
        #expect(buffer.lines == [
            "单位        数量",
            " 暂无工单       ",
            "                ",
        ])
        #expect(styleMap(buffer, ["m": theme[.muted], "h": theme[.header], ".": .plain])[1] == ".mmmmmmmm.......")
    }

    @Test func a_header_title_wider_than_its_column_is_truncated() {
        // Given a 3-column right-aligned column titled 处理时限 / Then the title is cut to 处…
        var buffer = Buffer(size: Size(width: 10, height: 1))
        let columns = [Table.Column("名称", .fill(1)), Table.Column("处理时限", .length(3), alignRight: true)]
        Table(columns: columns, rows: []).render(in: buffer.area, into: &buffer, theme: theme)
        #expect(buffer.lines == ["名称   处…"])
    }

    @Test func a_table_drawn_at_an_offset_stays_inside_its_area() {
        // Given a 16×2 table at (1, 1) over dots / Then the dots around it remain
        var buffer = bufferWithLines(Array(repeating: "..................", count: 4))
        Table(columns: columns, rows: [Table.Row([Span("西城"), Span("3")])])
            .render(in: Rect(x: 1, y: 1, width: 16, height: 2), into: &buffer, theme: theme)
        #expect(buffer.lines == [
            "..................",
            ".单位        数量.",
            ".西城           3.",
            "..................",
        ])
    }

    @Test func column_rects_follow_the_constraints_with_one_column_of_spacing() {
        // Given a fill and a length of 4 in 16 columns / Then 11 + gap + 4, on the area's first row
        let table = Table(columns: columns, rows: [])
        #expect(table.columnRects(in: Rect(x: 2, y: 5, width: 16, height: 4)) == [
            Rect(x: 2, y: 5, width: 11, height: 1),
            Rect(x: 14, y: 5, width: 4, height: 1),
        ])
    }
}
