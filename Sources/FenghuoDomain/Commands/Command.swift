import Foundation

/// Every write a console can ask central for, typed. The declarations (`Command.spec`) give
/// each one's wire name, arguments, roles and help; `Command(_:)` checks a payload against them
/// and `payload` writes one, so the wire form is read and written only here.
public enum Command: Hashable, Sendable {
    case createIncident(NewIncident)
    case dispatch(incident: Incident.ID, units: [ResponseUnit.ID])
    /// 处置中: the crews on scene are at work.
    case workIncident(Incident.ID)
    /// 已结束, with how it ended (a disposition code for resolving).
    case resolveIncident(Incident.ID, disposition: String)
    /// 已关闭; `release`: let go of the units still committed (each release recorded), without
    /// which a close with committed units is refused.
    /// `unlink`: release the links to parts still open (解除联动), without which closing the
    /// incident that asked for them is refused.
    case closeIncident(Incident.ID, release: Bool = false, unlink: Bool = false)
    /// 撤销, with a disposition code for cancelling and why.
    case cancelIncident(Incident.ID, disposition: String, reason: String)
    /// 合并: the incident is a second call about `into`; its caller, story and units go there.
    case mergeIncident(Incident.ID, into: Incident.ID)
    /// A line in the incident's timeline.
    case noteIncident(Incident.ID, text: String)
    /// 联动: another agency joins with a part of its own (type: the plan's or the agency's default).
    case linkIncident(Incident.ID, agency: Agency, type: String?)
    /// 预案: plan item `item` (its number in the plan) is done.
    case checkPlanItem(Incident.ID, item: Int)
    /// 上报: the incident is reported to the 应急办 leader.
    case reportIncident(Incident.ID, text: String)
    case prioritizeIncident(Incident.ID, priority: Priority)
    /// The casualties known so far (伤亡人数); from `Plans.majorCasualties` the incident is major.
    case countCasualties(Incident.ID, count: Int)
    /// 转 12345: not an emergency; a ticket of `category` is made from it and the incident ends.
    case handoffIncident(Incident.ID, category: String)
    case updateUnitStatus(unit: ResponseUnit.ID, event: UnitStatusEvent)
    /// A position report (the vehicle's locator): the unit is at `to` now.
    case moveUnit(unit: ResponseUnit.ID, to: GeoPoint)
    case createTicket(NewTicket)
    case transferTicket(Ticket.ID, department: String)
    case acceptTicket(Ticket.ID)
    case returnTicket(Ticket.ID, reason: String)
    case replyTicket(Ticket.ID, text: String)
    case recordCallback(Ticket.ID, satisfied: Bool)
    /// A line in the ticket's timeline; `internal`: for the hotline and the department only (内部备注).
    case noteTicket(Ticket.ID, text: String, internal: Bool)
    /// 转警: the call is an emergency; an incident of `type` takes it over and the ticket ends.
    case escalateTicket(Ticket.ID, type: String, priority: Priority?)
    case createApproval(item: String, applicant: String, phone: String)
    case startReview(ApprovalCase.ID)
    case signOff(ApprovalCase.ID, department: String?, approve: Bool, opinion: String)

    /// The wire names.
    public enum Name: String, Hashable, Sendable, Codable, CaseIterable {
        case createIncident, dispatch, workIncident, resolveIncident, closeIncident, cancelIncident, mergeIncident,
             noteIncident, linkIncident, checkPlanItem, reportIncident, prioritizeIncident, countCasualties, handoffIncident, updateUnitStatus, moveUnit
        case createTicket, transferTicket, acceptTicket, returnTicket, replyTicket, recordCallback, escalateTicket, noteTicket
        case createApproval, startReview, signOff

        public var spec: CommandSpec { Command.specs[self]! }
    }

