import FenghuoDomain
import FenghuoStore
import Foundation
import GRDB
import Testing
import TestSupport

/// Each page is an index seek: the queue's index serves both the WHERE and the ORDER BY, so no
/// page sorts in a temporary B-tree, however large the table.
///
/// The statements examined are the ones ReplicaReader really runs: they are captured with
/// SQLite's trace hook on a database of their own, then explained with EXPLAIN QUERY PLAN.
@Suite("Query plans of the queues", .serialized)
struct QueryPlanTests {
    struct Expectation: Sendable, CustomTestStringConvertible {
        let queue: Queue
        let table: String
        let index: String
        let ascending: String
        var testDescription: String { "the \(queue.rawValue) queue uses \(index)" }
    }

    static let expectations: [Expectation] = [
        Expectation(queue: .incidents, table: "incident", index: "incident_queue",
                    ascending: "ORDER BY priority ASC, created_at ASC, id ASC"),
        Expectation(queue: .tickets, table: "ticket", index: "ticket_queue", ascending: "ORDER BY deadline_at ASC, id ASC"),
        Expectation(queue: .approvals, table: "approval_case", index: "approval_queue",
                    ascending: "ORDER BY deadline ASC, id ASC"),
    ]

    /// A seeded city of its own, so that tracing it records no other test's statements.
    static let traced: AppDatabase = {
        do { return try DemoCity.freshDatabase() } catch { fatalError("cannot seed the traced city: \(error)") }
    }()

    /// Runs `body` with statement tracing on, answering the statements run against `table`'s queue.
    static func statements(on table: String, _ body: () throws -> Void) throws -> [String] {
        let log = StatementLog()
        traced.writer.writeWithoutTransaction { db in
            db.trace(options: .statement) { event in
                if case .statement(let statement) = event { log.append(statement.expandedSQL) }
            }
        }
        defer { traced.writer.writeWithoutTransaction { $0.trace(options: .statement, nil) } }
        try body()
        return log.statements.filter { $0.contains("FROM \(table) WHERE is_open = 1") }
    }

    static func plan(_ sql: String) throws -> [String] {
        try traced.writer.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN \(sql)").map { $0["detail"] as String }
        }
    }

    func requests(for queue: Queue) throws -> [PageRequest] {
        let rows = try queue.allOpen(in: Self.traced)
        let middle = rows[rows.count / 2].key
        var requests: [PageRequest] = []
        for filter in ["", "路", "小区"] {
            requests += [PageRequest(anchor: .first, limit: 20, filter: filter),
                         PageRequest(anchor: .last, limit: 20, filter: filter),
                         PageRequest(anchor: .after(middle), limit: 20, filter: filter),
                         PageRequest(anchor: .atOrAfter(middle), limit: 20, filter: filter),
                         PageRequest(anchor: .before(middle), limit: 20, filter: filter)]
        }
        return requests
    }

    @Test("Unfiltered and short-filtered pages seek the queue index and never sort in a temporary B-tree",
          arguments: expectations)
    func pagesUseTheIndex(_ e: Expectation) throws {
        // Given the statements a queue runs for pages at every kind of anchor, unfiltered and with LIKE filters
        let requests = try requests(for: e.queue)
        let sqls = try QueryPlanTests.statements(on: e.table) {
            for request in requests { _ = try e.queue.page(request, in: QueryPlanTests.traced) }
        }
        // (and they include the row fetches both ways, the neighbour probes and the count)
        #expect(sqls.contains { $0.contains(e.ascending) })
        #expect(sqls.contains { $0.contains(e.ascending.replacingOccurrences(of: "ASC", with: "DESC")) })
        #expect(sqls.contains { $0.hasPrefix("SELECT EXISTS") })
        #expect(sqls.contains { $0.hasPrefix("SELECT count(*)") })
        for sql in Set(sqls) {
            // When SQLite explains how it runs each one
            let plan = try QueryPlanTests.plan(sql)
            // Then it searches the queue's index
            #expect(plan.contains { $0.contains("INDEX \(e.index)") }, "\(sql)\n→ \(plan)")
            // And never sorts the rows itself, nor scans the whole table
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(sql)\n→ \(plan)")
            // A scan of the queue's own table (not of a small reference table in a subquery).
            #expect(!plan.contains { $0 == "SCAN \(e.table)" || $0.hasPrefix("SCAN \(e.table) ") }, "\(sql)\n→ \(plan)")
        }
    }

    @Test("Pages filtered through the trigram index still take their order from the queue index",
          arguments: expectations)
    func ftsPagesUseTheIndex(_ e: Expectation) throws {
        let rows = try e.queue.allOpen(in: QueryPlanTests.traced)
        let middle = rows[rows.count / 2].key
        let filter = e.queue == .approvals ? "有限公司" : "老城区"
        let requests: [PageRequest] = [.first, .last, .after(middle), .before(middle)].map {
            PageRequest(anchor: $0, limit: 20, filter: filter)
        }
        let sqls = try QueryPlanTests.statements(on: e.table) {
            for request in requests { _ = try e.queue.page(request, in: QueryPlanTests.traced) }
        }
        #expect(sqls.contains { $0.contains("MATCH") })
        for sql in Set(sqls) where sql.contains("ORDER BY") {
            let plan = try QueryPlanTests.plan(sql)
            #expect(plan.contains { $0.contains("INDEX \(e.index)") }, "\(sql)\n→ \(plan)")
            #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(sql)\n→ \(plan)")
        }
    }

    @Test("The hand-written equivalent of a page query is planned the same way")
    func handWrittenPageQuery() throws {
        // Given the SQL KeysetPager builds for the incident page after a key (read from its source)
        let sql = """
            SELECT * FROM incident WHERE is_open = 1 AND (priority, created_at, id) > (2, 1796000000, 'J20261130-0001')
            ORDER BY priority ASC, created_at ASC, id ASC LIMIT 21
            """
        let plan = try QueryPlanTests.plan(sql)
        // Then SQLite seeks incident_queue and does not sort
        #expect(plan.contains { $0.contains("SEARCH incident USING INDEX incident_queue") }, "\(plan)")
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(plan)")
    }
}
