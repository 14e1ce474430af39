import FenghuoDomain
import FenghuoSeed
import FenghuoStore
import GRDB
import Foundation
import Testing
import TestSupport

/// ReplicaReader's queues page by key: every open row exactly once, in sort-key order, both ways.
@Suite("Keyset paging")
struct KeysetPagingTests {
    @Test("Walking forward page by page visits every open row once, in sort-key order", arguments: Queue.allCases)
    func forwardWalk(_ queue: Queue) throws {
        // Given every open row of the queue, sorted in Swift by the sort key
        let expected = try queue.allOpen()
        #expect(expected.count > 14, "too few open rows to page")
        // When the queue is walked from .first with .after(last key of the page), 7 rows a page
        let visited = try queue.walkForward(limit: 7)
        // Then the walk visits exactly those rows, in that order
        #expect(ids(visited) == ids(expected))
    }

    @Test("Walking backward from the last page visits every open row once, in reverse order", arguments: Queue.allCases)
    func backwardWalk(_ queue: Queue) throws {
        let expected = try queue.allOpen()
        // When the queue is walked from .last with .before(first key of the page), 7 rows a page
        let visited = try queue.walkBackward(limit: 7)
        // Then the walk visits the rows in reverse sort-key order
        #expect(ids(visited) == ids(expected.reversed()))
    }

    @Test("One big page holds the whole queue in sort-key order", arguments: Queue.allCases)
    func onePage(_ queue: Queue) throws {
        let expected = try queue.allOpen()
        let page = try queue.page(PageRequest(limit: expected.count + 10))
        #expect(ids(page.rows) == ids(expected))
        #expect(!page.hasMoreBefore && !page.hasMoreAfter)
        #expect(page.total == expected.count)
    }

    @Test("The total is the number of open rows on every page", arguments: Queue.allCases)
    func totals(_ queue: Queue) throws {
        let expected = try queue.allOpen()
        let table = ["incidents": "incident", "tickets": "ticket", "approvals": "approval_case"][queue.rawValue]!
        #expect(expected.count == (try count(table, in: DemoCity.database, where: "is_open = 1")))
        for anchor: PageRequest.Anchor in [.first, .last, .after(expected[3].key), .before(expected[3].key),
                                           .atOrAfter(expected[expected.count / 2].key)] {
            #expect(try queue.page(PageRequest(anchor: anchor, limit: 5)).total == expected.count, "\(anchor)")
        }
    }

    @Test(".atOrAfter includes its anchor row; .after starts with the next one", arguments: Queue.allCases)
    func atOrAfterIncludesTheAnchor(_ queue: Queue) throws {
        let expected = try queue.allOpen()
        let i = expected.count / 2
        // When a page is asked at or after the key of row i
        let at = try queue.page(PageRequest(anchor: .atOrAfter(expected[i].key), limit: 5))
        // Then it starts with row i
        #expect(ids(at.rows) == ids(Array(expected[i..<(i + 5)])))
        // And a page after the same key starts with row i + 1
        let after = try queue.page(PageRequest(anchor: .after(expected[i].key), limit: 5))
        #expect(ids(after.rows) == ids(Array(expected[(i + 1)..<(i + 6)])))
        // And a page before it ends with row i − 1
        let before = try queue.page(PageRequest(anchor: .before(expected[i].key), limit: 5))
        #expect(ids(before.rows) == ids(Array(expected[(i - 5)..<i])))
    }

    @Test("The flags say whether rows lie beyond each end, in the middle and at both ends", arguments: Queue.allCases)
    func flags(_ queue: Queue) throws {
        let expected = try queue.allOpen()
        let n = expected.count
        // At the start: nothing before, more after
        let first = try queue.page(PageRequest(anchor: .first, limit: 5))
        #expect(!first.hasMoreBefore && first.hasMoreAfter)
        // At the end: more before, nothing after
        let last = try queue.page(PageRequest(anchor: .last, limit: 5))
        #expect(last.hasMoreBefore && !last.hasMoreAfter)
        #expect(ids(last.rows) == ids(Array(expected[(n - 5)...])))
        // In the middle: both
        let middle = try queue.page(PageRequest(anchor: .atOrAfter(expected[n / 2].key), limit: 5))
        #expect(middle.hasMoreBefore && middle.hasMoreAfter)
        let middleBack = try queue.page(PageRequest(anchor: .before(expected[n / 2].key), limit: 5))
        #expect(middleBack.hasMoreBefore && middleBack.hasMoreAfter)
        // A page that ends on the last row exactly: more before, nothing after
        let tail = try queue.page(PageRequest(anchor: .atOrAfter(expected[n - 5].key), limit: 5))
        #expect(ids(tail.rows) == ids(Array(expected[(n - 5)...])))
        #expect(tail.hasMoreBefore && !tail.hasMoreAfter)
        // A page that starts on the first row exactly, reached backward: nothing before, more after
        let head = try queue.page(PageRequest(anchor: .before(expected[5].key), limit: 5))
        #expect(ids(head.rows) == ids(Array(expected[0..<5])))
        #expect(!head.hasMoreBefore && head.hasMoreAfter)
        // A page starting at the very first row by key: nothing before
        let atFirst = try queue.page(PageRequest(anchor: .atOrAfter(expected[0].key), limit: 5))
        #expect(ids(atFirst.rows) == ids(Array(expected[0..<5])))
        #expect(!atFirst.hasMoreBefore && atFirst.hasMoreAfter)
    }

