import FenghuoDomain

/// The `:` line's write verbs as data: name, Chinese alias, the pane whose selection they act
/// on, usage, help, and how the command is built from the selection and the words typed. The
/// parser, Tab completion and the help overlay all read this one table (as k9s's do).
struct Verb: Sendable {
    let name: String
    let alias: String
    /// The pane whose selection the verb acts on (nil: any pane).
    let pane: PaneID?
    let usage: String
    let help: Strings.Text
    /// The command it sends and the argument whose values Tab completes.
    let command: Command.Name?
    let completes: String?
    /// Asks `y` before sending: it ends a record's life or refuses a case, and is not undone.
    var confirms = false
    let build: @Sendable (VerbInput) throws(VerbError) -> VerbCommand
}

/// What a verb is given: the words after it (quotes removed) and the record that was
/// selected when the `:` line opened (its pinned target), at most one of the three.
struct VerbInput {
    let words: [String]
    let incident: Incident?
    let ticket: Ticket?
    let approval: ApprovalCase?
    let units: [ResponseUnit]
    /// The pinned incident's linked parts as last read (empty: not read, or none).
    var linked: [Incident] = []
    /// The open incidents the console knows of: a day's number names one of another day when
    /// today has none of that number and it is the only one.
    var openIncidents: [String] = []
    /// The console's day: a bare number names that day's incident (`d 42` → J…-0042).
    let today: LocalDate

    var rest: String { words.joined(separator: " ") }

    init(words: [String], target: Target?, units: [ResponseUnit], today: LocalDate) {
        self.words = words
        self.units = units
        self.today = today
        switch target {
        case .incident(let i)?: (incident, ticket, approval) = (i, nil, nil)
        case .ticket(let t)?: (incident, ticket, approval) = (nil, t, nil)
        case .approval(let a)?: (incident, ticket, approval) = (nil, nil, a)
        case nil: (incident, ticket, approval) = (nil, nil, nil)
        }
    }
}

/// The command a verb asks for, as typed pairs still to be checked against its declaration.
struct VerbCommand {
    let name: Command.Name
    let pairs: [(key: String, value: String)]
    let baseVersion: Int?
    /// What it acts on, after the verb's own name in messages: `J20261202-0138 ← P-BH-01`.
    let label: String
}

enum VerbError: Error {
    /// The words do not fit the verb: show its usage.
    case usage
    /// The verb needs a selected row in its pane.
    case noSelection(Strings.Text)
    case rejected(CommandRejection)
}

