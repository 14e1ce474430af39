import FenghuoDomain

/// `w`: the queue shows only the incidents still waiting for a unit (待派), on top of any filter.
extension DispatchPane {
    static let waitingRestriction = ColumnFilter(statuses: [IncidentStatus.new.rawValue])

    public var waitingOnly: Bool { queue.restriction == Self.waitingRestriction }

    mutating func toggleWaitingOnly() -> [ConsoleEffect] {
        queue.restriction = waitingOnly ? ColumnFilter() : Self.waitingRestriction
        focusQueue()
        return [.load(.list(queue.reloadQuery))]
    }
}
