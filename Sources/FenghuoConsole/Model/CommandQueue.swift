import FenghuoDomain
import FenghuoProtocol
import Foundation

/// The commands this console has seen go into its agent's outbox, and how each came out:
/// the queue view (`Q`), the mark on a queued row, the outcome messages and `g` all read it.
/// Commands queued on the same agent by someone else (`fenghuo submit`, another console) are
/// in it too, from the agent's notices, and so are the ones still waiting from before this
/// console started (the agent tells a new subscriber of each, with when it was queued).
public struct CommandQueue: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public enum State: Sendable, Equatable {
            case queued, applied
            case rejected(CommandRejection)
        }

        /// The mutation id the agent queued it under.
        public let id: Int64
        /// What it is, in the console's language: `关闭 J20261202-0138`, `新建警情`.
        public var label: String
        public var command: Command.Name?
        /// The record it acts on; for a create, the new record once central has said its id.
        public var record: String?
        public var queuedAt: Date
        public var settledAt: Date?
        public var state: State
        /// Sent from this console (else by another client of the same agent).
        public var mine: Bool
    }

    /// Oldest first; settled ones beyond `settledKept` are forgotten.
    public private(set) var entries: [Entry] = []
    static let settledKept = 50

    public init() {}

    /// The entries still waiting for central.
    public var waiting: [Entry] { entries.filter { $0.state == .queued } }

    public func entry(_ id: Int64) -> Entry? { entries.first { $0.id == id } }

    /// Whether a queued command acts on record `id` (its row carries the mark).
    public func isWaiting(on id: String) -> Bool {
        entries.contains { $0.state == .queued && $0.record == id }
    }

    /// A command went into the outbox. A second notice for the same id (the agent tells its
    /// subscribers as well as the one who asked) only fills in what the first lacked.
    mutating func queued(_ entry: Entry) {
        if let i = entries.firstIndex(where: { $0.id == entry.id }) {
            if entry.mine {
                entries[i].label = entry.label
                entries[i].mine = true
            }
            entries[i].record = entries[i].record ?? entry.record
            entries[i].command = entries[i].command ?? entry.command
            return
        }
        entries.append(entry)
        entries.sort { $0.id < $1.id }
    }

    /// Central settled `id`; returns the entry as it stands now (made from the subject when
    /// this console had not seen it queued).
    mutating func settle(_ id: Int64, _ state: Entry.State, subject: CommandSubject?, at now: Date,
                         label: (Command.Name?, String?) -> String) -> Entry {
        let name = subject.flatMap { Command.Name(rawValue: $0.command) }
        let index: Int
        if let i = entries.firstIndex(where: { $0.id == id }) {
            index = i
        } else {
            entries.append(Entry(id: id, label: label(name, subject?.record), command: name, record: subject?.record,
                                 queuedAt: now, state: .queued, mine: false))
            entries.sort { $0.id < $1.id }
            index = entries.firstIndex { $0.id == id }!
        }
        entries[index].state = state
        entries[index].settledAt = now
        if let record = subject?.record { entries[index].record = record }
        let settled = entries[index]
        let old = entries.filter { $0.state != .queued }.count - Self.settledKept
        if old > 0 {
            var dropped = 0
            entries.removeAll { entry in
                guard dropped < old, entry.state != .queued else { return false }
                dropped += 1
                return true
            }
        }
        return settled
    }
}

extension Strings {
    /// A command by its declaration name, as the console calls it: 新建警情, 关闭, 会签.
    func commandTitle(_ name: Command.Name?) -> String {
        let zh = language == .zh
        guard let name else { return zh ? "命令" : "command" }
        switch name {
        case .createIncident: return zh ? "新建警情" : "new incident"
        case .createTicket: return zh ? "新建工单" : "new ticket"
        case .createApproval: return zh ? "受理审批" : "new case"
        case .startReview: return zh ? "启动审查" : "start review"
        case .signOff: return zh ? "会签" : "sign off"
        case .updateUnitStatus: return zh ? "力量状态" : "unit"
        case .moveUnit: return zh ? "力量位置" : "unit position"
        default:
            // A verb that sends it names it (关闭 / close).
            guard let verb = Verb.all.first(where: { $0.command == name }) else { return name.rawValue }
            return verb.title(language)
        }
    }
}
