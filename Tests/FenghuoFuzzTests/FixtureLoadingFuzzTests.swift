import FenghuoDomain
import Foundation
import Testing
import TestSupport
@testable import FenghuoSeed

/// The shipped fixture files, read once, and the columns each must have.
enum ShippedFixtures {
    static let columns: [String: [String]] = [
        "city.tsv": ["key", "value"],
        "districts.tsv": ["code", "name", "name_en", "lat", "lon", "population"],
        "streets.tsv": ["district", "name"],
        "landmarks.tsv": ["district", "name", "kind", "lat", "lon"],
        "departments.tsv": ["code", "name", "short", "name_en", "kind", "phone"],
        "units.tsv": ["id", "agency", "kind", "name", "district", "station", "lat", "lon"],
        "users.tsv": ["username", "name", "role", "department", "password"],
        "incident_types.tsv": ["code", "agency", "name", "name_en", "priority"],
        "incident_templates.tsv": ["type", "narrative"],
        "ticket_categories.tsv": ["code", "name", "name_en", "department", "sla"],
        "ticket_templates.tsv": ["category", "summary", "detail"],
        "approval_items.tsv": ["code", "name", "type", "days", "lead", "cosign"],
        "kb.tsv": ["id", "category", "department", "title", "body"],
        "names.tsv": ["kind", "value"],
        "calendar/2025.tsv": ["date", "kind", "name"],
        "calendar/2026.tsv": ["date", "kind", "name"],
        "run_cards.tsv": ["type", "priority", "district", "kind", "count"],
        "dispositions.tsv": ["code", "use", "agencies", "name", "name_en"],
        "response_targets.tsv": ["priority", "step", "seconds"],
        "premises.tsv": ["address", "district", "kind", "warning"],
        "duplicate_rules.tsv": ["type", "radius_m", "window_min", "compatible"],
        "plans.tsv": ["type", "seq", "action", "text", "text_en"],
        "roads/nodes.tsv": RoadFixture.nodeColumns,
        "roads/edges.tsv": RoadFixture.edgeColumns,
    ]

    /// Each file's bytes, by its path inside `Fixtures/`.
    static let files: [String: [UInt8]] = {
        var out: [String: [UInt8]] = [:]
        for name in columns.keys {
            guard let data = FileManager.default.contents(atPath: DemoCity.fixturesDirectory.appendingPathComponent(name).path) else {
                fatalError("the shipped fixture \(name) cannot be read")
            }
            out[name] = [UInt8](data)
        }
        return out
    }()

    static func columns(ofPath path: String) -> [String]? {
        columns.first { path.hasSuffix("/" + $0.key) }?.value
    }
}

extension FuzzRandom {
    /// A value a fixture field should not hold, or one that looks right and is not: numbers
    /// out of range or in other scripts, blanks, a dash, codes that exist elsewhere, tabs,
    /// line breaks, quotes and CJK.
    mutating func hostileField() -> String {
        switch int(0...3) {
        case 0: pick(["", " ", "-", "0", "-0", "+5", "1e999", "NaN", "inf", "-inf", "9999999999999999999999", "３０", "٣٠", "30.5.1",
                      "90.0000001", "-180", "2026-02-30", "2026-13-01", "2026-1-1", "0000-00-00", "4h", "0h", "5wd", "-1wd", "99999999wd",
                      "cmd", "laocheng", "hotline", "water", "general", "110", "staff", "holiday", "workday", "{place}", "surname"])
        case 1: hostileNumber()
        default: text(limit: 20)
        }
    }

