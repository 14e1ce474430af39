import Testing
import FenghuoTUI

/// A new-incident form like the console's: two text fields, two pickers, one more text.
enum IntakeForm {
    static let texts = Form.Texts(required: "必填", confirmDiscard: "放弃已输入的内容？ y/n", noMatches: "无匹配项",
                                  hint: "Tab 下一项  Enter 提交  Esc 取消", pickerPrompt: "拼音首字母")

    static func make() -> Form {
        Form(fields: [
            .text("caller", label: "报警人", required: true, maxLength: 10),
            .text("phone", label: "电话", maxLength: 11),
            .picker("type", label: "事件类型", required: true, candidates: Catalogs.incidentTypes),
            .picker("district", label: "区", candidates: Catalogs.districts),
            .text("address", label: "地址", required: true, maxLength: 40),
        ], texts: texts)
    }
}

@Suite("Form: keys")
struct FormTests {
    @discardableResult
    func press(_ keys: [Key], on form: inout Form) -> [Form.Outcome] {
        keys.map { form.handle($0) }
    }

    func type(_ text: String, into form: inout Form) {
        for c in text { _ = form.handle(.char(c)) }
    }

    @Test func chinese_is_typed_moved_over_and_deleted_one_character_at_a_time() {
        // Given the focus in 报警人 / When 张三丰 is typed
        var form = IntakeForm.make()
        #expect(form.handle(.char("张")) == .edited)
        type("三丰", into: &form)
        #expect(form.value(of: "caller") == "张三丰")
        #expect(form.focusedField?.input?.cursorColumn == 6)
        // When ← once and Backspace / Then 三 goes and the caret is two columns in
        #expect(press([.left, .backspace], on: &form) == [.handled, .edited])
        #expect(form.value(of: "caller") == "张丰")
        #expect(form.focusedField?.input?.cursor == 1)
        #expect(form.focusedField?.input?.cursorColumn == 2)
        // When Home and Del / Then 张 goes; End, then Ctrl-U empties the field
        press([.home, .delete], on: &form)
        #expect(form.value(of: "caller") == "丰")
        press([.end, .ctrl("u")], on: &form)
        #expect(form.value(of: "caller") == "")
    }

    @Test func the_caret_is_placed_by_display_width_behind_a_chinese_label() {
        // Given 张三 typed and the caret moved back over 三
        var form = IntakeForm.make()
        type("张三", into: &form)
        _ = form.handle(.left)
        var buffer = Buffer(size: Size(width: 80, height: 24))
        let caret = form.render(in: buffer.area, into: &buffer, theme: .builtinDefault)
        // Then the caret is on 三: box at column 13 (after " *报警人    ["), plus 2 for 张
        #expect(caret?.x == 15)
        #expect(caret?.y == 0)
        #expect(buffer[15, 0].symbol == "三")
        #expect(buffer[15, 0].style == Theme.builtinDefault[.promptCursor].over(Theme.builtinDefault[.prompt]))
    }

    @Test func a_text_field_takes_no_more_than_its_max_length_and_a_pasted_line_break_becomes_a_space() {
        // Given 电话 (at most 11 characters) / When 13 digits arrive, as a paste does, key by key
        var form = IntakeForm.make()
        _ = form.handle(.tab)
        type("1380000111122", into: &form)
        // Then the first 11 are kept and the rest ignored
        #expect(form.value(of: "phone") == "13800001111")
        #expect(form.handle(.char("3")) == .ignored)
        // And in 地址 a pasted newline or tab is a space
        form.focus(id: "address")
        type("江北区\n人民路\t8号", into: &form)
        #expect(form.value(of: "address") == "江北区 人民路 8号")
    }

    @Test func tab_and_down_go_forward_shift_tab_and_up_go_back_and_only_tab_wraps() {
        var form = IntakeForm.make()
        let ids = { (form: Form) in form.focusedField?.id }
        #expect(form.handle(.tab) == .handled)
        #expect(ids(form) == "phone")
        press([.down, .tab], on: &form)
        #expect(ids(form) == "district")
        #expect(form.handle(.down) == .handled)
        #expect(ids(form) == "address")
        #expect(form.handle(.down) == .ignored)  // the last field: Down stops
        #expect(form.handle(.tab) == .handled)   // Tab wraps to the first
        #expect(ids(form) == "caller")
        #expect(form.handle(.up) == .ignored)
        #expect(form.handle(.backTab) == .handled)  // Shift-Tab wraps to the last
        #expect(ids(form) == "address")
        press([.up, .backTab], on: &form)
        #expect(ids(form) == "type")
    }

