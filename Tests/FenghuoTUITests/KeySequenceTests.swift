import FenghuoTUI
import Testing

/// The sequences after an Esc that curses did not match, as each terminal sends them.
@Suite("KeySequence: Home, End and the editing keys in every common encoding")
struct KeySequenceTests {
    @Test(arguments: [
        ("[1~", "tmux, screen, PuTTY, the Linux console"),
        ("[7~", "rxvt, urxvt"),
        ("[H", "xterm, normal cursor mode"),
        ("OH", "xterm, application cursor mode"),
        ("[1;5H", "xterm, Ctrl-Home"),
        ("[1;2H", "xterm, Shift-Home"),
        ("[7^", "rxvt, Ctrl-Home"),
        ("[7$", "rxvt, Shift-Home"),
    ])
    func home_is_home_however_the_terminal_spells_it(_ sequence: String, _ terminal: String) {
        #expect(KeySequence.key(afterEscape: sequence) == .home, "\(terminal): ESC\(sequence)")
    }

    @Test(arguments: [
        ("[4~", "tmux, screen, PuTTY, the Linux console"),
        ("[8~", "rxvt, urxvt"),
        ("[F", "xterm, normal cursor mode"),
        ("OF", "xterm, application cursor mode"),
        ("[1;5F", "xterm, Ctrl-End"),
        ("[4;5~", "a modified VT220 End"),
        ("[8^", "rxvt, Ctrl-End"),
    ])
    func end_is_end_however_the_terminal_spells_it(_ sequence: String, _ terminal: String) {
        #expect(KeySequence.key(afterEscape: sequence) == .end, "\(terminal): ESC\(sequence)")
    }

    @Test func the_other_editing_keys_are_not_misread_as_home_end_or_function_keys() {
        #expect(KeySequence.key(afterEscape: "[2~") == .insert)
        #expect(KeySequence.key(afterEscape: "[3~") == .delete)
        #expect(KeySequence.key(afterEscape: "[3;5~") == .delete)
        #expect(KeySequence.key(afterEscape: "[5~") == .pageUp)
        #expect(KeySequence.key(afterEscape: "[6~") == .pageDown)
        #expect(KeySequence.key(afterEscape: "[5;5~") == .pageUp)
    }

    @Test func arrows_in_both_cursor_modes() {
        for (final, key) in [("A", Key.up), ("B", .down), ("C", .right), ("D", .left)] {
            #expect(KeySequence.key(afterEscape: "[" + final) == key)
            #expect(KeySequence.key(afterEscape: "O" + final) == key)
            #expect(KeySequence.key(afterEscape: "[1;5" + final) == key)
        }
        #expect(KeySequence.key(afterEscape: "[Z") == .backTab)
    }

    @Test func function_keys_in_the_vt220_xterm_and_linux_console_encodings() {
        // F1–F4 switch panes: ESC[1~ must never be F1, nor ESC[4~ F4.
        #expect(KeySequence.key(afterEscape: "OP") == .function(1))
        #expect(KeySequence.key(afterEscape: "OS") == .function(4))
        #expect(KeySequence.key(afterEscape: "[11~") == .function(1))
        #expect(KeySequence.key(afterEscape: "[14~") == .function(4))
        #expect(KeySequence.key(afterEscape: "[15~") == .function(5))
        #expect(KeySequence.key(afterEscape: "[17~") == .function(6))
        #expect(KeySequence.key(afterEscape: "[24~") == .function(12))
        #expect(KeySequence.key(afterEscape: "[[A") == .function(1))
        #expect(KeySequence.key(afterEscape: "[[D") == .function(4))
        #expect(KeySequence.key(afterEscape: "[1;2P") == .function(1))
    }

    @Test func a_sequence_is_read_to_its_final_character_and_no_further() {
        // Given the characters of ESC[14~ one at a time
        var sequence = KeySequence()
        // Then it is incomplete until the ~, and complete (F4) at it
        #expect(sequence.append("[") == .incomplete)
        #expect(sequence.append("1") == .incomplete)
        #expect(sequence.append("4") == .incomplete)
        #expect(sequence.append("~") == .complete(.function(4)))
        // And the one-letter SS3 form is complete at its second character
        var ss3 = KeySequence()
        #expect(ss3.append("O") == .incomplete)
        #expect(ss3.append("F") == .complete(.end))
    }

    @Test func unknown_sequences_are_dropped_whole_instead_of_typed() {
        // Bracketed paste's start, a bare cursor report, an unknown VT number: a sequence, no key.
        var paste = KeySequence()
        for scalar in "[200".unicodeScalars { #expect(paste.append(scalar) == .incomplete) }
        #expect(paste.append("~") == .complete(nil))
        #expect(KeySequence.key(afterEscape: "[R") == nil)
        #expect(KeySequence.key(afterEscape: "[99~") == nil)
        #expect(KeySequence.key(afterEscape: "Ox") == nil)
        // A runaway sequence ends at the length limit rather than swallowing every later key.
        var runaway = KeySequence()
        var reading = runaway.append("[")
        for _ in 0..<40 where reading == .incomplete { reading = runaway.append("1") }
        #expect(reading == .complete(nil))
    }

    @Test func only_csi_and_ss3_start_a_sequence() {
        #expect(KeySequence.starts(with: "["))
        #expect(KeySequence.starts(with: "O"))
        #expect(!KeySequence.starts(with: "j"))
        #expect(!KeySequence.starts(with: "4"))
    }
}