extension Verb {
    static let all: [Verb] = [
        Verb(name: "assign", alias: "派车", pane: .dispatch, usage: "assign UNIT[,UNIT…]", help: .cmdAssign,
             command: .dispatch, completes: "units") { input throws(VerbError) in
            let incident = try input.selectedIncident()
            guard !input.words.isEmpty else { throw .usage }
            let units = input.words.joined(separator: ",")
            return VerbCommand(name: .dispatch, pairs: [("incident", incident.id), ("units", units)],
                               baseVersion: incident.version, label: "\(incident.id) ← \(units)")
        },
        incidentStep("work", "处置", .cmdWork, .workIncident),
        // How it ended, from the dispositions (Tab completes them by name).
        Verb(name: "resolve", alias: "结束", pane: .dispatch, usage: "resolve DISPOSITION", help: .cmdResolve,
             command: .resolveIncident, completes: "disposition") { input throws(VerbError) in
            let incident = try input.selectedIncident()
            guard input.words.count == 1 else { throw .usage }
            return VerbCommand(name: .resolveIncident, pairs: [("incident", incident.id), ("disposition", input.words[0])],
                               baseVersion: incident.version, label: "\(incident.id) \(input.words[0])")
        },
        // Units still on it are released with it, links to parts still open let go: the question before `y` names them.
        Verb(name: "close", alias: "关闭", pane: .dispatch, usage: "close", help: .cmdClose, command: .closeIncident,
             completes: nil, confirms: true) { input throws(VerbError) in
            let incident = try input.selectedIncident()
            guard input.words.isEmpty else { throw .usage }
            var pairs = [(key: "incident", value: incident.id)]
            if !input.committedUnits(of: incident).isEmpty { pairs.append(("release", "yes")) }
            if !input.openParts(of: incident).isEmpty { pairs.append(("unlink", "yes")) }
            return VerbCommand(name: .closeIncident, pairs: pairs, baseVersion: incident.version, label: incident.id)
        },
        // A cancel says what kind (a false alarm, a duplicate) and why: the record leaves every queue.
        Verb(name: "cancel", alias: "撤销", pane: .dispatch, usage: "cancel DISPOSITION REASON", help: .cmdCancel,
             command: .cancelIncident, completes: "disposition", confirms: true) { input throws(VerbError) in
            let incident = try input.selectedIncident()
            guard input.words.count >= 2 else { throw .usage }
            return VerbCommand(name: .cancelIncident,
                               pairs: [("incident", incident.id), ("disposition", input.words[0]),
                                       ("reason", input.words.dropFirst().joined(separator: " "))],
                               baseVersion: incident.version, label: incident.id)
        },
        Verb(name: "merge", alias: "合并", pane: .dispatch, usage: "merge INCIDENT", help: .cmdMerge, command: .mergeIncident,
             completes: nil, confirms: true) { input throws(VerbError) in
            let incident = try input.selectedIncident()
            guard input.words.count == 1 else { throw .usage }
            // The day's number alone names the incident of the duplicate's own day.
            var into = input.words[0]
            if let n = IDFormat.shortNumber(into), let dash = incident.id.lastIndex(of: "-") {
                into = String(incident.id[...dash]) + IDFormat.padded(n, IDFormat.digits(.incident))
            }
            return VerbCommand(name: .mergeIncident, pairs: [("incident", incident.id), ("into", into)],
                               baseVersion: incident.version, label: "\(incident.id) → \(into)")
        },
        Verb(name: "note", alias: "备注", pane: .dispatch, usage: "note TEXT", help: .cmdNote, command: .noteIncident,
             completes: nil) { input throws(VerbError) in
            let incident = try input.selectedIncident()
            guard !input.words.isEmpty else { throw .usage }
            return VerbCommand(name: .noteIncident, pairs: [("incident", incident.id), ("text", input.rest)],
                               baseVersion: incident.version, label: incident.id)
        },
        // 联动: `link 120 [TYPE]` on the selected incident, or `link 42 120 [TYPE]` by the day's number.
        Verb(name: "link", alias: "联动", pane: .dispatch, usage: "link [N] AGENCY [TYPE]", help: .cmdLink, command: .linkIncident,
             completes: "type") { input throws(VerbError) in
            let (id, version, words) = try input.numberedIncident(argumentCount: { Agency(rawValue: $0.first ?? "") != nil })
            guard (1...2).contains(words.count), Agency(rawValue: words[0]) != nil else { throw .usage }
            var pairs = [(key: "incident", value: id), (key: "agency", value: words[0])]
            if words.count == 2 { pairs.append(("type", words[1])) }
            return VerbCommand(name: .linkIncident, pairs: pairs, baseVersion: version, label: "\(id) → \(words[0])")
        },
        Verb(name: "check", alias: "勾选", pane: .dispatch, usage: "check N", help: .cmdCheck, command: .checkPlanItem,
             completes: nil) { input throws(VerbError) in
            let incident = try input.selectedIncident()
            guard input.words.count == 1 else { throw .usage }
            return VerbCommand(name: .checkPlanItem, pairs: [("incident", incident.id), ("item", input.words[0])],
                               baseVersion: incident.version, label: "\(incident.id) #\(input.words[0])")
        },
        Verb(name: "report", alias: "上报", pane: .dispatch, usage: "report [TEXT]", help: .cmdReport, command: .reportIncident,
             completes: nil, confirms: true) { input throws(VerbError) in
            let incident = try input.selectedIncident()
            var pairs = [(key: "incident", value: incident.id)]
            if !input.words.isEmpty { pairs.append(("text", input.rest)) }
            return VerbCommand(name: .reportIncident, pairs: pairs, baseVersion: incident.version, label: incident.id)
        },
        Verb(name: "p", alias: "等级", pane: .dispatch, usage: "p [N] 1-4", help: .cmdPriority, command: .prioritizeIncident,
             completes: nil) { input throws(VerbError) in
            let (id, version, words) = try input.numberedIncident(argumentCount: { $0.count == 1 })
            guard words.count == 1 else { throw .usage }
            return VerbCommand(name: .prioritizeIncident, pairs: [("incident", id), ("priority", words[0])],
                               baseVersion: version, label: "\(id) P\(words[0])")
        },
        Verb(name: "casualties", alias: "伤亡", pane: .dispatch, usage: "casualties N", help: .cmdCasualties,
             command: .countCasualties, completes: nil) { input throws(VerbError) in
            let incident = try input.selectedIncident()
            guard input.words.count == 1 else { throw .usage }
            return VerbCommand(name: .countCasualties, pairs: [("incident", incident.id), ("count", input.words[0])],
                               baseVersion: incident.version, label: "\(incident.id) \(input.words[0])")
        },
        Verb(name: "handoff", alias: "转热线", pane: .dispatch, usage: "handoff CATEGORY", help: .cmdHandoff,
             command: .handoffIncident, completes: "category", confirms: true) { input throws(VerbError) in
            let incident = try input.selectedIncident()
            guard input.words.count == 1 else { throw .usage }
            return VerbCommand(name: .handoffIncident, pairs: [("incident", incident.id), ("category", input.words[0])],
                               baseVersion: incident.version, label: "\(incident.id) → 12345")
        },
        // The dispatcher's short forms (as CAD consoles have them): the incident by its day's number.
        Verb(name: "d", alias: "派", pane: .dispatch, usage: "d N UNIT [UNIT…]", help: .cmdDispatchNumbered,
             command: .dispatch, completes: "units") { input throws(VerbError) in
            guard input.words.count >= 2 else { throw .usage }
            let id = input.incidentID(input.words[0])
            let units = input.words.dropFirst().flatMap { $0.split(separator: ",").map(String.init) }.joined(separator: ",")
            return VerbCommand(name: .dispatch, pairs: [("incident", id), ("units", units)], baseVersion: nil, label: "\(id) ← \(units)")
        },
        unitReport("en", "出动", .cmdEnRoute, event: "depart"),
        unitReport("ar", "到达", .cmdArrive, event: "arrive"),
        unitReport("clr", "撤离", .cmdClearScene, event: "clear"),
        Verb(name: "unit", alias: "力量", pane: .dispatch, usage: "unit UNIT EVENT", help: .cmdUnit,
             command: .updateUnitStatus, completes: "unit") { input throws(VerbError) in
            guard input.words.count == 2 else { throw .usage }
            let version = input.units.first { $0.id == input.words[0] }?.version
            return VerbCommand(name: .updateUnitStatus, pairs: [("unit", input.words[0]), ("event", input.words[1])],
                               baseVersion: version, label: "\(input.words[0]) \(input.words[1])")
        },
        Verb(name: "transfer", alias: "转派", pane: .hotline, usage: "transfer DEPT", help: .cmdTransfer,
             command: .transferTicket, completes: "department") { input throws(VerbError) in
            let ticket = try input.selectedTicket()
            guard input.words.count == 1 else { throw .usage }
            return VerbCommand(name: .transferTicket, pairs: [("ticket", ticket.id), ("department", input.words[0])],
                               baseVersion: ticket.version, label: "\(ticket.id) → \(input.words[0])")
        },
        Verb(name: "escalate", alias: "转警", pane: .hotline, usage: "escalate TYPE [1-4]", help: .cmdEscalate,
             command: .escalateTicket, completes: "type", confirms: true) { input throws(VerbError) in
            let ticket = try input.selectedTicket()
            guard (1...2).contains(input.words.count) else { throw .usage }
            var pairs = [(key: "ticket", value: ticket.id), (key: "type", value: input.words[0])]
            if input.words.count == 2 { pairs.append(("priority", input.words[1])) }
            return VerbCommand(name: .escalateTicket, pairs: pairs, baseVersion: ticket.version, label: "\(ticket.id) → \(input.words[0])")
        },
        ticketStep("accept", "签收", .cmdAccept, .acceptTicket, text: nil),
        ticketStep("return", "退回", .cmdReturn, .returnTicket, text: "reason"),
        ticketStep("reply", "答复", .cmdReply, .replyTicket, text: "text"),
        ticketNote("remark", "工单备注", .cmdRemark, isInternal: false),
        ticketNote("memo", "内部备注", .cmdMemo, isInternal: true),
        Verb(name: "callback", alias: "回访", pane: .hotline, usage: "callback yes|no", help: .cmdCallback,
             command: .recordCallback, completes: nil) { input throws(VerbError) in
            let ticket = try input.selectedTicket()
            guard input.words.count == 1 else { throw .usage }
            return VerbCommand(name: .recordCallback, pairs: [("ticket", ticket.id), ("satisfied", input.words[0])],
                               baseVersion: ticket.version, label: ticket.id)
        },
        signOff("approve", "同意", "approve [OPINION]", .cmdApprove, approve: true),
        signOff("reject", "不同意", "reject OPINION", .cmdReject, approve: false, confirms: true),
    ]

