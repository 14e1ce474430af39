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
        case .createIncident, .dispatch, .resolveIncident, .closeIncident, .cancelIncident, .updateUnitStatus:
            return try DispatchDecider.decide(command, context, source)
        case .createTicket, .transferTicket, .acceptTicket, .returnTicket, .replyTicket, .recordCallback:
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

    func step(_ work: () throws(TransitionError) -> Void) throws(CommandRejection) {
        do { try work() } catch { throw CommandRejection(error) }
    }

    func found<R>(_ record: R?, _ kind: EntityKind, _ id: String) throws(CommandRejection) -> R {
        guard let record else { throw CommandRejection(.notFound(entity: kind, id: id)) }
        return record
    }
}

/// 调度: incidents and the units sent to them.
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
            let incident = Incident(id: source.nextID(.incident, on: LocalDate(c.now)), agency: type.agency, typeCode: type.code,
                                    priority: new.priority ?? type.priority, district: district.code, address: new.address,
                                    location: new.location ?? source.reference.streets?.locate(new.address) ?? district.location,
                                    callerName: new.caller, callerPhone: new.phone,
                                    narrative: new.narrative, confidential: new.confidential, createdAt: c.now)
            return [RecordChange(.incident(incident), before: nil)]
        case .dispatch(let incidentID, let unitIDs):
            var incident = try c.found(source.incident(incidentID), .incident, incidentID.rawValue)
            try c.check(incident.id, version: incident.version)
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
            try c.step { () throws(TransitionError) in try incident.apply(.dispatch(unitIDs: unitIDs.map(\.rawValue)), at: c.now) }
            return [RecordChange(.incident(incident), before: .incident(before))] + changes
        case .resolveIncident(let id), .closeIncident(let id), .cancelIncident(let id, _):
            var incident = try c.found(source.incident(id), .incident, id.rawValue)
            try c.check(incident.id, version: incident.version)
            let before = incident
            let event: Incident.Event = switch command {
            case .resolveIncident: .resolve
            case .closeIncident: .close
            default: .cancel
            }
            try c.step { () throws(TransitionError) in try incident.apply(event, at: c.now) }
            let released = event == .resolve ? [] : try releaseUnits(of: incident, c, source)
            return [RecordChange(.incident(incident), before: .incident(before))] + released
        case .updateUnitStatus(let unitID, let step):
            var unit = try c.found(source.unit(unitID), .unit, unitID.rawValue)
            try c.check(unit.id, version: unit.version)
            let before = unit
            let incidentID = unit.incidentID
            try c.step { () throws(TransitionError) in try unit.apply(step.event, at: c.now) }
            var changes = [RecordChange(.unit(unit), before: .unit(before))]
            // The first unit to arrive puts its incident on scene.
            if step == .arrive, let incidentID, var incident = source.incident(.init(incidentID)), incident.status == .dispatched {
                let was = incident
                try c.step { () throws(TransitionError) in try incident.apply(.arrive, at: c.now) }
                changes.append(RecordChange(.incident(incident), before: .incident(was)))
            }
            return changes
        default:
            preconditionFailure("\(command.name) is not a dispatch command")
        }
    }

    /// An incident that leaves the queue (closed, cancelled) lets go of every unit still committed
    /// to it, each as its own record change: one not yet there is released, one on scene clears.
    static func releaseUnits(of incident: Incident, _ c: DecisionContext,
                             _ source: some RecordSource) throws(CommandRejection) -> [RecordChange] {
        var seen: Set<String> = []
        var changes: [RecordChange] = []
        for unitID in incident.unitIDs where seen.insert(unitID).inserted {
            guard var unit = source.unit(.init(unitID)), unit.incidentID == incident.id else { continue }
            let before = unit
            let event: ResponseUnit.Event
            switch unit.status {
            case .dispatched, .enRoute: event = .release
            case .onScene: event = .clear
            case .available, .returning, .outOfService: continue
            }
            try c.step { () throws(TransitionError) in try unit.apply(event, at: c.now) }
            changes.append(RecordChange(.unit(unit), before: .unit(before)))
        }
        return changes
    }
}

/// 热线: 12345 tickets, from intake through the department's work to the callback.
enum HotlineDecider {
    static func decide(_ command: Command, _ c: DecisionContext, _ source: some RecordSource) throws(CommandRejection) -> [RecordChange] {
        if case .createTicket(let new) = command {
            guard let category = source.reference.ticketCategories[new.category] else {
                throw CommandRejection(.unknownCode(kind: .ticketCategory, value: new.category))
            }
            guard source.reference.districts[new.district] != nil else {
                throw CommandRejection(.unknownCode(kind: .district, value: new.district))
            }
            let (deadline, provisional) = category.serviceLevel.reckonDeadline(from: c.now, calendar: source.reference.calendar)
            let ticket = Ticket(id: source.nextID(.ticket, on: LocalDate(c.now)), category: category.code, district: new.district,
                                address: new.address, summary: new.summary, detail: new.detail, callerName: new.caller,
                                callerPhone: new.phone, createdAt: c.now, deadlineAt: deadline, deadlineProvisional: provisional)
            return [RecordChange(.ticket(ticket), before: nil)]
        }
        let id: Ticket.ID
        switch command {
        case .transferTicket(let t, _), .acceptTicket(let t), .returnTicket(let t, _), .replyTicket(let t, _),
             .recordCallback(let t, _):
            id = t
        default:
            preconditionFailure("\(command.name) is not a hotline command")
        }
        var ticket = try c.found(source.ticket(id), .ticket, id.rawValue)
        try c.check(ticket.id, version: ticket.version)
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
        try c.step { () throws(TransitionError) in try ticket.apply(event, at: c.now) }
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
