import FenghuoDomain
import FenghuoProtocol

/// Outcomes that name their object: a settled command is said with its record (a create's
/// new id), whoever sent it, and `g` goes to that record.
extension ConsoleModel {
    /// What a command not sent from here is called: `关闭 J20261202-0138`, `新建警情`.
    func outcomeLabel(_ name: Command.Name?, _ record: String?) -> String {
        let title = context.strings.commandTitle(name)
        // A create's record is its outcome, said after it (新建警情 → 已生效 新建警情 J…).
        guard let record, let name, name.spec.target != nil else { return title }
        return "\(title) \(record)"
    }

    /// Settles `id` in the queue; its record becomes the one `g` goes to.
    mutating func settle(_ id: Int64, _ state: CommandQueue.Entry.State, _ subject: CommandSubject?) -> CommandQueue.Entry {
        if queue.entry(id)?.state ?? .queued == .queued { sinceStatus.settled += 1 }
        let model = self
        let entry = queue.settle(id, state, subject: subject, at: context.now) { model.outcomeLabel($0, $1) }
        if let name = entry.command, let ref = RecordRef(command: name, id: entry.record) { lastOutcome = ref }
        return entry
    }

    /// Counts a command first seen queued (the agent tells its queuer and its subscribers).
    mutating func noteQueued(_ id: Int64) {
        if queue.entry(id) == nil { sinceStatus.queued += 1 }
    }

    /// `g`: the record of the last outcome, in its pane, selected and open.
    mutating func goToLastOutcome() -> [ConsoleEffect] {
        guard let ref = lastOutcome else {
            show(context.strings.noOutcomeYet, error: false)
            return []
        }
        return [.load(.record(ref, .open))]
    }

    /// The record `g` asked for, as the replica holds it now.
    mutating func open(_ found: Target?, _ ref: RecordRef) -> [ConsoleEffect] {
        let s = context.strings
        guard let found else {
            show(s.notInReplica(ref.id), error: true)
            return []
        }
        guard found.isOpen else {
            show(s.notInQueue(ref.id, state: found.state(s)), error: false)
            return []
        }
        active = ref.pane
        mode = .normal
        switch found {
        case .incident(let i): return dispatch.open(i)
        case .ticket(let t): return hotline.open(t)
        case .approval(let a): return approvals.open(a)
        }
    }
}

extension Strings {
    /// `已生效 关闭 J…-0138`, `已生效 新建警情 J…-0141`: the record is said once.
    func appliedOutcome(_ label: String, record: String?) -> String {
        let what = record.map { label.contains($0) ? label : "\(label) \($0)" } ?? label
        return language == .zh ? "已生效 \(what)" : "applied: \(what)"
    }

    /// Refused by central (`被中心拒绝 #3 撤销 J…：…`), or by the agent before queueing (id 0).
    func rejectedOutcome(_ label: String, id: Int64, reason: String) -> String {
        if id == 0 { return language == .zh ? "未排队：\(reason)" : "not queued: \(reason)" }
        return language == .zh ? "被中心拒绝 #\(id) \(label)：\(reason)" : "central rejected #\(id) \(label): \(reason)"
    }

    var noOutcomeYet: String {
        language == .zh ? "还没有已生效或被拒绝的命令（g 转到最近一条命令的记录）" : "no command has come back yet (g goes to the last outcome's record)"
    }

    func notInReplica(_ id: String) -> String {
        language == .zh ? "\(id) 不在本机数据中（可能不在你的范围内）" : "\(id) is not in this console's data (outside your scope?)"
    }

    func notInQueue(_ id: String, state: String) -> String {
        language == .zh ? "\(id) 现为“\(state)”，已不在队列中" : "\(id) is \(state) now: no longer in the queue"
    }
}