    /// One edit of a fixture file's text, as a careless editor or a broken copy would make it.
    mutating func mutateFixture(_ bytes: [UInt8]) -> [UInt8]? {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.components(separatedBy: "\n")
        let dataLines = lines.indices.filter { !lines[$0].isEmpty && !lines[$0].hasPrefix("#") }
        switch int(0...13) {
        case 0...3 where !dataLines.isEmpty:
            // A field replaced.
            let i = pick(dataLines)
            var fields = lines[i].components(separatedBy: "\t")
            fields[int(0...(fields.count - 1))] = hostileField()
            lines[i] = fields.joined(separator: "\t")
        case 4 where !dataLines.isEmpty:
            lines.remove(at: pick(dataLines))
        case 5 where !dataLines.isEmpty:
            let i = pick(dataLines)
            lines.insert(lines[i], at: int(0...lines.count))
        case 6 where dataLines.count > 1:
            lines.swapAt(pick(dataLines), pick(dataLines))
        case 7 where !dataLines.isEmpty:
            // A tab too many or too few.
            let i = pick(dataLines)
            if chance(0.5) { lines[i] += "\t" + hostileField() } else { lines[i] = lines[i].replacingOccurrences(of: "\t", with: " ") }
        case 8:
            // Only the header (and comments) left, or nothing at all.
            lines = chance(0.5) ? lines.filter { $0.hasPrefix("#") } + (dataLines.first.map { [lines[$0]] } ?? []) : []
        case 9:
            return pick([Array("\u{FEFF}".utf8) + bytes, Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8),
                         Array(text.replacingOccurrences(of: "\n", with: "\r").utf8)])
        case 10:
            return Array(bytes.prefix(int(0...bytes.count)))
        case 11:
            return nil
        default:
            return mutate(bytes)
        }
        return Array(lines.joined(separator: "\n").utf8)
    }
}

/// The fixture loader on mutated copies of the shipped `Fixtures/`: it loads or throws a
/// `FixtureError` naming a file of the copy, a line of that file and one of its columns, and a
/// set it loads holds no dangling code.
@Suite("Fuzz: fixture loading")
struct FixtureLoadingFuzzTests {
    /// What is wrong with an error, if anything: where it points must exist.
    static func misplaced(_ error: FixtureError, in dir: URL) -> String? {
        guard error.file.hasPrefix(dir.path + "/") || error.file == dir.path else { return "names a file outside the copy" }
        guard !error.message.isEmpty, error.description.contains(URL(fileURLWithPath: error.file).lastPathComponent) else {
            return "does not name its file"
        }
        if let line = error.line {
            guard let data = FileManager.default.contents(atPath: error.file) else { return "names line \(line) of a file that is not there" }
            let text = String(decoding: data, as: UTF8.self)
            let count = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.count
            guard (1...count).contains(line) else { return "names line \(line) of a file of \(count) lines" }
            guard error.description.contains(":\(line)") else { return "does not show its line" }
        }
        if let field = error.field {
            guard let columns = ShippedFixtures.columns(ofPath: error.file), columns.contains(field) else {
                return "names field '\(field)', not a column of \(error.file)"
            }
        }
        return nil
    }

    /// Codes that a loaded set refers to but does not define.
    static func dangling(_ set: FixtureSet) -> [String] {
        let districts = Set(set.districts.map(\.code)), departments = Set(set.departments.map(\.code))
        let categories = Set(set.ticketCategories.map(\.code))
        var out: [String] = []
        out += set.units.filter { !districts.contains($0.district) }.map { "unit \($0.id) in district \($0.district)" }
        out += set.users.filter { !departments.contains($0.user.department) }.map { "user \($0.user.username) of \($0.user.department)" }
        out += set.ticketCategories.filter { !departments.contains($0.department) }.map { "category \($0.code) to \($0.department)" }
        out += set.approvalItems.flatMap { item in ([item.leadDepartment] + item.cosigningDepartments).filter { !departments.contains($0) }
            .map { "approval item \(item.code) signed by \($0)" } }
        out += set.knowledge.filter { !departments.contains($0.department) || !(categories.contains($0.category) || $0.category == "general") }
            .map { "article \($0.id)" }
        out += set.districts.filter { set.streets[$0.code, default: []].isEmpty || set.landmarks[$0.code, default: []].isEmpty }
            .map { "district \($0.code) without streets or landmarks" }
        out += set.incidentTypes.filter { set.incidentTemplates[$0.code, default: []].isEmpty }.map { "type \($0.code) without templates" }
        let roadNodes = Set(set.roadNodes.map(\.id))
        out += set.roadEdges.filter { !roadNodes.contains($0.from) || !roadNodes.contains($0.to) }.map { "road \($0.from)→\($0.to)" }
        if let stranded = set.roads?.unreachableNode() { out.append("road node \(stranded) stranded") }
        if set.roads == nil { out.append("no roads") }
        for (label, codes) in [("district", set.districts.map(\.code)), ("department", set.departments.map(\.code)),
                               ("unit", set.units.map(\.id)), ("user", set.users.map(\.user.username))]
        where Set(codes).count != codes.count {
            out.append("a \(label) code twice")
        }
        return out
    }

