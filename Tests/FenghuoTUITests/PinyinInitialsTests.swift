import Foundation
import Testing
import FenghuoTUI

@Suite("PinyinInitials: the first letter of each hanzi, for type-ahead")
struct PinyinInitialsTests {
    @Test(arguments: [
        // Names from Fixtures/ (districts, incident types, ticket categories, departments),
        // checked by hand against their pinyin.
        ("江北区", "jbq"), ("老城区", "lcq"), ("滨湖区", "bhq"), ("高新区", "gxq"), ("临川县", "lcx"),
        ("住宅火灾", "zzhz"), ("电信诈骗", "dxzp"), ("燃气泄漏", "rqxl"), ("电梯困人", "dtkr"),
        ("打架斗殴", "djdo"), ("垃圾杂物起火", "ljzwqh"), ("信号灯故障", "xhdgz"), ("施工噪声", "sgzs"),
        ("市城市管理局", "scsglj"), ("低保与社会救助", "dbyshjz"), ("出租车网约车", "czcwyc"),
        // And the words of the brief.
        ("火灾", "hz"), ("城管局", "cgj"), ("交通事故", "jtsg"), ("噪声", "zs"),
    ])
    func chinese_names_give_one_initial_a_character(name: String, initials: String) {
        #expect(PinyinInitials.of(name) == initials)
    }

    @Test func latin_letters_digits_and_punctuation_pass_through_lowercased() {
        #expect(PinyinInitials.of("12345政务服务便民热线") == "12345zwfwbmrx")
        #expect(PinyinInitials.of("A区3号-B") == "aq3h-b")
        #expect(PinyinInitials.of("") == "")
        #expect(PinyinInitials.initial(of: "A") == nil)
        #expect(PinyinInitials.initial(of: "区") == "q")
    }

    @Test func the_first_and_last_character_of_each_letter_fall_on_the_right_side_of_the_boundary() {
        // GB2312 level 1 runs 啊 … 座 in pinyin order: each pair is the last character of one
        // initial and the first of the next, so an off-by-one in the table shows here.
        let pairs: [(String, String)] = [
            ("啊", "a"), ("澳芭", "ab"), ("怖擦", "bc"), ("错搭", "cd"), ("堕蛾", "de"), ("贰发", "ef"),
            ("咐噶", "fg"), ("过哈", "gh"), ("祸击", "hj"), ("骏喀", "jk"), ("阔垃", "kl"), ("络妈", "lm"),
            ("穆拿", "mn"), ("诺哦", "no"), ("沤啪", "op"), ("瀑期", "pq"), ("群然", "qr"), ("弱撒", "rs"),
            ("所塌", "st"), ("唾挖", "tw"), ("误昔", "wx"), ("迅压", "xy"), ("孕匝", "yz"), ("座", "z"),
        ]
        for (text, initials) in pairs { #expect(PinyinInitials.of(text) == initials, "\(text)") }
    }

    @Test func polyphones_take_the_reading_gb2312_files_them_under() {
        // 重 zhòng (not chóng), 长 cháng (not zhǎng), 行 xíng (not háng): 银行 gives yx, not yh.
        #expect(PinyinInitials.of("重庆") == "zq")
        #expect(PinyinInitials.of("区长") == "qc")
        #expect(PinyinInitials.of("银行") == "yx")
    }

    @Test func hanzi_outside_level_one_pass_through_unless_listed_by_hand() {
        // 亍 is the first level-2 hanzi and 㐀 is in extension A: both stay as they are.
        #expect(PinyinInitials.of("亍㐀") == "亍㐀")
        #expect(PinyinInitials.initial(of: "亍") == nil)
        // Level-2 name characters of the demo city are listed by hand.
        #expect(PinyinInitials.of("李梓鑫") == "lzx")
        #expect(PinyinInitials.of("覃婷") == "qt")
    }

    @Test func the_table_knows_every_level_one_hanzi_once_and_no_letter_i_u_or_v() {
        // 3755 level-1 hanzi plus the 28 listed by hand, all in the unified block.
        var count = 0
        var letters = Set<Character>()
        for value in 0x3400...0x9FFF {
            guard let scalar = Unicode.Scalar(value), let letter = PinyinInitials.initial(of: Character(scalar)) else { continue }
            count += 1
            letters.insert(letter)
        }
        #expect(count == 3755 + 28)
        #expect(letters == Set("abcdefghjklmnopqrstwxyz"))
    }

    @Test func every_name_in_the_fixture_catalogs_gets_an_initial_for_each_hanzi() throws {
        // The catalogs the intake pickers offer: no name may keep a hanzi in its initials.
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures")
        for (file, column) in [("districts", 1), ("incident_types", 2), ("ticket_categories", 1),
                               ("departments", 1), ("streets", 1), ("users", 1)] {
            let text = try String(contentsOf: fixtures.appendingPathComponent("\(file).tsv"), encoding: .utf8)
            let rows = text.split(separator: "\n").filter { !$0.hasPrefix("#") }.dropFirst()
            #expect(rows.count > 5, "\(file)")
            for row in rows {
                let name = String(row.split(separator: "\t")[column])
                let initials = PinyinInitials.of(name)
                #expect(initials.allSatisfy { $0.isASCII }, "\(file): \(name) → \(initials)")
                #expect(initials.count == name.count)
            }
        }
    }
}