    /// `submit NAME key=value …`: any command, by its declaration.
    static let submitUsage = "submit NAME key=value …"

    static func named(_ word: String) -> Verb? {
        let lower = word.lowercased()
        return all.first { $0.name == lower || $0.alias == word }
    }

    /// `remark TEXT` / `memo TEXT`: a note in the selected ticket's timeline, for all who see it
    /// or (internal) for the hotline and the department only.
    private static func ticketNote(_ name: String, _ alias: String, _ help: Strings.Text, isInternal: Bool) -> Verb {
        Verb(name: name, alias: alias, pane: .hotline, usage: "\(name) TEXT", help: help, command: .noteTicket,
             completes: nil) { input throws(VerbError) in
            let ticket = try input.selectedTicket()
            guard !input.words.isEmpty else { throw .usage }
            var pairs = [(key: "ticket", value: ticket.id), (key: "text", value: input.rest)]
            if isInternal { pairs.append((key: "internal", value: "yes")) }
            return VerbCommand(name: .noteTicket, pairs: pairs, baseVersion: ticket.version, label: ticket.id)
        }
    }

    /// Its name in the console's language, in prompts and messages: 关闭 / close.
    func title(_ language: Language) -> String { language == .zh ? alias : name }

    private static func incidentStep(_ name: String, _ alias: String, _ help: Strings.Text, _ command: Command.Name,
                                     confirms: Bool = false) -> Verb {
        Verb(name: name, alias: alias, pane: .dispatch, usage: name, help: help, command: command, completes: nil,
             confirms: confirms) { input throws(VerbError) in
            let incident = try input.selectedIncident()
            guard input.words.isEmpty else { throw .usage }
            return VerbCommand(name: command, pairs: [("incident", incident.id)], baseVersion: incident.version,
                               label: incident.id)
        }
    }