    @Test("A mutated copy of Fixtures/ loads whole or fails with a FixtureError pointing at a real file, line and column")
    func mutatedFixtures() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-fuzz-fixtures-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let dir = scratch.appendingPathComponent("Fixtures")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: DemoCity.fixturesDirectory, to: dir)
        let names = ShippedFixtures.files.keys.sorted()
        let check = checkProperty("mutatedFixtures", share: 0.15) { r in
            let touched = (0..<(r.chance(0.8) ? 1 : 2)).map { _ in r.pick(names) }
            var edits: [String] = []
            for name in touched {
                let url = dir.appendingPathComponent(name)
                let before = FileManager.default.contents(atPath: url.path).map { [UInt8]($0) } ?? ShippedFixtures.files[name]!
                if let after = r.mutateFixture(before) {
                    try Data(after).write(to: url)
                    edits.append("\(name) now \(after.count) bytes")
                } else {
                    try? FileManager.default.removeItem(at: url)
                    edits.append("\(name) removed")
                }
            }
            defer {
                for name in Set(touched) { try? Data(ShippedFixtures.files[name]!).write(to: dir.appendingPathComponent(name)) }
            }
            let shown = touched.map { name in
                FileManager.default.contents(atPath: dir.appendingPathComponent(name).path).map { "\(name): \([UInt8]($0).shown)" } ?? "\(name): (none)"
            }.joined(separator: "\n")
            do {
                let set = try FixtureSet.load(from: dir)
                let holes = Self.dangling(set)
                try require(holes.isEmpty, "the set loaded with \(holes.joined(separator: "; ")) after \(edits)")
            } catch let error as FixtureError {
                if let wrong = Self.misplaced(error, in: dir) {
                    throw Falsified(description: "the error '\(error)' \(wrong), after \(edits):\n\(shown)")
                }
            }
        }
        #expect(check.held, "\(check)")
    }

    @Test("Any text as a TSV table gives its rows or a FixtureError naming one of its lines and columns")
    func anyTable() {
        let check = checkProperty("anyTable") { r in
            let (name, columns) = r.pick(Array(ShippedFixtures.columns))
            let shipped = ShippedFixtures.files[name]!
            let bytes = r.chance(0.3) ? r.bytes(limit: 400) : (r.mutateFixture(shipped) ?? [])
            let text = String(decoding: bytes, as: UTF8.self)
            let lineCount = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.count
            let result: Result<TSVTable, FixtureError>
            do throws(FixtureError) { result = .success(try TSVTable(file: name, text: text, columns: columns)) } catch { result = .failure(error) }
            switch result {
            case .success(let table):
                try require(table.rows.allSatisfy { row in
                    Set(row.values.keys) == Set(columns) && row.values.values.allSatisfy { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
                        && (1...lineCount).contains(row.line)
                }, "a row lacks a column, holds a blank or names no line of \(name): \(bytes.shown)")
            case .failure(let error):
                try require(error.file == name, "the error names \(error.file), not \(name)")
                try require(error.line.map { (1...lineCount).contains($0) } ?? true, "the error names line \(error.line!) of \(lineCount): \(bytes.shown)")
                try require(error.field.map(columns.contains) ?? true, "the error names field \(error.field!), not a column")
            }
        }
        #expect(check.held, "\(check)")
    }
}
