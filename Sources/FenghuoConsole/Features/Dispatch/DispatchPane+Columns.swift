import FenghuoDomain
import FenghuoTUI

/// The dispatch queue's columns and how they give way (`Table.Column`): the number, priority,
/// type and status stay; the address stays from 80 columns up (it begins with the district, so
/// the district column is the first to go, then the time in state, then the time since the call:
/// the caller's wait is the clock a dispatcher answers for); at a wide screen the address and
/// the type take the room.
extension DispatchPane {
    static func columns(_ c: ConsoleContext) -> [Table.Column] {
        let s = c.strings
        let zh = c.isChinese
        return [
            Table.Column(s(.colPriority), width: zh ? 4 : 2, priority: 90),
            Table.Column(s(.colNumber), width: 14, priority: 100),
            Table.Column(s(.colType), min: 8, ideal: zh ? 8 : 12, max: zh ? 12 : 30, priority: 80, grow: 1),
            Table.Column(s(.colDistrict), width: zh ? 6 : 8, priority: 30),
            Table.Column(s(.colStatus), width: zh ? 6 : 7, priority: 70),  // 处置中 / working
            Table.Column(s(.colSinceCall), short: s(.colSinceCallShort), min: 7, ideal: 8, priority: 50, alignRight: true),
            Table.Column(s(.colSince), short: s(.colSinceShort), min: 7, ideal: 8, priority: 40, alignRight: true),
            Table.Column(s(.colAddress), min: 12, ideal: 26, priority: 60, grow: 4),
        ]
    }

    func row(_ i: Incident, _ c: ConsoleContext) -> Table.Row {
        let s = c.strings
        return Table.Row(cells: [
            Table.Cell(s.priority(i.priority), c.priorityStyle(i.priority)),
            Table.Cell(i.id),
            Table.Cell(forms: c.incidentTypeForms(i.typeCode)),
            Table.Cell(c.districtName(i.district)),
            Table.Cell(s.status(i.status), statusStyle(i.status, c)),
            Table.Cell(c.format.elapsed(since: i.createdAt, now: c.now)),
            Table.Cell(c.format.elapsed(since: i.statusChangedAt, now: c.now), timerStyle(i, c)),
            Table.Cell(i.address, c.theme[.muted]),
        ])
    }

    /// The queue and the unit board side by side: the queue first reaches 80 columns (its
    /// address column's ideal), then the board 40; beyond that they share 2:1 until the board
    /// is wide enough for the longest unit name with its incident (`P-BH-01 到场  →0289 …`).
    static func split(_ body: Rect) -> (queue: Rect, board: Rect) {
        let widths = Table.widths([Table.Column("", min: 50, ideal: 80, priority: 2, grow: 2),
                                   Table.Column("", min: 28, ideal: 40, max: 52, priority: 1, grow: 1)],
                                  in: body.width, spacing: 0)
        let queue = Rect(x: body.x, y: body.y, width: widths[0], height: body.height)
        return (queue, Rect(x: queue.maxX, y: body.y, width: body.width - widths[0], height: body.height))
    }
}
