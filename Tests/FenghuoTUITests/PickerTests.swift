import Testing
import FenghuoTUI

/// Catalogs shaped like Fixtures/districts.tsv and Fixtures/incident_types.tsv.
enum Catalogs {
    static let districts = [
        ("laocheng", "老城区"), ("jiangbei", "江北区"), ("binhu", "滨湖区"), ("gaoxin", "高新区"),
        ("yuntai", "云台区"), ("donggang", "东港区"), ("nanshan", "南山区"), ("linchuan", "临川县"),
    ].map { Picker.Candidate(code: $0.0, label: $0.1) }

    static let incidentTypes = [
        ("theft", "盗窃", "110"), ("fraud", "电信诈骗", "110"), ("fire_home", "住宅火灾", "119"),
        ("fire_high", "高层火灾", "119"), ("fire_shop", "商铺火灾", "119"), ("gas_leak", "燃气泄漏", "119"),
        ("elevator", "电梯困人", "119"), ("chest_pain", "胸痛", "120"), ("rear_end", "追尾事故", "122"),
        ("hit_run", "肇事逃逸", "122"),
    ].map { Picker.Candidate(code: $0.0, label: $0.1, detail: $0.2) }
}

@Suite("Picker: type-ahead over a catalog")
struct PickerTests {
    func labels(_ query: String, in candidates: [Picker.Candidate]) -> [String] {
        Picker.matching(query, in: candidates).map { candidates[$0].label }
    }

    func type(_ text: String, into picker: inout Picker) {
        for c in text { _ = picker.handle(.char(c)) }
    }

    @Test func a_chinese_substring_finds_every_label_containing_it_in_catalog_order() {
        #expect(labels("火灾", in: Catalogs.incidentTypes) == ["住宅火灾", "高层火灾", "商铺火灾"])
        #expect(labels("江北", in: Catalogs.districts) == ["江北区"])
        #expect(labels("市", in: Catalogs.districts) == [])
    }

    @Test func a_code_matches_by_prefix_or_substring_ignoring_case() {
        #expect(labels("JiangBei", in: Catalogs.districts) == ["江北区"])
        #expect(labels("fire", in: Catalogs.incidentTypes) == ["住宅火灾", "高层火灾", "商铺火灾"])
        #expect(labels("leak", in: Catalogs.incidentTypes) == ["燃气泄漏"])
    }

    @Test func pinyin_initials_find_labels_by_prefix_or_inside() {
        #expect(labels("jbq", in: Catalogs.districts) == ["江北区"])
        // 住宅火灾 is zzhz: hz is inside it.
        #expect(labels("hz", in: Catalogs.incidentTypes) == ["住宅火灾", "高层火灾", "商铺火灾"])
        #expect(labels("dt", in: Catalogs.incidentTypes) == ["电梯困人"])
    }

    @Test func exact_matches_come_before_prefixes_and_prefixes_before_substrings() {
        // Given a catalog listing the substring match first and the exact match last
        let catalog = [("bushfire", "山火"), ("fireworks", "烟花"), ("fire", "火情")]
            .map { Picker.Candidate(code: $0.0, label: $0.1) }
        // Then "fire" ranks the exact code, then the prefix, then the substring
        #expect(labels("fire", in: catalog) == ["火情", "烟花", "山火"])
        // And lc (老城区 lcq, 临川县 lcx) is a prefix twice: catalog order between them
        #expect(labels("lc", in: Catalogs.districts) == ["老城区", "临川县"])
    }

    @Test func search_keys_match_too_so_a_caller_can_add_a_polyphones_other_reading() {
        let banks = [Picker.Candidate(code: "icbc", label: "工商银行", searchKeys: ["gsyh", "工行"])]
        #expect(labels("gsyh", in: banks) == ["工商银行"])  // 行 alone gives gsyx
        #expect(labels("gsyx", in: banks) == ["工商银行"])
        #expect(labels("工行", in: banks) == ["工商银行"])
        #expect(labels("gsyh", in: [Picker.Candidate(code: "icbc", label: "工商银行")]) == [])
    }

    @Test func an_empty_or_blank_query_matches_everything() {
        #expect(Picker.matching("", in: Catalogs.districts) == Array(0..<8))
        #expect(Picker.matching("  ", in: Catalogs.districts) == Array(0..<8))
        #expect(labels(" jbq ", in: Catalogs.districts) == ["江北区"])
    }

