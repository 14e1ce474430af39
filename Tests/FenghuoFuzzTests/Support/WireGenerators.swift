import FenghuoDomain
import FenghuoProtocol
import Foundation

/// Valid values of every wire type, with hostile text wherever the type holds text.
extension FuzzRandom {
    /// Text without commas, never empty: what a rejection's list details can carry (they
    /// travel comma-joined, so a comma inside one entry cannot come back).
    /// (Removed scalar by scalar: a comma followed by a combining mark is one `Character`
    /// that a `Character`-level replace does not see, and the reader splits at scalars.)
    mutating func listEntry() -> String {
        let entry = Self.removing(",", from: text(limit: 10))
        return entry.isEmpty ? "x" : entry
    }

    mutating func epoch() -> String {
        let e = Self.removing(":", from: text(limit: 12))
        return e.isEmpty ? "e" : e
    }

    static func removing(_ scalar: Unicode.Scalar, from text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != scalar }))
    }

    mutating func cursor() -> FeedCursor { FeedCursor(epoch: epoch(), seq: abs(int64() / 2)) }

    mutating func optional<T>(_ make: (inout FuzzRandom) -> T) -> T? { chance(0.3) ? nil : make(&self) }

    mutating func rejection() -> CommandRejection {
        let t = { (r: inout FuzzRandom) in r.text(limit: 12) }
        let list = { (r: inout FuzzRandom) in (0..<r.int(0...3)).map { _ in r.listEntry() } }
        let reason: CommandRejection.Reason = switch int(0...19) {
        case 0: .unknownCommand(name: t(&self))
        case 1: .unknownArgument(command: t(&self), key: t(&self), accepted: list(&self))
        case 2: .missingArgument(command: t(&self), key: t(&self))
        case 3: .badValue(command: t(&self), key: t(&self), value: t(&self), expected: t(&self))
        case 4: .tooLong(command: t(&self), key: t(&self), maxLength: int(Int.min...Int.max))
        case 5: .notKeyValue(word: t(&self))
        case 6: .unclosedQuote
        case 7: .ambiguous(key: t(&self), value: t(&self), candidates: list(&self))
        case 8: .unknownCode(kind: pick(CatalogKind.allCases), value: t(&self))
        case 9: .forbidden(command: t(&self), role: pick(Role.allCases), allowed: (0..<int(0...3)).map { _ in pick(Role.allCases) })
        case 10: .notFound(entity: pick(EntityKind.allCases), id: t(&self))
        case 11: .staleVersion(id: t(&self), base: int(Int.min...Int.max), current: int(-5...5))
        case 12: .illegalTransition(entity: t(&self), id: t(&self), event: t(&self), state: t(&self), why: t(&self))
        case 13: .agencyMismatch(unit: t(&self), unitAgency: pick(Agency.allCases), incidentAgency: pick(Agency.allCases))
        case 14: .otherDepartment(id: t(&self), department: chance(0.3) ? nil : listEntry(), yours: t(&self))
        case 15: .notTicketDepartment(department: t(&self))
        case 16: .controlCharacter(command: t(&self), key: t(&self))
        case 17: .mutationReused(mutationID: int64())
        case 18: .tooLarge(bytes: int(Int.min...Int.max), limit: chance(0.3) ? nil : int(Int.min...Int.max))
        default: .other(code: "x-" + t(&self), message: t(&self))
        }
        return CommandRejection(reason)
    }

    mutating func sqlValue(kind: String) -> SQLValue {
        if chance(0.15) { return .null }
        switch kind {
        case "i": return .integer(int64())
        case "r": return .real(double())
        // An untyped column is read by trying kinds in turn, so a whole real reads as an integer:
        // only a real with a fraction is drawn there.
        case "g": return pick([.integer(int64()), .real(Double(int(-9_999...9_999)) + 0.5), .text(text())])
        default: return .text(text(limit: chance(0.02) ? 3_000 : 16))
        }
    }

    /// A table as central writes one: unique columns, each of one kind, rows as long as the columns.
    mutating func table(typed: Bool = true) -> SnapshotPage.Table {
        var columns: [String] = []
        for _ in 0..<int(0...6) {
            let c = chance(0.5) ? pick(["id", "version", "status", "narrative", "lat", "caller"]) : text(limit: 8)
            if !columns.contains(c) { columns.append(c) }
        }
        let kinds = columns.map { _ in typed ? pick(["i", "r", "t"]) : "g" }
        let rows = (0..<length(typical: 4, limit: 40)).map { _ in kinds.map { sqlValue(kind: $0) } }
        return SnapshotPage.Table(name: chance(0.5) ? pick(["incident", "unit", "ticket", "approval_step"]) : text(limit: 10),
                                  columns: columns, types: typed ? kinds : nil, rows: rows)
    }

    mutating func wireRecord() -> WireRecord { WireRecord(tables: (0..<int(0...3)).map { _ in table(typed: chance(0.8)) }) }

    mutating func changeRecord() -> ChangeRecord {
        let op: ChangeRecord.Operation = chance(0.8) ? .put : .remove
        return ChangeRecord(seq: int64(), entity: text(limit: 10), id: text(limit: 16), op: op,
                            scopes: (0..<int(0...4)).map { _ in text(limit: 10) },
                            row: op == .remove ? nil : (chance(0.8) ? wireRecord().jsonText() : text()),
                            version: int(Int.min...Int.max), committedMs: optional { $0.int64() })
    }

    mutating func envelope() -> CommandEnvelope {
        if chance(0.7) { return CommandEnvelope(clientID: text(limit: 20), mutationID: int64(), command: validCommand(), baseVersion: optional { $0.int(-9...99) }) }
        let payload = hostilePayload()
        return CommandEnvelope(clientID: text(limit: 20), mutationID: int64(), name: chance(0.8) ? payload.name.rawValue : text(limit: 12),
                               args: payload.args, baseVersion: optional { $0.int(Int.min...Int.max) })
    }

    mutating func agentStatus() -> AgentStatus {
        AgentStatus(username: text(limit: 12), role: optional { $0.text(limit: 8) }, department: optional { $0.text(limit: 8) },
                    clientID: text(limit: 20), online: chance(0.5), phase: pick(AgentPhase.allCases), epoch: optional { $0.epoch() },
                    cursor: int64(), head: int64(), lagSeq: int64(), lagMs: int64(), outbox: int(Int.min...Int.max),
                    lastSyncAt: optional { $0.double() }, snapshotDone: int(0...1_000_000), snapshotTotal: int(0...1_000_000),
                    lastError: optional { $0.text() }, searchReady: chance(0.5))
    }

    mutating func agentEvent() -> AgentEvent {
        switch int(0...5) {
        case 0: .queued(mutationID: int64())
        case 1: .applied(mutationID: int64())
        case 2: .rejected(mutationID: optional { $0.int64() }, rejection())
        case 3: .status(agentStatus())
        case 4: .changed(latenciesMs: optional { r in (0..<r.int(0...5)).map { _ in r.int64() } })
        default: .error(code: text(limit: 10), message: text())
        }
    }

    mutating func agentRequest() -> AgentRequest {
        switch int(0...5) {
        case 0: .status
        case 1: .subscribe
        case 2: .wait(mutationID: int64())
        default: .submit(validCommand(), baseVersion: optional { $0.int(Int.min...Int.max) }, wait: chance(0.5))
        }
    }
}
