import FenghuoConsole
import FenghuoDomain
import FenghuoStore
import FenghuoTUI
import Foundation
import Testing
import TestSupport

extension ReplicaReader: ConsoleDataSource {}

/// A console over the seeded demo city, on an in-memory terminal, with the clock stopped.
struct Harness {
    let backend: TestBackend
    let program: Program<ConsoleModel>

    init(pane: PaneID = .dispatch, size: Size = Size(width: 120, height: 40), language: Language = .zh,
         theme: Theme = Harness.defaultTheme, now: Date = DemoCity.now) {
        let reader = DemoCity.database.reader
        backend = TestBackend(size: size)
        let model = ConsoleModel(language: language, theme: theme, size: size, now: now, start: pane,
                                 operatorLabel: "duty1")
        program = Program(model: model, backend: backend, clock: { now }) { reader.perform($0) }
        program.send(.tick(now))
        program.render()
    }

    static let defaultTheme: Theme = {
        let dir = DemoCity.repositoryRoot.appendingPathComponent("Themes")
        do { return try Theme.load(named: "default", from: dir) } catch { fatalError("\(error)") }
    }()

    var model: ConsoleModel { program.model }
    var lines: [String] { backend.lines }
    var screen: String { lines.joined(separator: "\n") }

    func press(_ keys: Key...) { press(keys) }

    func press(_ keys: [Key]) {
        for key in keys { program.send(.key(key)) }
        program.render()
    }

    func type(_ text: String) { press(text.map { Key.char($0) }) }

    func resize(_ size: Size) {
        backend.size = size
        program.send(.resize(size))
        program.render()
    }

    /// The cell where `text` first appears on screen.
    func cell(of text: String) -> Cell? {
        let buffer = backend.buffer
        for y in 0..<buffer.area.height {
            // Characters of the row and the column each starts at.
            let starts = (0..<buffer.area.width).filter { !buffer[$0, y].isContinuation }
            let row = starts.map { buffer[$0, y].symbol }
            let needle = text.map(String.init)
            guard needle.count <= row.count else { continue }
            for i in 0...(row.count - needle.count) where Array(row[i..<(i + needle.count)]) == needle {
                return buffer[starts[i], y]
            }
        }
        return nil
    }
}

/// Golden files: the screen as text, compared whole. `UPDATE_GOLDEN=1 make test` rewrites them.
enum Golden {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    /// nil when the screen matches its golden file (or the file was just rewritten on request);
    /// otherwise where and how it differs.
    static func mismatch(_ lines: [String], named name: String) -> String? {
        let url = directory.appendingPathComponent("\(name).txt")
        let actual = lines.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
            .joined(separator: "\n") + "\n"
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return nil
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            return "golden file \(name).txt is missing; run UPDATE_GOLDEN=1 make test to create it"
        }
        guard expected != actual else { return nil }
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let first = zip(e, a).enumerated().first { $0.element.0 != $0.element.1 }
        let place = first.map { "line \($0.offset + 1):\n  expected: \($0.element.0)\n  actual:   \($0.element.1)" }
            ?? "line count \(e.count) vs \(a.count)"
        return "screen differs from Golden/\(name).txt at \(place)\n(UPDATE_GOLDEN=1 rewrites it after review)"
    }
}
