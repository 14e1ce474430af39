import Foundation
import Testing
import FenghuoTUI

// Small helpers shared by the FenghuoTUI specifications. None of them uses the code under
// test to build an *expected* value: expected screens are written out as literal lines.

/// A buffer holding `lines`, one string a row, written in `style` (like ratatui's
/// `Buffer::with_lines`). Used for backgrounds that a widget must leave alone.
func bufferWithLines(_ lines: [String], style: Style = .plain) -> Buffer {
    let width = lines.map(\.displayWidth).max() ?? 0
    var buffer = Buffer(size: Size(width: width, height: lines.count))
    for (y, line) in lines.enumerated() { buffer.write(line, x: 0, y: y, style: style) }
    return buffer
}

/// One character per cell (continuations included) naming each cell's style by `legend`;
/// `?` marks a style the legend does not know. Lets a test spell out styles cell by cell:
/// `["hhhh", "ssss"]`.
func styleMap(_ buffer: Buffer, _ legend: KeyValuePairs<Character, Style>) -> [String] {
    (0..<buffer.area.height).map { y in
        String((0..<buffer.area.width).map { x in
            legend.first { $0.value == buffer[x, y].style }?.key ?? "?"
        })
    }
}

/// Every place the wide-character invariant is broken: a continuation cell without a wide
/// cell on its left, or a wide cell without a continuation on its right.
func widthViolations(in buffer: Buffer) -> [String] {
    var found: [String] = []
    for y in 0..<buffer.area.height {
        for x in 0..<buffer.area.width {
            let cell = buffer[x, y]
            if cell.isContinuation, x == 0 || buffer[x - 1, y].width != 2 {
                found.append("orphan continuation at (\(x), \(y))")
            }
            if cell.width == 2, x + 1 >= buffer.area.width || !buffer[x + 1, y].isContinuation {
                found.append("wide cell '\(cell.symbol)' without continuation at (\(x), \(y))")
            }
            if cell.width > 2 { found.append("cell wider than two at (\(x), \(y))") }
        }
    }
    return found
}

/// A small deterministic generator (SplitMix64), so "random-ish" tests repeat exactly.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The theme files shipped in `Themes/`, found from this source file (../../Themes).
enum ShippedThemes {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()   // FenghuoTUITests
        .deletingLastPathComponent()   // Tests
        .deletingLastPathComponent()   // package root
        .appendingPathComponent("Themes")

    /// Theme names (file names without `.json`), sorted.
    static var names: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func url(_ name: String) -> URL { directory.appendingPathComponent("\(name).json") }
}

/// Runs `body`, which must throw a `Theme.LoadError`, and hands the error back.
func loadError(_ body: () throws -> Theme, sourceLocation: SourceLocation = #_sourceLocation) -> Theme.LoadError? {
    do {
        let theme = try body()
        Issue.record("expected a Theme.LoadError, got theme '\(theme.name)'", sourceLocation: sourceLocation)
        return nil
    } catch let error as Theme.LoadError {
        return error
    } catch {
        Issue.record("expected a Theme.LoadError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
