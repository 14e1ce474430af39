import Testing
import FenghuoTUI

@Suite("Color: names and degrading to fewer colours")
struct ColorTests {
    @Test func default_and_the_sixteen_ansi_names_parse() {
        // Given each ANSI colour name (and the grey aliases) / Then it is that ANSI colour
        #expect(Color(name: "default") == .default)
        let expected: [(String, UInt8)] = [
            ("black", 0), ("red", 1), ("green", 2), ("yellow", 3), ("blue", 4), ("magenta", 5), ("cyan", 6),
            ("white", 7), ("bright-black", 8), ("gray", 8), ("grey", 8), ("bright-red", 9), ("bright-green", 10),
            ("bright-yellow", 11), ("bright-blue", 12), ("bright-magenta", 13), ("bright-cyan", 14),
            ("bright-white", 15),
        ]
        for (name, code) in expected { #expect(Color(name: name) == .ansi(code), "\(name)") }
    }

    @Test func a_number_from_0_to_255_is_a_palette_index() {
        // Given a number in 0–255 / Then it is an index of the 256-colour palette (even below 16)
        #expect(Color(name: "0") == .indexed(0))
        #expect(Color(name: "7") == .indexed(7))
        #expect(Color(name: "39") == .indexed(39))
        #expect(Color(name: "255") == .indexed(255))
    }

    @Test(arguments: ["256", "-1", "1000", "Red", "BLUE", "chartreuse", "", "#ff0000", "bright red", "3.5"])
    func anything_else_is_not_a_colour(_ name: String) {
        // Given a name that is neither default, an ANSI name, nor 0–255 (names are lower case)
        // Then there is no colour
        #expect(Color(name: name) == nil)
    }

    @Test func with_256_colours_every_colour_is_kept() {
        // Given a 256-colour terminal / Then no colour changes
        for i in 0...255 { #expect(Color.indexed(UInt8(i)).fitted(toColors: 256) == .indexed(UInt8(i))) }
        for c in 0...15 { #expect(Color.ansi(UInt8(c)).fitted(toColors: 256) == .ansi(UInt8(c))) }
        #expect(Color.default.fitted(toColors: 256) == .default)
    }

    @Test func with_16_colours_a_palette_index_becomes_the_nearest_ansi_colour() {
        // Given palette entries whose RGB lies closest to one ANSI colour
        let cases: [(UInt8, UInt8)] = [
            (196, 9),   // #ff0000 → bright red
            (46, 10),   // #00ff00 → bright green
            (231, 15),  // #ffffff → bright white
            (16, 0),    // #000000 → black
            (232, 0),   // darkest grey → black
            (244, 8),   // mid grey → bright black
            (252, 7),   // light grey → white
            (220, 11),  // gold → bright yellow
            (39, 6),    // sky blue → cyan
            (21, 4),    // #0000ff → blue
        ]
        for (index, ansi) in cases {
            #expect(Color.indexed(index).fitted(toColors: 16) == .ansi(ansi), "index \(index)")
        }
        // And the first 16 indices are the ANSI colours themselves
        for i in 0...15 { #expect(Color.indexed(UInt8(i)).fitted(toColors: 16) == .ansi(UInt8(i))) }
        // And ANSI colours are kept
        for c in 0...15 { #expect(Color.ansi(UInt8(c)).fitted(toColors: 16) == .ansi(UInt8(c))) }
    }

    @Test func with_8_colours_bright_ansi_colours_lose_their_brightness() {
        // Given an 8-colour terminal / Then bright ANSI colour n becomes n − 8; others stay
        #expect(Color.ansi(9).fitted(toColors: 8) == .ansi(1))
        #expect(Color.ansi(12).fitted(toColors: 8) == .ansi(4))
        #expect(Color.ansi(15).fitted(toColors: 8) == .ansi(7))
        #expect(Color.ansi(3).fitted(toColors: 8) == .ansi(3))
        #expect(Color.default.fitted(toColors: 8) == .default)
    }

    @Test func with_8_colours_a_palette_index_goes_256_to_16_to_8() {
        #expect(Color.indexed(196).fitted(toColors: 8) == .ansi(1))
        #expect(Color.indexed(231).fitted(toColors: 8) == .ansi(7))
        for i in 0...255 {
            let colour = Color.indexed(UInt8(i))
            let eight = colour.fitted(toColors: 8)
            // The 8-colour form is the 16-colour form with brightness dropped
            #expect(eight == colour.fitted(toColors: 16).fitted(toColors: 8), "index \(i)")
            // and always one of the eight basic colours
            guard case .ansi(let c) = eight else {
                Issue.record("index \(i) became \(eight)")
                continue
            }
            #expect(c < 8, "index \(i)")
        }
    }

    @Test func with_16_colours_every_palette_index_becomes_one_of_the_sixteen() {
        // Given every palette index on a 16-colour terminal / Then each becomes ANSI 0–15
        for i in 0...255 {
            guard case .ansi(let c) = Color.indexed(UInt8(i)).fitted(toColors: 16) else {
                Issue.record("index \(i) did not become an ANSI colour")
                continue
            }
            #expect(c < 16)
        }
    }
}

@Suite("Style")
struct StyleTests {
    @Test func plain_has_default_colours_and_no_modifiers() {
        // Given the plain style / Then it has the terminal's colours and no modifiers
        #expect(Style.plain == Style(fg: .default, bg: .default, modifiers: []))
    }

    @Test func adding_a_modifier_keeps_colours_and_other_modifiers() {
        // Given bold red on navy / When underline is added / Then it is bold, underlined, red on navy
        let style = Style(fg: .ansi(1), bg: .indexed(24), modifiers: .bold)
        #expect(style.adding(.underline) == Style(fg: .ansi(1), bg: .indexed(24), modifiers: [.bold, .underline]))
        #expect(style.adding(.bold) == style)
    }

    @Test func over_fills_in_default_colours_from_the_base_and_unions_modifiers() {
        // Given red text with no background, over a selection style
        let text = Style(fg: .ansi(1), modifiers: .underline)
        let selection = Style(fg: .indexed(231), bg: .indexed(25), modifiers: .bold)
        // Then the text keeps its red, takes the selection's background, and both modifiers
        #expect(text.over(selection) == Style(fg: .ansi(1), bg: .indexed(25), modifiers: [.bold, .underline]))
        #expect(Style.plain.over(selection) == selection)
        #expect(selection.over(.plain) == selection)
    }

    @Test func modifiers_are_distinct_bits() {
        // Given the five modifiers / Then none overlaps another
        let all: [Modifiers] = [.bold, .dim, .underline, .reverse, .italic]
        #expect(Set(all.map(\.rawValue)).count == 5)
        #expect(Modifiers(all).rawValue == 31)
    }
}
