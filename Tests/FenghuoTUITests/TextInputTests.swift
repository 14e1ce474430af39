import Testing
import FenghuoTUI

@Suite("TextInput: editing Chinese one character at a time")
struct TextInputTests {
    /// Applies keys in order and returns their outcomes.
    @discardableResult
    func press(_ keys: [Key], on input: inout TextInput) -> [TextInput.Outcome] {
        keys.map { input.handle($0) }
    }

    func type(_ text: String, into input: inout TextInput) {
        for c in text { #expect(input.handle(.char(c)) == .edited) }
    }

    @Test func a_new_input_is_empty_and_one_made_from_text_has_the_cursor_at_its_end() {
        // Given a new input, and one made from "北京" / Then the cursor is at the end of the text
        let empty = TextInput()
        #expect(empty.isEmpty)
        #expect(empty.text == "")
        #expect(empty.cursor == 0)
        #expect(empty.cursorColumn == 0)

        let filled = TextInput("北京")
        #expect(filled.text == "北京")
        #expect(filled.characters == ["北", "京"])
        #expect(filled.cursor == 2)
        #expect(filled.cursorColumn == 4)
    }

    @Test func typing_chinese_characters_inserts_them_at_the_cursor() {
        // Given an empty input / When 烽 and 火 are typed
        var input = TextInput()
        type("烽火", into: &input)
        // Then the text is two characters with the cursor after them, four columns along
        #expect(input.text == "烽火")
        #expect(input.cursor == 2)
        #expect(input.cursorColumn == 4)
        #expect(!input.isEmpty)
    }

    @Test func typing_in_the_middle_inserts_before_the_cursor() {
        // Given "北市" with the cursor between the two
        var input = TextInput("北市")
        #expect(input.handle(.left) == .moved)
        // When 京 is typed
        type("京", into: &input)
        // Then it lands between them and the cursor follows it
        #expect(input.text == "北京市")
        #expect(input.cursor == 2)
        #expect(input.cursorColumn == 4)
    }

    @Test func backspace_removes_one_whole_character_before_the_cursor() {
        // Given "北京市" / When backspace is pressed
        var input = TextInput("北京市")
        #expect(input.handle(.backspace) == .edited)
        // Then one character (not one byte or one column) is gone
        #expect(input.text == "北京")
        #expect(input.cursorColumn == 4)
        // And Ctrl-H does the same
        #expect(input.handle(.ctrl("h")) == .edited)
        #expect(input.text == "北")
    }

    @Test func backspace_in_the_middle_removes_the_character_left_of_the_cursor() {
        // Given "北京市" with the cursor before 市 / When backspace / Then 京 goes
        var input = TextInput("北京市")
        press([.left, .backspace], on: &input)
        #expect(input.text == "北市")
        #expect(input.cursor == 1)
    }

    @Test func backspace_at_the_start_is_ignored() {
        // Given the cursor at the start (or nothing typed) / When backspace / Then nothing changes
        var input = TextInput("北京")
        press([.home], on: &input)
        #expect(input.handle(.backspace) == .ignored)
        #expect(input.text == "北京")
        #expect(TextInput().isEmpty)
        var empty = TextInput()
        #expect(empty.handle(.backspace) == .ignored)
    }

    @Test func delete_removes_the_character_under_the_cursor() {
        // Given "北京市" with the cursor at the start / When Del, then Ctrl-D / Then 北, then 京 go;
        // at the end Del has nothing to delete
        var input = TextInput("北京市")
        press([.home], on: &input)
        #expect(input.handle(.delete) == .edited)
        #expect(input.text == "京市")
        #expect(input.cursor == 0)
        #expect(input.handle(.ctrl("d")) == .edited)
        #expect(input.text == "市")
        press([.end], on: &input)
        #expect(input.handle(.delete) == .ignored)
    }

    @Test func the_cursor_moves_by_characters_and_stops_at_both_ends() {
        var input = TextInput("ab北京c")
        #expect(input.cursorColumn == 7)
        #expect(press([.left, .left], on: &input) == [.moved, .moved])
        #expect(input.cursor == 3)
        #expect(input.cursorColumn == 4)  // "ab北" = 1 + 1 + 2
        press([.home], on: &input)
        #expect(input.cursor == 0)
        #expect(input.handle(.left) == .moved)
        #expect(input.cursor == 0)
        press([.right, .right, .right], on: &input)
        #expect(input.cursorColumn == 4)
        press([.end, .right, .right], on: &input)
        #expect(input.cursor == 5)
        #expect(input.cursorColumn == 7)
    }

    @Test func emacs_keys_move_the_cursor_too() {
        // Given "北京" / Then Ctrl-A, Ctrl-F, Ctrl-E and Ctrl-B move like Home, →, End and ←
        var input = TextInput("北京")
        press([.ctrl("a")], on: &input)
        #expect(input.cursor == 0)
        press([.ctrl("f")], on: &input)
        #expect(input.cursor == 1)
        press([.ctrl("e")], on: &input)
        #expect(input.cursor == 2)
        press([.ctrl("b")], on: &input)
        #expect(input.cursor == 1)
    }

    @Test func ctrl_u_deletes_everything_before_the_cursor() {
        // Given "北京 朝阳" with the cursor after 北京
        var input = TextInput("北京 朝阳")
        press([.left, .left, .left], on: &input)
        // When Ctrl-U is pressed
        #expect(input.handle(.ctrl("u")) == .edited)
        // Then what followed the cursor is kept and the cursor is at the start
        #expect(input.text == " 朝阳")
        #expect(input.cursor == 0)
        // And a second Ctrl-U has nothing to delete
        #expect(input.handle(.ctrl("u")) == .ignored)
    }

    @Test func ctrl_w_deletes_the_word_before_the_cursor_with_the_spaces_after_it() {
        // Given a query of three space-separated words
        var input = TextInput("查询 北京 朝阳")
        // When Ctrl-W is pressed / Then the last word goes
        #expect(input.handle(.ctrl("w")) == .edited)
        #expect(input.text == "查询 北京 ")
        // When pressed again / Then the spaces before the cursor and the word before them go
        #expect(input.handle(.ctrl("w")) == .edited)
        #expect(input.text == "查询 ")
        #expect(input.handle(.ctrl("w")) == .edited)
        #expect(input.text == "")
        #expect(input.handle(.ctrl("w")) == .ignored)
    }

    @Test func ctrl_w_in_the_middle_keeps_the_text_after_the_cursor() {
        var input = TextInput("ticket 42 open")
        press([.left, .left, .left, .left, .left], on: &input)  // cursor after "42"
        press([.ctrl("w")], on: &input)
        #expect(input.text == "ticket  open")
        #expect(input.cursor == 7)
        #expect(input.cursorColumn == 7)
    }

    @Test func cursor_column_counts_each_cjk_character_as_two() {
        var input = TextInput()
        type("A区3号", into: &input)
        #expect(input.cursorColumn == 6)  // 1 + 2 + 1 + 2
        type("🔥", into: &input)
        #expect(input.cursorColumn == 8)
        press([.left], on: &input)
        #expect(input.cursorColumn == 6)
    }

    @Test func a_letter_with_a_combining_accent_is_one_character() {
        // Given "Café" with a combining accent / Then é is one character: one backspace removes it
        var input = TextInput("Cafe\u{301}")
        #expect(input.characters.count == 4)
        #expect(input.cursorColumn == 4)
        press([.backspace], on: &input)
        #expect(input.text == "Caf")
    }

    @Test func enter_submits_escape_cancels_and_other_keys_are_ignored() {
        // Given some text / Then Enter submits, Esc cancels, other keys do nothing, text unchanged
        var input = TextInput("北京")
        #expect(input.handle(.enter) == .submitted)
        #expect(input.handle(.escape) == .cancelled)
        #expect(input.handle(.function(5)) == .ignored)
        #expect(input.handle(.tab) == .ignored)
        #expect(input.handle(.up) == .ignored)
        #expect(input.handle(.ctrl("x")) == .ignored)
        #expect(input.text == "北京")
        #expect(input.cursor == 2)
    }

    @Test func set_replaces_the_text_and_puts_the_cursor_at_the_end() {
        // Given an input with the cursor at the start / When set to new text / Then cursor at its end
        var input = TextInput("旧")
        press([.home], on: &input)
        input.set("新的查询")
        #expect(input.text == "新的查询")
        #expect(input.cursor == 4)
        #expect(input.cursorColumn == 8)
    }
}

@Suite("Key and KeyBinding")
struct KeyTests {
    @Test func keys_describe_themselves_for_help_screens() {
        // Given each kind of key / Then its description is how the help screen shows it
        #expect(Key.char("k").description == "k")
        #expect(Key.char(" ").description == "Space")
        #expect(Key.char("查").description == "查")
        #expect(Key.ctrl("w").description == "Ctrl-W")
        #expect(Key.up.description == "↑")
        #expect(Key.down.description == "↓")
        #expect(Key.left.description == "←")
        #expect(Key.right.description == "→")
        #expect(Key.pageUp.description == "PgUp")
        #expect(Key.pageDown.description == "PgDn")
        #expect(Key.enter.description == "Enter")
        #expect(Key.escape.description == "Esc")
        #expect(Key.backTab.description == "Shift-Tab")
        #expect(Key.function(5).description == "F5")
    }

    @Test func a_binding_is_labelled_by_its_keys_unless_given_a_label() {
        // Given bindings with and without a label / Then the label defaults to the keys joined by /
        let move = KeyBinding([.up, .char("k")], help: "上移")
        #expect(move.label == "↑/k")
        #expect(move.help == "上移")
        #expect(!move.isHint)
        let quit = KeyBinding([.char("q"), .ctrl("c")], label: "q", help: "退出", hint: true)
        #expect(quit.label == "q")
        #expect(quit.isHint)
    }

    @Test func a_binding_matches_any_of_its_keys_and_no_other() {
        // Given a binding for ↑ and k / Then it matches those two keys only (case matters)
        let move = KeyBinding([.up, .char("k")], help: "上移")
        #expect(move.matches(.up))
        #expect(move.matches(.char("k")))
        #expect(!move.matches(.char("K")))
        #expect(!move.matches(.down))
    }
}
