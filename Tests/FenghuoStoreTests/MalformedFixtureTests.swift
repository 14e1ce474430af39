import FenghuoDomain
import FenghuoStore
import Foundation
import Testing
import TestSupport

/// One way to break one fixture file, and what the loader must say about it.
struct Breakage: Sendable, CustomTestStringConvertible {
    enum Edit: Sendable {
        /// Adds a line at the end of the file.
        case append(String)
        /// Replaces the first line that starts with the prefix.
        case replace(prefix: String, with: String)
        /// Replaces the header line.
        case header(String)
    }

    let name: String
    /// The file's path inside Fixtures/.
    let file: String
    let edit: Edit
    /// The field the error must name; nil where a whole line is wrong.
    let field: String?
    /// Words the message must contain, so it says what is wrong.
    let says: String

    var testDescription: String { name }

    /// Applies the edit to the copy and answers the 1-based number of the line it broke.
    func apply(in fixtures: URL) throws -> Int {
        let url = fixtures.appendingPathComponent(file)
        switch edit {
        case .append(let line):
            return try appendLine(line, to: url)
        case .replace(let prefix, let line):
            return try replaceLine(startingWith: prefix, in: url, with: line)
        case .header(let line):
            let number = try headerLineNumber(of: url)
            var all = try lines(of: url)
            all[number - 1] = line
            try write(all, to: url)
            return number
        }
    }
}

