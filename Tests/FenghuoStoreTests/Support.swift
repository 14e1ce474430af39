import FenghuoDomain
import FenghuoSeed
import FenghuoStore
import Foundation
import GRDB
import Testing
import TestSupport

// Helpers shared by the store specifications. Expected values are computed here by brute force
// in Swift (or straight from the TSV text), never with the query under test.

// MARK: - Scratch folders and fixture copies

/// A folder of its own under the system's temporary directory; the caller removes it.
func makeScratchDirectory(_ label: String = "fenghuo-store-tests") throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Runs `body` with a private copy of the shipped `Fixtures/` folder, removed afterwards.
func withFixtureCopy<T>(_ body: (URL) throws -> T) throws -> T {
    let scratch = try makeScratchDirectory("fenghuo-fixtures")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let copy = scratch.appendingPathComponent("Fixtures", isDirectory: true)
    try FileManager.default.copyItem(at: DemoCity.fixturesDirectory, to: copy)
    return try body(copy)
}

/// The lines of a text file, without the empty string after its final newline.
func lines(of file: URL) throws -> [String] {
    var text = try String(contentsOf: file, encoding: .utf8)
    if text.hasSuffix("\n") { text.removeLast() }
    return text.components(separatedBy: "\n")
}

func write(_ lines: [String], to file: URL) throws {
    try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
}

/// Appends one line and answers its 1-based line number.
@discardableResult
func appendLine(_ line: String, to file: URL) throws -> Int {
    var all = try lines(of: file)
    all.append(line)
    try write(all, to: file)
    return all.count
}

/// Replaces the first line starting with `prefix` and answers its 1-based line number.
@discardableResult
func replaceLine(startingWith prefix: String, in file: URL, with replacement: String,
                 sourceLocation: SourceLocation = #_sourceLocation) throws -> Int {
    var all = try lines(of: file)
    let index = try #require(all.firstIndex { $0.hasPrefix(prefix) },
                             "no line of \(file.lastPathComponent) starts with \(prefix)",
                             sourceLocation: sourceLocation)
    all[index] = replacement
    try write(all, to: file)
    return index + 1
}

/// The 1-based number of the header line: the first line that is neither blank nor a comment.
func headerLineNumber(of file: URL) throws -> Int {
    let all = try lines(of: file)
    return try #require(all.firstIndex { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#") }) + 1
}

/// The data records of a TSV file (not blank, not a comment, not the header), split at TABs.
func records(of file: URL) throws -> [[String]] {
    let meaningful = try lines(of: file).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#") }
    return meaningful.dropFirst().map { $0.components(separatedBy: "\t") }
}

/// Loads fixtures from `dir`, answering the error the loader throws (nil when it loads).
func loadFailure(_ dir: URL) -> FixtureError? {
    do {
        _ = try FixtureSet.load(from: dir)
        return nil
    } catch {
        return error
    }
}

// MARK: - Reading the database directly

func count(_ table: String, in database: AppDatabase, where condition: String = "1") throws -> Int {
    try database.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM \(table) WHERE \(condition)") ?? 0 }
}

/// Every table the seeder writes, with an order that makes a dump of it comparable.
let seededTables: [(name: String, order: String)] = [
    ("meta", "key"), ("district", "code"), ("department", "code"), ("app_user", "username"),
    ("incident_type", "code"), ("ticket_category", "code"), ("approval_item", "code"),
    ("calendar_year", "year"), ("calendar_day", "date"), ("kb_article", "id"),
    ("road_node", "id"), ("road_edge", "seq"), ("run_card", "incident_type, priority, district, kind"),
    ("unit", "id"), ("incident", "id"), ("ticket", "id"), ("approval_case", "id"),
    ("approval_step", "case_id, position"),
]

func rowCounts(_ database: AppDatabase) throws -> [String: Int] {
    var counts: [String: Int] = [:]
    for table in seededTables { counts[table.name] = try count(table.name, in: database) }
    return counts
}

/// All rows of a table in a fixed order. Password hashes are salted per seed, so `app_user`
/// is dumped without them unless `withSecrets` is set.
func dump(_ table: String, order: String, in database: AppDatabase, withSecrets: Bool = false) throws -> [Row] {
    let columns = table == "app_user" && !withSecrets ? "username, name, role, department" : "*"
    return try database.writer.read { try Row.fetchAll($0, sql: "SELECT \(columns) FROM \(table) ORDER BY \(order)") }
}

func allIncidents(_ database: AppDatabase) throws -> [Incident] {
    try database.writer.read { try Incident.fetchAll($0, sql: "SELECT * FROM incident") }
}

func allTickets(_ database: AppDatabase) throws -> [Ticket] {
    try database.writer.read { try Ticket.fetchAll($0, sql: "SELECT * FROM ticket") }
}

func allUnits(_ database: AppDatabase) throws -> [ResponseUnit] {
    try database.writer.read { try ResponseUnit.fetchAll($0, sql: "SELECT * FROM unit") }
}

/// The searchable and sortable columns of an approval case, read without the store's records.
struct ApprovalRow: Sendable, Hashable {
    let id: String
    let itemCode: String
    let itemName: String
    let applicant: String
    let status: String
    let isOpen: Bool
    let deadline: Int
    let completedOn: Int?

    var sortKey: SortKey { SortKey([.int(Int64(deadline)), .text(id)]) }
}

func allApprovalRows(_ database: AppDatabase) throws -> [ApprovalRow] {
    try database.writer.read { db in
        try Row.fetchAll(db, sql: "SELECT * FROM approval_case").map {
            ApprovalRow(id: $0["id"], itemCode: $0["item_code"], itemName: $0["item_name"], applicant: $0["applicant"],
                        status: $0["status"], isOpen: $0["is_open"], deadline: $0["deadline"],
                        completedOn: $0["completed_on"])
        }
    }
}

// MARK: - The second city

/// A second demo city, seeded like `DemoCity.database` at the same instant but by a separate
/// `Seeder.seed` call whose summary is kept. Read-only: tests that write seed their own.
enum SecondCity {
    static let seeded: (database: AppDatabase, summary: Seeder.Summary) = {
        do {
            let db = try AppDatabase.inMemory()
            let summary = try Seeder(fixtures: DemoCity.fixtures, hasher: DemoCity.testHasher).seed(db, now: DemoCity.now)
            return (db, summary)
        } catch {
            fatalError("the second demo city does not seed: \(error)")
        }
    }()
}

// MARK: - Collecting SQL

/// Statements a connection ran, collected from GRDB's trace hook (called on the connection's queue).
final class StatementLog: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []
    func append(_ sql: String) { lock.withLock { storage.append(sql) } }
    var statements: [String] { lock.withLock { storage } }
}
