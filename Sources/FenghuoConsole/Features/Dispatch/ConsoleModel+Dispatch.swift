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
}