@Suite("Malformed fixtures")
struct MalformedFixtureTests {
    static let lineBreakages: [Breakage] = [
        // The shape of a file
        Breakage(name: "a header with swapped columns", file: "districts.tsv",
                 edit: .header("code\tname\tname_en\tlon\tlat\tpopulation"), field: nil, says: "header"),
        Breakage(name: "a header missing a column", file: "departments.tsv",
                 edit: .header("code\tname\tname_en\tkind\tphone"), field: nil, says: "header"),
        Breakage(name: "a line with one field too many", file: "streets.tsv",
                 edit: .append("laocheng\t人民路\t多余"), field: nil, says: "3 fields"),
        Breakage(name: "a line with a field missing", file: "landmarks.tsv",
                 edit: .append("laocheng\t某某小区\t小区\t30.5"), field: nil, says: "4 fields"),
        Breakage(name: "an empty field", file: "landmarks.tsv",
                 edit: .append("laocheng\t\t小区\t30.5\t114.3"), field: "name", says: "empty"),
        Breakage(name: "a field of blanks", file: "users.tsv",
                 edit: .append("ghost\t  \tstaff\tcmd\tpw"), field: "name", says: "empty"),
        // References to codes no other file defines
        Breakage(name: "a unit in an unknown district", file: "units.tsv",
                 edit: .append("P-XX-01\t110\t巡逻车\t幽灵车\tatlantis\t幽灵所\t30.5\t114.3"),
                 field: "district", says: "atlantis"),
        Breakage(name: "a street in an unknown district", file: "streets.tsv",
                 edit: .append("atlantis\t海底路"), field: "district", says: "atlantis"),
        Breakage(name: "a user of an unknown department", file: "users.tsv",
                 edit: .append("ghost\t某人\tstaff\tnasa\tpw"), field: "department", says: "nasa"),
        Breakage(name: "a ticket category routed to an unknown department", file: "ticket_categories.tsv",
                 edit: .append("ufo\t不明飞行物\tUFO\tnasa\t4h"), field: "department", says: "nasa"),
        Breakage(name: "an approval item led by an unknown department", file: "approval_items.tsv",
                 edit: .append("x_item\t某事项\t审批\t5\tnasa\t-"), field: "lead", says: "nasa"),
        Breakage(name: "an approval item co-signed by an unknown department", file: "approval_items.tsv",
                 edit: .append("x_item\t某事项\t审批\t5\tmarket\thousing,nasa"), field: "cosign", says: "nasa"),
        Breakage(name: "a template of an unknown incident type", file: "incident_templates.tsv",
                 edit: .append("alien\t报警人称{place}有不明生物。"), field: "type", says: "alien"),
        Breakage(name: "an article of an unknown category", file: "kb.tsv",
                 edit: .append("KB9999\tufo\tcmd\t标题\t正文"), field: "category", says: "ufo"),
        // Values outside their enumeration
        Breakage(name: "agency 999", file: "units.tsv",
                 edit: .replace(prefix: "P-LC-01\t", with: "P-LC-01\t999\t巡逻车\t鼓楼派出所巡逻一车\tlaocheng\t鼓楼派出所\t30.531774\t114.316911"),
                 field: "agency", says: "999"),
        Breakage(name: "role 'boss'", file: "users.tsv",
                 edit: .replace(prefix: "duty1\t", with: "duty1\t陈志远\tboss\tcmd\tdemoduty"), field: "role", says: "boss"),
        Breakage(name: "department kind 'ministry'", file: "departments.tsv",
                 edit: .replace(prefix: "psb\t", with: "psb\t市公安局\t公安\tMunicipal Public Security Bureau\tministry\t0715-86210110"),
                 field: "kind", says: "ministry"),
        Breakage(name: "approval type 许可", file: "approval_items.tsv",
                 edit: .append("x_item\t某事项\t许可\t5\tmarket\t-"), field: "type", says: "许可"),
        Breakage(name: "name kind 'nickname'", file: "names.tsv",
                 edit: .append("nickname\t小明"), field: "kind", says: "nickname"),
        Breakage(name: "calendar kind 'vacation'", file: "calendar/2026.tsv",
                 edit: .append("2026-12-26\tvacation\t年假"), field: "kind", says: "vacation"),
        // Numbers
        Breakage(name: "a population that is not a number", file: "districts.tsv",
                 edit: .replace(prefix: "laocheng\t", with: "laocheng\t老城区\tLaocheng\t30.530\t114.300\t很多"),
                 field: "population", says: "很多"),
        Breakage(name: "a latitude that is not a number", file: "landmarks.tsv",
                 edit: .append("laocheng\t某某小区\t小区\t北纬30\t114.3"), field: "lat", says: "北纬30"),
        Breakage(name: "a latitude beyond the pole", file: "units.tsv",
                 edit: .append("P-XX-01\t110\t巡逻车\t幽灵车\tlaocheng\t幽灵所\t95\t114.3"), field: "lat", says: "95"),
        Breakage(name: "priority 5", file: "incident_types.tsv",
                 edit: .append("alien\t110\t不明生物\tAlien\t5"), field: "priority", says: "5"),
        Breakage(name: "statutory days 0", file: "approval_items.tsv",
                 edit: .append("x_item\t某事项\t审批\t0\tmarket\t-"), field: "days", says: "0"),
        // Service levels
        Breakage(name: "sla '4 hours'", file: "ticket_categories.tsv",
                 edit: .replace(prefix: "water_outage\t", with: "water_outage\t停水\tWater outage\twater\t4 hours"),
                 field: "sla", says: "4 hours"),
        Breakage(name: "sla '5d'", file: "ticket_categories.tsv",
                 edit: .append("ufo\t不明飞行物\tUFO\tcmd\t5d"), field: "sla", says: "5d"),
        Breakage(name: "sla '0h'", file: "ticket_categories.tsv",
                 edit: .append("ufo\t不明飞行物\tUFO\tcmd\t0h"), field: "sla", says: "0h"),
        // Templates
        Breakage(name: "an incident template without {place}", file: "incident_templates.tsv",
                 edit: .append("theft\t报警人称家中被盗。"), field: "narrative", says: "{place}"),
        Breakage(name: "a ticket template without {place}", file: "ticket_templates.tsv",
                 edit: .append("water_outage\t停水\t市民来电反映家中停水。"), field: "detail", says: "{place}"),
        // Holiday schedules
        Breakage(name: "a weekday marked as a 调休 workday", file: "calendar/2026.tsv",
                 edit: .append("2026-12-02\tworkday\t调休上班"), field: "kind", says: "2026-12-02"),
        Breakage(name: "a date from another year", file: "calendar/2026.tsv",
                 edit: .append("2025-12-31\tholiday\t元旦"), field: "date", says: "2025-12-31"),
        Breakage(name: "a date that does not exist", file: "calendar/2025.tsv",
                 edit: .append("2025-02-30\tholiday\t春节"), field: "date", says: "2025-02-30"),
        Breakage(name: "a date in another spelling", file: "calendar/2025.tsv",
                 edit: .append("2025/12/31\tholiday\t元旦"), field: "date", says: "2025/12/31"),
        Breakage(name: "a premise at an address the gazetteer does not know", file: "premises.tsv",
                 edit: .append("光明大道1号\tlaocheng\t有犬只\t院内有犬只，注意防护"), field: "address", says: "neither a landmark"),
        Breakage(name: "a premise at a bare street, without a house number", file: "premises.tsv",
                 edit: .append("解放路\tlaocheng\t有犬只\t院内有犬只，注意防护"), field: "address", says: "house number"),
        Breakage(name: "a premise in the wrong district", file: "premises.tsv",
                 edit: .append("文庙新村\tbinhu\t有犬只\t院内有犬只，注意防护"), field: "district", says: "lies in 'laocheng'"),
        Breakage(name: "a premise warning not in Chinese", file: "premises.tsv",
                 edit: .append("解放路2号\tlaocheng\t有犬只\tbeware of the dog"), field: "warning", says: "Chinese"),
        Breakage(name: "a duplicate rule with an unknown compatible type", file: "duplicate_rules.tsv",
                 edit: .append("domestic\t300\t15\tnope"), field: "compatible", says: "no incident type"),
        Breakage(name: "a duplicate rule with no radius", file: "duplicate_rules.tsv",
                 edit: .append("domestic\t0\t15\t-"), field: "radius_m", says: "whole number"),
        Breakage(name: "a second duplicate rule for a type", file: "duplicate_rules.tsv",
                 edit: .append("fire_home\t300\t15\t-"), field: "type", says: "already has a rule"),
        Breakage(name: "a plan for an unknown incident type", file: "plans.tsv",
                 edit: .append("nope\t1\tcheck\t通知\tCall"), field: "type", says: "no incident type"),
        Breakage(name: "a plan item numbered twice", file: "plans.tsv",
                 edit: .append("gas_leak\t1\tcheck\t通知\tCall"), field: "seq", says: "given twice"),
        Breakage(name: "a plan action that is not one", file: "plans.tsv",
                 edit: .append("gas_leak\t9\tcall\t通知\tCall"), field: "action", says: "not check, report"),
        Breakage(name: "a plan linking an incident to its own agency", file: "plans.tsv",
                 edit: .append("gas_leak\t9\tlink:119\t联动\tLink"), field: "action", says: "already a 119 incident"),
        Breakage(name: "a plan link naming another agency's type", file: "plans.tsv",
                 edit: .append("gas_leak\t9\tlink:120:cordon\t联动\tLink"), field: "action", says: "a 110 type, not 120"),
        Breakage(name: "a default row that is not a link", file: "plans.tsv",
                 edit: .append("*\t9\treport\t上报\tReport"), field: "action", says: "default types"),
        Breakage(name: "a plan item with no English", file: "plans.tsv",
                 edit: .append("gas_leak\t9\tcheck\t通知\t" + String(repeating: "x", count: 81)), field: "text_en", says: "1 to 80"),
    ]

