import Foundation

public enum IncidentStatus: String, CaseIterable, Sendable, Codable {
    case new           // 待派: received, no unit yet
    case dispatched    // 已派: units named, none moving yet
    case enRoute = "en_route"  // 出动: a unit is on its way
    case onScene = "on_scene"  // 到场: a unit is there
    case working       // 处置中: the crews report work under way
    case resolved      // 已结束: the work is done (a disposition given); units may still be clearing
    case closed        // 已关闭: every unit released, the record complete
    case merged        // 合并: a second call about another incident, kept in that one
    case cancelled     // 撤销: false alarm, duplicate, caller withdrew (a disposition and a reason)

    public var isOpen: Bool { self != .closed && self != .cancelled && self != .merged }
}

public enum Priority: Int, CaseIterable, Sendable, Codable, Comparable {
    case critical = 1, high, normal, low
    public static func < (a: Priority, b: Priority) -> Bool { a.rawValue < b.rawValue }
}

/// One line of an incident's timeline (处警记录): what happened, when, and who reported it.
/// Each entry carries the incident's status and version it produced, so central can tell a
/// command based on an older version whether only notes and unit reports came since.
public struct TimelineEntry: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case created, dispatched, departed, arrived, cleared, released, working, resolved, closed, cancelled
        case merged      // this incident joined `ref`
        case absorbed    // incident `ref` joined this one (its caller and narrative in `text`)
        case transferred // unit `unit` came over from merged incident `ref`
        case note
        case linked      // this incident asked agency `text` to join: its part is incident `ref` (联动)
        case linkedFrom  // this incident is agency's part of incident `ref`
        case unlinked    // the link with incident `ref` was released (解除联动); each goes on alone
        case checked     // plan item `ref` (its seq) was seen done; `text`: the item as it read
        case reported    // reported to the 应急办 leader `ref` (上报); `text`: what was said
        case prioritized // priority set to `ref` (1–4)
        case casualties  // the casualty count is now `ref`
        case escalated   // made from 12345 ticket `ref`, an emergency after all (转警)
        case handedOff   // not an emergency: handed to 12345 as ticket `ref` (转 12345)
    }

    public let at: Date
    /// The user who did it or reported it.
    public let by: String
    public let kind: Kind
    /// The unit the step is about (dispatch, departure, arrival, release …).
    public let unit: String?
    /// A code or an id: the disposition of a resolve or cancel, the other incident of a merge.
    public let ref: String?
    /// Free text: a note, a cancel's reason, a merged call's caller and narrative.
    public let text: String?
    public let status: IncidentStatus
    public let version: Int

    public init(at: Date, by: String, kind: Kind, unit: String? = nil, ref: String? = nil, text: String? = nil,
                status: IncidentStatus, version: Int) {
        self.at = at
        self.by = by
        self.kind = kind
        self.unit = unit
        self.ref = ref
        self.text = text
        self.status = status
        self.version = version
    }

    enum CodingKeys: String, CodingKey {
        case at = "t", by, kind = "k", unit = "u", ref = "r", text = "x", status = "s", version = "v"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        at = Date(timeIntervalSince1970: TimeInterval(try c.decode(Int64.self, forKey: .at)))
        by = try c.decode(String.self, forKey: .by)
        kind = try c.decode(Kind.self, forKey: .kind)
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
        ref = try c.decodeIfPresent(String.self, forKey: .ref)
        text = try c.decodeIfPresent(String.self, forKey: .text)
        status = try c.decode(IncidentStatus.self, forKey: .status)
        version = try c.decode(Int.self, forKey: .version)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Int64(at.timeIntervalSince1970.rounded(.down)), forKey: .at)
        try c.encode(by, forKey: .by)
        try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(unit, forKey: .unit)
        try c.encodeIfPresent(ref, forKey: .ref)
        try c.encodeIfPresent(text, forKey: .text)
        try c.encode(status, forKey: .status)
        try c.encode(version, forKey: .version)
    }
}