    @Test("Past either end the page is empty and points back at the rows", arguments: Queue.allCases)
    func beyondTheEnds(_ queue: Queue) throws {
        let expected = try queue.allOpen()
        let afterLast = try queue.page(PageRequest(anchor: .after(expected.last!.key), limit: 5))
        #expect(afterLast.rows.isEmpty)
        #expect(afterLast.hasMoreBefore && !afterLast.hasMoreAfter)
        let beforeFirst = try queue.page(PageRequest(anchor: .before(expected.first!.key), limit: 5))
        #expect(beforeFirst.rows.isEmpty)
        #expect(!beforeFirst.hasMoreBefore && beforeFirst.hasMoreAfter)
    }

    @Test("A page exactly as long as the queue has nothing beyond it; one row shorter has", arguments: Queue.allCases)
    func exactFit(_ queue: Queue) throws {
        let n = try queue.allOpen().count
        let whole = try queue.page(PageRequest(limit: n))
        #expect(whole.rows.count == n && !whole.hasMoreAfter && !whole.hasMoreBefore)
        let short = try queue.page(PageRequest(limit: n - 1))
        #expect(short.rows.count == n - 1 && short.hasMoreAfter)
        let fromEnd = try queue.page(PageRequest(anchor: .last, limit: n))
        #expect(fromEnd.rows.count == n && !fromEnd.hasMoreBefore)
    }

    @Test("An anchor whose row has left the queue still pages from its place", arguments: Queue.allCases)
    func anchorBetweenRows(_ queue: Queue) throws {
        // Given a key that sorts after row i and before row i + 1 (as if row i had just closed)
        let expected = try queue.allOpen()
        let i = expected.count / 3
        let gone = keyJustAfter(expected[i].key)
        // Then .atOrAfter and .after both start at row i + 1, and .before ends at row i
        #expect(ids(try queue.page(PageRequest(anchor: .atOrAfter(gone), limit: 3)).rows) == ids(Array(expected[(i + 1)...(i + 3)])))
        #expect(ids(try queue.page(PageRequest(anchor: .after(gone), limit: 3)).rows) == ids(Array(expected[(i + 1)...(i + 3)])))
        #expect(ids(try queue.page(PageRequest(anchor: .before(gone), limit: 3)).rows) == ids(Array(expected[(i - 2)...i])))
    }

    @Test("A limit below one is read as one", arguments: Queue.allCases)
    func tinyLimit(_ queue: Queue) throws {
        let expected = try queue.allOpen()
        for limit in [0, -3] {
            let page = try queue.page(PageRequest(limit: limit))
            #expect(ids(page.rows) == [expected[0].id])
            #expect(page.hasMoreAfter)
        }
    }

    @Test("Walking a filtered queue both ways visits exactly the matching rows", arguments: Queue.allCases)
    func filteredWalk(_ queue: Queue) throws {
        // Given a one-character filter (LIKE) and a three-character one (trigram index)
        for filter in ["区", "有限公", "小区", "路"] {
            let expected = try queue.expected(filter: filter)
            guard !expected.isEmpty else { continue }
            // When the filtered queue is walked, 4 rows a page
            #expect(ids(try queue.walkForward(limit: 4, filter: filter)) == ids(expected), "filter \(filter)")
            #expect(ids(try queue.walkBackward(limit: 4, filter: filter)) == ids(expected.reversed()), "filter \(filter)")
            // And the total counts the matching rows only
            #expect(try queue.page(PageRequest(limit: 4, filter: filter)).total == expected.count, "filter \(filter)")
        }
    }

    @Test("A page of approval cases carries each case's sign-off steps")
    func approvalPagesCarrySteps() throws {
        let items = Dictionary(uniqueKeysWithValues: DemoCity.fixtures.approvalItems.map { ($0.code, $0) })
        let page = try DemoCity.database.reader.approvals(PageRequest(limit: 40))
        #expect(page.rows.count == 40)
        for value in page.rows {
            let item = try #require(items[value.itemCode])
            #expect(value.steps.map(\.department) == [item.leadDepartment] + item.cosigningDepartments, "\(value.id)")
            #expect(value.steps == (try DemoCity.database.reader.approval(id: value.id))?.steps, "\(value.id)")
        }
    }

