import Foundation

/// The rules of every desk, pure: a command, who sent it, when, and what the records say →
/// the records to write, or a rejection. No I/O and no clock reads; central runs them inside
/// its transaction, tests against `RecordsInMemory`.
public enum Deciders {
    public static func decide(_ command: Command, by user: User, at now: Date,
                              reading source: some RecordSource, baseVersion: Int?) throws(CommandRejection) -> [RecordChange] {
        let spec = command.spec
        guard spec.roles.contains(user.role) else {
            throw CommandRejection(.forbidden(command: spec.name.rawValue, role: user.role,
                                              allowed: spec.roles.sorted { $0.rawValue < $1.rawValue }))
        }
        let context = DecisionContext(user: user, now: now, baseVersion: baseVersion)
        switch command {
        case .createIncident, .dispatch, .workIncident, .resolveIncident, .closeIncident, .cancelIncident, .mergeIncident,
             .noteIncident, .linkIncident, .checkPlanItem, .reportIncident, .prioritizeIncident, .countCasualties, .handoffIncident, .updateUnitStatus, .moveUnit:
            return try DispatchDecider.decide(command, context, source)
        case .createTicket, .transferTicket, .acceptTicket, .returnTicket, .replyTicket, .recordCallback, .escalateTicket, .noteTicket:
            return try HotlineDecider.decide(command, context, source)
        case .createApproval, .startReview, .signOff:
            return try ApprovalDecider.decide(command, context, source)
        }
    }
}

/// Who decides, when, and the version of the target the user saw.
struct DecisionContext {
    let user: User
    let now: Date
    let baseVersion: Int?

    /// Central order wins: a change based on a version the record has moved past is refused.
    func check(_ id: String, version current: Int) throws(CommandRejection) {
        if let base = baseVersion, base != current {
            throw CommandRejection(.staleVersion(id: id, base: base, current: current))
        }
    }

    /// For incidents, only a change of status since the user's version counts: notes, unit
    /// reports and reinforcements others added meanwhile do not make the user's view wrong.
    func check(_ incident: Incident) throws(CommandRejection) {
        if let base = baseVersion, incident.hasMovedOn(since: base) {
            throw CommandRejection(.staleVersion(id: incident.id, base: base, current: incident.version))
        }
    }

    /// For units, only a change of status since the user's version counts: the position
    /// reports that arrive every few seconds do not make the user's status report wrong.
    func check(_ unit: ResponseUnit) throws(CommandRejection) {
        if let base = baseVersion, unit.hasMovedOn(since: base) {
            throw CommandRejection(.staleVersion(id: unit.id, base: base, current: unit.version))
        }
    }

    /// For tickets, as for incidents: only a step since the user's version counts, not a note.
    func check(_ ticket: Ticket) throws(CommandRejection) {
        if let base = baseVersion, ticket.hasMovedOn(since: base) {
            throw CommandRejection(.staleVersion(id: ticket.id, base: base, current: ticket.version))
        }
    }

    /// Applies an incident step as this user, now.
    func step(_ incident: inout Incident, _ event: Incident.Event) throws(CommandRejection) {
        do { try incident.apply(event, by: user.username, at: now) } catch { throw CommandRejection(error) }
    }

    func step(_ work: () throws(TransitionError) -> Void) throws(CommandRejection) {
        do { try work() } catch { throw CommandRejection(error) }
    }

    func found<R>(_ record: R?, _ kind: EntityKind, _ id: String) throws(CommandRejection) -> R {
        guard let record else { throw CommandRejection(.notFound(entity: kind, id: id)) }
        return record
    }
}

