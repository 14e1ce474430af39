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
    mutating func announceUrgent() {
        guard !dispatch.arrivedUrgent.isEmpty else { return }
        let arrived = dispatch.arrivedUrgent
        dispatch.arrivedUrgent = []
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
