import FenghuoDomain
import FenghuoTUI

/// A write on its way out: the verb and words typed, the record pinned when the `:` line
/// opened, and the checked command. `changed` says how the record moved on since it was
/// pinned, when it did (the write then waits for `y` whatever the verb).
struct PendingWrite: Sendable {
    let verb: String
    let words: [String]
    var target: Target?
    var request: CommandRequest
    var changed: String?
}

/// Pinned targets: what a verb acts on, checked again before it is sent, confirmed when it is
/// dangerous; and the rows that leave a list under the cursor, said out loud.
extension ConsoleModel {
    /// What a write is, in the prompt: the verb's name and its target's summary, else its label.
    func promptText(_ write: PendingWrite) -> String {
        guard let verb = Verb.named(write.verb), let target = write.target else { return write.request.label }
        let text = "\(verb.title(context.strings.language)) \(target.summary(context))"
        // A close takes the units still on the incident with it and lets go of the links to
        // parts still open: the question names them.
        if case .closeIncident(let id, let release, let unlink) = write.request.command, release || unlink {
            let input = dispatch.verbInput(words: [], target: write.target, today: LocalDate(context.now))
            guard case .incident(let incident)? = write.target, incident.id == id.rawValue else { return text }
            return text + (release ? context.strings.releasing(input.committedUnits(of: incident).map(\.id)) : "")
                + (unlink ? context.strings.unlinking(input.openParts(of: incident)) : "")
        }
        return text
    }

    /// The active pane's selected record, which the `:` line pins when it opens.
    var selectedTarget: Target? {
        switch active {
        case .dispatch: dispatch.queue.selectedRow.map(Target.incident)
        case .hotline: hotline.queue.selectedRow.map(Target.ticket)
        case .approvals: approvals.queue.selectedRow.map(Target.approval)
        case .dashboard: nil
        }
    }

    /// Sends the write, or asks first when its verb confirms or its target changed.
    mutating func confirmOrSend(_ write: PendingWrite) -> [ConsoleEffect] {
        if write.changed != nil || Verb.named(write.verb)?.confirms == true {
            mode = .confirm(write)
            return []
        }
        return [.submit(write.request)]
    }

    /// `y` sends the write waiting for it; any other key drops it, and says so.
    mutating func answer(_ key: Key, to write: PendingWrite) -> [ConsoleEffect] {
        if key == .char("y") || key == .char("Y") { return [.submit(write.request)] }
        show(context.strings.notSent(write.request.label), error: false)
        return []
    }

    /// A record read by itself: the check before a write, a departed row, or `g`.
    mutating func apply(record found: Target?, _ ref: RecordRef, for purpose: RecordPurpose) -> [ConsoleEffect] {
        switch purpose {
        case .verify: return verified(found, ref)
        case .departed(let next):
            departure = (ref.id, next)
            // The row left because of an outcome just said (this console's own close): say both.
            if let flash, !flash.isError, flash.text.contains(ref.id) {
                show(flash.text + context.strings.cursorMoved(to: next), error: false, seconds: 10)
            } else if let flash, flash.isError, flash.until > context.now {
                // A refusal just said stays: the user must read why their command did nothing;
                // the row's departure is visible in the list itself.
                show(flash.text + context.strings.cursorMoved(to: next), error: true, seconds: 10)
            } else {
                show(context.strings.departed(ref.id, now: found, next: next), error: false, seconds: 10)
            }
            return []
        case .open:
            return open(found, ref)
        }
    }