public struct Incident: Hashable, Sendable, Codable {
    public enum Event: Hashable, Sendable {
        case dispatch(unitIDs: [String])
        /// A unit reports it is on its way: the first one puts the incident 出动.
        case unitDeparted(String)
        /// A unit reports it is there: the first one puts the incident 到场.
        case unitArrived(String)
        /// A unit left the scene (cleared) or was called off before it got there (released).
        case unitCleared(String)
        case unitReleased(String)
        case work
        case resolve(disposition: String)
        case close
        case cancel(disposition: String, reason: String)
        /// This incident is a second call about `into`.
        case merge(into: String)
        /// Incident `from`, a second call about this one, joins it with its caller and story.
        case absorb(from: String, call: String)
        /// A unit of a merged incident comes over to this one.
        case transfer(unit: String, from: String)
        case note(String)
        /// This incident asks another agency to join: `part` is that agency's incident.
        case link(part: String, agency: Agency)
        /// This incident is an agency's part of `primary`.
        case linkedFrom(primary: String)
        /// The link with `other` is released; both go on on their own.
        case unlink(other: String)
        /// Plan item `seq` is done (its text kept as it read).
        case check(seq: Int, text: String)
        /// Reported to the 应急办 leader `to`.
        case report(to: String, text: String)
        case prioritize(Priority)
        case casualties(Int)
        /// Made from a 12345 ticket that turned out to be an emergency.
        case escalatedFrom(ticket: String)
        /// Not an emergency: handed to 12345 as `ticket`; the incident ends (撤销, `handoff`).
        case handOff(ticket: String)

        public var name: String {
            switch self {
            case .dispatch: "dispatch"
            case .unitDeparted: "unit departs"
            case .unitArrived: "unit arrives"
            case .unitCleared: "unit clears"
            case .unitReleased: "unit is released"
            case .work: "start work"
            case .resolve: "resolve"
            case .close: "close"
            case .cancel: "cancel"
            case .merge: "merge"
            case .absorb: "absorb"
            case .transfer: "take over a unit"
            case .note: "note"
            case .link: "link"
            case .linkedFrom: "join as a linked part"
            case .unlink: "release a link"
            case .check: "check a plan item"
            case .report: "report"
            case .prioritize: "set priority"
            case .casualties: "count casualties"
            case .escalatedFrom: "take over a ticket"
            case .handOff: "hand over to 12345"
            }
        }
    }

    /// Entries a timeline holds at most; past `maxNotes` entries, notes are refused so the
    /// steps of the life cycle always have room.
    public static let maxTimeline = 400
    public static let maxNotes = 300

    public let id: String
    public var agency: Agency
    public var typeCode: String
    public var priority: Priority
    public var district: String
    public var address: String
    public var location: GeoPoint
    public var callerName: String
    public var callerPhone: String
    public var narrative: String
    public var confidential: Bool
    public var status: IncidentStatus
    public var unitIDs: [String]
    public var createdAt: Date
    public var statusChangedAt: Date
    public var version: Int
    /// Every step since the call, oldest first.
    public var timeline: [TimelineEntry]

    public init(id: String, agency: Agency, typeCode: String, priority: Priority, district: String,
                address: String, location: GeoPoint, callerName: String, callerPhone: String,
                narrative: String, confidential: Bool = false, status: IncidentStatus = .new,
                unitIDs: [String] = [], createdAt: Date, statusChangedAt: Date? = nil, version: Int = 1,
                timeline: [TimelineEntry] = []) {
        self.id = id
        self.agency = agency
        self.typeCode = typeCode
        self.priority = priority
        self.district = district
        self.address = address
        self.location = location
        self.callerName = callerName
        self.callerPhone = callerPhone
        self.narrative = narrative
        self.confidential = confidential
        self.status = status
        self.unitIDs = unitIDs
        self.createdAt = createdAt
        self.statusChangedAt = statusChangedAt ?? createdAt
        self.version = version
        self.timeline = timeline
    }

    /// A call just taken: version 1, its timeline opened by `by`.
    public static func received(id: String, agency: Agency, typeCode: String, priority: Priority, district: String,
                                address: String, location: GeoPoint, callerName: String, callerPhone: String,
                                narrative: String, confidential: Bool = false, by: String, at time: Date) -> Incident {
        Incident(id: id, agency: agency, typeCode: typeCode, priority: priority, district: district, address: address,
                 location: location, callerName: callerName, callerPhone: callerPhone, narrative: narrative,
                 confidential: confidential, createdAt: time,
                 timeline: [TimelineEntry(at: time, by: by, kind: .created, status: .new, version: 1)])
    }

