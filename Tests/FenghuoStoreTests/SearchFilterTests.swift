import FenghuoDomain
import FenghuoStore
import Foundation
import Testing
import TestSupport

/// A queue's text filter: three characters or more go through the FTS5 trigram index, one or two
/// through LIKE. Either way the result must be what a brute-force `contains` finds.
///
/// Columns searched (ReplicaReader's `likeColumns` and the FTS tables of the migration):
/// - incidents: id, address, narrative — both paths
/// - tickets: id, summary, address — and, for the trigram path only, detail
/// - approvals: id, item_name, applicant — both paths
@Suite("Queue text filters")
struct SearchFilterTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let queue: Queue
        let filter: String
        var testDescription: String { "\(queue.rawValue) filtered by “\(filter)”" }
    }

    static let cases: [Case] =
        ["老城区", "报警人", "卷帘门", "J20261201", "-02", "小区", "路", "12", "现场", "号"]
            .map { Case(queue: .incidents, filter: $0) }
        + ["漏水", "市民来电反映", "小区地下管道漏水", "R20261130", "路", "号", "燃气", "漏水"]
            .map { Case(queue: .tickets, filter: $0) }
        + ["许可", "有限公司", "企业设立登记", "SP202611", "科技", "登记", "核发", "公"]
            .map { Case(queue: .approvals, filter: $0) }

    @Test("A filter finds exactly the open rows whose searched columns contain it, in queue order", arguments: cases)
    func filterMatchesBruteForce(_ c: Case) throws {
        // Given the open rows a brute-force `contains` over the searched columns finds
        let expected = try c.queue.expected(filter: c.filter)
        #expect(!expected.isEmpty, "pick a filter that finds something: “\(c.filter)” finds nothing")
        // When the queue is asked for one page big enough for all of them
        let page = try c.queue.page(PageRequest(limit: 100_000, filter: c.filter))
        // Then it holds exactly those rows, in sort-key order, and counts them
        #expect(ids(page.rows) == ids(expected))
        #expect(page.total == expected.count)
        #expect(!page.hasMoreBefore && !page.hasMoreAfter)
    }

    @Test("Blanks around a filter are ignored, and a blank filter is no filter", arguments: Queue.allCases)
    func blanks(_ queue: Queue) throws {
        let all = try queue.allOpen()
        #expect(ids(try queue.page(PageRequest(limit: 100_000, filter: "   ")).rows) == ids(all))
        let padded = try queue.page(PageRequest(limit: 100_000, filter: "  区  ")).rows
        #expect(ids(padded) == ids(try queue.expected(filter: "区")))
    }

    static let awkward: [String] = [
        "\"", "\"\"", "\"老城", "老城\"区", "\"\"\"", "%", "%%", "_", "__", "%路", "_路", "5%", "老城%", "老_区",
        "\\", "\\%", "'", "';--", "老城 OR 江北", "小区*", "^老城", "NEAR(老城 江北)", "(老城)", "老城区 AND", "-", ":",
        // A NUL with a combining mark after it is one Character that is not "\0" (found by the fuzzer).
        "\"\u{0}\u{301}", "+\"区\u{0}\u{301})",
    ]

    @Test("A filter with quotes, wildcards or FTS syntax does not fail and matches literally",
          arguments: Queue.allCases, awkward)
    func awkwardFilters(_ queue: Queue, _ filter: String) throws {
        // Given a filter holding characters that mean something to FTS5, LIKE or SQL
        let expected = try queue.expected(filter: filter)
        // When the queue is filtered by it
        let page = try queue.page(PageRequest(limit: 100_000, filter: filter))
        // Then nothing throws, and the rows are those that contain the text literally
        #expect(ids(page.rows) == ids(expected))
        #expect(page.total == expected.count)
    }

    @Test("A LIKE wildcard in a short filter is a literal character, not a wildcard", arguments: Queue.allCases)
    func wildcardsAreLiteral(_ queue: Queue) throws {
        // Given that no open row contains % or _ in its searched columns
        #expect(try queue.expected(filter: "%").isEmpty)
        #expect(try queue.expected(filter: "_").isEmpty)
        // Then filtering by them finds nothing (a wildcard would find every row)
        #expect(try queue.page(PageRequest(limit: 10, filter: "%")).total == 0)
        #expect(try queue.page(PageRequest(limit: 10, filter: "_")).total == 0)
        #expect(try queue.page(PageRequest(limit: 10, filter: "%%")).total == 0)
    }

    struct Narrowing: Sendable, CustomTestStringConvertible {
        let queue: Queue
        let short: String
        let long: String
        var testDescription: String { "\(queue.rawValue): “\(short)” then “\(long)”" }
    }

    @Test("Typing one more character never widens the list", arguments: [
        Narrowing(queue: .incidents, short: "报警", long: "报警人"),
        Narrowing(queue: .incidents, short: "老城", long: "老城区"),
        Narrowing(queue: .tickets, short: "小区", long: "小区外"),
        Narrowing(queue: .tickets, short: "市民", long: "市民来"),
        Narrowing(queue: .approvals, short: "有限", long: "有限公"),
    ])
    func narrowingNeverWidens(_ n: Narrowing) throws {
        // Given a two-character filter (LIKE path) and the same text plus one character (trigram path)
        let short = Set(ids(try n.queue.page(PageRequest(limit: 100_000, filter: n.short)).rows))
        let long = Set(ids(try n.queue.page(PageRequest(limit: 100_000, filter: n.long)).rows))
        #expect(!long.isEmpty)
        // Then every row the longer text finds, the shorter text finds too: both search the same columns
        let onlyLong = long.subtracting(short)
        #expect(onlyLong.isEmpty, "“\(n.long)” finds \(onlyLong.count) rows that “\(n.short)” does not, e.g. \(onlyLong.sorted().prefix(3))")
    }

    @Test("A filter matches by id, whatever its length")
    func filterByID() throws {
        // Given the id of an open ticket
        let ticket = try #require(try DemoCity.database.reader.tickets(PageRequest(limit: 1)).rows.first)
        // When the ticket queue is filtered by the whole id
        let page = try DemoCity.database.reader.tickets(PageRequest(limit: 10, filter: ticket.id))
        // Then that ticket is found, alone
        #expect(page.rows.map(\.id) == [ticket.id])
        #expect(page.total == 1)
    }

    @Test("Filtering by lower-case letters finds ids spelled in capitals, on both paths")
    func asciiCaseFolds() throws {
        let short = try Queue.incidents.page(PageRequest(limit: 100_000, filter: "j2")).rows
        let long = try Queue.incidents.page(PageRequest(limit: 100_000, filter: "j2026")).rows
        let all = try Queue.incidents.allOpen()
        #expect(ids(short) == ids(all))
        #expect(ids(long) == ids(all))
    }
}