    /// `en UNIT`, `ar UNIT`, `clr UNIT`: a unit's report in one word, on the version the board shows.
    private static func unitReport(_ name: String, _ alias: String, _ help: Strings.Text, event: String) -> Verb {
        Verb(name: name, alias: alias, pane: .dispatch, usage: "\(name) UNIT", help: help, command: .updateUnitStatus,
             completes: "unit") { input throws(VerbError) in
            guard input.words.count == 1 else { throw .usage }
            let version = input.units.first { $0.id == input.words[0] }?.version
            return VerbCommand(name: .updateUnitStatus, pairs: [("unit", input.words[0]), ("event", event)],
                               baseVersion: version, label: "\(input.words[0])")
        }
    }

    /// A step on the selected ticket, with a text argument (`text`) made of the rest of the line.
    private static func ticketStep(_ name: String, _ alias: String, _ help: Strings.Text, _ command: Command.Name,
                                   text: String?) -> Verb {
        Verb(name: name, alias: alias, pane: .hotline, usage: text == nil ? name : "\(name) \(text!.uppercased())", help: help,
             command: command, completes: nil) { input throws(VerbError) in
            let ticket = try input.selectedTicket()
            var pairs = [(key: "ticket", value: ticket.id)]
            if let text {
                guard !input.words.isEmpty else { throw .usage }
                pairs.append((text, input.rest))
            } else if !input.words.isEmpty {
                throw .usage
            }
            return VerbCommand(name: command, pairs: pairs, baseVersion: ticket.version, label: ticket.id)
        }
    }

