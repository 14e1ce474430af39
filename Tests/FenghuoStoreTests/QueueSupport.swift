import FenghuoDomain
import FenghuoStore
import Foundation
import Testing
import TestSupport

/// One row of a queue as the paging tests see it: where it sorts, and the text a filter searches.
struct Listed: Sendable, Hashable {
    let id: String
    let key: SortKey
    /// Columns the short-filter (LIKE) path searches, per ReplicaReader's `likeColumns`.
    let likeText: [String]
    /// Columns the long-filter path searches, per the FTS5 table of the migration.
    let ftsText: [String]
}

/// The three keyset-paged queues of ReplicaReader, read through its public API.
enum Queue: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case incidents, tickets, approvals

    var testDescription: String { "the \(rawValue) queue" }

    /// Fetches a page and reduces each row to its id and sort key.
    func page(_ request: PageRequest, in db: AppDatabase = DemoCity.database) throws -> Page<Listed> {
        func convert<R>(_ page: Page<R>, _ listed: (R) -> Listed) -> Page<Listed> {
            Page(rows: page.rows.map(listed), hasMoreBefore: page.hasMoreBefore, hasMoreAfter: page.hasMoreAfter,
                 total: page.total)
        }
        switch self {
        case .incidents: return convert(try db.reader.incidents(request), Self.listed)
        case .tickets: return convert(try db.reader.tickets(request), Self.listed)
        case .approvals:
            return convert(try db.reader.approvals(request)) {
                Listed(id: $0.id, key: $0.sortKey, likeText: [$0.id, $0.itemName, $0.applicant],
                       ftsText: [$0.id, $0.itemName, $0.applicant])
            }
        }
    }

    /// Names the queue also matches through the row's codes (type, category, department, district).
    static let directory: Directory = {
        do { return try DemoCity.database.reader.directory() } catch { fatalError("\(error)") }
    }()

    static func districtNames(_ code: String) -> [String] {
        directory.districts[code].map { [$0.name, $0.nameEN] } ?? []
    }

    static func listed(_ i: Incident) -> Listed {
        let names = (directory.incidentTypes[i.typeCode].map { [$0.name, $0.nameEN] } ?? []) + districtNames(i.district)
        return Listed(id: i.id, key: i.sortKey, likeText: [i.id, i.address, i.narrative] + names,
                      ftsText: [i.id, i.address, i.narrative] + names)
    }

    static func listed(_ t: Ticket) -> Listed {
        let category = directory.ticketCategories[t.category].map { [$0.name, $0.nameEN] } ?? []
        let department = t.department.flatMap { directory.departments[$0] }.map { [$0.name, $0.shortName, $0.nameEN] } ?? []
        let names = category + department + districtNames(t.district)
        return Listed(id: t.id, key: t.sortKey, likeText: [t.id, t.summary, t.address, t.detail] + names,
                      ftsText: [t.id, t.summary, t.address, t.detail] + names)
    }

    /// Every open row of the queue, fetched into Swift and sorted there by the sort key.
    func allOpen(in db: AppDatabase = DemoCity.database) throws -> [Listed] {
        let rows: [Listed]
        switch self {
        case .incidents: rows = try allIncidents(db).filter(\.status.isOpen).map(Self.listed)
        case .tickets: rows = try allTickets(db).filter(\.status.isOpen).map(Self.listed)
        case .approvals:
            rows = try allApprovalRows(db).filter(\.isOpen).map {
                Listed(id: $0.id, key: $0.sortKey, likeText: [$0.id, $0.itemName, $0.applicant],
                       ftsText: [$0.id, $0.itemName, $0.applicant])
            }
        }
        return rows.sorted { $0.key < $1.key }
    }

    /// The open rows a filter must find: brute-force `contains` over the columns each path searches.
    /// (SQLite's LIKE and the trigram tokenizer both fold ASCII case, so the comparison does too.)
    func expected(filter: String, in db: AppDatabase = DemoCity.database) throws -> [Listed] {
        let text = filter.trimmingCharacters(in: .whitespaces)
        let all = try allOpen(in: db)
        if text.isEmpty { return all }
        return all.filter { row in
            (text.count >= 3 ? row.ftsText : row.likeText).contains { $0.lowercased().contains(text.lowercased()) }
        }
    }

    /// Walks the whole queue forward page by page from `.first`, checking each page's flags.
    func walkForward(limit: Int, filter: String = "", in db: AppDatabase = DemoCity.database,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> [Listed] {
        var visited: [Listed] = []
        var page = try self.page(PageRequest(anchor: .first, limit: limit, filter: filter), in: db)
        #expect(!page.hasMoreBefore, "the first page has rows before it", sourceLocation: sourceLocation)
        var pages = 1
        while true {
            visited += page.rows
            guard page.hasMoreAfter else { break }
            #expect(page.rows.count == limit, "a page before the last holds \(page.rows.count) rows, not \(limit)",
                    sourceLocation: sourceLocation)
            let last = try #require(page.rows.last, "an empty page says more rows follow", sourceLocation: sourceLocation)
            page = try self.page(PageRequest(anchor: .after(last.key), limit: limit, filter: filter), in: db)
            #expect(page.hasMoreBefore, "page \(pages + 1) says no rows precede it", sourceLocation: sourceLocation)
            pages += 1
            if pages > 10_000 { Issue.record("the walk does not end", sourceLocation: sourceLocation); break }
        }
        #expect(page.rows.count <= limit, sourceLocation: sourceLocation)
        return visited
    }

    /// Walks the whole queue backward page by page from `.last`; answers the rows in the order visited.
    func walkBackward(limit: Int, filter: String = "", in db: AppDatabase = DemoCity.database,
                      sourceLocation: SourceLocation = #_sourceLocation) throws -> [Listed] {
        var visited: [Listed] = []
        var page = try self.page(PageRequest(anchor: .last, limit: limit, filter: filter), in: db)
        #expect(!page.hasMoreAfter, "the last page has rows after it", sourceLocation: sourceLocation)
        var pages = 1
        while true {
            visited += page.rows.reversed()
            guard page.hasMoreBefore else { break }
            #expect(page.rows.count == limit, "a page after the first holds \(page.rows.count) rows, not \(limit)",
                    sourceLocation: sourceLocation)
            let first = try #require(page.rows.first, "an empty page says more rows precede", sourceLocation: sourceLocation)
            page = try self.page(PageRequest(anchor: .before(first.key), limit: limit, filter: filter), in: db)
            #expect(page.hasMoreAfter, "page \(pages + 1) from the end says no rows follow", sourceLocation: sourceLocation)
            pages += 1
            if pages > 10_000 { Issue.record("the walk does not end", sourceLocation: sourceLocation); break }
        }
        return visited
    }
}

/// The ids of rows, for compact comparisons and messages.
func ids(_ rows: [Listed]) -> [String] { rows.map(\.id) }

/// A key just after `key` and before the next row's: the same values with the id extended.
func keyJustAfter(_ key: SortKey) -> SortKey {
    var values = key.values
    if case .text(let id) = values.last { values[values.count - 1] = .text(id + "!") }
    return SortKey(values)
}
