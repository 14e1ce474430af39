import FenghuoDomain
import Foundation

/// Writes from the `:` line, and what the agent says about them.
extension ConsoleModel {
    /// Data older than this is marked stale (a quiet feed still answers every 25 s).
    static let staleAfter: TimeInterval = 90

    /// The command for a write verb, aimed at the active pane's selection; nil with a message
    /// when it cannot be built.
    mutating func writeEffects(_ verb: String, _ rest: String) -> [ConsoleEffect] {
        guard agentConnected else {
            show(context.strings(.agentDown) + context.colon + "fenghuo tui --data DIR", error: true)
            return []
        }
        let usage = CommandLine.writes.first { $0.verb == verb }?.usage ?? verb
        let words = rest.split(separator: " ").map(String.init)
        func needs(_ ok: Bool) -> Bool {
            if !ok { show("\(context.strings(.usageLabel))\(context.colon)\(usage)", error: true) }
            return ok
        }
        var request: CommandRequest?
        switch verb {
        case "assign", "resolve", "close", "cancel":
            guard let incident = selectedIncident() else { return [] }
            switch verb {
            case "assign":
                guard needs(!rest.isEmpty) else { return [] }
                request = CommandRequest(name: "dispatch", args: ["incident": incident.id, "units": rest.replacingOccurrences(of: " ", with: "")],
                                         baseVersion: incident.version, label: "\(verb) \(incident.id) ← \(rest)")
            default:
                let name = ["resolve": "resolveIncident", "close": "closeIncident", "cancel": "cancelIncident"][verb]!
                request = CommandRequest(name: name, args: ["incident": incident.id], baseVersion: incident.version,
                                         label: "\(verb) \(incident.id)")
            }
        case "unit":
            guard needs(words.count == 2) else { return [] }
            let version = dispatch.units.first { $0.id == words[0] }?.version
            request = CommandRequest(name: "updateUnitStatus", args: ["unit": words[0], "event": words[1]],
                                     baseVersion: version, label: "unit \(words[0]) \(words[1])")
        case "transfer", "accept", "return", "reply", "callback":
            guard let ticket = selectedTicket() else { return [] }
            var args = ["ticket": ticket.id]
            let name: String
            switch verb {
            case "transfer":
                guard needs(words.count == 1) else { return [] }
                name = "transferTicket"
                args["department"] = words[0]
            case "accept":
                name = "acceptTicket"
            case "return":
                guard needs(!rest.isEmpty) else { return [] }
                name = "returnTicket"
                args["reason"] = rest
            case "reply":
                guard needs(!rest.isEmpty) else { return [] }
                name = "replyTicket"
                args["text"] = rest
            default:
                guard needs(words.count == 1) else { return [] }
                name = "recordCallback"
                args["satisfied"] = words[0]
            }
            request = CommandRequest(name: name, args: args, baseVersion: ticket.version, label: "\(verb) \(ticket.id)")
        case "approve", "reject":
            guard let approval = selectedCase() else { return [] }
            if verb == "reject", !needs(!rest.isEmpty) { return [] }
            var args = ["case": approval.id, "approve": verb == "approve" ? "true" : "false"]
            if !rest.isEmpty { args["opinion"] = rest }
            request = CommandRequest(name: "signOff", args: args, baseVersion: approval.version, label: "\(verb) \(approval.id)")
        case "submit":
            guard needs(!words.isEmpty) else { return [] }
            var args: [String: String] = [:]
            for word in words.dropFirst() {
                let parts = word.split(separator: "=", maxSplits: 1).map(String.init)
                guard needs(parts.count == 2) else { return [] }
                args[parts[0]] = parts[1]
            }
            request = CommandRequest(name: words[0], args: args, label: words[0])
        default:
            return []
        }
        guard let request else { return [] }
        return [.submit(request)]
    }

    private mutating func selectedIncident() -> Incident? {
        guard active == .dispatch, let row = dispatch.queue.selectedRow else {
            show(context.strings(.noIncidentSelected), error: true)
            return nil
        }
        return row
    }

    private mutating func selectedTicket() -> Ticket? {
        guard active == .hotline, let row = hotline.queue.selectedRow else {
            show(context.strings(.noTicketSelected), error: true)
            return nil
        }
        return row
    }

    private mutating func selectedCase() -> ApprovalCase? {
        guard active == .approvals, let row = approvals.queue.selectedRow else {
            show(context.strings(.noCaseSelected), error: true)
            return nil
        }
        return row
    }

    /// What the agent reports: sync state, command outcomes, replica changes.
    mutating func apply(_ notice: AgentNotice) -> [ConsoleEffect] {
        let s = context.strings
        switch notice {
        case .status(let status):
            sync = status
            agentReachable = true
        case .queued(let id, let label):
            pending[id] = label
            show(s.queued(label, id: id), error: false)
        case .applied(let id):
            // A rejection still on screen is not covered by later good news.
            if let label = pending.removeValue(forKey: id), !(flash?.isError ?? false) {
                show(s.applied(label, id: id), error: false)
            }
            return refreshEffects(active)
        case .rejected(let id, let code, let message):
            let label = pending.removeValue(forKey: id) ?? "#\(id)"
            // A rejection stays on screen longer: the user has to act on it.
            flash = (s.rejected(label, id: id, reason: "\(s.rejection(code)) — \(message)"), true,
                     context.now.addingTimeInterval(20))
            return refreshEffects(active)
        case .changed:
            // A console opened on a replica still being filled reads the directory once it is there.
            let directory: [ConsoleEffect] = context.directory.districts.isEmpty ? [.load(.directory)] : []
            return directory + refreshEffects(active)
        case .disconnected:
            agentReachable = false
        }
        return []
    }

    /// Minutes since the last sync when that is past `staleAfter`; nil when fresh or local.
    var staleMinutes: Int? {
        guard agentConnected else { return nil }
        guard let last = sync?.lastSyncAt else { return sync == nil ? nil : 0 }
        let age = context.now.timeIntervalSince(last)
        return age > Self.staleAfter ? Int(age / 60) : nil
    }
}