    /// The pinned record as the replica holds it now: sent as it was when unchanged; asked
    /// again, rebuilt on what it is now, when it changed; dropped when it is gone.
    private mutating func verified(_ found: Target?, _ ref: RecordRef) -> [ConsoleEffect] {
        guard var write = verifying, let pinned = write.target, pinned.ref == ref else { return [] }
        verifying = nil
        let s = context.strings
        // The user is typing elsewhere meanwhile (a form, a filter): nothing is sent behind their back.
        guard case .normal = mode else {
            show(s.notSent(write.request.label), error: true)
            return []
        }
        guard let found else {
            show(s.targetGone(ref.id, label: write.request.label), error: true)
            return []
        }
        guard found.version != pinned.version else { return confirmOrSend(write) }
        // An incident that only gained notes or unit reports meanwhile is as the user saw it:
        // the write goes on the version it has now, without asking (central judges it so too).
        if case .incident(let now) = found, !now.hasMovedOn(since: pinned.version),
           let verb = Verb.named(write.verb), let rebuilt = request(verb, write.words, target: found) {
            write.target = found
            write.request = rebuilt
            return confirmOrSend(write)
        }
        guard let verb = Verb.named(write.verb), let rebuilt = request(verb, write.words, target: found) else { return [] }
        write.changed = s.targetChanged(ref.id, from: pinned.state(s), to: found.state(s))
        write.target = found
        write.request = rebuilt
        mode = .confirm(write)
        return []
    }

    mutating func show(_ text: String, error: Bool, seconds: Double) {
        flash = (text, error, context.now.addingTimeInterval(seconds))
    }
}

extension Strings {
    /// Before a verb is typed, what the `:` line's record is called.
    var targetLabel: String { language == .zh ? "对象" : "on" }

    /// After a close's question: the units it releases.
    func releasing(_ units: [String]) -> String {
        guard !units.isEmpty else { return "" }
        return language == .zh ? "，一并释放 \(units.joined(separator: "、"))" : ", releasing \(units.joined(separator: ", "))"
    }

    /// After a close's question: the linked parts it lets go.
    func unlinking(_ parts: [String]) -> String {
        guard !parts.isEmpty else { return "" }
        return language == .zh ? "，解除与 \(parts.joined(separator: "、")) 的联动（对方继续处置）"
            : ", releasing the links to \(parts.joined(separator: ", ")) (they go on alone)"
    }

    func notSent(_ label: String) -> String {
        language == .zh ? "未发送：\(label)" : "not sent: \(label)"
    }

    func targetGone(_ id: String, label: String) -> String {
        language == .zh ? "\(id) 已不在本机数据中（可能已移出你的范围），未发送：\(label)"
            : "\(id) is no longer in this console's data (moved out of your scope?); not sent: \(label)"
    }

    func targetChanged(_ id: String, from: String, to: String) -> String {
        guard from != to else {
            return language == .zh ? "\(id) 刚被他人更新" : "\(id) was just changed by someone else"
        }
        return language == .zh ? "\(id) 刚被他人更新：\(from) → \(to)" : "\(id) was just changed by someone else: \(from) → \(to)"
    }

    /// The line asking for `y`: what is about to be sent (`关闭 J20261202-0138 火灾 …`), and
    /// how its record changed since the `:` line opened.
    func confirm(_ what: String, changed: String?) -> String {
        let zh = language == .zh
        if let changed {
            return zh ? "\(changed)。仍要\(what)？ y 发送，其他键取消" : "\(changed). Still \(what)? y sends, any other key cancels"
        }
        return zh ? "确认\(what)？ y 发送，其他键取消" : "\(what)? y sends, any other key cancels"
    }

    /// Where the cursor went when its row left: `，光标移到 J…-0025`.
    func cursorMoved(to next: String?) -> String {
        let zh = language == .zh
        return next.map { zh ? "，光标移到 \($0)" : "; the cursor moved to \($0)" } ?? (zh ? "，队列已空" : "; the queue is empty")
    }

    /// A selected row left its list: where the record went, and where the cursor is now.
    func departed(_ id: String, now found: Target?, next: String?) -> String {
        let zh = language == .zh
        let whereTo = cursorMoved(to: next)
        guard let found else {
            return (zh ? "\(id) 已不在本机数据中" : "\(id) is no longer in this console's data") + whereTo
        }
        let state = found.state(self)
        if found.isOpen {
            return (zh ? "\(id) 已移出当前队列（\(state)）" : "\(id) left this queue (\(state))") + whereTo
        }
        return (zh ? "\(id) " + (state.hasPrefix("已") ? state : "已" + state) : "\(id) is \(state) now") + whereTo
    }
}
