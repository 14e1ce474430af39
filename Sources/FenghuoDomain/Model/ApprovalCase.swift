import Foundation

/// The five kinds of administrative approval items in the one-stop catalogue.
public enum ApprovalType: String, CaseIterable, Sendable, Codable {
    case registration = "登记"
    case approval = "审批"
    case ratification = "核准"
    case examination = "审核"
    case filing = "备案"
}

public enum ApprovalStatus: String, CaseIterable, Sendable, Codable {
    case accepted      // 已受理: the window took the application
    case underReview = "under_review"  // 审查中: departments sign off in parallel
    case suspended     // 补正中: waiting for the applicant to supplement documents
    case approved      // 准予
    case rejected      // 不予
    case withdrawn     // 撤回

    public var isOpen: Bool { self == .accepted || self == .underReview || self == .suspended }
}

public enum SignOffState: String, CaseIterable, Sendable, Codable {
    case pending   // 待签
    case approved  // 同意
    case refused   // 不同意
}

public struct ApprovalStep: Hashable, Sendable, Codable {
    public let department: String
    public var state: SignOffState
    public var opinion: String?
    public var decidedAt: Date?

    public init(department: String, state: SignOffState = .pending, opinion: String? = nil, decidedAt: Date? = nil) {
        self.department = department
        self.state = state
        self.opinion = opinion
        self.decidedAt = decidedAt
    }
}

public struct ApprovalCase: Hashable, Sendable, Codable {
    public enum Event: Hashable, Sendable {
        case startReview
        case signOff(department: String, approve: Bool, opinion: String)
        case requestSupplement(reason: String)
        case resume
        case withdraw

        public var name: String {
            switch self {
            case .startReview: "start review"
            case .signOff: "sign off"
            case .requestSupplement: "request a supplement"
            case .resume: "resume review"
            case .withdraw: "withdraw"
            }
        }
    }

    public let id: String
    public var itemCode: String
    public var itemName: String
    public var type: ApprovalType
    public var applicant: String
    public var applicantPhone: String
    public var status: ApprovalStatus
    /// Lead department first, then the co-signing departments; all sign in parallel.
    public var steps: [ApprovalStep]
    public var acceptedOn: LocalDate
    public var deadline: LocalDate
    /// The deadline fell beyond the loaded holiday schedule and assumes plain weekends.
    public var deadlineProvisional: Bool
    public var completedOn: LocalDate?
    public var updatedAt: Date
    public var version: Int

    public init(id: String, itemCode: String, itemName: String, type: ApprovalType, applicant: String,
                applicantPhone: String, status: ApprovalStatus = .accepted, steps: [ApprovalStep],
                acceptedOn: LocalDate, deadline: LocalDate, deadlineProvisional: Bool = false, completedOn: LocalDate? = nil,
                updatedAt: Date, version: Int = 1) {
        self.id = id
        self.itemCode = itemCode
        self.itemName = itemName
        self.type = type
        self.applicant = applicant
        self.applicantPhone = applicantPhone
        self.status = status
        self.steps = steps
        self.acceptedOn = acceptedOn
        self.deadline = deadline
        self.deadlineProvisional = deadlineProvisional
        self.completedOn = completedOn
        self.updatedAt = updatedAt
        self.version = version
    }

    /// The statutory deadline for an item of `days` working days accepted on `date`.
    public static func deadline(acceptedOn date: LocalDate, statutoryDays days: Int,
                                calendar: WorkingDayCalendar) throws(WorkingDayCalendar.UnknownYear) -> LocalDate {
        try calendar.adding(workingDays: days, to: date)
    }

    /// Whether a finished case finished by its deadline (nil while open or withdrawn).
    public var finishedOnTime: Bool? {
        guard let done = completedOn, status == .approved || status == .rejected else { return nil }
        return done <= deadline
    }

    public mutating func apply(_ event: Event, at time: Date) throws(TransitionError) {
        switch (event, status) {
        case (.startReview, .accepted): status = .underReview
        case (.signOff(let dept, let approve, let opinion), .underReview):
            guard let index = steps.firstIndex(where: { $0.department == dept }) else {
                throw refusal(event, "department \(dept) has no step in this case")
            }
            guard steps[index].state == .pending else {
                throw refusal(event, "department \(dept) already signed (\(steps[index].state.rawValue))")
            }
            steps[index].state = approve ? .approved : .refused
            steps[index].opinion = opinion
            steps[index].decidedAt = time
            if !approve {
                status = .rejected  // one refusal decides: the law needs every department's consent
                completedOn = LocalDate(time)
            } else if steps.allSatisfy({ $0.state == .approved }) {
                status = .approved
                completedOn = LocalDate(time)
            }
        case (.requestSupplement(let reason), .underReview), (.requestSupplement(let reason), .accepted):
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw refusal(event, "tell the applicant what to supplement")
            }
            status = .suspended
        case (.resume, .suspended): status = .underReview
        case (.withdraw, _) where status.isOpen: status = .withdrawn
        case (.startReview, _): throw refusal(event, "only a newly accepted case starts review")
        case (.signOff, _): throw refusal(event, "sign-off happens only while the case is under review")
        case (.requestSupplement, _): throw refusal(event, "a supplement can be requested only before a decision")
        case (.resume, _): throw refusal(event, "only a suspended case resumes")
        case (.withdraw, _): throw refusal(event, "the case is already decided")
        }
        updatedAt = time
        version += 1
    }

    private func refusal(_ event: Event, _ reason: String) -> TransitionError {
        TransitionError(entity: "approval case", id: id, event: event.name, from: status.rawValue, reason: reason)
    }
}