    /// Applies one step at `time`, reported by `by`, and writes it in the timeline; on refusal
    /// nothing changes.
    public mutating func apply(_ event: Event, by user: String, at time: Date) throws(TransitionError) {
        guard timeline.count < Self.maxTimeline else {
            throw refusal(event, "its timeline is full (\(Self.maxTimeline) entries)")
        }
        var next = status
        var entries: [(TimelineEntry.Kind, unit: String?, ref: String?, text: String?)] = []
        switch (event, status) {
        case (.dispatch(let units), .new), (.dispatch(let units), .dispatched), (.dispatch(let units), .enRoute),
             (.dispatch(let units), .onScene), (.dispatch(let units), .working):
            guard !units.isEmpty else { throw refusal(event, "name at least one unit to dispatch") }
            var named: Set<String> = []
            if let twice = units.first(where: { !named.insert($0).inserted }) {
                throw refusal(event, "unit \(twice) is named twice")
            }
            if let already = units.first(where: unitIDs.contains) {
                throw refusal(event, "unit \(already) is already assigned to this incident")
            }
            guard timeline.count + units.count <= Self.maxTimeline else {
                throw refusal(event, "its timeline has no room for \(units.count) more units")
            }
            unitIDs.append(contentsOf: units)
            if status == .new { next = .dispatched }  // reinforcements keep the stage
            entries = units.map { (.dispatched, $0, nil, nil) }
        case (.unitDeparted(let unit), _) where status.isOpen && status != .new:
            if status == .dispatched { next = .enRoute }
            entries = [(.departed, unit, nil, nil)]
        case (.unitArrived(let unit), _) where status.isOpen && status != .new:
            if status == .dispatched || status == .enRoute { next = .onScene }
            entries = [(.arrived, unit, nil, nil)]
        case (.unitCleared(let unit), _):
            entries = [(.cleared, unit, nil, nil)]
        case (.unitReleased(let unit), _):
            entries = [(.released, unit, nil, nil)]
        case (.work, .onScene):
            next = .working
            entries = [(.working, nil, nil, nil)]
        case (.resolve(let code), .onScene), (.resolve(let code), .working):
            next = .resolved
            entries = [(.resolved, nil, code, nil)]
        case (.close, .resolved):
            next = .closed
            entries = [(.closed, nil, nil, nil)]
        case (.cancel(let code, let reason), .new), (.cancel(let code, let reason), .dispatched),
             (.cancel(let code, let reason), .enRoute):
            next = .cancelled
            entries = [(.cancelled, nil, code, reason)]
        case (.merge(let other), .new), (.merge(let other), .dispatched), (.merge(let other), .enRoute):
            guard other != id else { throw refusal(event, "an incident cannot be merged into itself") }
            next = .merged
            entries = [(.merged, nil, other, nil)]
        case (.absorb(let other, let call), _) where status.isOpen:
            entries = [(.absorbed, nil, other, call)]
        case (.transfer(let unit, let other), _) where status.isOpen:
            if !unitIDs.contains(unit) { unitIDs.append(unit) }
            if status == .new { next = .dispatched }
            entries = [(.transferred, unit, other, nil)]
        case (.note(let text), _):
            guard timeline.count < Self.maxNotes else {
                throw refusal(event, "its timeline holds \(Self.maxNotes) entries; no more notes fit")
            }
            entries = [(.note, nil, nil, text)]
        case (.link(let part, let agency), _) where status.isOpen:
            guard part != id else { throw refusal(event, "an incident cannot be linked to itself") }
            guard agency != self.agency else { throw refusal(event, "the incident is already \(agency.rawValue)'s") }
            guard !linkedParts.contains(part) else { throw refusal(event, "\(part) is already linked") }
            entries = [(.linked, nil, part, agency.rawValue)]
        case (.linkedFrom(let primary), _) where status.isOpen:
            guard primary != id else { throw refusal(event, "an incident cannot be linked to itself") }
            entries = [(.linkedFrom, nil, primary, nil)]
        case (.unlink(let other), _):
            guard linkedParts.contains(other) || linkedPrimary == other else { throw refusal(event, "\(other) is not linked to it") }
            entries = [(.unlinked, nil, other, nil)]
        case (.check(let seq, let text), _) where status.isOpen:
            guard checkedItems[seq] == nil else { throw refusal(event, "plan item \(seq) is already checked") }
            entries = [(.checked, nil, String(seq), text)]
        case (.report(let leader, let text), _) where status.isOpen:
            entries = [(.reported, nil, leader, text.isEmpty ? nil : text)]
        case (.prioritize(let p), _) where status.isOpen:
            guard p != priority else { throw refusal(event, "the incident is already P\(p.rawValue)") }
            priority = p
            entries = [(.prioritized, nil, String(p.rawValue), nil)]
        case (.casualties(let n), _) where status.isOpen:
            guard (0...9_999).contains(n) else { throw refusal(event, "a casualty count is 0 to 9999") }
            entries = [(.casualties, nil, String(n), nil)]
        case (.escalatedFrom(let ticket), .new):
            entries = [(.escalated, nil, ticket, nil)]
        case (.handOff(let ticket), .new), (.handOff(let ticket), .dispatched):
            next = .cancelled
            entries = [(.handedOff, nil, ticket, nil), (.cancelled, nil, Incident.handoffDisposition, nil)]
        case (.escalatedFrom, _): throw refusal(event, "only a new incident takes over a ticket")
        case (.handOff, _): throw refusal(event, "only an incident no unit has left for yet can be handed to 12345")
        case (.link, _), (.linkedFrom, _), (.check, _), (.report, _), (.prioritize, _), (.casualties, _):
            throw refusal(event, "the incident is no longer open")
        case (.dispatch, _): throw refusal(event, "the incident is no longer open for dispatch")
        case (.unitDeparted, .new), (.unitArrived, .new): throw refusal(event, "units move only after dispatch")
        case (.unitDeparted, _), (.unitArrived, _), (.absorb, _), (.transfer, _):
            throw refusal(event, "the incident is no longer open")
        case (.work, _): throw refusal(event, "work starts only once a unit is on scene")
        case (.resolve, _): throw refusal(event, "an incident is resolved only once a unit is on scene")
        case (.close, _): throw refusal(event, "an incident is closed only after it is resolved")
        case (.cancel, _): throw refusal(event, "only an incident with no unit on scene yet can be cancelled")
        case (.merge, _): throw refusal(event, "only an incident with no unit on scene yet can be merged")
        }
        if next != status { statusChangedAt = time }
        status = next
        version += 1
        for entry in entries {
            timeline.append(TimelineEntry(at: time, by: user, kind: entry.0, unit: entry.unit, ref: entry.ref,
                                          text: entry.text, status: status, version: version))
        }
    }