    private static func signOff(_ name: String, _ alias: String, _ usage: String, _ help: Strings.Text, approve: Bool,
                                confirms: Bool = false) -> Verb {
        Verb(name: name, alias: alias, pane: .approvals, usage: usage, help: help, command: .signOff, completes: nil,
             confirms: confirms) { input throws(VerbError) in
            let approval = try input.selectedApproval()
            if !approve, input.words.isEmpty { throw .usage }
            var pairs = [(key: "case", value: approval.id), (key: "approve", value: approve ? "true" : "false")]
            if !input.words.isEmpty { pairs.append(("opinion", input.rest)) }
            return VerbCommand(name: .signOff, pairs: pairs, baseVersion: approval.version, label: approval.id)
        }
    }
}

extension VerbInput {
    /// The units on the board still working for `incident` (sent, on the way, there).
    func committedUnits(of incident: Incident) -> [ResponseUnit] {
        units.filter { $0.incidentID == incident.id && $0.status.isCommitted }
    }

    /// The linked parts of `incident` still open, as last read (all its parts when none were read).
    func openParts(of incident: Incident) -> [String] {
        let read = Dictionary(linked.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return incident.linkedParts.filter { read[$0]?.status.isOpen ?? true }
    }

    /// The incident a verb names: a leading day's number (`p 42 1`) when the words after it
    /// still make the verb's arguments (`rest` says whether they do), else the selected one.
    /// A numbered incident has no version seen: it is not pinned.
    func numberedIncident(argumentCount rest: ([String]) -> Bool) throws(VerbError) -> (id: String, version: Int?, words: [String]) {
        if words.count >= 2, IDFormat.shortNumber(words[0]) != nil, rest(Array(words.dropFirst())) {
            let id = incidentID(words[0])
            return (id, id == incident?.id ? incident?.version : nil, Array(words.dropFirst()))
        }
        let incident = try selectedIncident()
        return (incident.id, incident.version, words)
    }

    /// The incident a typed word names: a full id as it is; a day's number today's, else the
    /// only open incident of another day with that number, else today's (central then says
    /// whether it exists).
    func incidentID(_ word: String) -> String {
        guard let n = IDFormat.shortNumber(word) else { return word }
        return IDFormat.resolve(word, .incident, today: today, candidates: openIncidents)
            ?? IDFormat.stem(.incident, today) + IDFormat.padded(n, IDFormat.digits(.incident))
    }

    func selectedIncident() throws(VerbError) -> Incident {
        guard let incident else { throw .noSelection(.noIncidentSelected) }
        return incident
    }

    func selectedTicket() throws(VerbError) -> Ticket {
        guard let ticket else { throw .noSelection(.noTicketSelected) }
        return ticket
    }

    func selectedApproval() throws(VerbError) -> ApprovalCase {
        guard let approval else { throw .noSelection(.noCaseSelected) }
        return approval
    }
}
