/// A road junction (or a point where a road bends, or a station's gate) with a stable id.
public struct RoadNode: Hashable, Sendable {
    public let id: String
    public let location: GeoPoint
    public init(id: String, location: GeoPoint) {
        self.id = id
        self.location = location
    }
}

/// A stretch of road between two nodes. A oneway edge runs `from` → `to` only; otherwise both ways.
public struct RoadEdge: Hashable, Sendable {
    public let from: String
    public let to: String
    public let lengthMeters: Double
    public let speedKmh: Double
    public let oneway: Bool
    public let name: String
    public init(from: String, to: String, lengthMeters: Double, speedKmh: Double, oneway: Bool, name: String) {
        self.from = from
        self.to = to
        self.lengthMeters = lengthMeters
        self.speedKmh = speedKmh
        self.oneway = oneway
        self.name = name
    }

    /// Length ÷ speed, the speed turned from km/h into m/s.
    public var travelSeconds: Double { lengthMeters / (speedKmh / 3.6) }
}

/// Why a list of nodes and edges is not a road graph; indices are 0-based positions in the input arrays.
public enum RoadGraphError: Error, Equatable, Sendable {
    case emptyGraph
    case duplicateNode(id: String, first: Int, second: Int)
    case badLocation(node: Int, id: String)
    case unknownNode(edge: Int, id: String)
    case badLength(edge: Int, meters: Double)
    case badSpeed(edge: Int, kmh: Double)
    case tooLarge(arcs: Int)
}

/// The settled state of one node in a search: its fastest time to (or from) the search's origin,
/// and the road length along that fastest path.
public struct RoadReach: Sendable, Equatable {
    public let node: Int
    public let seconds: Double
    public let meters: Double
    public init(node: Int, seconds: Double, meters: Double) {
        self.node = node
        self.seconds = seconds
        self.meters = meters
    }
}

/// A directed road graph in compressed sparse rows, forward and reversed, with a grid for the
/// nearest node. Built once, then read by many searches (it is a value; searches allocate only
/// their own distance arrays and heap).
public struct RoadGraph: Sendable {
    public let nodes: [RoadNode]
    private let indexByID: [String: Int32]
    let forward: Adjacency
    let reverse: Adjacency
    private let grid: NodeGrid
    /// The number of input edges (a two-way edge counts once); `arcCount` counts directed arcs.
    public let edgeCount: Int
    public var arcCount: Int { forward.targets.count }
    public let topSpeedKmh: Double

    public init(nodes: [RoadNode], edges: [RoadEdge]) throws(RoadGraphError) {
        guard !nodes.isEmpty else { throw .emptyGraph }
        var indexByID: [String: Int32] = [:]
        indexByID.reserveCapacity(nodes.count)
        for (i, node) in nodes.enumerated() {
            if let first = indexByID[node.id] { throw .duplicateNode(id: node.id, first: Int(first), second: i) }
            let p = node.location
            guard p.lat.isFinite, p.lon.isFinite, abs(p.lat) <= 90, abs(p.lon) <= 180 else { throw .badLocation(node: i, id: node.id) }
            indexByID[node.id] = Int32(i)
        }
        var arcs = RoadArcs(capacity: edges.count * 2)
        var top = 0.0
        for (i, edge) in edges.enumerated() {
            guard let from = indexByID[edge.from] else { throw .unknownNode(edge: i, id: edge.from) }
            guard let to = indexByID[edge.to] else { throw .unknownNode(edge: i, id: edge.to) }
            // The bounds keep every path's cost well inside Int64 (see `RoadCost`).
            guard edge.lengthMeters.isFinite, edge.lengthMeters > 0, edge.lengthMeters <= 1_000_000 else {
                throw .badLength(edge: i, meters: edge.lengthMeters)
            }
            guard edge.speedKmh.isFinite, edge.speedKmh >= 1, edge.speedKmh <= 300 else { throw .badSpeed(edge: i, kmh: edge.speedKmh) }
            let cost = RoadCost(edge)
            arcs.append(from: from, to: to, cost: cost)
            if !edge.oneway { arcs.append(from: to, to: from, cost: cost) }
            top = max(top, edge.speedKmh)
        }
        guard arcs.count < Int(Int32.max) else { throw .tooLarge(arcs: arcs.count) }
        self.nodes = nodes
        self.indexByID = indexByID
        self.forward = Adjacency(nodeCount: nodes.count, tails: arcs.tails, heads: arcs.heads, arcs: arcs)
        self.reverse = Adjacency(nodeCount: nodes.count, tails: arcs.heads, heads: arcs.tails, arcs: arcs)
        self.grid = NodeGrid(nodes.map(\.location))
        self.edgeCount = edges.count
        self.topSpeedKmh = top
    }

