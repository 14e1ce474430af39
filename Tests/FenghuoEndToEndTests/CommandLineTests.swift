import Foundation
import Testing
import TestSupport

@Suite("The command line tools", .processes)
struct CommandLineTests {
    @Test func seed_reports_what_it_loaded_as_json() throws {
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-cli-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: db) }
        let result = try Binary.run(["seed", "--db", db, "--now", "2026-12-01T10:00:00+08:00", "--json"])
        #expect(result.status == 0, "\(result.output)")
        let data = Data(result.output.utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect((object["incidents"] as? Int ?? 0) >= 300)
        #expect((object["tickets"] as? Int ?? 0) >= 2000)
        #expect((object["approvals"] as? Int ?? 0) >= 200)
        #expect(object["calendarYears"] as? [Int] == [2025, 2026])
    }

    @Test func a_malformed_fixture_names_file_line_and_field_and_loads_nothing() throws {
        // Given a copy of the fixtures with one bad unit line (agency 999)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-fixtures-\(UUID())")
        try FileManager.default.copyItem(at: DemoCity.fixturesDirectory, to: dir)
        defer { try? FileManager.default.removeItem(at: dir) }
        let units = dir.appendingPathComponent("units.tsv")
        var lines = try String(contentsOf: units, encoding: .utf8).components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.hasPrefix("P-") })
        var fields = lines[index].components(separatedBy: "\t")
        fields[1] = "999"
        lines[index] = fields.joined(separator: "\t")
        try lines.joined(separator: "\n").write(to: units, atomically: true, encoding: .utf8)
        let db = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-cli-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: db) }
        // When it is seeded
        let result = try Binary.run(["seed", "--db", db, "--fixtures", dir.path])
        // Then the command fails naming units.tsv, the line and the field, and creates no database
        #expect(result.status != 0)
        #expect(result.output.contains("units.tsv:\(index + 1): field 'agency'"), "\(result.output)")
        #expect(result.output.contains("999"))
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test func bad_options_are_refused_with_what_to_do() throws {
        let lang = try Binary.run(["tui", "--db", Binary.database, "--lang", "fr"])
        #expect(lang.status != 0)
        #expect(lang.output.contains("--lang 'fr' is not supported; use zh or en."))
        let missing = try Binary.run(["tui", "--db", "/nonexistent/x.sqlite"])
        #expect(missing.status != 0)
        #expect(missing.output.contains("fenghuo seed --db /nonexistent/x.sqlite"))
        let theme = try Binary.run(["tui", "--db", Binary.database, "--theme", "neon"])
        #expect(theme.status != 0)
        #expect(theme.output.contains("available: default, high-contrast, mono"))
    }

    @Test func every_subcommand_has_help() throws {
        for sub in ["demo", "tui", "seed"] {
            let result = try Binary.run([sub, "--help"])
            #expect(result.status == 0)
            #expect(result.output.contains("USAGE"))
        }
    }
}