/// 调度: incidents and the units sent to them. Every step lands in the incident's timeline,
/// stamped with the time and the user who did or reported it.
enum DispatchDecider {
    static func decide(_ command: Command, _ c: DecisionContext, _ source: some RecordSource) throws(CommandRejection) -> [RecordChange] {
        switch command {
        case .createIncident(let new):
            guard let type = source.reference.incidentTypes[new.type] else {
                throw CommandRejection(.unknownCode(kind: .incidentType, value: new.type))
            }
            guard let district = source.reference.districts[new.district] else {
                throw CommandRejection(.unknownCode(kind: .district, value: new.district))
            }
            // Typed coordinates (or a landmark's) win over the street the address names; outside the city they are refused.
            if let at = new.location, let bounds = source.reference.cityBounds, !bounds.contains(at) {
                throw CommandRejection(.badValue(command: command.name.rawValue, key: "location", value: TypedCoordinates.text(of: at),
                                                 expected: "LAT,LON inside the city (\(bounds.description))"))
            }
            let incident = Incident.received(
                id: source.nextID(.incident, on: LocalDate(c.now)), agency: type.agency, typeCode: type.code,
                priority: new.priority ?? type.priority, district: district.code, address: new.address,
                location: new.location ?? source.reference.streets?.locate(new.address) ?? district.location, callerName: new.caller,
                callerPhone: new.phone, narrative: new.narrative, confidential: new.confidential, by: c.user.username, at: c.now)
            // A second call about an open incident: kept as its own record, merged at once.
            if let target = new.mergeInto {
                var call = incident
                let merged = try mergeIncident(&call, into: .init(target), c, source)
                return [RecordChange(.incident(call), before: nil)] + merged
            }
            return [RecordChange(.incident(incident), before: nil)]
        case .dispatch(let incidentID, let unitIDs):
            var incident = try c.found(source.incident(incidentID), .incident, incidentID.rawValue)
            try c.check(incident)
            let before = incident
            var changes: [RecordChange] = []
            for unitID in unitIDs {
                var unit = try c.found(source.unit(unitID), .unit, unitID.rawValue)
                let was = unit
                try c.step { () throws(TransitionError) in try unit.apply(.assign(incidentID: incident.id), at: c.now) }
                // One desk for all four lines: another agency's unit joins when the run card calls for its kind.
                guard unit.agency == incident.agency || source.reference.runCards.calls(for: unit.kind, on: incident) else {
                    throw CommandRejection(.agencyMismatch(unit: unit.id, unitAgency: unit.agency, incidentAgency: incident.agency))
                }
                changes.append(RecordChange(.unit(unit), before: .unit(was)))
            }
            try c.step(&incident, .dispatch(unitIDs: unitIDs.map(\.rawValue)))
            return [RecordChange(.incident(incident), before: .incident(before))] + changes
        case .workIncident(let id):
            return try step(id, c, source) { incident throws(CommandRejection) in try c.step(&incident, .work); return [] }
        case .resolveIncident(let id, let code):
            return try step(id, c, source) { incident throws(CommandRejection) in
                try checkDisposition(code, .resolve, incident, source)
                try c.step(&incident, .resolve(disposition: code))
                return []
            }
        case .closeIncident(let id, let release, let unlink):
            return try step(id, c, source) { incident throws(CommandRejection) in
                try c.step(&incident, .close)
                let committed = committedUnits(of: incident, source)
                guard committed.isEmpty || release else {
                    throw CommandRejection(.unitsCommitted(incident: incident.id, units: committed.map(\.id)))
                }
                // The incident that asked for links answers for the whole: its parts end first, or are let go.
                let open = incident.linkedParts.compactMap { source.incident(.init($0)) }.filter(\.status.isOpen)
                guard open.isEmpty || unlink else {
                    throw CommandRejection(.linksOpen(incident: incident.id, parts: open.map(\.id)))
                }
                var changes: [RecordChange] = []
                for var part in open {
                    let was = part
                    try c.step(&incident, .unlink(other: part.id))
                    try c.step(&part, .unlink(other: incident.id))
                    changes.append(RecordChange(.incident(part), before: .incident(was)))
                }
                return try releaseUnits(committed, of: &incident, c) + changes
            }
        case .cancelIncident(let id, let code, let reason):
            return try step(id, c, source) { incident throws(CommandRejection) in
                try checkDisposition(code, .cancel, incident, source)
                try c.step(&incident, .cancel(disposition: code, reason: reason))
                return try releaseUnits(committedUnits(of: incident, source), of: &incident, c)
            }
        case .mergeIncident(let id, let intoID):
            return try step(id, c, source) { incident throws(CommandRejection) in
                try mergeIncident(&incident, into: intoID, c, source)
            }
        case .noteIncident(let id, let text):
            return try step(id, c, source) { incident throws(CommandRejection) in try c.step(&incident, .note(text)); return [] }
        case .linkIncident(let id, let agency, let type):
            return try step(id, c, source) { incident throws(CommandRejection) in
                try [RecordChange(.incident(linkPart(of: &incident, agency: agency, type: type, c, source)), before: nil)]
            }
        case .checkPlanItem(let id, let seq):
            return try step(id, c, source) { incident throws(CommandRejection) in
                guard let item = source.reference.plans.plan(for: incident.typeCode).first(where: { $0.seq == seq }) else {
                    let count = source.reference.plans.plan(for: incident.typeCode).count
                    throw CommandRejection(.badValue(command: command.name.rawValue, key: "item", value: String(seq),
                                                     expected: count == 0 ? "an item of a plan (this incident type has none)"
                                                                          : "an item of its plan, 1–\(count)"))
                }
                try c.step(&incident, .check(seq: seq, text: item.text))
                return []
            }
        case .reportIncident(let id, let text):
            return try step(id, c, source) { incident throws(CommandRejection) in
                try c.step(&incident, .report(to: Plans.reportRecipient, text: text))
                return []
            }
        case .prioritizeIncident(let id, let priority):
            return try step(id, c, source) { incident throws(CommandRejection) in try c.step(&incident, .prioritize(priority)); return [] }
        case .countCasualties(let id, let count):
            return try step(id, c, source) { incident throws(CommandRejection) in try c.step(&incident, .casualties(count)); return [] }
        case .handoffIncident(let id, let code):
            return try step(id, c, source) { incident throws(CommandRejection) in
                guard let category = source.reference.ticketCategories[code] else {
                    throw CommandRejection(.unknownCode(kind: .ticketCategory, value: code))
                }
                let (deadline, provisional) = category.serviceLevel.reckonDeadline(from: c.now, calendar: source.reference.calendar)
                // Registered by the duty officer who handed it over, its timeline naming the incident.
                let ticket = Ticket.registered(id: source.nextID(.ticket, on: LocalDate(c.now)), category: category.code, district: incident.district,
                                               address: incident.address, summary: String(incident.narrative.unicodeScalars.prefix(200)),
                                               detail: "110 转来 \(incident.id)：\(incident.narrative)", callerName: incident.callerName,
                                               callerPhone: incident.callerPhone, createdAt: c.now, deadlineAt: deadline,
                                               deadlineProvisional: provisional, incidentLink: incident.id, by: c.user.username)
                try c.step(&incident, .handOff(ticket: ticket.id))
                return try [RecordChange(.ticket(ticket), before: nil)] + releaseUnits(committedUnits(of: incident, source), of: &incident, c)
            }
        case .updateUnitStatus(let unitID, let step):
            var unit = try c.found(source.unit(unitID), .unit, unitID.rawValue)
            try c.check(unit)
            let before = unit
            let incidentID = unit.incidentID
            try c.step { () throws(TransitionError) in try unit.apply(step.event, at: c.now) }
            var changes = [RecordChange(.unit(unit), before: .unit(before))]
            // The unit's report goes in its incident's timeline; the first departure puts the
            // incident 出动, the first arrival 到场.
            let event: Incident.Event? = switch step {
            case .depart: .unitDeparted(unit.id)
            case .arrive: .unitArrived(unit.id)
            case .clear: .unitCleared(unit.id)
            case .release: .unitReleased(unit.id)
            case .backInStation, .outOfService, .backInService: nil
            }
            if let event, let incidentID, var incident = source.incident(.init(incidentID)),
               incident.timeline.count < Incident.maxTimeline {
                let was = incident
                try c.step(&incident, event)
                changes.append(RecordChange(.incident(incident), before: .incident(was)))
            }
            return changes
        case .moveUnit(let unitID, let point):
            var unit = try c.found(source.unit(unitID), .unit, unitID.rawValue)
            // A locator's fix outside the city is a fault (or a forgery), not a place to send a unit from.
            if let bounds = source.reference.cityBounds, !bounds.contains(point) {
                throw CommandRejection(.badValue(command: command.name.rawValue, key: "at", value: TypedCoordinates.text(of: point),
                                                 expected: "LAT,LON inside the city (\(bounds.description))"))
            }
            let before = unit
            unit.move(to: point, at: c.now)
            return [RecordChange(.unit(unit), before: .unit(before))]
        default:
            preconditionFailure("\(command.name) is not a dispatch command")
        }
    }

