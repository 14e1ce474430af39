import FenghuoStore
import Foundation

/// A fixture that cannot be loaded: which file, which line, which field, and what is wrong.
public struct FixtureError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let field: String?
    public let message: String

    public init(file: String, line: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let field { return "\(place): field '\(field)': \(message)" }
        return "\(place): \(message)"
    }
}

/// One TAB-separated fixture file with a checked header.
struct TSVTable {
    let file: String
    let rows: [TSVRow]

    init(file: String, text: String, columns: [String]) throws(FixtureError) {
        self.file = file
        var header: [String]?
        var rows: [TSVRow] = []
        // "\r\n" is one Character in Swift: split on both so Windows-edited files load too.
        let split = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, rawLine) in split.enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let number = index + 1
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard let names = header else {
                guard fields == columns else {
                    throw FixtureError(file: file, line: number, message:
                        "header is '\(fields.joined(separator: " | "))', expected '\(columns.joined(separator: " | "))'")
                }
                header = fields
                continue
            }
            guard fields.count == names.count else {
                throw FixtureError(file: file, line: number, message:
                    "\(fields.count) fields, expected \(names.count) (\(names.joined(separator: ", "))); fields are separated by one TAB")
            }
            for (name, value) in zip(names, fields) where value.trimmingCharacters(in: .whitespaces).isEmpty {
                throw FixtureError(file: file, line: number, field: name, message: "is empty (write '-' where none applies)")
            }
            rows.append(TSVRow(file: file, line: number, values: Dictionary(uniqueKeysWithValues: zip(names, fields))))
        }
        guard header != nil else {
            throw FixtureError(file: file, message: "no header line; expected '\(columns.joined(separator: "\t"))'")
        }
        self.rows = rows
    }

    static func load(_ name: String, in directory: URL, columns: [String]) throws(FixtureError) -> TSVTable {
        let url = directory.appendingPathComponent(name)
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw FixtureError(file: url.path, message: "cannot be read as UTF-8 text (\(error.localizedDescription))")
        }
        return try TSVTable(file: url.path, text: text, columns: columns)
    }
}

struct TSVRow {
    let file: String
    let line: Int
    let values: [String: String]

    func error(_ field: String, _ message: String) -> FixtureError {
        FixtureError(file: file, line: line, field: field, message: message)
    }

    func text(_ field: String) -> String { values[field] ?? "" }

    func int(_ field: String, in range: ClosedRange<Int>) throws(FixtureError) -> Int {
        guard let n = Int(text(field)), range.contains(n) else {
            throw error(field, "'\(text(field))' is not a whole number in \(range.lowerBound)…\(range.upperBound)")
        }
        return n
    }

    func double(_ field: String, in range: ClosedRange<Double>) throws(FixtureError) -> Double {
        guard let x = Double(text(field)), range.contains(x) else {
            throw error(field, "'\(text(field))' is not a number in \(range.lowerBound)…\(range.upperBound)")
        }
        return x
    }

    func choice<E: RawRepresentable & CaseIterable>(_ field: String, _: E.Type = E.self) throws(FixtureError) -> E
    where E.RawValue == String {
        guard let value = E(rawValue: text(field)) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            throw error(field, "'\(text(field))' is not one of: \(allowed)")
        }
        return value
    }

    /// A code that must name a row of another fixture.
    func reference(_ field: String, in known: Set<String>, what: String) throws(FixtureError) -> String {
        let code = text(field)
        guard known.contains(code) else { throw error(field, "no \(what) has code '\(code)'") }
        return code
    }
}
