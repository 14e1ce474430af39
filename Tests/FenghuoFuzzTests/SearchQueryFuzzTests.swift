import FenghuoDomain
import FenghuoStore
import Foundation
import Testing
import TestSupport

/// The seeded demo city's open rows, each with the text a queue filter searches (the columns
/// of ReplicaReader's `likeColumns` and FTS tables, and the names of its codes), read once.
enum SearchedRows {
    struct Row: Sendable {
        let id: String
        let text: [String]
    }

    static let reader = DemoCity.database.reader
    static let directory: Directory = { try! reader.directory() }()

    static func names(district: String) -> [String] { directory.districts[district].map { [$0.name, $0.nameEN] } ?? [] }

    static let incidents: [Row] = {
        try! reader.incidents(PageRequest(limit: 1_000_000)).rows.map { i in
            Row(id: i.id, text: [i.id, i.address, i.narrative] + (directory.incidentTypes[i.typeCode].map { [$0.name, $0.nameEN] } ?? [])
                + names(district: i.district))
        }
    }()

    static let tickets: [Row] = {
        try! reader.tickets(PageRequest(limit: 1_000_000)).rows.map { t in
            let department = t.department.flatMap { directory.departments[$0] }.map { [$0.name, $0.shortName, $0.nameEN] } ?? []
            return Row(id: t.id, text: [t.id, t.summary, t.address, t.detail] + (directory.ticketCategories[t.category].map { [$0.name, $0.nameEN] } ?? [])
                       + department + names(district: t.district))
        }
    }()

    static let approvals: [Row] = {
        try! reader.approvals(PageRequest(limit: 1_000_000)).rows.map { Row(id: $0.id, text: [$0.id, $0.itemName, $0.applicant]) }
    }()

    /// Both SQLite's LIKE and the trigram tokenizer fold ASCII letters; the city's other text has no case.
    static func folded(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }))
    }

    /// The ids a filter must find, by brute force: the rows holding the typed text, NULs
    /// dropped (no stored text holds one) and blanks around it ignored.
    static func expected(_ rows: [Row], filter: String) -> [String] {
        let kept = String(String.UnicodeScalarView(filter.unicodeScalars.filter { $0 != "\0" }))
        let text = folded(kept.trimmingCharacters(in: .whitespaces))
        guard !text.isEmpty else { return rows.map(\.id) }
        return rows.filter { $0.text.contains { folded($0).contains(text) } }.map(\.id)
    }
}

extension FuzzRandom {
    /// Text a person might search for: a piece of a real row (so something can match), with
    /// FTS5, LIKE or SQL syntax, quotes, control characters or padding around or inside it, or
    /// hostile text alone.
    mutating func searchText(from rows: [SearchedRows.Row]) -> String {
        guard chance(0.7), let row = rows.isEmpty ? nil : pick(rows), let source = row.text.filter({ !$0.isEmpty }).randomElement(using: &self)
        else { return text(limit: 16) }
        let chars = Array(source)
        let start = int(0...(chars.count - 1))
        var piece = String(chars[start..<min(chars.count, start + int(1...8))])
        switch int(0...5) {
        case 0: piece.insert(contentsOf: pick(FuzzRandom.atoms), at: piece.index(piece.startIndex, offsetBy: int(0...piece.count)))
        case 1: piece = pick([" ", "  ", "\t", "\"", "*", "("]) + piece + pick([" ", "\"", "*", ")", " OR x", " NOT"])
        case 2: piece = piece.uppercased()
        default: break
        }
        return piece
    }
}

/// A queue's filter and the knowledge-base search on any text against the seeded demo city:
/// the text becomes an FTS5 phrase or a LIKE pattern, never SQL or FTS5 syntax, so every
/// search answers rows (exactly those that contain the text) or none, and never an SQLite error.
@Suite("Fuzz: search queries")
struct SearchQueryFuzzTests {
    enum Queue: String, CaseIterable, Sendable {
        case incidents, tickets, approvals

        var rows: [SearchedRows.Row] {
            switch self {
            case .incidents: SearchedRows.incidents
            case .tickets: SearchedRows.tickets
            case .approvals: SearchedRows.approvals
            }
        }

        func ids(_ request: PageRequest) throws -> (ids: [String], total: Int) {
            let reader = SearchedRows.reader
            switch self {
            case .incidents: let p = try reader.incidents(request); return (p.rows.map(\.id), p.total)
            case .tickets: let p = try reader.tickets(request); return (p.rows.map(\.id), p.total)
            case .approvals: let p = try reader.approvals(request); return (p.rows.map(\.id), p.total)
            }
        }
    }

    @Test("A queue filtered by any text finds exactly the open rows containing it, or none, without an SQLite error",
          arguments: Queue.allCases)
    func queueFilter(_ queue: Queue) {
        let rows = queue.rows
        let check = checkProperty("queueFilter \(queue.rawValue)", share: 0.1) { r in
            let filter = r.searchText(from: rows)
            let found: (ids: [String], total: Int)
            do { found = try queue.ids(PageRequest(anchor: r.chance(0.5) ? .first : .last, limit: 1_000_000, filter: filter)) } catch {
                throw Falsified(description: "the filter \(filter.shown) failed: \(error)")
            }
            let expected = SearchedRows.expected(rows, filter: filter)
            try require(Set(found.ids) == Set(expected) && found.total == expected.count,
                        "the filter \(filter.shown) found \(found.ids.count) rows (total \(found.total)), brute force \(expected.count); only found: \(Set(found.ids).subtracting(expected).prefix(3)), only expected: \(Set(expected).subtracting(found.ids).prefix(3))")
        }
        #expect(check.held, "\(check)")
    }

    @Test("The knowledge base searched by any text, or for a ticket with any summary, answers articles or none")
    func knowledge() throws {
        let reader = SearchedRows.reader
        let ticket = try #require(try reader.tickets(PageRequest(limit: 1)).rows.first)
        let check = checkProperty("knowledge", share: 0.15) { r in
            let text = r.searchText(from: SearchedRows.tickets)
            do {
                _ = try reader.searchKnowledge(text, limit: r.int(1...50))
                var t = ticket
                t.summary = text
                _ = try reader.knowledge(for: t, limit: r.int(1...5))
            } catch {
                throw Falsified(description: "a knowledge search for \(text.shown) failed: \(error)")
            }
        }
        #expect(check.held, "\(check)")
    }
}
