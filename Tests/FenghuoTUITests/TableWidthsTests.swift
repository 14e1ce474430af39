import FenghuoTUI
import Testing

/// How a table's columns share a width: minimums, ideals by value, growth by weight, and the
/// least valuable columns shrinking first and then going.
@Suite("Table widths: columns that flex")
struct TableWidthsTests {
    // A queue like the dispatch pane's: a fixed id, a type, a low-value district, a growing address.
    let columns = [
        Table.Column("编号", width: 14, priority: 100),
        Table.Column("类型", min: 8, ideal: 10, max: 14, priority: 80, grow: 1),
        Table.Column("辖区", width: 6, priority: 30),
        Table.Column("地址", min: 12, ideal: 26, priority: 60, grow: 3),
    ]

    @Test func with_room_for_the_ideals_every_column_has_its_ideal() {
        // 14 + 10 + 6 + 26 and three gaps
        #expect(Table.widths(columns, in: 59) == [14, 10, 6, 26])
    }

    @Test func short_of_the_ideals_the_least_valuable_growing_column_gives_way_first() {
        // Four cells short: the address (60) gives them up before the type (80) does.
        #expect(Table.widths(columns, in: 55) == [14, 10, 6, 22])
        // Down to the minimums, the type last.
        #expect(Table.widths(columns, in: 44) == [14, 9, 6, 12])
        #expect(Table.widths(columns, in: 43) == [14, 8, 6, 12])
    }

    @Test func when_the_minimums_do_not_fit_the_least_valuable_column_goes_not_the_address() {
        // One cell short of the minimums: the district (30) goes, and its room goes to the others.
        #expect(Table.widths(columns, in: 42) == [14, 10, 0, 16])
        // Then the address (60), and the type takes what is left up to its cap; then the type
        // (80) goes too, and the id always stays (cut if it must be).
        #expect(Table.widths(columns, in: 30) == [14, 14, 0, 0])
        #expect(Table.widths(columns, in: 20) == [14, 0, 0, 0])
        #expect(Table.widths(columns, in: 9) == [9, 0, 0, 0])
    }

    @Test func beyond_the_ideals_the_room_is_shared_by_weight_up_to_each_cap() {
        // 40 more than the ideals: 1:3 would give the type 10, but it stops at 14 and the
        // address takes the rest.
        let widths = Table.widths(columns, in: 99)
        #expect(widths == [14, 14, 6, 62])
        #expect(widths.reduce(0, +) + 3 == 99)
    }

    @Test func room_no_column_can_take_stays_blank_at_the_right() {
        let fixed = [Table.Column("a", width: 4), Table.Column("b", width: 6)]
        #expect(Table.widths(fixed, in: 30) == [4, 6])
    }

    @Test func among_equal_values_the_rightmost_column_goes_first() {
        let equal = [Table.Column("a", width: 10), Table.Column("b", width: 10), Table.Column("c", width: 10)]
        #expect(Table.widths(equal, in: 25) == [10, 10, 0])
    }

    @Test func a_dropped_column_takes_no_cell_and_no_gap_on_screen() {
        var buffer = Buffer(size: Size(width: 42, height: 2))
        let table = Table(columns: columns, rows: [Table.Row([Span("J20261201-0265"), Span("胸痛"), Span("滨湖区"),
                                                             Span("滨湖区月湖路7号渔光农贸市场")])])
        let rects = table.columnRects(in: buffer.area)
        #expect(rects.map(\.width) == [14, 10, 0, 16])
        #expect(rects[3].x == 14 + 1 + 10 + 1)
        table.render(in: buffer.area, into: &buffer, theme: Theme.builtinDefault)
        #expect(buffer.line(1) == "J20261201-0265 胸痛       滨湖区月湖路7号…")
    }

    @Test func a_cell_shows_the_longest_form_that_fits_every_row_of_its_column() {
        let column = [Table.Column("承办单位", short: "承办", min: 4, ideal: 8, max: 20, grow: 1)]
        let rows = [Table.Row(cells: [Table.Cell(forms: ["市住房和城乡建设局", "住建"])]),
                    Table.Row(cells: [Table.Cell(forms: ["市民政局", "民政"])])]
        // 18 columns: both long names fit.
        var wide = Buffer(size: Size(width: 18, height: 3))
        Table(columns: column, rows: rows).render(in: wide.area, into: &wide, theme: Theme.builtinDefault)
        #expect(wide.lines == ["承办单位          ", "市住房和城乡建设局", "市民政局          "])
        // 10 columns: the first long name does not fit, so neither row uses its long name.
        var narrow = Buffer(size: Size(width: 10, height: 3))
        Table(columns: column, rows: rows).render(in: narrow.area, into: &narrow, theme: Theme.builtinDefault)
        #expect(narrow.lines == ["承办单位  ", "住建      ", "民政      "])
        // 4 columns: the short title too.
        var tight = Buffer(size: Size(width: 4, height: 2))
        Table(columns: column, rows: rows).render(in: tight.area, into: &tight, theme: Theme.builtinDefault)
        #expect(tight.lines == ["承办", "住建"])
    }
}