    @Test("A malformed line stops the load with file, line and field", arguments: lineBreakages)
    func malformedLine(_ breakage: Breakage) throws {
        try withFixtureCopy { copy in
            // Given a copy of the shipped fixtures with one line broken
            let line = try breakage.apply(in: copy)
            let path = copy.appendingPathComponent(breakage.file).path
            // When the copy loads
            let error = try #require(loadFailure(copy), "the broken fixtures loaded")
            // Then the error names the file, the line and (where one is at fault) the field
            #expect(error.file == path)
            #expect(error.line == line)
            #expect(error.field == breakage.field)
            #expect(error.message.contains(breakage.says), "message: \(error.message)")
            // And its description reads file:line: field 'name': what is wrong
            if let field = breakage.field {
                #expect(error.description.hasPrefix("\(path):\(line): field '\(field)': "), "\(error)")
            } else {
                #expect(error.description.hasPrefix("\(path):\(line): "), "\(error)")
            }
        }
    }

    /// The second line with a code already taken; the README promises `file:line: field 'name'` for every bad line.
    static let duplicates: [Breakage] = [
        Breakage(name: "a duplicate department code", file: "departments.tsv",
                 edit: .append("psb\t市公安局\t公安\tMunicipal Public Security Bureau\tagency\t0715-86210110"),
                 field: "code", says: "psb"),
        Breakage(name: "a duplicate district code", file: "districts.tsv",
                 edit: .append("laocheng\t老城区\tLaocheng\t30.530\t114.300\t935200"), field: "code", says: "laocheng"),
        Breakage(name: "a duplicate unit id", file: "units.tsv",
                 edit: .append("P-LC-01\t110\t巡逻车\t鼓楼派出所巡逻一车\tlaocheng\t鼓楼派出所\t30.531774\t114.316911"),
                 field: "id", says: "P-LC-01"),
        Breakage(name: "a duplicate username", file: "users.tsv",
                 edit: .append("duty1\t陈志远\tduty\tcmd\tdemoduty"), field: "username", says: "duty1"),
        Breakage(name: "a duplicate approval item code", file: "approval_items.tsv",
                 edit: .append("biz_change\t企业变更登记\t登记\t5\tmarket\t-"), field: "code", says: "biz_change"),
        Breakage(name: "a duplicate knowledge article id", file: "kb.tsv",
                 edit: .append("KB0001\twater_outage\twater\t标题\t正文"), field: "id", says: "KB0001"),
    ]

