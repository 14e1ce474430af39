import Foundation

/// One line of a run card (出动方案): send `count` units of `kind` to incidents of `typeCode`,
/// at `priority` (nil: any) in `district` (nil: any).
public struct RunCardLine: Hashable, Sendable, Codable {
    public let typeCode: String
    public let priority: Priority?
    public let district: String?
    public let kind: String
    public let count: Int

    public init(typeCode: String, priority: Priority?, district: String?, kind: String, count: Int) {
        self.typeCode = typeCode
        self.priority = priority
        self.district = district
        self.kind = kind
        self.count = count
    }

    /// Lines of one type with the same priority and district form one card; the most specific
    /// card that matches an incident is its card.
    var specificity: Int { (priority == nil ? 0 : 2) + (district == nil ? 0 : 1) }

    func matches(priority p: Priority, district d: String) -> Bool {
        (priority == nil || priority == p) && (district == nil || district == d)
    }
}

/// Every run card of the city, as the dispatch standard (调派标准) gives them.
public struct RunCards: Sendable, Hashable {
    public let lines: [RunCardLine]
    private let byType: [String: [RunCardLine]]

    public init(_ lines: [RunCardLine] = []) {
        self.lines = lines
        byType = Dictionary(grouping: lines, by: \.typeCode)
    }

    public static func == (a: RunCards, b: RunCards) -> Bool { a.lines == b.lines }
    public func hash(into hasher: inout Hasher) { hasher.combine(lines) }

    /// The card for an incident of `type` at `priority` in `district`: the lines of the most
    /// specific group that matches (priority and district > priority > district > neither),
    /// kinds in the order the fixture lists them. Empty when the type has no card.
    public func card(type: String, priority: Priority, district: String) -> [RunCardLine] {
        let matching = (byType[type] ?? []).filter { $0.matches(priority: priority, district: district) }
        guard let best = matching.map(\.specificity).max() else { return [] }
        return matching.filter { $0.specificity == best }
    }

    public func card(for incident: Incident) -> [RunCardLine] {
        card(type: incident.typeCode, priority: incident.priority, district: incident.district)
    }

    /// Whether the incident's card calls for units of `kind` (a unit of another agency may then
    /// join it: the unified desk sends fire, police and ambulance together under one card).
    public func calls(for kind: String, on incident: Incident) -> Bool {
        card(for: incident).contains { $0.kind == kind }
    }
}
