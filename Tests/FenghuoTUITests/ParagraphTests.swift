import Testing
import FenghuoTUI

@Suite("Paragraph: wrapping Chinese and English")
struct ParagraphTests {
    let red = Style(fg: .ansi(1), modifiers: .bold)

    func render(_ paragraph: Paragraph, width: Int, height: Int, scroll: Int = 0) -> (lines: [String], count: Int, buffer: Buffer) {
        var buffer = Buffer(size: Size(width: width, height: height))
        let count = paragraph.render(in: buffer.area, into: &buffer, scroll: scroll)
        return (buffer.lines, count, buffer)
    }

    @Test func chinese_text_wraps_between_any_two_characters() {
        // Given eight ideographs in a 6-column area
        let result = render(Paragraph([[Span("市民热线受理中心")]]), width: 6, height: 3)
        // Then three characters go on each line
        #expect(result.lines == [
            "市民热",
            "线受理",
            "中心  ",
        ])
        #expect(result.count == 3)
    }

    @Test func chinese_text_at_an_odd_width_never_puts_half_a_character_on_a_line() {
        // Given a 5-column area: two ideographs (4 columns) fit, a third would need 6
        let result = render(Paragraph([[Span("市民热线")]]), width: 5, height: 2)
        #expect(result.lines == [
            "市民 ",
            "热线 ",
        ])
        #expect(widthViolations(in: result.buffer).isEmpty)
    }

    @Test func english_text_wraps_at_spaces_and_keeps_words_whole() {
        // Given an English sentence in 8 columns
        let result = render(Paragraph([[Span("fire at the depot")]]), width: 8, height: 3)
        // Then lines break between words only
        #expect(result.lines == [
            "fire at ",
            "the     ",
            "depot   ",
        ])
    }

    @Test func a_space_where_a_line_breaks_does_not_start_the_next_line() {
        // Given two words that each fill the line / Then the space between them is dropped at the break
        let result = render(Paragraph([[Span("abcd efgh")]]), width: 4, height: 2)
        #expect(result.lines == ["abcd", "efgh"])
    }

    @Test func a_word_longer_than_the_line_is_broken_by_characters() {
        // Given a word of 10 letters in 4 columns / Then it is cut every 4 letters
        let result = render(Paragraph([[Span("abcdefghij")]]), width: 4, height: 3)
        #expect(result.lines == ["abcd", "efgh", "ij  "])
    }

    @Test func latin_words_inside_chinese_stay_whole() {
        // Given Chinese with "GPS" and a number in it
        let result = render(Paragraph([[Span("使用GPS定位2024年")]]), width: 6, height: 4)
        // Then GPS and 2024 are not split, the ideographs break anywhere
        #expect(result.lines == [
            "使用  ",
            "GPS定 ",
            "位2024",
            "年    ",
        ])
    }

    @Test func wrapping_keeps_each_span_in_its_own_style() {
        // Given a red label and plain text with a fullwidth colon
        let paragraph = Paragraph([[Span("警报", red), Span("：仓库起火")]])
        let result = render(paragraph, width: 6, height: 3)
        #expect(result.lines == [
            "警报：",
            "仓库起",
            "火    ",
        ])
        #expect(styleMap(result.buffer, ["r": red, ".": .plain]) == [
            "rrrr..",
            "......",
            "......",
        ])
        // And the wrapped spans say the same
        let wrapped = paragraph.wrapped(toWidth: 6)
        #expect(wrapped == [
            [Span("警报", red), Span("：")],
            [Span("仓库起")],
            [Span("火")],
        ])
    }

    @Test func each_source_line_starts_a_new_line_and_an_empty_one_stays_blank() {
        // Given three source lines, the middle one empty / Then three rows, the middle blank
        let result = render(Paragraph([[Span("甲")], [], [Span("乙丙")]]), width: 4, height: 3)
        #expect(result.lines == ["甲  ", "    ", "乙丙"])
        #expect(result.count == 3)
    }

    @Test func rendering_starts_at_the_scroll_line_and_reports_the_total() {
        // Given five wrapped lines and a 2-line area
        let paragraph = Paragraph([[Span("一二三四五六七八九十")]])
        // When scrolled by 2
        let result = render(paragraph, width: 4, height: 2, scroll: 2)
        // Then lines 3 and 4 show, and the count is of all wrapped lines
        #expect(result.lines == ["五六", "七八"])
        #expect(result.count == 5)
    }

    @Test func a_paragraph_stays_inside_its_area() {
        // Given a 5×1 area at (1, 1) over dots / Then only the first wrapped line shows, the rest of
        // the row and the other rows keep their dots
        var buffer = bufferWithLines(["........", "........", "........"])
        Paragraph([[Span("市民热线受理")]]).render(in: Rect(x: 1, y: 1, width: 5, height: 1), into: &buffer)
        #expect(buffer.lines == ["........", ".市民...", "........"])
    }

    @Test func a_width_of_zero_wraps_to_nothing() {
        // Given no width / Then there are no lines
        #expect(Paragraph([[Span("北京")]]).wrapped(toWidth: 0).isEmpty)
    }

    @Test func wrapped_lines_never_exceed_the_width_and_lose_no_text_but_spaces() {
        // Given mixed texts and every width from 2 to 12
        let texts = [
            "市民热线12345受理：朝阳区建国路88号发生燃气泄漏，请立即派员处置。",
            "Gas leak reported at No. 88 Jianguo Road; dispatch crew immediately.",
            "值班长 Wang Lei 已确认 — ticket FH-2024-0017 升级为一级",
            "🔥火警🔥 fire·alarm ✓确认",
        ]
        for text in texts {
            for width in 2...12 {
                // When wrapped
                let wrapped = Paragraph([[Span(text)]]).wrapped(toWidth: width)
                let lines = wrapped.map { $0.map(\.text).joined() }
                // Then no line is wider than the area
                for line in lines { #expect(line.displayWidth <= width, "width \(width): '\(line)'") }
                // and all text survives, apart from spaces dropped at line breaks
                #expect(lines.joined().filter { $0 != " " } == text.filter { $0 != " " }, "width \(width)")
                // and no line is empty
                #expect(!lines.contains(""), "width \(width): \(lines)")
            }
        }
    }
}