    @Test func typing_opens_the_list_and_enter_takes_the_only_match() {
        // Given a closed picker / When jbq is typed
        var picker = Picker(candidates: Catalogs.districts)
        #expect(!picker.isOpen)
        #expect(picker.handle(.char("j")) == .filtered)
        type("bq", into: &picker)
        // Then the list is open on one match
        #expect(picker.isOpen)
        #expect(picker.query.text == "jbq")
        #expect(picker.matches.count == 1)
        // When Enter / Then it is chosen: the value is the code, the field shows the label
        #expect(picker.handle(.enter) == .chose("jiangbei"))
        #expect(picker.chosen == "jiangbei")
        #expect(!picker.isOpen)
        #expect(picker.displayText == "江北区")
        #expect(picker.query.isEmpty)
    }

    @Test func up_and_down_move_the_highlight_within_the_matches_and_enter_takes_it() {
        var picker = Picker(candidates: Catalogs.incidentTypes)
        type("火灾", into: &picker)
        #expect(picker.highlightedCandidate?.label == "住宅火灾")
        #expect(picker.handle(.up) == .ignored)
        #expect(picker.handle(.down) == .moved)
        #expect(picker.handle(.down) == .moved)
        #expect(picker.handle(.down) == .ignored)  // three matches: stops at the last
        #expect(picker.highlightedCandidate?.label == "商铺火灾")
        // Typing again filters anew and highlights the best match
        #expect(picker.handle(.backspace) == .filtered)
        #expect(picker.query.text == "火")
        #expect(picker.highlighted == 0)
        #expect(picker.handle(.pageDown) == .moved)
        #expect(picker.highlightedCandidate?.label == "商铺火灾")
        #expect(picker.handle(.enter) == .chose("fire_shop"))
    }

    @Test func enter_with_no_match_does_nothing_and_esc_closes_keeping_the_value() {
        var picker = Picker(candidates: Catalogs.districts, chosen: "binhu")
        type("xyz", into: &picker)
        #expect(picker.matches.isEmpty)
        #expect(picker.handle(.enter) == .ignored)
        #expect(picker.isOpen)
        #expect(picker.handle(.escape) == .closed)
        #expect(!picker.isOpen)
        #expect(picker.chosen == "binhu")
        #expect(picker.displayText == "滨湖区")
    }

    @Test func space_opens_the_whole_catalog_on_the_chosen_value_and_backspace_clears_it() {
        var picker = Picker(candidates: Catalogs.districts, chosen: "gaoxin")
        #expect(picker.handle(.char(" ")) == .filtered)
        #expect(picker.matches.count == 8)
        #expect(picker.highlightedCandidate?.code == "gaoxin")
        #expect(picker.handle(.escape) == .closed)
        #expect(picker.handle(.backspace) == .cleared)
        #expect(picker.chosen == nil)
        #expect(picker.handle(.backspace) == .ignored)
    }

    @Test func an_unknown_code_is_not_chosen() {
        var picker = Picker(candidates: Catalogs.districts, chosen: "atlantis")
        #expect(picker.chosen == nil)
        let tookUnknown = picker.choose("atlantis")
        #expect(!tookUnknown)
        let tookKnown = picker.choose("nanshan")
        #expect(tookKnown)
        #expect(picker.chosenCandidate?.label == "南山区")
    }

    @Test func the_list_shows_the_count_and_scrolls_to_the_highlight() {
        // Given all ten incident types in a list of at most eight rows, the ninth highlighted
        var picker = Picker(candidates: Catalogs.incidentTypes)
        _ = picker.handle(.char(" "))
        for _ in 0..<8 { _ = picker.handle(.down) }
        var buffer = Buffer(size: Size(width: 18, height: 10))
        picker.renderList(in: buffer.area, into: &buffer, theme: .builtinDefault, emptyText: "无匹配项")
        // Then the frame carries 10/10 and the list is scrolled to its last eight rows
        #expect(buffer.lines == [
            "┌───────── 10/10 ┐",
            "│住宅火灾  119   │",
            "│高层火灾  119   │",
            "│商铺火灾  119   │",
            "│燃气泄漏  119   │",
            "│电梯困人  119   │",
            "│胸痛  120       │",
            "│追尾事故  122   │",
            "│肇事逃逸  122   │",
            "└────────────────┘",
        ])
        #expect(buffer[1, 7].style == Theme.builtinDefault[.selected])
        #expect(buffer[1, 6].style != Theme.builtinDefault[.selected])
    }

    @Test func a_list_with_no_match_says_so() {
        var picker = Picker(candidates: Catalogs.districts)
        type("qqq", into: &picker)
        var buffer = Buffer(size: Size(width: 14, height: 3))
        picker.renderList(in: buffer.area, into: &buffer, theme: .builtinDefault, emptyText: "无匹配项")
        #expect(buffer.lines == [
            "┌─────── 0/8 ┐",
            "│无匹配项    │",
            "└────────────┘",
        ])
    }
}
