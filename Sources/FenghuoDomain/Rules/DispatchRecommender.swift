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

/// Recommends units by road ETA: one Dijkstra from the incident over the reversed road graph
/// settles nodes nearest first, so the first units met of each kind are the nearest, and the
/// search stops as soon as every line of the card has its units and alternates.
public struct DispatchRecommender: Sendable {
    public let graph: RoadGraph
    public let runCards: RunCards

    /// Alternates are sought out to this multiple of the last pick's ETA, plus the slack.
    public static let alternateReach = 1.5
    public static let alternateSlack: Double = 600

    public init(graph: RoadGraph, runCards: RunCards) {
        self.graph = graph
        self.runCards = runCards
    }

    public func recommend(for incident: Incident, units: [ResponseUnit], alternates: Int = 2) -> Recommendation {
        let target = graph.nearestNode(to: incident.location)
        let card = runCards.card(for: incident)
        var lines = card.map { line in
            Recommendation.Line(kind: line.kind, wanted: line.count,
                                committed: units.filter { $0.incidentID == incident.id && $0.kind == line.kind }.map(\.id).sorted(),
                                picks: [], alternates: [])
        }
        guard !lines.isEmpty else {
            return Recommendation(incidentID: incident.id, incidentNode: graph.node(target).id, lines: [])
        }
        // Free units of the card's kinds, by the road node each is attached to.
        let kinds = Set(lines.map(\.kind))
        var atNode: [Int: [ResponseUnit]] = [:]
        var candidates = 0
        for unit in units where unit.status.canTakeAssignment && unit.incidentID == nil && kinds.contains(unit.kind) {
            atNode[graph.nearestNode(to: unit.location), default: []].append(unit)
            candidates += 1
        }
        for key in atNode.keys { atNode[key]!.sort { $0.id < $1.id } }
        // The search asks at every node it settles; a flag per node answers faster than the dictionary.
        var hasUnit = [Bool](repeating: false, count: graph.nodeCount)
        for node in atNode.keys { hasUnit[node] = true }
        var lineOf: [String: Int] = [:]
        for (i, line) in lines.enumerated() where lineOf[line.kind] == nil { lineOf[line.kind] = i }
        var needed = lines.map { max(0, $0.wanted - $0.committed.count) + alternates }
        var open = needed.count { $0 > 0 }
        var unpicked = lines.reduce(0) { $0 + max(0, $1.wanted - $1.committed.count) }
        let toNode = graph.node(target).id
        var met = 0
        // Once every line has its units, alternates are sought only so much farther out: one
        // an hour away is no alternate, and on a large graph it would cost the whole search.
        var horizon = unpicked == 0 ? Self.alternateSlack : Double.infinity
        if open > 0, candidates > 0 {
            graph.searchToward(target) { reach in
                if reach.seconds > horizon { return false }
                guard hasUnit[reach.node], let here = atNode[reach.node] else { return true }
                for unit in here {
                    met += 1
                    guard let i = lineOf[unit.kind], needed[i] > 0 else { continue }
                    let pick = Recommendation.Pick(unitID: unit.id, kind: unit.kind, name: unit.name, station: unit.station,
                                                   district: unit.district, status: unit.status, etaSeconds: reach.seconds,
                                                   roadMeters: reach.meters, fromNode: graph.node(reach.node).id,
                                                   toNode: toNode, crossDistrict: unit.district != incident.district)
                    if lines[i].picks.count < max(0, lines[i].wanted - lines[i].committed.count) {
                        lines[i].picks.append(pick)
                        unpicked -= 1
                        if unpicked == 0 { horizon = reach.seconds * Self.alternateReach + Self.alternateSlack }
                    } else {
                        lines[i].alternates.append(pick)
                    }
                    needed[i] -= 1
                    if needed[i] == 0 { open -= 1 }
                }
                return open > 0 && met < candidates
            }
        }
        return Recommendation(incidentID: incident.id, incidentNode: toNode, lines: lines)
    }
}
