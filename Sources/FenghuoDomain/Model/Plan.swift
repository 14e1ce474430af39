import Foundation

/// One line of an emergency plan (预案) for an incident type: a thing the duty officer must see
/// done, in order. Some lines are actions the console can take for them: asking another agency
/// to join (联动), or reporting to the city's emergency office (上报 应急办).
public struct PlanItem: Hashable, Sendable, Codable {
    public enum Action: Hashable, Sendable, Codable {
        /// A step done outside the console (通知 燃气公司抢修): checking it records who and when.
        case check
        /// 联动: another agency joins, as a part of the incident of the given type.
        case link(Agency, type: String?)
        /// 上报: the incident is reported to the 应急办 leader.
        case report

        /// The fixture and table form: `check`, `link:120`, `link:120:trauma`, `report`.
        public var code: String {
            switch self {
            case .check: "check"
            case .link(let agency, let type?): "link:\(agency.rawValue):\(type)"
            case .link(let agency, nil): "link:\(agency.rawValue)"
            case .report: "report"
            }
        }

        public init?(code: String) {
            let parts = code.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            switch (parts.first, parts.count) {
            case ("check", 1): self = .check
            case ("report", 1): self = .report
            case ("link", 2), ("link", 3):
                guard let agency = Agency(rawValue: parts[1]) else { return nil }
                if parts.count == 3 {
                    guard !parts[2].isEmpty else { return nil }
                    self = .link(agency, type: parts[2])
                } else {
                    self = .link(agency, type: nil)
                }
            default: return nil
            }
        }
    }

    /// The incident type the plan is for; `*`: the default each agency's linked part takes.
    public let type: String
    /// Its place in the plan, from 1; also how `:check N` names it.
    public let seq: Int
    public let action: Action
    public let text: String
    public let textEN: String

    public init(type: String, seq: Int, action: Action, text: String, textEN: String) {
        self.type = type
        self.seq = seq
        self.action = action
        self.text = text
        self.textEN = textEN
    }
}

/// Every plan, by incident type, and the default type of each agency's linked part.
public struct Plans: Hashable, Sendable {
    public static let anyType = "*"
    /// Casualties from which any incident is major and must be reported (3 人以上伤亡, the
    /// threshold of a 较大 accident in the State Council's classification of production accidents).
    public static let majorCasualties = 3
    /// Who a 上报 goes to: the emergency management bureau (应急办), as its department code.
    public static let reportRecipient = "emergency"

    private let byType: [String: [PlanItem]]

    public init(_ items: [PlanItem] = []) {
        byType = Dictionary(grouping: items, by: \.type).mapValues { $0.sorted { $0.seq < $1.seq } }
    }

    public var all: [PlanItem] { byType.keys.sorted().flatMap { byType[$0]! } }
    public var isEmpty: Bool { byType.isEmpty }

    /// The checklist of an incident type (empty: the type has no plan).
    public func plan(for type: String) -> [PlanItem] {
        type == Self.anyType ? [] : byType[type] ?? []
    }

    /// The type an agency's linked part takes when the user names none: the one the incident
    /// type's plan gives for that agency, else the agency's default (the `*` rows).
    public func linkedType(for type: String, agency: Agency) -> String? {
        func named(_ items: [PlanItem]) -> String? {
            items.lazy.compactMap { item -> String? in
                if case .link(agency, let t?) = item.action { t } else { nil }
            }.first
        }
        return named(plan(for: type)) ?? named(byType[Self.anyType] ?? [])
    }

    /// A major incident must be reported to the 应急办: a P1 of a type whose plan says so, or
    /// one with `majorCasualties` or more.
    public func isMajor(_ incident: Incident) -> Bool {
        if incident.casualties >= Self.majorCasualties { return true }
        return incident.priority == .critical && plan(for: incident.typeCode).contains { $0.action == .report }
    }
}