    @Test("Looking up one row by id answers that row, or nothing")
    func lookUpByID() throws {
        let reader = DemoCity.database.reader
        let incident = try #require(try reader.incidents(PageRequest(limit: 1)).rows.first)
        #expect(try reader.incident(id: incident.id) == incident)
        let ticket = try #require(try reader.tickets(PageRequest(limit: 1)).rows.first)
        #expect(try reader.ticket(id: ticket.id) == ticket)
        let approval = try #require(try reader.approvals(PageRequest(limit: 1)).rows.first)
        #expect(try reader.approval(id: approval.id) == approval)
        #expect(try reader.incident(id: "J00000000-0000") == nil)
        #expect(try reader.ticket(id: "nope") == nil)
        #expect(try reader.approval(id: "nope") == nil)
    }
}

/// A read-only reader keeps a list's totals between frames; a commit elsewhere renews them.
@Suite("List totals kept between frames")
struct ListTotalsTests {
    @Test func a_total_follows_every_commit_made_by_another_connection() throws {
        let scratch = try makeScratchDirectory("fenghuo-totals")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent("replica.sqlite").path
        let writer = try AppDatabase.open(path: path)
        try Seeder(fixtures: DemoCity.fixtures, hasher: DemoCity.testHasher).seed(writer, now: DemoCity.now)
        let reader = try ReplicaReader(readOnlyAt: path)
        let first = try reader.incidents(PageRequest(limit: 10)).total
        // Asked again with nothing changed: the same total (kept, not recounted).
        #expect(try reader.incidents(PageRequest(limit: 10)).total == first)
        // Another connection opens an incident: the next page counts it.
        try writer.writer.write { db in
            try db.execute(sql: """
                INSERT INTO incident SELECT 'J-TOTAL-1', agency, type_code, priority, district, address, lat, lon, caller_name,
                    caller_phone, narrative, confidential, 'new', 1, '', created_at, status_changed_at, 1, '[]'
                FROM incident LIMIT 1
                """)
        }
        #expect(try reader.incidents(PageRequest(limit: 10)).total == first + 1)
        // And closes it again.
        try writer.writer.write { try $0.execute(sql: "UPDATE incident SET is_open = 0, status = 'closed' WHERE id = 'J-TOTAL-1'") }
        #expect(try reader.incidents(PageRequest(limit: 10)).total == first)
        // A filtered list has a total of its own.
        let filtered = try reader.incidents(PageRequest(limit: 10, filter: "盗窃")).total
        #expect(filtered <= first)
        #expect(try reader.incidents(PageRequest(limit: 10)).total == first)
    }
}

/// The console's reader on an agent's replica follows the file at its path: a replica the agent
/// moved aside and built again is read anew, a replica wiped away is not read from memory.
@Suite("A replica reader follows its file")
struct ReplicaFileTests {
    @Test func a_replaced_replica_is_read_anew_and_a_deleted_one_is_refused() throws {
        let scratch = try makeScratchDirectory("fenghuo-replaced")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let path = scratch.appendingPathComponent("replica.sqlite").path
        do {
            let writer = try AppDatabase.open(path: path)
            try Seeder(fixtures: DemoCity.fixtures, hasher: DemoCity.testHasher).seed(writer, now: DemoCity.now)
        }
        let reader = try ReplicaReader(readOnlyAt: path)
        let before = try reader.incidents(PageRequest(limit: 10)).total
        #expect(before > 0)
        // The agent's repair: the damaged file moved aside, a new one built in its place (here: with no open incidents).
        let rebuilt = scratch.appendingPathComponent("rebuilt.sqlite").path
        do {
            let writer = try AppDatabase.open(path: rebuilt)
            try Seeder(fixtures: DemoCity.fixtures, hasher: DemoCity.testHasher).seed(writer, now: DemoCity.now)
            try writer.writer.write { try $0.execute(sql: "UPDATE incident SET is_open = 0, status = 'closed'") }
            try writer.writer.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        }
        #expect(rename(path, path + ".corrupt") == 0)
        #expect(rename(rebuilt, path) == 0)
        usleep(600_000)  // the reader looks at its file twice a second
        #expect(try reader.incidents(PageRequest(limit: 10)).total == 0)
        // Revoked: the agent deleted the replica. Reads fail; they do not show the old rows.
        for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
        usleep(600_000)  // the reader looks at its file twice a second
        #expect(throws: ReplicaUnavailable.self) { try reader.incidents(PageRequest(limit: 10)) }
    }
}
