import Testing
import FenghuoTUI

@Suite("Layout: splitting a rectangle by constraints")
struct LayoutTests {
    let row20 = Rect(x: 0, y: 0, width: 20, height: 3)

    func widths(_ constraints: [Layout.Constraint], in width: Int, spacing: Int = 0) -> [Int] {
        Layout.horizontal(constraints, spacing: spacing).split(Rect(x: 0, y: 0, width: width, height: 1)).map(\.width)
    }

    @Test func a_length_takes_exactly_that_many_cells_and_a_fill_takes_the_rest() {
        // Given 20 columns split into a length of 5 and a fill
        let parts = Layout.horizontal([.length(5), .fill(1)]).split(row20)
        // Then the parts sit side by side, as tall as the area
        #expect(parts == [Rect(x: 0, y: 0, width: 5, height: 3), Rect(x: 5, y: 0, width: 15, height: 3)])
    }

    @Test func a_percentage_is_a_share_of_the_whole_rounded_down() {
        // Given percentages / Then each part is that share of the width, rounded down
        #expect(widths([.percentage(25), .fill(1)], in: 20) == [5, 15])
        #expect(widths([.percentage(33), .fill(1)], in: 10) == [3, 7])
        #expect(widths([.percentage(50), .percentage(50)], in: 11) == [5, 5])
    }

    @Test func a_ratio_is_a_fraction_of_the_whole_rounded_down() {
        // Given ratios / Then each part is that fraction, rounded down; a zero denominator is 0
        #expect(widths([.ratio(1, 3), .fill(1)], in: 20) == [6, 14])
        #expect(widths([.ratio(2, 5), .ratio(3, 5)], in: 10) == [4, 6])
        #expect(widths([.ratio(1, 0), .fill(1)], in: 10) == [0, 10])
    }

    @Test func a_min_takes_at_least_its_size_and_grows_like_a_fill_of_weight_one() {
        // Given a min of 4 beside a length of 10 in 20: the min takes the 6 left over
        #expect(widths([.min(4), .length(10)], in: 20) == [10, 10])
        // Given a min of 3 and a fill sharing 7 spare columns equally (rounding to the last)
        #expect(widths([.min(3), .fill(1)], in: 10) == [6, 4])
        // Given no room to spare / Then the min keeps its size
        #expect(widths([.min(4), .length(16)], in: 20) == [4, 16])
    }

    @Test func a_max_takes_what_is_left_up_to_its_cap() {
        // Given a max beside other parts / Then it takes the space left over, at most its cap
        #expect(widths([.max(5), .fill(1)], in: 20) == [5, 15])
        #expect(widths([.max(30), .length(5)], in: 20) == [15, 5])
        #expect(widths([.length(18), .max(5)], in: 20) == [18, 2])
    }

    @Test func fills_share_the_rest_by_weight_and_the_last_fill_takes_the_remainder() {
        // Given fills of different weights / Then each takes its share; rounding goes to the last
        #expect(widths([.fill(1), .fill(3)], in: 20) == [5, 15])
        #expect(widths([.fill(1), .fill(1), .fill(1)], in: 10) == [3, 3, 4])
        #expect(widths([.length(2), .fill(2), .fill(1)], in: 12) == [2, 6, 4])
    }

    @Test func spacing_puts_gaps_between_parts_and_not_at_the_ends() {
        // Given 20 columns, three parts and a spacing of 1
        let parts = Layout.horizontal([.length(3), .fill(1), .length(3)], spacing: 1).split(row20)
        // Then two gaps are taken out before sizing, and the parts end flush with the area
        #expect(parts.map(\.x) == [0, 4, 17])
        #expect(parts.map(\.width) == [3, 12, 3])
        #expect(parts.last?.maxX == 20)
    }

    @Test func percentages_are_shares_of_the_space_left_after_spacing() {
        // Given 21 columns, spacing 1: 20 to share
        #expect(widths([.percentage(50), .percentage(50)], in: 21, spacing: 1) == [10, 10])
    }

    @Test func lengths_that_overflow_are_cut_from_the_last_constraints() {
        // Given three lengths of 8 in 20 columns / Then the last gives up 4
        #expect(widths([.length(8), .length(8), .length(8)], in: 20) == [8, 8, 4])
        // Given far too little room / Then the last ones shrink to nothing first
        #expect(widths([.length(15), .length(10), .length(5)], in: 12) == [12, 0, 0])
        // Given a fill after an overflowing length / Then the fill gets nothing
        #expect(widths([.length(15), .fill(1)], in: 10) == [10, 0])
        #expect(widths([.percentage(80), .percentage(40)], in: 10) == [8, 2])
    }

    @Test func an_area_of_zero_size_gives_empty_parts() {
        // Given no room (or less than the spacing) / Then every part is empty
        #expect(widths([.length(3), .fill(1), .min(2)], in: 0) == [0, 0, 0])
        #expect(widths([.length(3), .fill(1)], in: 3, spacing: 5) == [0, 0])
    }

