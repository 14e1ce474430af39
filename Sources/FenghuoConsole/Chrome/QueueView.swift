import FenghuoDomain
import FenghuoTUI

/// `Q` and `:queue`: the commands waiting for central and the ones lately settled, each with
/// when it was queued, what it is, its record, its state and central's answer (in the
/// console's words); Enter opens a row's record. Quitting with commands waiting asks first.
extension ConsoleModel {
    /// Commands the agent holds for central: its count at its last status (it includes ones
    /// queued before this console started), moved on by what was queued and settled since
    /// (the agent tells every one), and never fewer than this console has seen waiting.
    var waitingCount: Int {
        max(queue.waiting.count, (sync?.outbox ?? 0) + sinceStatus.queued - sinceStatus.settled)
    }

    mutating func openQueue() {
        flash = nil
        mode = .queue(max(0, queue.entries.count - 1))
    }

    /// `q` or `:quit`: at once, unless commands wait for central; then the user is told they
    /// are kept (the outbox is on disk) and sent next time, and asked.
    mutating func requestQuit() {
        let waiting = agentConnected ? waitingCount : 0
        if waiting > 0 {
            mode = .quitting(waiting)
        } else {
            isFinished = true
        }
    }

    mutating func handleQueue(_ key: Key, _ row: Int) -> [ConsoleEffect] {
        let last = max(0, queue.entries.count - 1)
        if keyMap.back.matches(key) || keyMap.queue.matches(key) || key == .char("q") {
            mode = .normal
        } else if keyMap.up.matches(key) {
            mode = .queue(max(0, row - 1))
        } else if keyMap.down.matches(key) {
            mode = .queue(min(last, row + 1))
        } else if keyMap.top.matches(key) {
            mode = .queue(0)
        } else if keyMap.bottom.matches(key) {
            mode = .queue(last)
        } else if keyMap.open.matches(key), queue.entries.indices.contains(row) {
            let entry = queue.entries[row]
            mode = .normal
            guard let name = entry.command, let ref = RecordRef(command: name, id: entry.record) else {
                show(context.strings.noRecordYet(entry.label), error: false)
                return []
            }
            return [.load(.record(ref, .open))]
        }
        return []
    }

    /// The queue over the body: a table of the entries, newest last, and what else waits.
    func renderQueue(selected: Int, into buffer: inout Buffer) {
        let c = context
        let s = c.strings
        let body = bodyArea
        let width = min(110, body.width - 2)
        let earlier = max(0, waitingCount - queue.waiting.count)
        let notes = (earlier > 0 ? 1 : 0) + 1
        let height = min(body.height, max(8, queue.entries.count + 4 + notes))
        let box = Rect(x: body.x + (body.width - width) / 2, y: body.y + max(0, (body.height - height) / 2),
                       width: width, height: height)
        buffer.fill(box, style: c.theme[.base])
        let inner = c.panel(s.queueTitle(waiting: waitingCount), right: s.queueKeys, focused: true, in: box, into: &buffer)
        let tableArea = Rect(x: inner.x, y: inner.y, width: inner.width, height: max(0, inner.height - notes))
        let columns = [
            Table.Column(s.queueColumnTime, .length(8)),
            Table.Column(s.queueColumnCommand, .length(c.isChinese ? 16 : 24)),
            Table.Column(s.queueColumnRecord, .length(14)),
            Table.Column(s.queueColumnState, .length(c.isChinese ? 6 : 9)),
            Table.Column(s.queueColumnAnswer, .fill(1)),
        ]
        let rows = queue.entries.map { e -> Table.Row in
            let (state, answer, style): (String, String, Style) = switch e.state {
            case .queued: (s.queueStateWaiting, s.queueWaitingAnswer, c.theme[.warning])
            case .applied: (s.queueStateApplied, e.command?.spec.target == nil ? s.queueCreated(e.record) : "—", c.theme[.ok])
            case .rejected(let r): (s.queueStateRejected, s.rejection(r, directory: c.directory), c.theme[.danger])
            }
            let title = s.commandTitle(e.command) + (e.mine ? "" : s.queueElsewhere)
            // The time of day: the queue holds this session's commands.
            return Table.Row([Span(String(c.format.clock(e.queuedAt).suffix(8))), Span(title), Span(e.record ?? "—"), Span(state, style),
                              Span(answer, e.state == .queued ? c.theme[.muted] : style)])
        }
        // Keep the selected row in view: the newest rows when the list is longer than the box.
        let fit = max(1, Table.visibleRows(in: tableArea))
        let first = max(0, min(selected - fit + 1, rows.count - fit))
        Table(columns: columns, rows: Array(rows.dropFirst(first)), selected: rows.isEmpty ? nil : selected - first,
              focused: true, emptyText: s.queueEmpty).render(in: tableArea, into: &buffer, theme: c.theme)
        var y = tableArea.maxY
        if earlier > 0 {
            buffer.write(s.queueEarlier(earlier).truncated(toWidth: inner.width), x: inner.x, y: y, style: c.theme[.warning], clip: inner)
            y += 1
        }
        buffer.write(s.queueNote.truncated(toWidth: inner.width), x: inner.x, y: y, style: c.theme[.muted], clip: inner)
    }
}

