import FenghuoDomain
import FenghuoTUI

extension ConsoleModel {
    /// The mark a queued command puts on its record's row: `⇡` in the list's left border (a
    /// gutter, so no column gives way), from when it is queued until central settles it.
    public static let queuedMark = "⇡"

    /// Marks the visible rows of the active list that a waiting command acts on.
    func renderQueuedMarks(into buffer: inout Buffer) {
        guard agentConnected, !queue.waiting.isEmpty else { return }
        let ids: [String], area: Rect
        switch active {
        case .dispatch:
            guard !dispatch.showingDetail else { return }
            (ids, area) = (dispatch.queue.rows.map(\.id), DispatchPane.split(bodyArea).queue)
        case .hotline:
            guard !hotline.expanded else { return }
            (ids, area) = (hotline.queue.rows.map(\.id), HotlinePane.split(bodyArea).queue)
        case .approvals:
            guard !approvals.showingDetail else { return }
            (ids, area) = (approvals.queue.rows.map(\.id), bodyArea)
        case .dashboard:
            return
        }
        let inner = Block.inner(area)
        for (i, id) in ids.prefix(Table.visibleRows(in: inner)).enumerated() where queue.isWaiting(on: id) {
            buffer.write(Self.queuedMark, x: area.x, y: inner.y + 1 + i, style: context.theme[.warning], clip: area)
        }
    }
}
