import FenghuoDomain
import FenghuoStore
import Foundation
import Testing
import TestSupport

/// The dispatch queue's order and its column filters, read through ReplicaReader.
@Suite("The dispatch queue: waiting first, then open, resolved last; column filters")
struct DispatchQueueOrderTests {
    let reader = DemoCity.database.reader

    func all(_ columns: ColumnFilter = ColumnFilter(), filter: String = "") throws -> [Incident] {
        try reader.incidents(PageRequest(limit: 100_000, filter: filter, columns: columns)).rows
    }

    @Test func waiting_incidents_come_first_then_the_open_ones_and_resolved_ones_last_each_by_priority_and_age() throws {
        // Given the demo city's queue, which holds waiting, dispatched and resolved incidents
        let rows = try all()
        let statuses = Set(rows.map(\.status))
        #expect(statuses.isSuperset(of: [.new, .enRoute, .onScene, .working, .resolved]), "the demo city lacks a status: \(statuses)")
        // Then the statuses come in queue-rank order, and within one rank by priority, then oldest first
        for (a, b) in zip(rows, rows.dropFirst()) {
            let order = (a.status.queueRank, a.priority.rawValue, a.createdAt)
            let next = (b.status.queueRank, b.priority.rawValue, b.createdAt)
            #expect(order <= next, "\(a.id) (\(a.status) P\(a.priority.rawValue)) sorts above \(b.id) (\(b.status) P\(b.priority.rawValue))")
        }
        #expect(rows.first?.status == .new)
        #expect(rows.last?.status == .resolved)
    }

    @Test func small_pages_walked_both_ways_cross_from_waiting_to_open_to_resolved_without_losing_a_row() throws {
        // Given the whole queue in one page
        let whole = try all().map(\.id)
        // When it is walked three rows at a time forward, and backward from the end
        var forward: [String] = []
        var page = try reader.incidents(PageRequest(anchor: .first, limit: 3))
        forward += page.rows.map(\.id)
        while page.hasMoreAfter, let last = page.rows.last {
            page = try reader.incidents(PageRequest(anchor: .after(last.sortKey), limit: 3))
            #expect(page.hasMoreBefore)
            #expect(page.offset == forward.count, "a page after \(forward.count) rows says it starts at \(page.offset)")
            forward += page.rows.map(\.id)
        }
        var backward: [String] = []
        page = try reader.incidents(PageRequest(anchor: .last, limit: 3))
        backward = page.rows.map(\.id) + backward
        while page.hasMoreBefore, let first = page.rows.first {
            page = try reader.incidents(PageRequest(anchor: .before(first.sortKey), limit: 3))
            #expect(page.hasMoreAfter)
            backward = page.rows.map(\.id) + backward
        }
        // Then both walks visit the queue's rows once each, in its order
        #expect(forward == whole)
        #expect(backward == whole)
    }

    @Test func a_status_condition_keeps_only_incidents_in_those_statuses() throws {
        let waiting = try all(ColumnFilter(statuses: ["new"]))
        #expect(!waiting.isEmpty)
        #expect(waiting.allSatisfy { $0.status == .new })
        #expect(waiting.count == (try all()).count { $0.status == .new })
        // Two conditions that exclude each other leave nothing (not everything)
        #expect(try all(ColumnFilter(statuses: [])).isEmpty)
    }

    @Test func a_district_condition_matches_the_beginning_of_the_districts_chinese_or_english_name() throws {
        let everything = try all()
        let expected = everything.filter { $0.district == "jiangbei" }.map(\.id)
        #expect(!expected.isEmpty)
        #expect(try all(ColumnFilter(districtPrefix: "江北")).map(\.id) == expected)
        #expect(try all(ColumnFilter(districtPrefix: "jiangb")).map(\.id) == expected)
        #expect(try all(ColumnFilter(districtPrefix: "北")).isEmpty, "the name's middle is no prefix")
        // Both conditions at once
        let both = try all(ColumnFilter(statuses: ["new"], districtPrefix: "江北"))
        #expect(both.map(\.id) == everything.filter { $0.district == "jiangbei" && $0.status == .new }.map(\.id))
    }

    @Test func free_text_also_finds_the_incidents_in_the_statuses_its_word_names() throws {
        // Given a word no address or narrative holds, but the console says names the status new
        let found = try all(ColumnFilter(statusesNamedByText: ["new"]), filter: "待派")
        // Then every waiting incident is found
        let waiting = try all().filter { $0.status == .new }.map(\.id)
        #expect(!waiting.isEmpty)
        #expect(Set(waiting).isSubset(of: Set(found.map(\.id))))
    }
}