extension Strings {
    private var zh: Bool { language == .zh }
    func queueTitle(waiting: Int) -> String { zh ? "命令队列 · 待发 \(waiting)" : "Command queue · \(waiting) waiting" }
    var queueKeys: String { zh ? "↑↓ 选择  Enter 打开记录  Esc 关闭" : "↑↓ select  Enter opens the record  Esc closes" }
    var queueColumnTime: String { zh ? "排队时间" : "Queued" }
    var queueColumnCommand: String { zh ? "命令" : "Command" }
    var queueColumnRecord: String { zh ? "对象" : "Record" }
    var queueColumnState: String { zh ? "状态" : "State" }
    var queueColumnAnswer: String { zh ? "中心答复" : "Central's answer" }
    var queueStateWaiting: String { zh ? "待发" : "waiting" }
    var queueStateApplied: String { zh ? "已生效" : "applied" }
    var queueStateRejected: String { zh ? "被拒绝" : "rejected" }
    var queueWaitingAnswer: String { zh ? "等待中心确认" : "waiting for central" }
    func queueCreated(_ id: String?) -> String { zh ? "新记录 \(id ?? "（编号未知）")" : "new record \(id ?? "(id not known)")" }
    var queueElsewhere: String { zh ? "（他处）" : " (elsewhere)" }
    var queueEmpty: String { zh ? "（本次运行还没有命令）" : "(no commands this session)" }
    func queueEarlier(_ n: Int) -> String {
        zh ? "另有 \(n) 条命令在本次运行之前已排队（上次运行或其他客户端），将按序发送"
            : "\(n) more were queued before this session (an earlier run or another client); they are sent in order"
    }
    var queueNote: String {
        zh ? "⇡ 标出列表中有待发命令的记录；待发的命令保存在本机，断线或退出后仍在，连上中心时按序发送"
            : "⇡ marks a row with a command waiting; waiting commands are kept on disk through outages and restarts, and sent in order"
    }
    func noRecordYet(_ label: String) -> String {
        zh ? "\(label) 还没有记录编号（中心尚未答复）" : "\(label) has no record id yet (central has not answered)"
    }

    /// Quitting with commands queued.
    func quitWithQueued(_ n: Int) -> String {
        zh ? "还有 \(n) 条命令待发：已保存在本机，下次启动时自动发送。仍要退出？ y 退出，其他键留下"
            : "\(n) command\(n == 1 ? "" : "s") still waiting: kept on disk and sent next time. Quit anyway? y quits, any other key stays"
    }
}
