import FenghuoDomain
import Foundation

/// Writes from the `:` line, and what the agent says about them.
extension ConsoleModel {
    /// Data older than this is marked stale (a quiet feed still answers every 25 s).
    static let staleAfter: TimeInterval = 90

    /// The command for a write verb, aimed at the record pinned when the `:` line opened; none,
    /// with a message saying why, when it cannot be built. Nothing unchecked is queued: the
    /// verb's words go through the command's declaration (catalog names become codes) first. A
    /// pinned record is read again before anything is sent (`verify`).
    mutating func writeEffects(_ verb: String, _ words: [String], target: Target?) -> [ConsoleEffect] {
        guard agentConnected else {
            show(context.strings(.agentDown) + context.colon + "fenghuo tui --data DIR", error: true)
            return []
        }
        guard let write = Verb.named(verb) else { return [] }
        if let name = write.command, refuseForbidden(name) { return [] }
        // A target pinned on another pane is not this verb's (the verb says where to select).
        let aimed = target.flatMap { $0.ref.pane == write.pane ? $0 : nil }
        guard let request = request(write, words, target: aimed) else { return [] }
        let pending = PendingWrite(verb: write.name, words: words, target: aimed, request: request)
        guard let aimed else { return confirmOrSend(pending) }
        verifying = pending
        return [.load(.record(aimed.ref, .verify))]
    }

    /// The checked command `write` makes of `words` on `target`; nil after saying why not.
    mutating func request(_ write: Verb, _ words: [String], target: Target?) -> CommandRequest? {
        let input = dispatch.verbInput(words: words, target: target, today: LocalDate(context.now))
        do throws(VerbError) {
            let built = try write.build(input)
            let command: Command
            do {
                command = try CommandInput.command(built.name.rawValue, built.pairs, catalog: context.directory)
            } catch {
                throw VerbError.rejected(error)
            }
            return CommandRequest(command, baseVersion: built.baseVersion,
                                  label: "\(write.title(context.strings.language)) \(built.label)")
        } catch {
            switch error {
            case .usage: show("\(context.strings(.usageLabel))\(context.colon)\(write.usage)", error: true)
            case .noSelection(let text): show(context.strings(text), error: true)
            case .rejected(let rejection): show(context.strings.rejection(rejection, directory: context.directory), error: true)
            }
            return nil
        }
    }

    /// `submit NAME key=value …`: any command, checked against its declaration before it is sent.
    mutating func submitEffects(_ words: [String]) -> [ConsoleEffect] {
        guard agentConnected else {
            show(context.strings(.agentDown) + context.colon + "fenghuo tui --data DIR", error: true)
            return []
        }
        guard let name = words.first else {
            show("\(context.strings(.usageLabel))\(context.colon)\(Verb.submitUsage)", error: true)
            return []
        }
        do {
            let command = try CommandInput.command(name, try CommandInput.pairs(Array(words.dropFirst())), catalog: context.directory)
            if refuseForbidden(command.name) { return [] }
            return [.submit(CommandRequest(command, label: outcomeLabel(command.name, command.target)))]
        } catch {
            show(context.strings.rejection(error, directory: context.directory), error: true)
            return []
        }
    }

    /// `help VERB` or `help COMMAND`: the usage, what it does, and for a command each argument
    /// with its kind and an example.
    func describe(_ topic: String) -> String? {
        let s = context.strings
        let zh = s.language == .zh
        if let verb = Verb.named(topic) {
            var text = "\(verb.usage) — \(s(verb.help))"
            if let command = verb.command { text += zh ? "（发送 \(command.rawValue)）" : " (sends \(command.rawValue))" }
            return text
        }
        guard let name = Command.Name(rawValue: topic) ?? Command.Name.allCases.first(where: { $0.rawValue.lowercased() == topic.lowercased() })
        else { return nil }
        let spec = name.spec
        let arguments = spec.arguments.map { a in
            "\(a.key)\(a.required ? "" : "?")=\(zh ? a.kind.label.zh : a.kind.label.en)"
        }.joined(separator: " ")
        let roles = spec.roles.sorted { $0.rawValue < $1.rawValue }.map { s.role($0) }.joined(separator: zh ? "、" : ", ")
        return zh
            ? "\(name.rawValue)：\(spec.summary.zh)（\(roles)）。参数：\(arguments)。例：submit \(spec.example)"
            : "\(name.rawValue): \(spec.summary.en) (\(roles)). Arguments: \(arguments). Example: submit \(spec.example)"
    }

    /// What the agent reports: sync state, command outcomes, replica changes.
    mutating func apply(_ notice: AgentNotice) -> [ConsoleEffect] {
        let s = context.strings
        switch notice {
        case .status(let status):
            let before = sync?.connection
            sync = status
            sinceStatus = (0, 0)
            // The role as central knows it now (the token file may predate a change, or be missing).
            if let known = status.role, known != role { role = known }
            agentReachable = true
            noteConnection(from: before)
        case .loginAnswered(let state):
            answerLogin(state)
        case .queued(let id, let label, let command):
            noteQueued(id)
            queue.queued(.init(id: id, label: label, command: command?.name, record: command?.target, queuedAt: context.now,
                               state: .queued, mine: true))
            show(s.queued(label, id: id), error: false)
        case .seenQueued(let id, let subject):
            let name = Command.Name(rawValue: subject.command)
            noteQueued(id)
            queue.queued(.init(id: id, label: outcomeLabel(name, subject.record), command: name, record: subject.record,
                               queuedAt: subject.queuedAt ?? context.now, state: .queued, mine: false))
        case .applied(let id, let subject):
            let entry = settle(id, .applied, subject)
            // A rejection still on screen is not covered by later good news.
            if !(flash?.isError ?? false) {
                // Its record left the list under the cursor just before: say where the cursor went too.
                let moved = departure.flatMap { d in entry.record == d.id ? s.cursorMoved(to: d.next) : nil } ?? ""
                show(s.appliedOutcome(entry.label, record: entry.record) + moved, error: false)
            }
            return refreshEffects(active)
        case .rejected(let id, let rejection, let subject):
            let reason = s.rejection(rejection, directory: context.directory)
            // Refused before it was queued: no id, nothing in the queue.
            let label = id == 0 ? "" : settle(id, .rejected(rejection), subject).label
            // A rejection stays on screen longer: the user has to act on it.
            flash = (s.rejectedOutcome(label, id: id, reason: reason), true, context.now.addingTimeInterval(20))
            return refreshEffects(active)
        case .changed:
            // A console opened on a replica still being filled reads the directory once it is there.
            let directory: [ConsoleEffect] = context.directory.districts.isEmpty ? [.load(.directory)] : []
            return directory + refreshEffects(active)
        case .disconnected:
            agentReachable = false
        case .notAnswering(let label):
            agentReachable = false
            show(s.notAnswering(label), error: true)
        }
        return []
    }

    /// Minutes since the last sync when that is past `staleAfter`; nil when fresh or local.
    var staleMinutes: Int? {
        guard agentConnected else { return nil }
        guard let last = sync?.dataAsOf else { return sync == nil ? nil : 0 }
        let age = context.now.timeIntervalSince(last)
        return age > Self.staleAfter ? Int(age / 60) : nil
    }
}