    /// Merges `incident` into `intoID` (same desk, open): the kept one absorbs its caller and
    /// story and takes over its units. Returns the kept incident's change and the units'.
    static func mergeIncident(_ incident: inout Incident, into intoID: Incident.ID, _ c: DecisionContext,
                              _ source: some RecordSource) throws(CommandRejection) -> [RecordChange] {
        var survivor = try c.found(source.incident(intoID), .incident, intoID.rawValue)
        guard survivor.agency == incident.agency else {
            throw CommandRejection(.illegalTransition(entity: "incident", id: incident.id, event: "merge", state: incident.status.rawValue,
                                                      why: "\(survivor.id) is another desk's (\(survivor.agency.rawValue)); link them instead"))
        }
        if !incident.linkedParts.isEmpty || incident.linkedPrimary != nil {
            throw CommandRejection(.illegalTransition(entity: "incident", id: incident.id, event: "merge", state: incident.status.rawValue,
                                                      why: "it is linked with other agencies' parts; a linked incident is closed, not merged"))
        }
        let was = survivor
        try c.step(&incident, .merge(into: survivor.id))
        let call = [incident.callerName, incident.callerPhone, incident.narrative].filter { !$0.isEmpty }.joined(separator: " · ")
        try c.step(&survivor, .absorb(from: incident.id, call: String(call.unicodeScalars.prefix(2200))))
        // The duplicate's units go on to the incident they were really sent for.
        var changes: [RecordChange] = []
        for var unit in committedUnits(of: incident, source) {
            let before = unit
            unit.incidentID = survivor.id
            unit.version += 1
            try c.step(&survivor, .transfer(unit: unit.id, from: incident.id))
            changes.append(RecordChange(.unit(unit), before: .unit(before)))
        }
        return [RecordChange(.incident(survivor), before: .incident(was))] + changes
    }

