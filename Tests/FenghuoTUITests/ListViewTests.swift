import FenghuoTUI
import Testing

@Suite("ListView: lines with a selection kept in view")
struct ListViewTests {
    static let items = (0..<10).map { i in
        ListView.Item([Span(i % 5 == 0 ? "组\(i / 5)" : "项目\(i)")], isHeader: i % 5 == 0)
    }

    @Test func the_selection_is_scrolled_to_mid_screen_and_headers_take_the_header_style() {
        // Given ten lines in a four-line area with line 6 selected
        var buffer = Buffer(size: Size(width: 8, height: 4))
        ListView(items: Self.items, selected: 6, focused: true)
            .render(in: buffer.area, into: &buffer, theme: .builtinDefault)
        // Then lines 4–7 are shown, the selection on the third row
        #expect(buffer.lines == ["项目4   ", "组1     ", "项目6   ", "项目7   "])
        #expect(buffer[0, 1].style == Theme.builtinDefault[.header])
        #expect(buffer[0, 2].style == Theme.builtinDefault[.selected])
        #expect(buffer[0, 3].style != Theme.builtinDefault[.selected])
    }

    @Test func near_the_end_the_last_lines_fill_the_area() {
        let list = ListView(items: Self.items, selected: 9, focused: false)
        #expect(list.firstVisible(height: 4) == 6)
        #expect(ListView(items: Self.items, selected: 0, focused: false).firstVisible(height: 4) == 0)
    }

    @Test func an_unfocused_list_does_not_highlight_its_selection() {
        var buffer = Buffer(size: Size(width: 8, height: 3))
        ListView(items: Self.items, selected: 1, focused: false)
            .render(in: buffer.area, into: &buffer, theme: .builtinDefault)
        #expect(buffer[0, 1].style != Theme.builtinDefault[.selected])
    }
}
