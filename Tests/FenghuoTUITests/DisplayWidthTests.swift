import Foundation
import Testing
import FenghuoTUI
#if canImport(Glibc)
import Glibc
#endif

// Column widths must agree with what the terminal (glibc wcwidth in a UTF-8 locale, tmux)
// does, or every Chinese table in the console drifts out of line.

@Suite("DisplayWidth: columns a character takes")
struct DisplayWidthTests {
    @Test(arguments: ["a", "Z", "0", " ", "~", "#", "é"] as [Character])
    func an_ascii_or_latin_character_takes_one_column(_ character: Character) {
        // Given a Latin character / When measured / Then it is one column.
        #expect(DisplayWidth.of(character) == 1)
    }

    @Test(arguments: ["中", "国", "烽", "火", "调", "度", "𠀀", "㐀"] as [Character])
    func a_cjk_ideograph_takes_two_columns(_ character: Character) {
        // Given an ideograph (BMP, Extension A or Extension B) / Then it is two columns.
        #expect(DisplayWidth.of(character) == 2)
    }

    @Test(arguments: ["あ", "カ", "ー", "한", "글", "ㄱ"] as [Character])
    func kana_and_hangul_take_two_columns(_ character: Character) {
        // Given hiragana, katakana, the long-vowel mark, hangul syllables and jamo / Then two columns
        #expect(DisplayWidth.of(character) == 2)
    }

    @Test(arguments: ["Ａ", "１", "，", "：", "（", "）", "。", "、", "「", "」", "\u{3000}", "￥"] as [Character])
    func fullwidth_forms_and_chinese_punctuation_take_two_columns(_ character: Character) {
        // Given fullwidth Latin, digits and Chinese punctuation / Then two columns
        #expect(DisplayWidth.of(character) == 2)
    }

    @Test func halfwidth_katakana_takes_one_column() {
        // Given the halfwidth form of カ / Then it is one column, unlike its fullwidth form.
        #expect(DisplayWidth.of("ｶ" as Character) == 1)
    }

    @Test(arguments: [0x0301, 0x0308, 0x0327, 0x20DD, 0x3099, 0x200B, 0x200D] as [UInt32])
    func combining_marks_and_zero_width_scalars_take_no_columns(_ value: UInt32) throws {
        // Given a combining (or enclosing) mark or a zero-width format character
        let scalar = try #require(Unicode.Scalar(value))
        // Then it takes no column of its own.
        #expect(DisplayWidth.of(scalar) == 0)
    }

    @Test func a_base_letter_with_a_combining_mark_takes_one_column() {
        // Given e followed by COMBINING ACUTE ACCENT (one grapheme)
        let decomposed = "e\u{301}"
        // Then the grapheme, and the text, are one column.
        #expect(DisplayWidth.of(Character(decomposed)) == 1)
        #expect(decomposed.displayWidth == 1)
        #expect("Cafe\u{301}".displayWidth == 4)
    }

    @Test(arguments: ["─", "│", "┌", "┐", "└", "┘", "├", "┤", "┼", "═", "·", "●", "○", "✓", "✗", "▁", "▄", "█", "…"]
            as [Character])
    func box_drawing_and_ambiguous_symbols_take_one_column(_ character: Character) {
        // Given a character of East Asian Width "ambiguous" / Then it counts one, as in a UTF-8
        // locale (not two, as a CJK legacy locale would).
        #expect(DisplayWidth.of(character) == 1)
    }

    @Test(arguments: ["😀", "🔥", "🚒", "✅", "❌", "⭐", "👍🏽", "👨‍👩‍👧"] as [Character])
    func emoji_take_two_columns(_ character: Character) {
        // Given an emoji, even a skin-tone or ZWJ sequence / Then it is two columns.
        #expect(DisplayWidth.of(character) == 2)
    }

    @Test func an_emoji_presentation_selector_makes_a_text_symbol_wide() {
        // Given HEAVY BLACK HEART, alone and followed by VARIATION SELECTOR-16
        // Then it is one column as text and two as emoji.
        #expect(DisplayWidth.of("\u{2764}" as Character) == 1)
        #expect(DisplayWidth.of("\u{2764}\u{FE0F}" as Character) == 2)
    }

