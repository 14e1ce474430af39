/// Reference data the panes use to name codes: kinds of incident, ticket categories, approval items.
public struct IncidentType: Hashable, Sendable, Codable {
    public let code: String
    public let agency: Agency
    public let name: String
    public let nameEN: String
    public let priority: Priority

    public init(code: String, agency: Agency, name: String, nameEN: String, priority: Priority) {
        self.code = code
        self.agency = agency
        self.name = name
        self.nameEN = nameEN
        self.priority = priority
    }
}

public struct TicketCategory: Hashable, Sendable, Codable {
    public let code: String
    public let name: String
    public let nameEN: String
    public let department: String
    public let serviceLevel: ServiceLevel

    public init(code: String, name: String, nameEN: String, department: String, serviceLevel: ServiceLevel) {
        self.code = code
        self.name = name
        self.nameEN = nameEN
        self.department = department
        self.serviceLevel = serviceLevel
    }
}

public struct ApprovalItem: Hashable, Sendable, Codable {
    public let code: String
    public let name: String
    public let type: ApprovalType
    public let statutoryDays: Int
    public let leadDepartment: String
    public let cosigningDepartments: [String]

    public init(code: String, name: String, type: ApprovalType, statutoryDays: Int, leadDepartment: String,
                cosigningDepartments: [String]) {
        self.code = code
        self.name = name
        self.type = type
        self.statutoryDays = statutoryDays
        self.leadDepartment = leadDepartment
        self.cosigningDepartments = cosigningDepartments
    }
}

public struct KnowledgeArticle: Hashable, Sendable, Codable {
    public let id: String
    public let category: String
    public let department: String
    public let title: String
    public let body: String

    public init(id: String, category: String, department: String, title: String, body: String) {
        self.id = id
        self.category = category
        self.department = department
        self.title = title
        self.body = body
    }
}

/// Every code-to-name table a console needs, loaded once at start.
public struct Directory: Sendable {
    public var cityName: String
    public var cityNameEN: String
    public var districts: [String: District]
    public var departments: [String: Department]
    public var incidentTypes: [String: IncidentType]
    public var ticketCategories: [String: TicketCategory]
    public var approvalItems: [String: ApprovalItem]
    public var dispositions: [String: Disposition]
    public var responseTargets: ResponseTargets
    /// 预案: the checklist beside an incident, by its type.
    public var plans = Plans()
    /// Streets, roads and landmarks: what the intake form's address searches.
    public var gazetteer = Gazetteer()
    public var premises = PremiseAdvisories()
    public var duplicateRules = DuplicateRules()
    /// Where a typed `LAT,LON` may lie (nil: no roads and no districts).
    public var cityBounds: GeoBounds?

    public init(cityName: String = "", cityNameEN: String = "", districts: [String: District] = [:], departments: [String: Department] = [:],
                incidentTypes: [String: IncidentType] = [:], ticketCategories: [String: TicketCategory] = [:],
                approvalItems: [String: ApprovalItem] = [:], dispositions: [String: Disposition] = [:],
                responseTargets: ResponseTargets = ResponseTargets()) {
        self.approvalItems = approvalItems
        self.dispositions = dispositions
        self.responseTargets = responseTargets
        self.cityName = cityName
        self.cityNameEN = cityNameEN
        self.districts = districts
        self.departments = departments
        self.incidentTypes = incidentTypes
        self.ticketCategories = ticketCategories
    }
}

/// 处置结果: how an incident ended — chosen when it is resolved, or when it is cancelled.
public struct Disposition: Hashable, Sendable, Codable {
    public enum Use: String, Hashable, Sendable, Codable, CaseIterable {
        case resolve, cancel
    }

    public let code: String
    public let use: Use
    /// The desks it applies to; empty: every desk.
    public let agencies: [Agency]
    public let name: String
    public let nameEN: String

    public init(code: String, use: Use, agencies: [Agency], name: String, nameEN: String) {
        self.code = code
        self.use = use
        self.agencies = agencies
        self.name = name
        self.nameEN = nameEN
    }

    /// Whether an incident of `agency` may end with this code when it is `use`d.
    public func fits(_ use: Use, _ agency: Agency) -> Bool {
        self.use == use && (agencies.isEmpty || agencies.contains(agency))
    }
}