    public var nodeCount: Int { nodes.count }

    public func node(_ index: Int) -> RoadNode { nodes[index] }

    public func index(of id: String) -> Int? { indexByID[id].map(Int.init) }

    /// The node nearest to `point` by great-circle distance (ties: the lower index).
    public func nearestNode(to point: GeoPoint) -> Int { grid.nearest(to: point, among: nodes) }

    /// nil when every node reaches node 0 and is reached from it (the graph is strongly
    /// connected); otherwise the id of the first node, in input order, that does not.
    public func unreachableNode() -> String? {
        let reached = forward.reachable(from: 0)
        let reaching = reverse.reachable(from: 0)
        for i in 0..<nodes.count where !reached[i] || !reaching[i] { return nodes[i].id }
        return nil
    }
}

/// The directed arcs as they are read, before they are sorted into rows.
struct RoadArcs {
    var tails: [Int32] = []
    var heads: [Int32] = []
    var costs: [RoadCost] = []

    init(capacity: Int) {
        tails.reserveCapacity(capacity)
        heads.reserveCapacity(capacity)
        costs.reserveCapacity(capacity)
    }

    var count: Int { tails.count }

    mutating func append(from: Int32, to: Int32, cost: RoadCost) {
        tails.append(from)
        heads.append(to)
        costs.append(cost)
    }
}

/// Arcs grouped by tail: the arcs leaving node v are `offsets[v] ..< offsets[v + 1]`.
struct Adjacency: Sendable {
    let offsets: [Int32]
    let targets: [Int32]
    let costs: [RoadCost]

    init(nodeCount: Int, tails: [Int32], heads: [Int32], arcs: RoadArcs) {
        self.init(nodeCount: nodeCount, tails: tails, heads: heads, costs: arcs.costs)
    }

    init(nodeCount: Int, tails: [Int32], heads: [Int32], costs arcCosts: [RoadCost]) {
        var offsets = [Int32](repeating: 0, count: nodeCount + 1)
        for t in tails { offsets[Int(t) + 1] += 1 }
        for v in 0..<nodeCount { offsets[v + 1] += offsets[v] }
        var next = offsets
        var targets = [Int32](repeating: 0, count: tails.count)
        var costs = [RoadCost](repeating: .zero, count: tails.count)
        for a in 0..<tails.count {
            let slot = Int(next[Int(tails[a])])
            next[Int(tails[a])] += 1
            targets[slot] = heads[a]
            costs[slot] = arcCosts[a]
        }
        self.offsets = offsets
        self.targets = targets
        self.costs = costs
    }

    func reachable(from start: Int) -> [Bool] {
        var seen = [Bool](repeating: false, count: offsets.count - 1)
        var stack: [Int32] = [Int32(start)]
        seen[start] = true
        while let v = stack.popLast() {
            for a in Int(offsets[Int(v)])..<Int(offsets[Int(v) + 1]) {
                let w = Int(targets[a])
                if !seen[w] {
                    seen[w] = true
                    stack.append(targets[a])
                }
            }
        }
        return seen
    }
}