    @Test func control_characters_take_no_columns() {
        // Given ESC, BEL and a C1 control / Then they take no column
        #expect(DisplayWidth.of("\u{1B}" as Character) == 0)
        #expect(DisplayWidth.of("\u{7}" as Character) == 0)
        #expect(DisplayWidth.of("\u{85}" as Character) == 0)
    }

    @Test func the_width_of_mixed_text_is_the_sum_of_its_characters() {
        // Given Chinese, Latin, a middle dot and an emoji in one line
        // Then: 烽火 (4) + "Ops " (4) + · (1) + 调度 (4) + 🔥 (2) = 15.
        #expect("烽火Ops ·调度🔥".displayWidth == 15)
        #expect(DisplayWidth.of("") == 0)
        #expect("北京市朝阳区".displayWidth == 12)
        #expect(Substring("工单#1024").displayWidth == 9)
    }

    @Test func characters_added_to_east_asian_wide_in_unicode_13_and_14_take_two_columns() throws {
        // Given characters that Unicode 13/14 made East Asian Wide (the table claims Unicode 15):
        // U+16FF0 VIETNAMESE ALTERNATE READING MARK CA, U+18D00 TANGUT IDEOGRAPH SUPPLEMENT,
        // U+1AFF0 KATAKANA LETTER MINNAN TONE-2 — glibc 2.36 counts all three as two.
        for value: UInt32 in [0x16FF0, 0x18D00, 0x1AFF0] {
            let scalar = try #require(Unicode.Scalar(value))
            #expect(DisplayWidth.of(scalar) == 2, "U+\(String(value, radix: 16, uppercase: true))")
        }
    }

    #if canImport(Glibc)
    @Test func widths_agree_with_glibc_wcwidth_for_every_character_the_console_uses() throws {
        // Given glibc's wcwidth in the C.UTF-8 locale (set for this thread only)
        let symbol = try #require(dlsym(nil, "wcwidth"))
        let wcwidth = unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
        let locale = try #require(newlocale(LC_CTYPE_MASK, "C.UTF-8", nil))
        let previous = uselocale(locale)
        defer {
            uselocale(previous)
            freelocale(locale)
        }
        // When every assigned scalar of the blocks Chinese UI text is made of is measured
        let blocks: [ClosedRange<UInt32>] = [
            0x0020...0x007E,  // Basic Latin
            0x00A0...0x024F,  // Latin-1, Latin Extended-A/B
            0x0300...0x036F,  // combining diacritical marks
            0x2000...0x206F,  // general punctuation
            0x2190...0x21FF,  // arrows
            0x2500...0x259F,  // box drawing, block elements
            0x25A0...0x27BF,  // geometric shapes, misc symbols, dingbats
            0x2E80...0x303F,  // CJK radicals, symbols and punctuation
            0x3040...0x30FF,  // kana
            0x3100...0x31FF,  // bopomofo, hangul compatibility jamo, kana extensions
            0x3400...0x4DBF,  // CJK Extension A
            0x4E00...0x9FFF,  // CJK unified ideographs
            0xAC00...0xD7A3,  // hangul syllables
            0xF900...0xFAFF,  // CJK compatibility ideographs
            0xFE30...0xFE4F,  // CJK compatibility forms
            0xFF00...0xFFEF,  // halfwidth and fullwidth forms
            0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1F9FF,  // emoji
            0x20000...0x2A6DF,  // CJK Extension B
        ]
        var disagreements: [String] = []
        for block in blocks {
            for value in block {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let expected = Int(wcwidth(Int32(value)))
                guard expected >= 0 else { continue }  // unassigned or control: glibc says -1
                let actual = DisplayWidth.of(scalar)
                if actual != expected {
                    disagreements.append("U+\(String(value, radix: 16, uppercase: true)) glibc \(expected) ours \(actual)")
                }
            }
        }
        // Then the two agree everywhere.
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
    }
    #endif
}

@Suite("truncated(toWidth:) and padded(toWidth:)")
struct TruncationAndPaddingTests {
    @Test func text_that_fits_is_returned_unchanged() {
        // Given text no wider than the width / Then it is returned as it is, with no …
        #expect("调度中心".truncated(toWidth: 8) == "调度中心")
        #expect("调度中心".truncated(toWidth: 20) == "调度中心")
        #expect("".truncated(toWidth: 3) == "")
    }