    /// 联动: another agency's part of `incident`, created at its place with its caller, and the
    /// link written both ways. The part's type is the one named, else the plan's for that agency.
    static func linkPart(of incident: inout Incident, agency: Agency, type: String?, _ c: DecisionContext,
                         _ source: some RecordSource) throws(CommandRejection) -> Incident {
        func refuse(_ why: String) -> CommandRejection {
            CommandRejection(.illegalTransition(entity: "incident", id: incident.id, event: "link", state: incident.status.rawValue, why: why))
        }
        if let primary = incident.linkedPrimary { throw refuse("it is a linked part of \(primary); link from there") }
        guard agency != incident.agency else { throw refuse("it is already a \(agency.rawValue) incident") }
        let parts = incident.linkedParts.compactMap { source.incident(.init($0)) }
        if let same = parts.first(where: { $0.agency == agency && $0.status.isOpen }) {
            throw refuse("\(agency.rawValue) is already linked as \(same.id)")
        }
        // One open part per agency; closed ones stay linked for the record, up to a bound.
        guard parts.count < 8 else { throw refuse("it has \(parts.count) linked parts already") }
        let reference = source.reference
        guard let code = type ?? reference.plans.linkedType(for: incident.typeCode, agency: agency) else {
            throw CommandRejection(.missingArgument(command: Command.Name.linkIncident.rawValue, key: "type"))
        }
        guard let partType = reference.incidentTypes[code] else { throw CommandRejection(.unknownCode(kind: .incidentType, value: code)) }
        guard partType.agency == agency else {
            throw CommandRejection(.badValue(command: Command.Name.linkIncident.rawValue, key: "type", value: code,
                                             expected: "an incident type of \(agency.rawValue)"))
        }
        let story = String("联动 \(incident.id)：\(incident.narrative)".unicodeScalars.prefix(2000))
        var part = Incident.received(
            id: source.nextID(.incident, on: LocalDate(c.now)), agency: agency, typeCode: partType.code,
            priority: min(incident.priority, partType.priority), district: incident.district, address: incident.address,
            location: incident.location, callerName: incident.callerName, callerPhone: incident.callerPhone, narrative: story,
            confidential: incident.confidential, by: c.user.username, at: c.now)
        try c.step(&part, .linkedFrom(primary: incident.id))
        try c.step(&incident, .link(part: part.id, agency: agency))
        return part
    }

    /// A step on one incident: found, not moved on since the user saw it, changed by `work`
    /// (which may return the other records it changed).
    static func step(_ id: Incident.ID, _ c: DecisionContext, _ source: some RecordSource,
                     _ work: (inout Incident) throws(CommandRejection) -> [RecordChange]) throws(CommandRejection) -> [RecordChange] {
        var incident = try c.found(source.incident(id), .incident, id.rawValue)
        try c.check(incident)
        let before = incident
        let others = try work(&incident)
        return [RecordChange(.incident(incident), before: .incident(before))] + others
    }