    @Test("A duplicate code stops the load, naming the file and the message", arguments: duplicates)
    func duplicateCodeNamesTheFile(_ breakage: Breakage) throws {
        try withFixtureCopy { copy in
            // Given a copy with a code defined twice
            _ = try breakage.apply(in: copy)
            // When it loads
            let error = try #require(loadFailure(copy), "the fixtures with a duplicate loaded")
            // Then the error names the file and the code
            #expect(error.file == copy.appendingPathComponent(breakage.file).path)
            #expect(error.message.contains(breakage.says))
            #expect(error.message.contains("twice"))
        }
    }

    @Test("A duplicate code names the line of its second appearance and the field", arguments: duplicates)
    func duplicateCodeNamesTheLine(_ breakage: Breakage) throws {
        try withFixtureCopy { copy in
            // Given a copy with a code defined again at the end of its file
            let line = try breakage.apply(in: copy)
            // When it loads
            let error = try #require(loadFailure(copy), "the fixtures with a duplicate loaded")
            // Then, like every other bad line, the error says file:line: field 'name'
            #expect(error.line == line, "\(error)")
            #expect(error.field == breakage.field, "\(error)")
        }
    }

    @Test("A holiday schedule whose file name is not a year is refused", arguments: ["holidays.tsv", "26.tsv", "1999.tsv", "2026a.tsv"])
    func badlyNamedCalendar(_ name: String) throws {
        try withFixtureCopy { copy in
            // Given the 2026 schedule saved under a name that is not a year in 2000…2100
            let calendar = copy.appendingPathComponent("calendar")
            try FileManager.default.moveItem(at: calendar.appendingPathComponent("2026.tsv"),
                                             to: calendar.appendingPathComponent(name))
            // When the copy loads
            let error = try #require(loadFailure(copy), "a schedule named \(name) loaded")
            // Then the error names that file (no line is at fault: the name is) and asks for a year
            let path = calendar.appendingPathComponent(name).path
            #expect(error.file == path)
            #expect(error.description.hasPrefix(path))
            #expect(error.message.contains("year"))
            #expect(error.field == nil)
        }
    }

    @Test("A calendar folder without any schedule is refused")
    func noCalendar() throws {
        try withFixtureCopy { copy in
            let calendar = copy.appendingPathComponent("calendar")
            for name in try FileManager.default.contentsOfDirectory(atPath: calendar.path) {
                try FileManager.default.removeItem(at: calendar.appendingPathComponent(name))
            }
            let error = try #require(loadFailure(copy))
            #expect(error.file == calendar.path)
        }
    }

    @Test("A missing fixture file is named in the error")
    func missingFile() throws {
        try withFixtureCopy { copy in
            // Given a copy without units.tsv
            let file = copy.appendingPathComponent("units.tsv")
            try FileManager.default.removeItem(at: file)
            // When it loads, then the error names the missing file
            let error = try #require(loadFailure(copy))
            #expect(error.file == file.path)
            #expect(error.description.hasPrefix(file.path))
        }
    }

    @Test("A file that is not UTF-8 is named in the error")
    func notUTF8() throws {
        try withFixtureCopy { copy in
            // Given streets.tsv overwritten with bytes that are not UTF-8
            let file = copy.appendingPathComponent("streets.tsv")
            try Data([0x64, 0x69, 0xFF, 0xFE, 0x0A]).write(to: file)
            let error = try #require(loadFailure(copy))
            #expect(error.file == file.path)
            #expect(error.message.contains("UTF-8"))
        }
    }

    @Test("A comment or blank line anywhere is ignored, and line numbers still count it")
    func commentsAndBlankLines() throws {
        try withFixtureCopy { copy in
            // Given districts.tsv with a blank line and a comment inserted after the header, then a bad line
            let file = copy.appendingPathComponent("districts.tsv")
            var all = try lines(of: file)
            let header = try headerLineNumber(of: file)
            all.insert(contentsOf: ["", "# 注释行", "   "], at: header)
            all.append("bad\t坏区\tBad\t30\t114\t-5")
            try write(all, to: file)
            // When it loads
            let error = try #require(loadFailure(copy))
            // Then the bad line is reported at its true line number in the file
            #expect(error.line == all.count)
            #expect(error.field == "population")
        }
    }
}