    @Test func text_that_does_not_fit_is_cut_and_ends_with_an_ellipsis() {
        // Given four ideographs (8 columns) / When cut to 7 / Then three fit beside the …
        #expect("调度中心".truncated(toWidth: 7) == "调度中…")
        #expect("Fenghuo Console".truncated(toWidth: 8) == "Fenghuo…")
    }

    @Test func a_cjk_character_is_never_cut_in_half_by_truncation() {
        // Given four ideographs / When cut to an even width 6 / Then the room left is 5
        // columns, so only two ideographs fit and the result is one column short.
        let cut = "调度中心".truncated(toWidth: 6)
        #expect(cut == "调度…")
        #expect(cut.displayWidth == 5)
    }

    @Test func truncation_at_every_width_fits_and_keeps_whole_characters() {
        // Given mixed text
        let text = "市应急管理局 Emergency·指挥🔥"
        for width in 0...(text.displayWidth + 2) {
            // When truncated to each width
            let cut = text.truncated(toWidth: width)
            // Then it fits, it is a prefix of whole characters (plus …), and … marks every cut.
            #expect(cut.displayWidth <= width, "width \(width): \(cut)")
            if width >= text.displayWidth {
                #expect(cut == text)
            } else if width > 0 {
                #expect(cut.hasSuffix("…"), "width \(width): \(cut)")
                #expect(text.hasPrefix(String(cut.dropLast())), "width \(width): \(cut)")
                #expect(cut.displayWidth >= width - 1, "width \(width): at most one column lost, got \(cut)")
            }
        }
    }

    @Test func a_width_of_one_leaves_only_the_ellipsis_and_zero_leaves_nothing() {
        // Given room for nothing but the … / Then just …; with no room at all, nothing
        #expect("北京".truncated(toWidth: 1) == "…")
        #expect("北京".truncated(toWidth: 0) == "")
        #expect("北京".truncated(toWidth: -3) == "")
    }

    @Test func a_custom_ellipsis_counts_against_the_width() {
        // Given "..." (3 columns) / When cut to 6 / Then 3 columns of room: one ideograph.
        #expect("调度中心".truncated(toWidth: 6, ellipsis: "...") == "调...")
        #expect("调度中心".truncated(toWidth: 2, ellipsis: "...") == "")
        #expect("abcdef".truncated(toWidth: 4, ellipsis: "") == "abcd")
    }

    @Test func a_combining_mark_stays_with_its_letter_when_text_is_cut() {
        // Given "Café" spelt with a combining accent / When cut to 4 / Then é stays whole.
        #expect("Cafe\u{301} noir".truncated(toWidth: 5) == "Cafe\u{301}…")
    }

    @Test func padding_fills_with_spaces_on_the_right_or_the_left() {
        // Given text narrower than the width / Then spaces make it exactly that wide
        #expect("北京".padded(toWidth: 6) == "北京  ")
        #expect("北京".padded(toWidth: 6, alignRight: true) == "  北京")
        #expect("42".padded(toWidth: 5, alignRight: true) == "   42")
        #expect("北京".padded(toWidth: 4) == "北京")
        #expect("北京".padded(toWidth: 0) == "")
    }

    @Test func padding_text_that_is_too_wide_truncates_then_fills_the_lost_column() {
        // Given 8 columns of Chinese into 6 / Then "调度…" (5) plus one space: exactly 6.
        #expect("调度中心".padded(toWidth: 6) == "调度… ")
        #expect("调度中心".padded(toWidth: 6, alignRight: true) == " 调度…")
    }

    @Test func padded_mixed_text_gives_exact_column_widths() {
        // Given a column of city names in Chinese, English and both
        let names = ["北京市", "Shanghai", "广州 Guangzhou", "深圳", "", "重庆🔥", "Xi'an·西安"]
        // When each is padded to 8 columns
        let cells = names.map { $0.padded(toWidth: 8) }
        // Then every cell is exactly 8 columns
        #expect(cells == ["北京市  ", "Shanghai", "广州 Gu…", "深圳    ", "        ", "重庆🔥  ", "Xi'an·… "])
        for cell in cells { #expect(cell.displayWidth == 8, "\(cell)") }
        for cell in names.map({ $0.padded(toWidth: 7, alignRight: true) }) {
            #expect(cell.displayWidth == 7, "\(cell)")
        }
    }
}
