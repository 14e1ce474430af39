import FenghuoDomain

extension ConsoleModel {
    /// `D` inside an incident: the recommended units, as the user left them, go out as one
    /// `assign`, through the same checks as the typed verb (role, pinned record, queue).
    mutating func dispatchRecommended() -> [ConsoleEffect] {
        guard let incident = dispatch.queue.selectedRow, let advice = dispatch.advice.recommendation,
              advice.incidentID == incident.id, !dispatch.advice.showBoard else {
            show(context.strings.adviceNothingToSend, error: true)
            return []
        }
        let units = advice.unitIDs
        guard !units.isEmpty else {
            show(context.strings.adviceNothingToSend, error: true)
            return []
        }
        return writeEffects("assign", [units.joined(separator: ",")], target: .incident(incident))
    }

    /// `d` on the unit board: the selected unit to the selected incident, as `:assign UNIT`.
    mutating func dispatchSelectedUnit() -> [ConsoleEffect] {
        guard dispatch.units.indices.contains(dispatch.boardSelected), let incident = dispatch.queue.selectedRow else {
            show(context.strings(.noIncidentSelected), error: true)
            return []
        }
        return writeEffects("assign", [dispatch.units[dispatch.boardSelected].id], target: .incident(incident))
    }

    /// A new P1 call rings the bell and takes the status line (for the roles that read incidents).
    /// A call is held one second first: one this console created itself is named by the agent's
    /// answer meanwhile, and is not announced over that answer.
    mutating func announceUrgent() {
        guard !dispatch.arrivedUrgent.isEmpty else { return }
        let own = Set(queue.entries.filter { $0.command == .createIncident }.compactMap(\.record))
        dispatch.arrivedUrgent.removeAll { own.contains($0.incident.id) }
        let now = context.now
        dispatch.arrivedUrgent = dispatch.arrivedUrgent.map { ($0.incident, $0.seen ?? now) }
        let due = dispatch.arrivedUrgent.filter { now.timeIntervalSince($0.seen ?? now) >= 1 }
        guard !due.isEmpty else { return }
        dispatch.arrivedUrgent.removeAll { call in due.contains { $0.incident.id == call.incident.id } }
        let arrived = due.map(\.incident)
        guard context.mayRead(.incident) else { return }
        bells += 1
        let s = context.strings
        let named = arrived.map { "\($0.id) \(context.incidentTypeName($0.typeCode)) \(context.districtName($0.district))" }
        show(s.urgentArrived(named.joined(separator: s.language == .zh ? "；" : "; ")), error: true, seconds: 15)
    }
}

extension Strings {
    func urgentArrived(_ what: String) -> String { language == .zh ? "新特急警情：\(what)" : "New P1 call: \(what)" }
}