    @Test func enter_with_required_fields_empty_marks_them_and_focuses_the_first() {
        // Given only 报警人 filled, the focus on the last field
        var form = IntakeForm.make()
        type("张三", into: &form)
        form.focus(id: "address")
        // When Enter
        #expect(form.handle(.enter) == .invalid)
        // Then the two empty required fields say so, the optional ones do not, and the
        // focus is on the first of them
        #expect(form.error(of: "type") == "必填")
        #expect(form.error(of: "address") == "必填")
        #expect(form.error(of: "caller") == nil)
        #expect(form.error(of: "phone") == nil)
        #expect(form.error(of: "district") == nil)
        #expect(form.focusedField?.id == "type")
    }

    @Test func filling_a_marked_field_clears_its_mark_and_enter_then_submits() {
        var form = IntakeForm.make()
        type("张三", into: &form)
        _ = form.handle(.enter)
        // When the type is picked by initials (Enter takes the only match, not the form)
        type("zzhz", into: &form)
        #expect(form.handle(.enter) == .edited)
        #expect(form.value(of: "type") == "fire_home")
        #expect(form.error(of: "type") == nil)
        // And spaces alone do not fill the address
        form.focus(id: "address")
        type("  ", into: &form)
        #expect(form.handle(.enter) == .invalid)
        #expect(form.focusedField?.id == "address")
        type("人民路8号", into: &form)
        #expect(form.error(of: "address") == nil)
        #expect(form.handle(.enter) == .submitted)
        #expect(form.values == ["caller": "张三", "phone": "", "type": "fire_home", "district": "",
                                "address": "  人民路8号"])
    }

    @Test func an_error_set_by_the_caller_blocks_enter_until_the_field_is_edited() {
        // Given a submitted form whose phone the caller finds wrong
        var form = IntakeForm.make()
        type("张三", into: &form)
        form.setValue(id: "type", "theft")
        form.setValue(id: "address", "人民路8号")
        form.focus(id: "phone")
        type("123", into: &form)
        form.focus(id: "address")
        #expect(form.handle(.enter) == .submitted)
        form.setError(id: "phone", "号码位数不对")
        // When Enter / Then refused, focus on the phone
        #expect(form.handle(.enter) == .invalid)
        #expect(form.focusedField?.id == "phone")
        #expect(form.error(of: "phone") == "号码位数不对")
        // When the phone is edited / Then the error is gone and Enter submits
        type("4", into: &form)
        #expect(form.error(of: "phone") == nil)
        #expect(form.handle(.enter) == .submitted)
    }

    @Test func set_value_takes_known_codes_only_and_clears_the_error() {
        var form = IntakeForm.make()
        form.setError(id: "district", "不在辖区")
        let tookUnknownCode = form.setValue(id: "district", "atlantis")
        #expect(!tookUnknownCode)
        #expect(form.error(of: "district") == "不在辖区")
        let tookKnownCode = form.setValue(id: "district", "binhu")
        #expect(tookKnownCode)
        #expect(form.value(of: "district") == "binhu")
        #expect(form.error(of: "district") == nil)
        let tookUnknownField = form.setValue(id: "nosuchfield", "x")
        #expect(!tookUnknownField)
        #expect(form.value(of: "nosuchfield") == nil)
    }

    @Test func esc_with_nothing_typed_cancels_at_once() {
        var form = IntakeForm.make()
        #expect(form.handle(.escape) == .cancelled)
        // Typing and then deleting it again leaves nothing to lose either
        type("张", into: &form)
        _ = form.handle(.backspace)
        #expect(!form.isEdited)
        #expect(form.handle(.escape) == .cancelled)
    }

    @Test func esc_after_typing_asks_first_n_goes_back_and_y_cancels() {
        var form = IntakeForm.make()
        type("张三", into: &form)
        // When Esc / Then the form asks, and other keys do nothing meanwhile
        #expect(form.handle(.escape) == .confirming)
        #expect(form.isConfirmingDiscard)
        #expect(form.handle(.char("x")) == .ignored)
        #expect(form.handle(.enter) == .ignored)
        #expect(form.value(of: "caller") == "张三")
        // When n / Then back to editing with the text kept
        #expect(form.handle(.char("n")) == .handled)
        #expect(!form.isConfirmingDiscard)
        type("丰", into: &form)
        #expect(form.value(of: "caller") == "张三丰")
        // Esc answers no too; y cancels
        #expect(press([.escape, .escape], on: &form) == [.confirming, .handled])
        #expect(press([.escape, .char("y")], on: &form) == [.confirming, .cancelled])
    }

    @Test func a_form_started_with_values_asks_only_when_they_changed() {
        // Given a ticket form prefilled from the caller's last ticket
        var form = Form(fields: [
            .text("name", label: "姓名", value: "王建国"),
            .picker("district", label: "区", candidates: Catalogs.districts, value: "jiangbei"),
        ], texts: IntakeForm.texts)
        #expect(form.handle(.escape) == .cancelled)
        _ = form.handle(.tab)
        _ = form.handle(.backspace)  // clears the picker
        #expect(form.value(of: "district") == "")
        #expect(form.handle(.escape) == .confirming)
    }

    @Test func esc_in_an_open_picker_closes_its_list_and_does_not_leave_the_form() {
        var form = IntakeForm.make()
        form.focus(id: "district")
        type("jb", into: &form)
        #expect(form.focusedField?.picker?.isOpen == true)
        #expect(form.handle(.escape) == .handled)
        #expect(form.focusedField?.picker?.isOpen == false)
        #expect(form.value(of: "district") == "")
        #expect(form.handle(.escape) == .cancelled)
    }

    @Test func up_and_down_in_an_open_picker_move_in_its_list_not_between_fields() {
        var form = IntakeForm.make()
        form.focus(id: "type")
        type("火灾", into: &form)
        #expect(form.handle(.down) == .handled)
        #expect(form.focusedField?.id == "type")
        #expect(form.handle(.enter) == .edited)
        #expect(form.value(of: "type") == "fire_high")
        // and the choice made moves on to the next field.
        #expect(form.focusedField?.id == "district")
    }

    @Test func tab_out_of_an_open_picker_takes_a_single_match_and_leaves_several_alone() {
        var form = IntakeForm.make()
        form.focus(id: "district")
        type("jbq", into: &form)
        #expect(form.handle(.tab) == .edited)
        #expect(form.value(of: "district") == "jiangbei")
        #expect(form.focusedField?.id == "address")
        // Several matches: Shift-Tab back in, type, and leave: nothing is taken
        _ = form.handle(.backTab)
        _ = form.handle(.backspace)
        type("区", into: &form)
        #expect(form.handle(.backTab) == .handled)
        #expect(form.value(of: "district") == "")
        #expect(form.focusedField?.id == "type")
    }
}