    public var name: Name {
        switch self {
        case .createIncident: .createIncident
        case .dispatch: .dispatch
        case .workIncident: .workIncident
        case .resolveIncident: .resolveIncident
        case .closeIncident: .closeIncident
        case .cancelIncident: .cancelIncident
        case .mergeIncident: .mergeIncident
        case .noteIncident: .noteIncident
        case .linkIncident: .linkIncident
        case .checkPlanItem: .checkPlanItem
        case .reportIncident: .reportIncident
        case .prioritizeIncident: .prioritizeIncident
        case .countCasualties: .countCasualties
        case .handoffIncident: .handoffIncident
        case .escalateTicket: .escalateTicket
        case .updateUnitStatus: .updateUnitStatus
        case .moveUnit: .moveUnit
        case .createTicket: .createTicket
        case .transferTicket: .transferTicket
        case .acceptTicket: .acceptTicket
        case .returnTicket: .returnTicket
        case .replyTicket: .replyTicket
        case .recordCallback: .recordCallback
        case .noteTicket: .noteTicket
        case .createApproval: .createApproval
        case .startReview: .startReview
        case .signOff: .signOff
        }
    }

    public var spec: CommandSpec { name.spec }

    /// The id of the record the command acts on (nil for the ones that create a record).
    public var target: String? {
        guard let key = spec.target, case .text(let id)? = payload.args[key] else { return nil }
        return id
    }
}

/// A call taken at the dispatch desk.
public struct NewIncident: Hashable, Sendable {
    public var type: String
    public var district: String
    public var address: String
    public var narrative: String
    public var caller: String
    public var phone: String
    public var confidential: Bool
    /// The dispatcher's priority; nil: the type's.
    public var priority: Priority?
    /// Where it is, when the caller gave a place the roads cannot tell (a landmark, `LAT,LON`).
    public var location: GeoPoint?
    /// A second call about an open incident: recorded, and merged into it at once (合并).
    public var mergeInto: String?

    public init(type: String, district: String, address: String, narrative: String, caller: String = "", phone: String = "",
                confidential: Bool = false, priority: Priority? = nil, location: GeoPoint? = nil, mergeInto: String? = nil) {
        self.mergeInto = mergeInto
        self.priority = priority
        self.location = location
        self.type = type
        self.district = district
        self.address = address
        self.narrative = narrative
        self.caller = caller
        self.phone = phone
        self.confidential = confidential
    }
}

/// A 12345 call registered as a ticket.
public struct NewTicket: Hashable, Sendable {
    public var category: String
    public var district: String
    public var address: String
    public var summary: String
    public var detail: String
    public var caller: String
    public var phone: String

    public init(category: String, district: String, address: String, summary: String, detail: String = "",
                caller: String = "", phone: String = "") {
        self.category = category
        self.district = district
        self.address = address
        self.summary = summary
        self.detail = detail
        self.caller = caller
        self.phone = phone
    }
}

/// What a duty officer reports about a unit.
public enum UnitStatusEvent: String, Hashable, Sendable, CaseIterable {
    case depart, arrive, clear, release, backInStation, outOfService, backInService

    public var event: ResponseUnit.Event {
        switch self {
        case .depart: .depart
        case .arrive: .arrive
        case .clear: .clear
        case .release: .release
        case .backInStation: .backInStation
        case .outOfService: .outOfService
        case .backInService: .backInService
        }
    }

    static let choices: [Choice] = [
        Choice("depart", zh: "出发", en: "depart"), Choice("arrive", zh: "到场", en: "arrive"),
        Choice("clear", zh: "撤离现场", en: "clear the scene"), Choice("release", zh: "取消派遣", en: "release"),
        Choice("backInStation", zh: "归队", en: "back in station"), Choice("outOfService", zh: "停用", en: "out of service"),
        Choice("backInService", zh: "恢复执勤", en: "back in service"),
    ]
}

// MARK: Reading and writing the wire form

extension Command {
    /// Checks a payload against its command's declaration: every key known, every required one
    /// given, every value of its kind and length. v1 clients' forms are read too: a list as
    /// comma-separated text, yes/no as text.
    public init(_ payload: CommandPayload) throws(CommandRejection) {
        let spec = payload.name.spec
        let command = payload.name.rawValue
        var checked: [String: ArgumentValue] = [:]
        for (key, value) in payload.args {
            guard let argument = spec.argument(key) else {
                throw CommandRejection(.unknownArgument(command: command, key: key, accepted: spec.arguments.map(\.key)))
            }
            if let value = try Self.check(value, argument, command: command) { checked[key] = value }
        }
        for argument in spec.arguments where argument.required && checked[argument.key] == nil {
            throw CommandRejection(.missingArgument(command: command, key: argument.key))
        }
        self = Self.build(payload.name, CheckedArguments(values: checked))
    }