    /// A disposition code that exists, is for this step and fits the incident's desk.
    static func checkDisposition(_ code: String, _ use: Disposition.Use, _ incident: Incident,
                                 _ source: some RecordSource) throws(CommandRejection) {
        let all = source.reference.dispositions
        guard let disposition = all[code] else { throw CommandRejection(.unknownCode(kind: .disposition, value: code)) }
        guard disposition.fits(use, incident.agency) else {
            let fitting = all.values.filter { $0.fits(use, incident.agency) }.map(\.code).sorted()
            throw CommandRejection(.wrongDisposition(code: code, use: use, agency: incident.agency, fitting: fitting))
        }
    }

    /// The units still working for the incident (sent, on the way, or there).
    static func committedUnits(of incident: Incident, _ source: some RecordSource) -> [ResponseUnit] {
        var seen: Set<String> = []
        return incident.unitIDs.compactMap { unitID in
            guard seen.insert(unitID).inserted, let unit = source.unit(.init(unitID)), unit.incidentID == incident.id,
                  unit.status.isCommitted else { return nil }
            return unit
        }
    }

    /// Lets go of `units` as the incident leaves the queue, each as its own record change and
    /// its own timeline line: one not yet there is released, one on scene clears.
    static func releaseUnits(_ units: [ResponseUnit], of incident: inout Incident,
                             _ c: DecisionContext) throws(CommandRejection) -> [RecordChange] {
        var changes: [RecordChange] = []
        for var unit in units {
            let before = unit
            let onScene = unit.status == .onScene
            try c.step { () throws(TransitionError) in try unit.apply(onScene ? .clear : .release, at: c.now) }
            try c.step(&incident, onScene ? .unitCleared(unit.id) : .unitReleased(unit.id))
            changes.append(RecordChange(.unit(unit), before: .unit(before)))
        }
        return changes
    }
}

/// 热线: 12345 tickets, from intake through the department's work to the callback.
enum HotlineDecider {
    static func decide(_ command: Command, _ c: DecisionContext, _ source: some RecordSource) throws(CommandRejection) -> [RecordChange] {
        if case .escalateTicket(let id, let code, let priority) = command {
            var ticket = try c.found(source.ticket(id), .ticket, id.rawValue)
            try c.check(ticket.id, version: ticket.version)
            let before = ticket
            guard let type = source.reference.incidentTypes[code] else { throw CommandRejection(.unknownCode(kind: .incidentType, value: code)) }
            guard let district = source.reference.districts[ticket.district] else {
                throw CommandRejection(.unknownCode(kind: .district, value: ticket.district))
            }
            let story = String("12345 转来 \(ticket.id)：\(ticket.summary)\(ticket.detail.isEmpty ? "" : "。\(ticket.detail)")".unicodeScalars.prefix(2000))
            var incident = Incident.received(
                id: source.nextID(.incident, on: LocalDate(c.now)), agency: type.agency, typeCode: type.code,
                priority: priority ?? type.priority, district: ticket.district, address: ticket.address,
                location: source.reference.streets?.locate(ticket.address) ?? district.location,
                callerName: ticket.callerName, callerPhone: ticket.callerPhone, narrative: story, by: c.user.username, at: c.now)
            try c.step(&incident, .escalatedFrom(ticket: ticket.id))
            try c.step { () throws(TransitionError) in try ticket.apply(.escalate(incident: incident.id), by: c.user.username, at: c.now) }
            return [RecordChange(.ticket(ticket), before: .ticket(before)), RecordChange(.incident(incident), before: nil)]
        }
        if case .createTicket(let new) = command {
            guard let category = source.reference.ticketCategories[new.category] else {
                throw CommandRejection(.unknownCode(kind: .ticketCategory, value: new.category))
            }
            guard source.reference.districts[new.district] != nil else {
                throw CommandRejection(.unknownCode(kind: .district, value: new.district))
            }
            let (deadline, provisional) = category.serviceLevel.reckonDeadline(from: c.now, calendar: source.reference.calendar)
            let ticket = Ticket.registered(id: source.nextID(.ticket, on: LocalDate(c.now)), category: category.code, district: new.district,
                                           address: new.address, summary: new.summary, detail: new.detail, callerName: new.caller,
                                           callerPhone: new.phone, createdAt: c.now, deadlineAt: deadline, deadlineProvisional: provisional,
                                           by: c.user.username)
            return [RecordChange(.ticket(ticket), before: nil)]
        }
        let id: Ticket.ID
        switch command {
        case .transferTicket(let t, _), .acceptTicket(let t), .returnTicket(let t, _), .replyTicket(let t, _),
             .recordCallback(let t, _), .noteTicket(let t, _, _):
            id = t
        default:
            preconditionFailure("\(command.name) is not a hotline command")
        }
        var ticket = try c.found(source.ticket(id), .ticket, id.rawValue)
        try c.check(ticket)
        let before = ticket
        let event: Ticket.Event
        switch command {
        case .transferTicket(_, let department):
            guard let target = source.reference.departments[department] else {
                throw CommandRejection(.unknownCode(kind: .department, value: department))
            }
            guard target.handlesTickets else { throw CommandRejection(.notTicketDepartment(department: department)) }
            event = .assign(department: department)
        case .recordCallback(_, let satisfied):
            event = .callback(satisfied: satisfied)
        case .noteTicket(_, let text, let isInternal):
            // The hotline notes any ticket; staff only their department's.
            guard c.user.role != .staff || ticket.department == c.user.department else {
                throw CommandRejection(.otherDepartment(id: ticket.id, department: ticket.department, yours: c.user.department))
            }
            event = .note(text: text, isInternal: isInternal)
        default:
            // Accepting, returning and replying are the department's own work.
            guard ticket.department == c.user.department else {
                throw CommandRejection(.otherDepartment(id: ticket.id, department: ticket.department, yours: c.user.department))
            }
            event = switch command {
            case .returnTicket(_, let reason): .sendBack(reason: reason)
            case .replyTicket(_, let text): .reply(text: text)
            default: .accept
            }
        }
        try c.step { () throws(TransitionError) in try ticket.apply(event, by: c.user.username, at: c.now) }
        return [RecordChange(.ticket(ticket), before: .ticket(before))]
    }
}