@Suite("Form: drawing")
struct FormRenderingTests {
    /// Rows without their trailing blanks, so an 80-column screen reads as written.
    func trimmed(_ lines: [String]) -> [String] {
        lines.map { String($0.reversed().drop { $0 == " " }.reversed()) }
    }

    func type(_ text: String, into form: inout Form) {
        for c in text { _ = form.handle(.char(c)) }
    }

    @Test func at_80_columns_chinese_labels_and_values_line_up_with_marks_and_errors() {
        // Given 张三 typed and Enter pressed with two required fields empty
        var form = IntakeForm.make()
        type("张三", into: &form)
        #expect(form.handle(.enter) == .invalid)
        var buffer = Buffer(size: Size(width: 80, height: 24))
        let caret = form.render(in: buffer.area, into: &buffer, theme: .builtinDefault)
        // Then every box starts in column 12 after the widest label (事件类型, 8 columns), the
        // required ones are starred, the errors sit beside their boxes, the hint at the bottom
        #expect(trimmed(buffer.lines) == [
            " *报警人    [张三                 ]",
            "  电话      [                       ]",
            "▸*事件类型  [ 拼音首字母 ] 必填",
            "  区        [            ]",
            " *地址      [                                        ] 必填",
        ] + Array(repeating: "", count: 18) + [
            "Tab 下一项  Enter 提交  Esc 取消",
        ])
        // And the caret is at the start of the focused (empty) picker
        #expect(caret?.x == 13)
        #expect(caret?.y == 2)
        let theme = Theme.builtinDefault
        #expect(buffer[0, 2].style == theme[.accent])
        #expect(buffer[2, 2].style == theme[.accent])
        #expect(buffer[2, 0].style == theme[.base])
        #expect(buffer[1, 0].style == theme[.danger])
        #expect(buffer[27, 2].style == theme[.danger])
        #expect(buffer[12, 2].style == theme[.borderFocused])
        #expect(buffer[12, 0].style == theme[.border])
        #expect(buffer[20, 1].style == theme[.prompt])
        #expect(widthViolations(in: buffer).isEmpty)
    }

    @Test func at_120_columns_a_wrapped_narrative_gets_a_wider_box() {
        // Given a form with a three-line narrative, the text longer than one row
        var form = Form(fields: [
            .text("address", label: "地址", required: true, maxLength: 40),
            .text("narrative", label: "警情描述", maxLength: 200, lines: 3),
        ], texts: IntakeForm.texts)
        _ = form.handle(.tab)
        type("群众报警称滨湖区湖滨路一小区三号楼电梯困人，电梯停在十二层与十三层之间，被困者为一名老人和一名儿童。", into: &form)
        var wide = Buffer(size: Size(width: 120, height: 6))
        let caret = form.render(in: wide.area, into: &wide, theme: .builtinDefault)
        // Then the box is 60 columns wide and the text wraps by character inside it
        #expect(trimmed(wide.lines) == [
            " *地址      [                                        ]",
            "▸ 警情描述  [群众报警称滨湖区湖滨路一小区三号楼电梯困人，电梯停在十二层与]",
            "            [十三层之间，被困者为一名老人和一名儿童。                    ]",
            "            [                                                            ]",
            "",
            "Tab 下一项  Enter 提交  Esc 取消",
        ])
        #expect(caret?.x == 13 + 40)
        #expect(caret?.y == 2)

        // And at 80 columns the same box narrows to 44, leaving room for errors beside it
        var narrow = Buffer(size: Size(width: 80, height: 6))
        form.render(in: narrow.area, into: &narrow, theme: .builtinDefault)
        #expect(trimmed(narrow.lines)[1...3] == [
            "▸ 警情描述  [群众报警称滨湖区湖滨路一小区三号楼电梯困人，]",
            "            [电梯停在十二层与十三层之间，被困者为一名老人]",
            "            [和一名儿童。                                ]",
        ])
    }

    @Test func a_wrapped_box_scrolls_to_keep_the_caret_row_in_view_and_a_full_row_moves_it_down() {
        // Given a two-row box ten columns wide
        var form = Form(fields: [.text("note", label: "备注", maxLength: 50, lines: 2, width: 10)],
                        texts: IntakeForm.texts)
        type("一二三四五", into: &form)
        var buffer = Buffer(size: Size(width: 40, height: 3))
        var caret = form.render(in: buffer.area, into: &buffer, theme: .builtinDefault)
        // Then a full row puts the caret at the start of the next
        #expect(trimmed(buffer.lines)[0...1] == ["▸ 备注  [一二三四五]", "        [          ]"])
        #expect(caret?.x == 9)
        #expect(caret?.y == 1)
        // When three rows' worth is typed / Then the first row scrolls out
        type("六七八九十甲乙", into: &form)
        caret = form.render(in: buffer.area, into: &buffer, theme: .builtinDefault)
        #expect(trimmed(buffer.lines)[0...1] == ["▸ 备注  [六七八九十]", "        [甲乙      ]"])
        #expect(caret?.x == 13)
        #expect(caret?.y == 1)
    }

    @Test func a_long_single_line_scrolls_left_to_keep_the_caret_in_its_box() {
        var form = Form(fields: [.text("a", label: "地址", maxLength: 40, width: 8)], texts: IntakeForm.texts)
        type("江北区人民路八号", into: &form)
        var buffer = Buffer(size: Size(width: 40, height: 1))
        let caret = form.render(in: buffer.area, into: &buffer, theme: .builtinDefault)
        // Eight characters (16 columns) in an 8-column box: the last three, then the caret
        #expect(trimmed(buffer.lines) == ["▸ 地址  [路八号  ]"])
        #expect(caret?.x == 15)
        #expect(widthViolations(in: buffer).isEmpty)
    }

    @Test func an_open_picker_draws_its_list_over_the_rows_below() {
        // Given q typed in 区: seven districts end in 区 (…q)
        var form = IntakeForm.make()
        form.focus(id: "district")
        type("q", into: &form)
        var buffer = Buffer(size: Size(width: 80, height: 24))
        let caret = form.render(in: buffer.area, into: &buffer, theme: .builtinDefault)
        // Then the list hangs from the box with the count, over the 地址 row
        #expect(trimmed(buffer.lines)[0...13] == [
            " *报警人    [                     ]",
            "  电话      [                       ]",
            " *事件类型  [            ]",
            "▸ 区        [q           ]",
            " *地址      ┌─────── 7/8 ┐                           ]",
            "            │老城区      │",
            "            │江北区      │",
            "            │滨湖区      │",
            "            │高新区      │",
            "            │云台区      │",
            "            │东港区      │",
            "            │南山区      │",
            "            └────────────┘",
            "",
        ])
        #expect(caret?.x == 14)
        #expect(caret?.y == 3)
        #expect(buffer[13, 5].style == Theme.builtinDefault[.selected])
    }

    @Test func a_picker_near_the_bottom_opens_its_list_upwards() {
        // Given a picker on the fifth of six rows, two rows below it and four above
        var form = Form(fields: [
            .text("a", label: "地址", maxLength: 5),
            .text("b", label: "电话", maxLength: 5),
            .text("c", label: "姓名", maxLength: 5),
            .text("d", label: "单位", maxLength: 5),
            .picker("e", label: "区", candidates: Array(Catalogs.districts.prefix(2))),
        ], texts: IntakeForm.texts)
        form.focus(id: "e")
        _ = form.handle(.char(" "))
        var buffer = Buffer(size: Size(width: 40, height: 7))
        form.render(in: buffer.area, into: &buffer, theme: .builtinDefault)
        // Then the two districts are listed above the field, which stays visible
        #expect(trimmed(buffer.lines) == [
            "  地址  ┌─────── 2/2 ┐",
            "  电话  │老城区      │",
            "  姓名  │江北区      │",
            "  单位  └────────────┘",
            "▸ 区    [ 拼音首字母 ]",
            "",
            "Tab 下一项  Enter 提交  Esc 取消",
        ])
    }

    @Test func the_discard_question_takes_the_bottom_line_and_the_cursor() {
        var form = IntakeForm.make()
        type("张三", into: &form)
        _ = form.handle(.escape)
        var buffer = Buffer(size: Size(width: 80, height: 24))
        let caret = form.render(in: buffer.area, into: &buffer, theme: .builtinDefault)
        #expect(trimmed(buffer.lines)[23] == " 放弃已输入的内容？ y/n")
        #expect(buffer[0, 23].style == Theme.builtinDefault[.statusWarning])
        #expect(buffer[79, 23].style == Theme.builtinDefault[.statusWarning])
        // The cursor waits after the question; no caret is drawn in the field
        #expect(caret?.x == 23)
        #expect(caret?.y == 23)
        #expect(buffer[17, 0].style == Theme.builtinDefault[.prompt])
        #expect(trimmed(buffer.lines)[0] == "▸*报警人    [张三                 ]")
    }

    @Test func an_error_too_long_for_its_room_is_cut_with_an_ellipsis_never_in_half_a_character() {
        // Given a 40-column form with a long error on the address
        var form = IntakeForm.make()
        form.setError(id: "address", "地址不在本市辖区范围内")
        var buffer = Buffer(size: Size(width: 40, height: 6))
        form.render(in: buffer.area, into: &buffer, theme: .builtinDefault)
        // Then the box narrows to 14 and the error gets the 11 columns left: five characters and …
        #expect(trimmed(buffer.lines)[4] == " *地址      [              ] 地址不在本…")
        #expect(trimmed(buffer.lines)[0] == "▸*报警人    [              ]")
        #expect(widthViolations(in: buffer).isEmpty)
    }

    @Test func a_form_taller_than_its_area_scrolls_to_the_focused_field() {
        var form = IntakeForm.make()
        form.focus(id: "address")
        var buffer = Buffer(size: Size(width: 60, height: 4))
        let caret = form.render(in: buffer.area, into: &buffer, theme: .builtinDefault)
        // Three rows for fields: the last three fields, the address on the last of them; at 60
        // columns its box gives up 11 of its 40 columns to the room kept for errors
        #expect(trimmed(buffer.lines) == [
            " *事件类型  [            ]",
            "  区        [            ]",
            "▸*地址      [                             ]",
            "Tab 下一项  Enter 提交  Esc 取消",
        ])
        #expect(caret?.y == 2)
    }
}
