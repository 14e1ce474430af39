/// The four emergency lines of the unified desk.
public enum Agency: String, CaseIterable, Sendable, Codable {
    case police = "110"
    case fire = "119"
    case ambulance = "120"
    case traffic = "122"

    /// The department that answers for this line in the fixtures.
    public var departmentCode: String {
        switch self {
        case .police: "psb"
        case .fire: "fire"
        case .ambulance: "ems"
        case .traffic: "traffic"
        }
    }

    /// The `agency` argument's values.
    static let choices: [Choice] = [
        Choice("110", zh: "110 公安", en: "110 police"), Choice("119", zh: "119 消防", en: "119 fire"),
        Choice("120", zh: "120 急救", en: "120 ambulance"), Choice("122", zh: "122 交警", en: "122 traffic"),
    ]
}

public enum Role: String, CaseIterable, Sendable, Codable {
    case duty, hotline, staff, leader

    /// Whether a user of this role may belong to `department`: what they read and may do
    /// follows from the two together, so a pair that makes no sense is refused where users are
    /// made. Duty officers work at the command centre, hotline agents at the hotline, staff at a
    /// department that handles work (never a centre); a leader may sit anywhere.
    public func admits(_ department: Department) -> Bool {
        switch self {
        case .duty: department.code == "cmd"
        case .hotline: department.code == "hotline"
        case .staff: department.kind != .center
        case .leader: true
        }
    }

    /// The departments `admits` describes, in words for an error message.
    public var admittedDepartments: String {
        switch self {
        case .duty: "cmd (the command centre)"
        case .hotline: "hotline (the 12345 centre)"
        case .staff: "a department of kind agency, bureau or utility (not a centre)"
        case .leader: "any department"
        }
    }
}

public struct District: Hashable, Sendable, Codable {
    public let code: String
    public let name: String
    public let nameEN: String
    public let location: GeoPoint
    public let population: Int

    public init(code: String, name: String, nameEN: String, location: GeoPoint, population: Int) {
        self.code = code
        self.name = name
        self.nameEN = nameEN
        self.location = location
        self.population = population
    }
}

public struct Department: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable { case agency, utility, bureau, center }
    public let code: String
    public let name: String
    /// Two characters for tight columns: 市监, 消防.
    public let shortName: String
    public let nameEN: String
    public let kind: Kind
    public let phone: String

    /// Tickets are routed to departments that do the work; the centres (the command centre,
    /// the hotline) route them, and a ticket "sent" to a centre would land in every replica of
    /// its officers.
    public var handlesTickets: Bool { kind != .center }

    public init(code: String, name: String, shortName: String, nameEN: String, kind: Kind, phone: String) {
        self.code = code
        self.name = name
        self.shortName = shortName
        self.nameEN = nameEN
        self.kind = kind
        self.phone = phone
    }
}

public struct User: Hashable, Sendable, Codable {
    public let username: String
    public let name: String
    public let role: Role
    public let department: String

    public init(username: String, name: String, role: Role, department: String) {
        self.username = username
        self.name = name
        self.role = role
        self.department = department
    }
}

public struct GeoPoint: Hashable, Sendable, Codable {
    public let lat: Double
    public let lon: Double
    public init(lat: Double, lon: Double) {
        self.lat = lat
        self.lon = lon
    }
}
