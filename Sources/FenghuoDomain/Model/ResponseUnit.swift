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

    public init(id: String, agency: Agency, kind: String, name: String, district: String, station: String,
                location: GeoPoint, status: UnitStatus = .available, incidentID: String? = nil,
                statusChangedAt: Date, version: Int = 1) {
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
    }

    public mutating func apply(_ event: Event, at time: Date) throws(TransitionError) {
        let next: UnitStatus
        switch (event, status) {
        case (.assign(let incident), .available), (.assign(let incident), .returning):
            incidentID = incident
            next = .dispatched
        case (.depart, .dispatched): next = .enRoute
        case (.arrive, .enRoute), (.arrive, .dispatched): next = .onScene
        case (.clear, .onScene):
            incidentID = nil
            next = .returning
        case (.release, .dispatched), (.release, .enRoute):
            incidentID = nil
            next = .available
        case (.backInStation, .returning): next = .available
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
    }

    private func refusal(_ event: Event, _ reason: String) -> TransitionError {
        TransitionError(entity: "unit", id: id, event: event.name, from: status.rawValue, reason: reason)
    }
}