    @Test func sizes_always_sum_to_the_area_minus_spacing_when_a_fill_exists() {
        // Given constraint sets that each contain a fill or a min
        let sets: [[Layout.Constraint]] = [
            [.fill(1)],
            [.length(3), .fill(1)],
            [.fill(2), .length(7), .fill(3)],
            [.percentage(30), .ratio(1, 3), .fill(1)],
            [.min(4), .max(6), .length(2)],
            [.max(3), .fill(1), .max(3), .fill(5)],
            [.length(30), .percentage(50), .fill(1), .min(2)],
            [.fill(1), .fill(1), .fill(1), .fill(1), .fill(1), .fill(1), .fill(1)],
        ]
        for constraints in sets {
            for spacing in 0...2 {
                for total in 0...40 {
                    let gaps = spacing * (constraints.count - 1)
                    guard total >= gaps else { continue }
                    // When split horizontally and vertically
                    let area = Rect(x: 3, y: 2, width: total, height: total)
                    let across = Layout.horizontal(constraints, spacing: spacing).split(area)
                    let down = Layout.vertical(constraints, spacing: spacing).split(area)
                    // Then the sizes add up to the area less the gaps, with no part negative
                    #expect(across.map(\.width).reduce(0, +) == total - gaps, "\(constraints) in \(total) spacing \(spacing)")
                    #expect(down.map(\.height).reduce(0, +) == total - gaps, "\(constraints) in \(total) spacing \(spacing)")
                    // and each part starts where the one before ended plus the gap
                    for (a, b) in zip(across, across.dropFirst()) { #expect(b.x == a.maxX + spacing) }
                    for (a, b) in zip(down, down.dropFirst()) { #expect(b.y == a.maxY + spacing) }
                    #expect(across.first?.x == 3)
                    #expect(down.first?.y == 2)
                    if let last = across.last { #expect(last.maxX == area.maxX) }
                }
            }
        }
    }

    @Test func a_vertical_split_stacks_rows_and_keeps_the_width() {
        // Given a 10×12 area at (2, 1): a title row, a body, a status row
        let area = Rect(x: 2, y: 1, width: 10, height: 12)
        let parts = Layout.vertical([.length(1), .fill(1), .length(1)]).split(area)
        // Then the body takes the 10 rows between
        #expect(parts == [
            Rect(x: 2, y: 1, width: 10, height: 1),
            Rect(x: 2, y: 2, width: 10, height: 10),
            Rect(x: 2, y: 12, width: 10, height: 1),
        ])
    }

    @Test func a_horizontal_split_of_an_offset_area_keeps_its_row_and_height() {
        // Given a 22×4 area at (5, 7) and spacing 2 / Then two parts of 10 with a gap of 2
        let parts = Layout(.horizontal, [.percentage(50), .fill(1)], spacing: 2)
            .split(Rect(x: 5, y: 7, width: 22, height: 4))
        #expect(parts == [Rect(x: 5, y: 7, width: 10, height: 4), Rect(x: 17, y: 7, width: 10, height: 4)])
    }

    @Test func a_layout_remembers_its_direction_constraints_and_spacing() {
        // Given a layout / Then it keeps what it was made with; no constraints give no parts
        let layout = Layout.vertical([.length(1), .fill(1)], spacing: 1)
        #expect(layout.direction == .vertical)
        #expect(layout.constraints == [.length(1), .fill(1)])
        #expect(layout.spacing == 1)
        #expect(Layout.horizontal([]).split(row20) == [])
    }
}

@Suite("Rect")
struct RectTests {
    @Test func a_negative_size_becomes_zero_and_the_rect_is_empty() {
        // Given a negative width / Then it is clamped to 0 and the rect is empty
        let rect = Rect(x: 3, y: 4, width: -2, height: 5)
        #expect(rect.width == 0)
        #expect(rect.isEmpty)
        #expect(!Rect(x: 0, y: 0, width: 1, height: 1).isEmpty)
    }

    @Test func edges_and_size_follow_from_origin_and_extent() {
        // Given a rect / Then its far edges are origin plus extent
        let rect = Rect(x: 2, y: 3, width: 10, height: 4)
        #expect(rect.maxX == 12)
        #expect(rect.maxY == 7)
        #expect(rect.size == Size(width: 10, height: 4))
        #expect(Rect(size: Size(width: 5, height: 6)) == Rect(x: 0, y: 0, width: 5, height: 6))
        #expect(rect.description == "Rect(2,3 10×4)")
    }

    @Test func inset_shrinks_on_every_side_and_never_below_zero() {
        // Given a 10×5 rect / Then insets take from both sides, never leaving a negative size
        let rect = Rect(x: 0, y: 0, width: 10, height: 5)
        #expect(rect.inset(by: 1) == Rect(x: 1, y: 1, width: 8, height: 3))
        #expect(rect.inset(horizontal: 2) == Rect(x: 2, y: 0, width: 6, height: 5))
        #expect(rect.inset(vertical: 1) == Rect(x: 0, y: 1, width: 10, height: 3))
        #expect(rect.inset(by: 3).isEmpty)
    }

    @Test func row_gives_one_line_of_the_rect_or_nothing_past_its_bottom() {
        // Given a 3-row rect / Then row n is one line at y + n, and row 3 is empty
        let rect = Rect(x: 1, y: 2, width: 6, height: 3)
        #expect(rect.row(0) == Rect(x: 1, y: 2, width: 6, height: 1))
        #expect(rect.row(2) == Rect(x: 1, y: 4, width: 6, height: 1))
        #expect(rect.row(3).isEmpty)
    }

    @Test func intersection_is_the_overlap_or_an_empty_rect() {
        // Given overlapping, nested and disjoint rects / Then the overlap, the inner one, nothing
        let a = Rect(x: 0, y: 0, width: 10, height: 10)
        #expect(a.intersection(Rect(x: 5, y: 6, width: 10, height: 10)) == Rect(x: 5, y: 6, width: 5, height: 4))
        #expect(a.intersection(Rect(x: 2, y: 2, width: 3, height: 3)) == Rect(x: 2, y: 2, width: 3, height: 3))
        #expect(a.intersection(Rect(x: 20, y: 0, width: 5, height: 5)).isEmpty)
    }
}
