import Foundation

public enum IncidentStatus: String, CaseIterable, Sendable, Codable {
    case new           // 待派: received, no unit yet
    case dispatched    // 已派: units on the way
    case onScene = "on_scene"  // 到场
    case resolved      // 处置完毕: units may still be clearing
    case closed        // 结案
    case cancelled     // 撤销: false alarm, duplicate, caller withdrew

    public var isOpen: Bool { self != .closed && self != .cancelled }
}

public enum Priority: Int, CaseIterable, Sendable, Codable, Comparable {
    case critical = 1, high, normal, low
    public static func < (a: Priority, b: Priority) -> Bool { a.rawValue < b.rawValue }
}

public struct Incident: Hashable, Sendable, Codable {
    public enum Event: Hashable, Sendable {
        case dispatch(unitIDs: [String])
        case arrive
        case resolve
        case close
        case cancel

        public var name: String {
            switch self {
            case .dispatch: "dispatch"
            case .arrive: "arrive"
            case .resolve: "resolve"
            case .close: "close"
            case .cancel: "cancel"
            }
        }
    }

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

    public init(id: String, agency: Agency, typeCode: String, priority: Priority, district: String,
                address: String, location: GeoPoint, callerName: String, callerPhone: String,
                narrative: String, confidential: Bool = false, status: IncidentStatus = .new,
                unitIDs: [String] = [], createdAt: Date, statusChangedAt: Date? = nil, version: Int = 1) {
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
    }

    /// Applies one life-cycle step at `time`; on refusal nothing changes.
    public mutating func apply(_ event: Event, at time: Date) throws(TransitionError) {
        let next: IncidentStatus
        switch (event, status) {
        case (.dispatch(let units), .new), (.dispatch(let units), .dispatched), (.dispatch(let units), .onScene):
            guard !units.isEmpty else { throw refusal(event, "name at least one unit to dispatch") }
            var named: Set<String> = []
            if let twice = units.first(where: { !named.insert($0).inserted }) {
                throw refusal(event, "unit \(twice) is named twice")
            }
            if let already = units.first(where: unitIDs.contains) {
                throw refusal(event, "unit \(already) is already assigned to this incident")
            }
            unitIDs.append(contentsOf: units)
            next = status == .new ? .dispatched : status  // reinforcements keep the stage
        case (.arrive, .dispatched): next = .onScene
        case (.resolve, .onScene): next = .resolved
        case (.close, .resolved): next = .closed
        case (.cancel, .new), (.cancel, .dispatched): next = .cancelled
        case (.dispatch, _): throw refusal(event, "the incident is no longer open for dispatch")
        case (.arrive, _): throw refusal(event, "units arrive only after dispatch")
        case (.resolve, _): throw refusal(event, "an incident is resolved only once a unit is on scene")
        case (.close, _): throw refusal(event, "an incident is closed only after it is resolved")
        case (.cancel, _): throw refusal(event, "only an incident not yet on scene can be cancelled")
        }
        if next != status { statusChangedAt = time }
        status = next
        version += 1
    }

    private func refusal(_ event: Event, _ reason: String) -> TransitionError {
        TransitionError(entity: "incident", id: id, event: event.name, from: status.rawValue, reason: reason)
    }
}

extension Incident {
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
        return copy
    }
}