    /// A value of the argument's kind, trimmed; nil when it is empty (as if not given).
    static func check(_ value: ArgumentValue, _ argument: ArgumentSpec, command: String) throws(CommandRejection) -> ArgumentValue? {
        func bad() -> CommandRejection {
            CommandRejection(.badValue(command: command, key: argument.key, value: value.description, expected: argument.kind.label.en))
        }
        // A NUL cut stored text short while the change log kept it whole; an escape sequence
        // would drive another user's terminal. Only a long text may hold a newline or a tab.
        let multiline: Bool = if case .text(let max) = argument.kind { max >= 500 } else { false }
        let texts: [String] = switch value {
        case .text(let t): [t]
        case .list(let l): l
        case .flag: []
        }
        for text in texts where text.unicodeScalars.contains(where: { isControl($0, multiline: multiline) }) {
            throw CommandRejection(.controlCharacter(command: command, key: argument.key))
        }
        switch argument.kind {
        case .flag:
            switch value {
            case .flag: return value
            case .text(let text):
                switch trimmed(text).lowercased() {
                case "": return nil
                case "true", "yes", "y", "1", "是": return .flag(true)
                case "false", "no", "n", "0", "否": return .flag(false)
                default: throw bad()
                }
            case .list: throw bad()
            }
        case .records:
            let items: [String]
            switch value {
            case .list(let list): items = list
            // At the comma scalar: a comma followed by a combining mark or a joiner still separates.
            case .text(let text): items = text.unicodeScalars.split(separator: ",").map { String($0) }
            case .flag: throw bad()
            }
            let ids = items.map(trimmed).filter { !$0.isEmpty }
            guard ids.count <= 50, ids.allSatisfy({ $0.unicodeScalars.count <= 40 }) else { throw bad() }
            return ids.isEmpty ? nil : .list(ids)
        case .text(let maxLength):
            guard case .text(let text) = value else { throw bad() }
            let value = trimmed(text)
            // Scalars, not Characters: one Character may carry thousands of combining marks,
            // so only a scalar count bounds what is stored and sent (a Chinese character is one).
            guard value.unicodeScalars.count <= maxLength else {
                throw CommandRejection(.tooLong(command: command, key: argument.key, maxLength: maxLength))
            }
            return value.isEmpty ? nil : .text(value)
        case .record, .catalog:
            guard case .text(let text) = value else { throw bad() }
            let value = trimmed(text)
            guard value.unicodeScalars.count <= 40 else { throw CommandRejection(.tooLong(command: command, key: argument.key, maxLength: 40)) }
            return value.isEmpty ? nil : .text(value)
        case .coordinates:
            guard case .text(let text) = value else { throw bad() }
            let value = trimmed(text)
            if value.isEmpty { return nil }
            guard value.unicodeScalars.count <= TypedCoordinates.maxLength else {
                throw CommandRejection(.tooLong(command: command, key: argument.key, maxLength: TypedCoordinates.maxLength))
            }
            guard case .point(let point) = TypedCoordinates(value) else { throw bad() }
            return .text(TypedCoordinates.text(of: point))
        case .choice(let choices):
            guard case .text(let text) = value else { throw bad() }
            let value = trimmed(text)
            if value.isEmpty { return nil }
            guard choices.contains(where: { $0.code == value }) else { throw bad() }
            return .text(value)
        case .number(let range):
            guard case .text(let text) = value else { throw bad() }
            let value = trimmed(text)
            if value.isEmpty { return nil }
            // ASCII digits only: `Int` would take a sign, and a full-width digit is not a number here.
            guard value.unicodeScalars.count <= 6, value.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
                  let n = Int(value), range.contains(n) else { throw bad() }
            return .text(String(n))
        }
    }

    /// C0 and C1 control characters, DEL, and the line and paragraph separators; a newline or
    /// a tab are text in a multi-line field.
    static func isControl(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: !multiline
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }

