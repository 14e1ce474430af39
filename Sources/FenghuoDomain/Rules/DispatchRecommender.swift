import Foundation

/// What to send to an incident: for each line of its run card, the nearest free units of that
/// kind by road travel time, the next-nearest as alternates, and what is missing.
public struct Recommendation: Sendable, Hashable {
    public struct Pick: Sendable, Hashable {
        public let unitID: String
        public let kind: String
        public let name: String
        public let station: String
        public let district: String
        public let status: UnitStatus
        public let etaSeconds: Double
        public let roadMeters: Double
        /// The road nodes the unit and the incident are attached to.
        public let fromNode: String
        public let toNode: String
        /// From another district than the incident's (跨区支援).
        public let crossDistrict: Bool
    }

    public struct Line: Sendable, Hashable {
        public let kind: String
        /// The run card's count.
        public let wanted: Int
        /// Units of this kind already committed to the incident: they count toward `wanted`.
        public let committed: [String]
        public var picks: [Pick]
        public var alternates: [Pick]
        /// Units the card asks for that no free unit can fill.
        public var shortfall: Int { max(0, wanted - committed.count - picks.count) }
    }

    public let incidentID: String
    /// The road node the incident is attached to.
    public let incidentNode: String
    public var lines: [Line]

    /// False when the incident's type has no run card.
    public var hasCard: Bool { !lines.isEmpty }
    /// Every unit to send, line by line.
    public var unitIDs: [String] { lines.flatMap { $0.picks.map(\.unitID) } }
    public var shortfall: Int { lines.reduce(0) { $0 + $1.shortfall } }

    /// The recommendation with pick `pick` of line `line` swapped for that line's first
    /// alternate (the swapped-out unit becomes the last alternate). Unchanged when the line has
    /// no alternate.
    public func swapping(line: Int, pick: Int) -> Recommendation {
        guard lines.indices.contains(line), lines[line].picks.indices.contains(pick),
              !lines[line].alternates.isEmpty else { return self }
        var copy = self
        let out = copy.lines[line].picks[pick]
        copy.lines[line].picks[pick] = copy.lines[line].alternates.removeFirst()
        copy.lines[line].alternates.append(out)
        return copy
    }
}

/// Recommends units by road ETA: the road time of every free unit of the card's kinds to the
/// incident (one contraction-hierarchy query: a few hundred nodes settled per unit, where one
/// Dijkstra from the incident settled up to half the city), then each line of the card filled
/// nearest first (ties by call sign), with alternates out to 1.5× the last pick + 10 min.
public struct DispatchRecommender: Sendable {
    /// How unit ETAs are found: the hierarchy (the default), or the plain search it is held to.
    public enum Search: Sendable {
        case hierarchy
        /// One Dijkstra from the incident over the reversed graph until every unit is met: the
        /// reference the property tests compare the hierarchy's recommendations with.
        case dijkstra
    }

    public let graph: RoadGraph
    public let runCards: RunCards
    /// nil with `.dijkstra`.
    public let hierarchy: RoadHierarchy?

    /// Alternates are sought out to this multiple of the last pick's ETA, plus the slack.
    public static let alternateReach = 1.5
    public static let alternateSlack: Double = 600

    /// Builds the hierarchy once (about 40 ms for the city's roads; see `RoadHierarchy`).
    public init(graph: RoadGraph, runCards: RunCards, search: Search = .hierarchy) {
        self.graph = graph
        self.runCards = runCards
        hierarchy = search == .hierarchy ? RoadHierarchy(graph) : nil
    }

    /// The road time and length between the nodes two points attach to; nil when unreachable.
    public func reach(from origin: GeoPoint, to destination: GeoPoint) -> RoadReach? {
        let from = graph.nearestNode(to: origin), to = graph.nearestNode(to: destination)
        return costs(from: [from], toward: to)[0].map { RoadReach(node: from, cost: $0) }
    }

    /// The cost of each source node's fastest path to `target`, by the chosen search.
    func costs(from sources: [Int], toward target: Int) -> [RoadCost?] {
        if let hierarchy { return hierarchy.costs(from: sources, toward: target) }
        var found: [Int: RoadCost] = [:]
        let wanted = Set(sources)
        graph.reverse.search(from: target) { node, cost in
            if wanted.contains(node) { found[node] = cost }
            return found.count < wanted.count
        }
        return sources.map { found[$0] }
    }

    public func recommend(for incident: Incident, units: [ResponseUnit], alternates: Int = 2) -> Recommendation {
        let target = graph.nearestNode(to: incident.location)
        let toNode = graph.node(target).id
        let card = runCards.card(for: incident)
        var lines = card.map { line in
            Recommendation.Line(kind: line.kind, wanted: line.count,
                                committed: units.filter { $0.incidentID == incident.id && $0.kind == line.kind }.map(\.id).sorted(),
                                picks: [], alternates: [])
        }
        guard !lines.isEmpty else { return Recommendation(incidentID: incident.id, incidentNode: toNode, lines: []) }
        // Free units of the card's kinds, each with its road cost to the incident, nearest first.
        let kinds = Set(lines.map(\.kind))
        let free = units.filter { $0.status.canTakeAssignment && $0.incidentID == nil && kinds.contains($0.kind) }
        let nodes = free.map { graph.nearestNode(to: $0.location) }
        let found = costs(from: nodes, toward: target)
        var candidates: [(cost: RoadCost, unit: ResponseUnit, node: Int)] = []
        for (k, unit) in free.enumerated() { if let cost = found[k] { candidates.append((cost, unit, nodes[k])) } }
        candidates.sort { ($0.cost, $0.unit.id) < ($1.cost, $1.unit.id) }

        var lineOf: [String: Int] = [:]
        for (i, line) in lines.enumerated() where lineOf[line.kind] == nil { lineOf[line.kind] = i }
        var needed = lines.map { max(0, $0.wanted - $0.committed.count) + alternates }
        var open = needed.count { $0 > 0 }
        var unpicked = lines.reduce(0) { $0 + max(0, $1.wanted - $1.committed.count) }
        // Once every line has its units, alternates are sought only so much farther out: one an
        // hour away is no alternate.
        var horizon = unpicked == 0 ? Self.alternateSlack : Double.infinity
        for (cost, unit, node) in candidates {
            if open == 0 || cost.seconds > horizon { break }
            guard let i = lineOf[unit.kind], needed[i] > 0 else { continue }
            let pick = Recommendation.Pick(unitID: unit.id, kind: unit.kind, name: unit.name, station: unit.station,
                                           district: unit.district, status: unit.status, etaSeconds: cost.seconds,
                                           roadMeters: cost.meters, fromNode: graph.node(node).id,
                                           toNode: toNode, crossDistrict: unit.district != incident.district)
            if lines[i].picks.count < max(0, lines[i].wanted - lines[i].committed.count) {
                lines[i].picks.append(pick)
                unpicked -= 1
                if unpicked == 0 { horizon = cost.seconds * Self.alternateReach + Self.alternateSlack }
            } else {
                lines[i].alternates.append(pick)
            }
            needed[i] -= 1
            if needed[i] == 0 { open -= 1 }
        }
        return Recommendation(incidentID: incident.id, incidentNode: toNode, lines: lines)
    }
}