    /// Whether the incident moved on, for a user who saw `base`: its status is not the one it
    /// had at that version. Notes, unit reports and reinforcements since do not count. With no
    /// timeline to tell (a record from before timelines), any other version counts.
    public func hasMovedOn(since base: Int) -> Bool {
        guard base != version else { return false }
        guard base < version, let seen = timeline.last(where: { $0.version <= base }) else { return true }
        return seen.status != status
    }

    /// 联动: the parts other agencies run for this incident, in the order asked, while linked.
    public var linkedParts: [String] {
        var parts: [String] = []
        for entry in timeline {
            guard let ref = entry.ref else { continue }
            if entry.kind == .linked, !parts.contains(ref) { parts.append(ref) }
            if entry.kind == .unlinked { parts.removeAll { $0 == ref } }
        }
        return parts
    }

    /// The incident this one is a linked part of, while linked.
    public var linkedPrimary: String? {
        var primary: String?
        for entry in timeline {
            if entry.kind == .linkedFrom { primary = entry.ref }
            if entry.kind == .unlinked, entry.ref == primary { primary = nil }
        }
        return primary
    }

    /// The plan items seen done, by seq: who and when in the entry.
    public var checkedItems: [Int: TimelineEntry] {
        var done: [Int: TimelineEntry] = [:]
        for entry in timeline where entry.kind == .checked {
            if let seq = entry.ref.flatMap({ Int($0) }) { done[seq] = entry }
        }
        return done
    }

    /// The 上报 to the 应急办, if it was made.
    public var report: TimelineEntry? { timeline.last { $0.kind == .reported } }

    /// The latest casualty count reported (0 when none was).
    public var casualties: Int {
        timeline.last { $0.kind == .casualties }?.ref.flatMap { Int($0) } ?? 0
    }

    /// The disposition the incident ended with (resolve or cancel), if any.
    public var disposition: String? {
        timeline.last { $0.kind == .resolved || $0.kind == .cancelled }?.ref
    }

    private func refusal(_ event: Event, _ reason: String) -> TransitionError {
        TransitionError(entity: "incident", id: id, event: event.name, from: status.rawValue, reason: reason)
    }
}

extension Incident {
    /// The disposition of an incident handed to 12345 (a cancel code of every desk).
    public static let handoffDisposition = "handoff"

    /// The marker shown in place of a confidential narrative to readers who may not see it.
    public static let redactedText = "【涉密】"

    /// The incident as a reader without clearance sees it: a confidential incident keeps its
    /// place, type and status but loses its narrative and caller.
    public var redacted: Incident {
        guard confidential else { return self }
        var copy = self
        copy.narrative = Incident.redactedText
        copy.callerName = ""
        copy.callerPhone = ""
        // Notes and merged calls' words are the narrative's kin: hidden with it.
        copy.timeline = timeline.map { entry in
            guard entry.text != nil, [.note, .absorbed, .reported].contains(entry.kind) else { return entry }
            return TimelineEntry(at: entry.at, by: entry.by, kind: entry.kind, unit: entry.unit, ref: entry.ref,
                                 text: Incident.redactedText, status: entry.status, version: entry.version)
        }
        return copy
    }
}
