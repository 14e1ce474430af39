import FenghuoDomain

/// `g` in each pane: the window moves to the record (the filter cleared, so it is in the
/// list), selects it, and opens its detail once it is there, never another row's.
extension DispatchPane {
    mutating func open(_ incident: Incident) -> [ConsoleEffect] {
        focusQueue()
        showingDetail = false
        opening = incident.id
        queue.filter = ""
        queue.restriction = ColumnFilter()  // waiting only (`w`) would hide a dispatched one
        return [.load(.list(queue.jump(to: incident))), .load(.units)]
    }

    mutating func arrived() {
        guard let id = opening else { return }
        opening = nil
        showingDetail = queue.selectedRow?.id == id
    }
}

extension HotlinePane {
    mutating func open(_ ticket: Ticket) -> [ConsoleEffect] {
        expanded = false
        opening = ticket.id
        queue.filter = ""
        return [.load(.list(queue.jump(to: ticket)))]
    }

    /// The detail read after the jump: open when it is the ticket asked for.
    mutating func arrived() {
        guard let id = opening, detail?.id == id, queue.selectedRow?.id == id else { return }
        opening = nil
        expanded = true
    }
}

extension ApprovalsPane {
    mutating func open(_ approval: ApprovalCase) -> [ConsoleEffect] {
        showingDetail = false
        opening = approval.id
        queue.filter = ""
        return [.load(.list(queue.jump(to: approval)))]
    }

    mutating func arrived() {
        guard let id = opening else { return }
        opening = nil
        showingDetail = queue.selectedRow?.id == id
    }
}