/// 审批: one-stop approval cases and each department's sign-off.
enum ApprovalDecider {
    static func decide(_ command: Command, _ c: DecisionContext, _ source: some RecordSource) throws(CommandRejection) -> [RecordChange] {
        switch command {
        case .createApproval(let code, let applicant, let phone):
            guard let item = source.reference.approvalItems[code] else {
                throw CommandRejection(.unknownCode(kind: .approvalItem, value: code))
            }
            guard item.leadDepartment == c.user.department else {
                throw CommandRejection(.otherDepartment(id: item.code, department: item.leadDepartment, yours: c.user.department))
            }
            let accepted = LocalDate(c.now)
            let deadline = source.reference.calendar.reckonDeadline(workingDays: item.statutoryDays, after: accepted)
            let approval = ApprovalCase(id: source.nextID(.approval, on: accepted), itemCode: item.code, itemName: item.name,
                                        type: item.type, applicant: applicant, applicantPhone: phone,
                                        steps: ([item.leadDepartment] + item.cosigningDepartments).map { ApprovalStep(department: $0) },
                                        acceptedOn: accepted, deadline: deadline.value, deadlineProvisional: deadline.provisional,
                                        updatedAt: c.now)
            return [RecordChange(.approval(approval), before: nil)]
        case .startReview(let id):
            var approval = try c.found(source.approval(id), .approval, id.rawValue)
            try c.check(approval.id, version: approval.version)
            let before = approval
            guard let lead = approval.steps.first?.department, lead == c.user.department else {
                throw CommandRejection(.otherDepartment(id: approval.id, department: approval.steps.first?.department,
                                                        yours: c.user.department))
            }
            try c.step { () throws(TransitionError) in try approval.apply(.startReview, at: c.now) }
            return [RecordChange(.approval(approval), before: .approval(before))]
        case .signOff(let id, let department, let approve, let opinion):
            var approval = try c.found(source.approval(id), .approval, id.rawValue)
            try c.check(approval.id, version: approval.version)
            let before = approval
            let department = department ?? c.user.department
            guard department == c.user.department else {
                throw CommandRejection(.otherDepartment(id: approval.id, department: department, yours: c.user.department))
            }
            try c.step { () throws(TransitionError) in
                try approval.apply(.signOff(department: department, approve: approve, opinion: opinion), at: c.now)
            }
            return [RecordChange(.approval(approval), before: .approval(before))]
        default:
            preconditionFailure("\(command.name) is not an approval command")
        }
    }
}
