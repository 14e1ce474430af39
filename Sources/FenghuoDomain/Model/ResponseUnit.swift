import Foundation

public enum UnitStatus: String, CaseIterable, Sendable, Codable {
    case available     // 待命
    case dispatched    // 已派
    case enRoute = "en_route"  // 途中
    case onScene = "on_scene"  // 到场
    case returning     // 返回
    case outOfService = "out_of_service"  // 停用: maintenance, crew change

    /// Whether the recommender may offer this unit for a new incident.
    public var canTakeAssignment: Bool { self == .available || self == .returning }

    /// Still working for its incident: sent, on the way, or there (what a close must release).
    public var isCommitted: Bool { self == .dispatched || self == .enRoute || self == .onScene }
}

/// A police car, fire engine, ambulance or traffic unit. (`Unit` is taken by Foundation.)
public struct ResponseUnit: Hashable, Sendable, Codable {
    public enum Event: Hashable, Sendable {
        case assign(incidentID: String)
        case depart
        case arrive
        case clear
        case release
        case backInStation
        case outOfService
        case backInService

        public var name: String {
            switch self {
            case .assign: "assign"
            case .depart: "depart"
            case .arrive: "arrive"
            case .clear: "clear"
            case .release: "release"
            case .backInStation: "back in station"
            case .outOfService: "go out of service"
            case .backInService: "return to service"
            }
        }
    }

    public let id: String
    public var agency: Agency
    public var kind: String
    public var name: String
    public var district: String
    public var station: String
    public var location: GeoPoint
    public var status: UnitStatus
    public var incidentID: String?
    public var statusChangedAt: Date
    public var version: Int
    /// The version at which the status last changed: a position report moves `version` on
    /// (so replicas take it) but does not make a status report based on an earlier one stale.
    public var statusVersion: Int
    /// When the unit last reported where it is (nil: never since it was placed at its station).
    public var movedAt: Date?
    /// Where the current trip began (set on 出发 and on leaving a scene): the recommender's
    /// ETA from there is what the unit is held to on the way.
    public var tripStart: GeoPoint?

    public init(id: String, agency: Agency, kind: String, name: String, district: String, station: String,
                location: GeoPoint, status: UnitStatus = .available, incidentID: String? = nil,
                statusChangedAt: Date, version: Int = 1, statusVersion: Int? = nil, movedAt: Date? = nil,
                tripStart: GeoPoint? = nil) {
        self.id = id
        self.agency = agency
        self.kind = kind
        self.name = name
        self.district = district
        self.station = station
        self.location = location
        self.status = status
        self.incidentID = incidentID
        self.statusChangedAt = statusChangedAt
        self.version = version
        self.statusVersion = statusVersion ?? version
        self.movedAt = movedAt
        self.tripStart = tripStart
    }

    /// Whether a report based on `base` (the version the user saw) is out of date: the status
    /// changed since, or the version is one the unit never had.
    public func hasMovedOn(since base: Int) -> Bool { base < statusVersion || base > version }

    /// A position report: the unit is at `point` now. Its status stays; its version moves on.
    public mutating func move(to point: GeoPoint, at time: Date) {
        location = point
        movedAt = time
        version += 1
    }

    public mutating func apply(_ event: Event, at time: Date) throws(TransitionError) {
        let next: UnitStatus
        switch (event, status) {
        case (.assign(let incident), .available), (.assign(let incident), .returning):
            incidentID = incident
            next = .dispatched
        case (.depart, .dispatched):
            tripStart = location
            next = .enRoute
        case (.arrive, .enRoute), (.arrive, .dispatched):
            tripStart = nil
            next = .onScene
        case (.clear, .onScene):
            incidentID = nil
            tripStart = location
            next = .returning
        case (.release, .dispatched), (.release, .enRoute):
            incidentID = nil
            tripStart = nil
            next = .available
        case (.backInStation, .returning):
            tripStart = nil
            next = .available
        case (.outOfService, .available), (.outOfService, .returning): next = .outOfService
        case (.backInService, .outOfService): next = .available
        case (.assign, .outOfService): throw refusal(event, "the unit is out of service")
        case (.assign, _): throw refusal(event, "the unit is busy with incident \(incidentID ?? "?")")
        case (.depart, _): throw refusal(event, "a unit departs only once dispatched")
        case (.arrive, _): throw refusal(event, "a unit arrives only while dispatched or en route")
        case (.clear, _): throw refusal(event, "a unit clears only from a scene")
        case (.release, _): throw refusal(event, "only a unit that has not arrived can be released")
        case (.backInStation, _): throw refusal(event, "only a returning unit can report back in station")
        case (.outOfService, _): throw refusal(event, "a unit on an assignment cannot go out of service")
        case (.backInService, _): throw refusal(event, "the unit is in service already")
        }
        status = next
        statusChangedAt = time
        version += 1
        statusVersion = version
    }

    private func refusal(_ event: Event, _ reason: String) -> TransitionError {
        TransitionError(entity: "unit", id: id, event: event.name, from: status.rawValue, reason: reason)
    }
}

/// A unit's recent work, for its detail on the board: where it is now, and each step it took
/// for an incident (from the incidents' timelines), newest first.
public struct UnitHistory: Sendable, Hashable {
    public struct Step: Sendable, Hashable {
        public let incidentID: String
        public let typeCode: String
        public let address: String
        public let entry: TimelineEntry

        public init(incidentID: String, typeCode: String, address: String, entry: TimelineEntry) {
            self.incidentID = incidentID
            self.typeCode = typeCode
            self.address = address
            self.entry = entry
        }
    }

    public let unit: ResponseUnit
    /// The incident it is committed to now, if any.
    public let current: Incident?
    public let steps: [Step]

    public init(unit: ResponseUnit, current: Incident?, steps: [Step]) {
        self.unit = unit
        self.current = current
        self.steps = steps
    }

    /// The steps about `unit` in `incidents`' timelines, newest first, at most `limit`.
    public static func steps(of unit: String, in incidents: [Incident], limit: Int = 40) -> [Step] {
        incidents.flatMap { incident in
            incident.timeline.filter { $0.unit == unit }.map {
                Step(incidentID: incident.id, typeCode: incident.typeCode, address: incident.address, entry: $0)
            }
        }
        .sorted { ($0.entry.at, $0.entry.version) > ($1.entry.at, $1.entry.version) }
        .prefix(limit).map { $0 }
    }
}
