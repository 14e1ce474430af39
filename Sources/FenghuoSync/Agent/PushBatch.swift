import FenghuoDomain
import FenghuoProtocol
import Foundation

/// One upload to `POST /v1/push`: consecutive commands, each encoded once, as many as fit the
/// body limit. Bytes are counted as the body is built, so a batch of long commands is cut by
/// size, not only by `--push-batch`.
struct PushBatch: Sendable {
    /// The request body, `{"commands":[…]}`.
    let body: Data
    /// Every mutation id the batch carries, in order.
    let ids: [Int64]
    /// The ids sent as stand-ins (withdrawn commands, ids central lost): central's answer for
    /// these is not the command's outcome.
    let standIns: Set<Int64>

    var first: Int64 { ids.first ?? 0 }
    var last: Int64 { ids.last ?? 0 }
    var count: Int { ids.count }

    /// The argument a stand-in carries. No command declares it, so central's declaration check
    /// refuses every stand-in, which advances this console's mutation id without running
    /// anything.
    static let standInKey = "withdrawnByAgent"

    /// A stand-in for mutation `id`: the command's own name (or the first one, when there is
    /// none or it is not known) and only the undeclared argument.
    static func standIn(clientID: String, mutationID: Int64, name: String?, why: String) -> CommandEnvelope {
        let name = name.flatMap(Command.Name.init(rawValue:)) ?? Command.Name.allCases[0]
        return CommandEnvelope(clientID: clientID, mutationID: mutationID, name: name.rawValue,
                               args: [standInKey: .text(why)])
    }

    /// What to send next: a batch, or first a queued command too large to send at all (queued
    /// by an older agent, which did not check), for the agent to withdraw.
    enum Plan {
        case send(PushBatch)
        case withdraw(mutationID: Int64, bytes: Int)
    }

    /// The batch that starts right after `after`: the queued `entries` (oldest first, the first
    /// one after `after`), with stand-ins first for the ids below them when `fillFrom` says
    /// central expects ids this outbox no longer holds. At least one command is taken; the
    /// rest while the body stays within `bodyLimit` bytes and `maxCount` commands.
    static func make(entries: [Outbox.Entry], clientID: String, after: Int64, fillFrom: Int64?,
                     bodyLimit: Int, maxCount: Int) throws -> Plan? {
        let encoder = JSONEncoder()
        let open = Data(#"{"commands":["#.utf8), close = Data("]}".utf8)
        var body = open
        var ids: [Int64] = [], standIns: Set<Int64> = []
        func add(_ id: Int64, _ json: Data, standIn: Bool) -> Bool {
            let grown = body.count + (ids.isEmpty ? 0 : 1) + json.count + close.count
            guard ids.isEmpty || (grown <= bodyLimit && ids.count < maxCount) else { return false }
            if !ids.isEmpty { body.append(0x2C) }
            body.append(json)
            ids.append(id)
            if standIn { standIns.insert(id) }
            return true
        }
        var next = after + 1
        if let fillFrom, fillFrom == next, let first = entries.first?.mutationID, first > next {
            // Central lost these commands (restored from a backup) after this agent saw them
            // settled and dropped them: nothing is left to resend, and the queue must move on.
            while next < first {
                let json = try encoder.encode(standIn(clientID: clientID, mutationID: next, name: nil, why: "lost"))
                guard add(next, json, standIn: true) else { break }
                next += 1
            }
        }
        // A batch is consecutive: the queue follows only once the stand-ins reach it.
        for entry in entries where entry.mutationID >= next && (ids.isEmpty || entry.mutationID == (ids.last ?? 0) + 1) {
            let json: Data
            if entry.withdrawn != nil {
                json = try encoder.encode(standIn(clientID: clientID, mutationID: entry.mutationID, name: entry.name, why: "too_large"))
            } else {
                json = try encoder.encode(CommandEnvelope(clientID: clientID, mutationID: entry.mutationID, name: entry.name,
                                                          args: entry.args, baseVersion: entry.baseVersion))
                if json.count > ProtocolLimits.maxCommandBytes {
                    // Central will never take it; it is withdrawn once it heads a batch.
                    if ids.isEmpty { return .withdraw(mutationID: entry.mutationID, bytes: json.count) }
                    break
                }
            }
            guard add(entry.mutationID, json, standIn: entry.withdrawn != nil) else { break }
        }
        guard !ids.isEmpty else { return nil }
        body.append(close)
        return .send(PushBatch(body: body, ids: ids, standIns: standIns))
    }
}