    static func trimmed(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, let last = value.unicodeScalars.last,
              first.properties.isWhitespace || last.properties.isWhitespace else { return value }
        return value.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func build(_ name: Name, _ a: CheckedArguments) -> Command {
        switch name {
        case .createIncident:
            .createIncident(NewIncident(type: a.text("type"), district: a.text("district"), address: a.text("address"),
                                        narrative: a.text("narrative"), caller: a.text("caller"), phone: a.text("phone"),
                                        confidential: a.flag("confidential"), priority: Int(a.text("priority")).flatMap(Priority.init),
                                        location: { if case .point(let p) = TypedCoordinates(a.text("location")) { p } else { nil } }(),
                                        mergeInto: a.optionalText("merge_into")))
        case .dispatch: .dispatch(incident: .init(a.text("incident")), units: a.list("units").map { ResponseUnit.ID($0) })
        case .workIncident: .workIncident(.init(a.text("incident")))
        case .resolveIncident: .resolveIncident(.init(a.text("incident")), disposition: a.text("disposition"))
        case .closeIncident: .closeIncident(.init(a.text("incident")), release: a.flag("release"), unlink: a.flag("unlink"))
        case .cancelIncident:
            .cancelIncident(.init(a.text("incident")), disposition: a.text("disposition"), reason: a.text("reason"))
        case .mergeIncident: .mergeIncident(.init(a.text("incident")), into: .init(a.text("into")))
        case .noteIncident: .noteIncident(.init(a.text("incident")), text: a.text("text"))
        case .linkIncident:
            .linkIncident(.init(a.text("incident")), agency: Agency(rawValue: a.text("agency"))!, type: a.optionalText("type"))
        case .checkPlanItem: .checkPlanItem(.init(a.text("incident")), item: Int(a.text("item"))!)
        case .reportIncident: .reportIncident(.init(a.text("incident")), text: a.text("text"))
        case .prioritizeIncident: .prioritizeIncident(.init(a.text("incident")), priority: Priority(rawValue: Int(a.text("priority"))!)!)
        case .countCasualties: .countCasualties(.init(a.text("incident")), count: Int(a.text("count"))!)
        case .handoffIncident: .handoffIncident(.init(a.text("incident")), category: a.text("category"))
        case .escalateTicket:
            .escalateTicket(.init(a.text("ticket")), type: a.text("type"), priority: Int(a.text("priority")).flatMap(Priority.init))
        case .updateUnitStatus: .updateUnitStatus(unit: .init(a.text("unit")), event: UnitStatusEvent(rawValue: a.text("event"))!)
        case .moveUnit:
            // Checked as coordinates already; `at` is required, so this always finds a point.
            .moveUnit(unit: .init(a.text("unit")), to: { if case .point(let p) = TypedCoordinates(a.text("at")) { p } else { GeoPoint(lat: .nan, lon: .nan) } }())
        case .createTicket:
            .createTicket(NewTicket(category: a.text("category"), district: a.text("district"), address: a.text("address"),
                                    summary: a.text("summary"), detail: a.text("detail"), caller: a.text("caller"),
                                    phone: a.text("phone")))
        case .transferTicket: .transferTicket(.init(a.text("ticket")), department: a.text("department"))
        case .acceptTicket: .acceptTicket(.init(a.text("ticket")))
        case .returnTicket: .returnTicket(.init(a.text("ticket")), reason: a.text("reason"))
        case .replyTicket: .replyTicket(.init(a.text("ticket")), text: a.text("text"))
        case .recordCallback: .recordCallback(.init(a.text("ticket")), satisfied: a.flag("satisfied"))
        case .noteTicket: .noteTicket(.init(a.text("ticket")), text: a.text("text"), internal: a.flag("internal"))
        case .createApproval: .createApproval(item: a.text("item"), applicant: a.text("applicant"), phone: a.text("phone"))
        case .startReview: .startReview(.init(a.text("case")))
        case .signOff:
            .signOff(.init(a.text("case")), department: a.optionalText("department"), approve: a.flag("approve"),
                     opinion: a.text("opinion"))
        }
    }

    /// The wire form: only the arguments that have a value.
    public var payload: CommandPayload {
        var args: [String: ArgumentValue] = [:]
        func put(_ key: String, _ value: String) { if !value.isEmpty { args[key] = .text(value) } }
        switch self {
        case .createIncident(let n):
            put("type", n.type); put("district", n.district); put("address", n.address); put("narrative", n.narrative)
            put("caller", n.caller); put("phone", n.phone)
            if n.confidential { args["confidential"] = .flag(true) }
            if let p = n.priority { put("priority", String(p.rawValue)) }
            if let l = n.location { put("location", TypedCoordinates.text(of: l)) }
            if let m = n.mergeInto { put("merge_into", m) }
        case .dispatch(let incident, let units):
            put("incident", incident.rawValue)
            args["units"] = .list(units.map(\.rawValue))
        case .workIncident(let id):
            put("incident", id.rawValue)
        case .resolveIncident(let id, let disposition):
            put("incident", id.rawValue); put("disposition", disposition)
        case .closeIncident(let id, let release, let unlink):
            put("incident", id.rawValue)
            if release { args["release"] = .flag(true) }
            if unlink { args["unlink"] = .flag(true) }
        case .cancelIncident(let id, let disposition, let reason):
            put("incident", id.rawValue); put("disposition", disposition); put("reason", reason)
        case .mergeIncident(let id, let into):
            put("incident", id.rawValue); put("into", into.rawValue)
        case .noteIncident(let id, let text):
            put("incident", id.rawValue); put("text", text)
        case .linkIncident(let id, let agency, let type):
            put("incident", id.rawValue); put("agency", agency.rawValue); put("type", type ?? "")
        case .checkPlanItem(let id, let item):
            put("incident", id.rawValue); put("item", String(item))
        case .reportIncident(let id, let text):
            put("incident", id.rawValue); put("text", text)
        case .prioritizeIncident(let id, let priority):
            put("incident", id.rawValue); put("priority", String(priority.rawValue))
        case .countCasualties(let id, let count):
            put("incident", id.rawValue); args["count"] = .text(String(count))
        case .handoffIncident(let id, let category):
            put("incident", id.rawValue); put("category", category)
        case .escalateTicket(let id, let type, let priority):
            put("ticket", id.rawValue); put("type", type)
            if let priority { put("priority", String(priority.rawValue)) }
        case .updateUnitStatus(let unit, let event):
            put("unit", unit.rawValue); put("event", event.rawValue)
        case .moveUnit(let unit, let point):
            put("unit", unit.rawValue); put("at", TypedCoordinates.text(of: point))
        case .createTicket(let n):
            put("category", n.category); put("district", n.district); put("address", n.address); put("summary", n.summary)
            put("detail", n.detail); put("caller", n.caller); put("phone", n.phone)
        case .transferTicket(let id, let department):
            put("ticket", id.rawValue); put("department", department)
        case .acceptTicket(let id):
            put("ticket", id.rawValue)
        case .returnTicket(let id, let reason):
            put("ticket", id.rawValue); put("reason", reason)
        case .replyTicket(let id, let text):
            put("ticket", id.rawValue); put("text", text)
        case .recordCallback(let id, let satisfied):
            put("ticket", id.rawValue)
            args["satisfied"] = .flag(satisfied)
        case .noteTicket(let id, let text, let isInternal):
            put("ticket", id.rawValue); put("text", text)
            if isInternal { args["internal"] = .flag(true) }
        case .createApproval(let item, let applicant, let phone):
            put("item", item); put("applicant", applicant); put("phone", phone)
        case .startReview(let id):
            put("case", id.rawValue)
        case .signOff(let id, let department, let approve, let opinion):
            put("case", id.rawValue); put("department", department ?? ""); put("opinion", opinion)
            args["approve"] = .flag(approve)
        }
        return CommandPayload(name: name, args: args)
    }
}

extension Command: Codable {
    public init(from decoder: any Decoder) throws {
        let payload = try CommandPayload(from: decoder)
        do {
            self = try Command(payload)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message,
                                                    underlyingError: error))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try payload.encode(to: encoder)
    }
}

extension Priority {
    /// The `priority` argument's values: `1` (most urgent) to `4`.
    static let choices: [Choice] = [
        Choice("1", zh: "特急", en: "P1 critical"), Choice("2", zh: "紧急", en: "P2 high"),
        Choice("3", zh: "一般", en: "P3 normal"), Choice("4", zh: "较低", en: "P4 low"),
    ]
}
