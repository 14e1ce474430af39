import FenghuoDomain
import Testing

/// Hand-computed road graphs. Speeds are 36 km/h (10 m/s) unless said, so seconds = metres ÷ 10.
@Suite("Road graph")
struct RoadGraphTests {
    static func node(_ id: String, _ lat: Double, _ lon: Double) -> RoadNode { RoadNode(id: id, location: GeoPoint(lat: lat, lon: lon)) }
    static func road(_ from: String, _ to: String, _ meters: Double, kmh: Double = 36, oneway: Bool = false) -> RoadEdge {
        RoadEdge(from: from, to: to, lengthMeters: meters, speedKmh: kmh, oneway: oneway, name: "\(from)\(to)路")
    }

    /// South bank A, B; north bank C right across from A (≈ 222 m), D across from B; one bridge B–D.
    static func riverTown() throws -> RoadGraph {
        try RoadGraph(nodes: [node("A", 30.000, 114.000), node("B", 30.000, 114.010),
                              node("C", 30.002, 114.000), node("D", 30.002, 114.010)],
                      edges: [road("A", "B", 1_000), road("B", "D", 200), road("C", "D", 1_000)])
    }

    func settled(_ graph: RoadGraph, toward target: String) throws -> [String: RoadReach] {
        var out: [String: RoadReach] = [:]
        graph.searchToward(try #require(graph.index(of: target))) { out[graph.node($0.node).id] = $0; return true }
        return out
    }

    @Test("Across a river with one bridge, the node nearest by straight line is the farthest by road")
    func riverWithOneBridge() throws {
        // Given the river town and an incident at A
        let graph = try Self.riverTown()
        let a = try #require(graph.index(of: "A"))
        // When every node's time to A is settled
        var order: [String] = []
        var reach: [String: RoadReach] = [:]
        graph.searchToward(a) { order.append(graph.node($0.node).id); reach[graph.node($0.node).id] = $0; return true }
        // Then C, 222 m away across the water, needs C→D→bridge→B→A: 2 200 m, 220 s
        #expect(graph.node(2).location.meters(to: graph.node(a).location) < 250)
        #expect(reach["C"] == RoadReach(node: 2, seconds: 220, meters: 2_200))
        // And B, about 960 m away on the same bank, comes first at 100 s
        #expect(reach["B"] == RoadReach(node: 1, seconds: 100, meters: 1_000))
        #expect(order == ["A", "B", "D", "C"])
        #expect(graph.travelSeconds(from: 2, to: a) == 220)
    }

    @Test("A one-way street is quick one way, and the way back goes round the block")
    func oneWayStreet() throws {
        // Given A→B one way (500 m at 72 km/h: 25 s), and a two-way way round B–C–A (500 m + 500 m at 36 km/h)
        let graph = try RoadGraph(nodes: [Self.node("A", 30, 114), Self.node("B", 30, 114.005), Self.node("C", 30.004, 114.0025)],
                                  edges: [Self.road("A", "B", 500, kmh: 72, oneway: true), Self.road("B", "C", 500), Self.road("C", "A", 500)])
        // Then A to B takes the street: 25 s; B to A goes round: 100 s and 1 000 m
        #expect(graph.travelSeconds(from: 0, to: 1) == 25)
        #expect(graph.travelSeconds(from: 1, to: 0) == 100)
        #expect(graph.reach(from: 1, to: 0)?.meters == 1_000)
        // And the graph counts three input edges but five directed arcs
        #expect(graph.edgeCount == 3)
        #expect(graph.arcCount == 5)
    }

    @Test("The hierarchy gives the hand-computed times: round the river by its one bridge, and round the block against a one-way street")
    func hierarchyOnHandComputedGraphs() throws {
        // Given the river town, every node's time to A by the contraction hierarchy
        let town = try Self.riverTown()
        let a = try #require(town.index(of: "A"))
        let costs = RoadHierarchy(town).costs(from: [0, 1, 2, 3, 2], toward: a)
        // Then C, across the water, is 220 s and 2 200 m away; B 100 s; D 120 s; a repeated source answers again
        #expect(costs.map { $0?.seconds } == [0, 100, 220, 120, 220])
        #expect(costs[2]?.meters == 2_200)
        // Given A→B one way at 72 km/h and the two-way way round B–C–A
        let street = try RoadGraph(nodes: [Self.node("A", 30, 114), Self.node("B", 30, 114.005), Self.node("C", 30.004, 114.0025)],
                                   edges: [Self.road("A", "B", 500, kmh: 72, oneway: true), Self.road("B", "C", 500), Self.road("C", "A", 500)])
        let hierarchy = RoadHierarchy(street)
        // Then A to B is 25 s by the street, B to A 100 s and 1 000 m round the block
        #expect(hierarchy.cost(from: 0, to: 1) == RoadCost(millis: 25_000, centimeters: 50_000))
        #expect(hierarchy.cost(from: 1, to: 0) == RoadCost(millis: 100_000, centimeters: 100_000))
        // And a node nothing reaches answers nil
        let island = try RoadGraph(nodes: [Self.node("A", 30, 114), Self.node("B", 30, 114.001), Self.node("C", 30, 114.002)],
                                   edges: [Self.road("A", "B", 100)])
        #expect(RoadHierarchy(island).costs(from: [2, 1], toward: 0).map { $0?.seconds } == [nil, 10])
    }

    @Test("Of two equally fast ways the shorter is the one measured, and the path follows it")
    func tiesGoToTheShorterRoad() throws {
        // Given A to D by B (1 000 m + 1 000 m at 72 km/h: 100 s) or by C (500 m + 500 m at 36 km/h: 100 s)
        let graph = try RoadGraph(nodes: [Self.node("A", 30, 114), Self.node("B", 30.005, 114.005), Self.node("C", 29.998, 114.003),
                                          Self.node("D", 30, 114.008)],
                                  edges: [Self.road("A", "B", 1_000, kmh: 72), Self.road("B", "D", 1_000, kmh: 72),
                                          Self.road("A", "C", 500), Self.road("C", "D", 500)])
        // Then both searches say 100 s and 1 000 m, and the path goes by C
        #expect(graph.reach(from: 0, to: 3) == RoadReach(node: 0, seconds: 100, meters: 1_000))
        #expect(RoadHierarchy(graph).cost(from: 0, to: 3) == RoadCost(millis: 100_000, centimeters: 100_000))
        #expect(graph.path(from: 0, to: 3) == [0, 2, 3])
        #expect(graph.path(from: 3, to: 3) == [3])
    }

    @Test("A point attaches to the node nearest by great-circle distance, inside the graph's box or outside it")
    func nearestNodeAttach() throws {
        // Given a jittered 12 × 12 lattice of nodes about 100 m apart
        var nodes: [RoadNode] = []
        for r in 0..<12 {
            for c in 0..<12 {
                let jitter = Double((r * 7 + c * 13) % 11) * 0.00007
                nodes.append(Self.node("N\(r)-\(c)", 30 + Double(r) * 0.0009 + jitter, 114 + Double(c) * 0.001 - jitter))
            }
        }
        let graph = try RoadGraph(nodes: nodes, edges: [Self.road("N0-0", "N0-1", 100)])
        // When points on a finer lattice reaching past every side are attached
        for i in -10..<70 {
            for j in -10..<70 {
                let p = GeoPoint(lat: 29.995 + Double(i) * 0.00031, lon: 113.995 + Double(j) * 0.00037)
                // Then each gets the node a brute-force scan finds
                let expected = nodes.indices.min { (nodes[$0].location.meters(to: p), $0) < (nodes[$1].location.meters(to: p), $1) }!
                let got = graph.nearestNode(to: p)
                #expect(got == expected, "point \(p): got \(nodes[got].id), expected \(nodes[expected].id)")
                if got != expected { return }
            }
        }
    }

    @Test("A search stops when visit answers false, having settled nodes in order of time")
    func earlyStop() throws {
        // Given a line of ten nodes 100 m apart, the target at one end
        let nodes = (0..<10).map { Self.node("N\($0)", 30, 114 + Double($0) * 0.001) }
        let edges = (0..<9).map { Self.road("N\($0)", "N\($0 + 1)", 100) }
        let graph = try RoadGraph(nodes: nodes, edges: edges)
        // When the visitor stops at the third settled node
        var seen: [RoadReach] = []
        graph.searchToward(0) { seen.append($0); return seen.count < 3 }
        // Then exactly three were settled, nearest first
        #expect(seen == [RoadReach(node: 0, seconds: 0, meters: 0), RoadReach(node: 1, seconds: 10, meters: 100),
                         RoadReach(node: 2, seconds: 20, meters: 200)])
    }

    @Test("A dead-end one-way street strands its end node; a way back makes the graph whole")
    func deadEndOneWay() throws {
        // Given A–B two-way and B→C one way with nothing leaving C
        let nodes = [Self.node("A", 30, 114), Self.node("B", 30, 114.001), Self.node("C", 30, 114.002)]
        let stranded = try RoadGraph(nodes: nodes, edges: [Self.road("A", "B", 100), Self.road("B", "C", 100, oneway: true)])
        // Then C is named: it is reached but cannot reach A
        #expect(stranded.unreachableNode() == "C")
        // And C→A one way closes the loop
        let whole = try RoadGraph(nodes: nodes, edges: [Self.road("A", "B", 100), Self.road("B", "C", 100, oneway: true),
                                                        Self.road("C", "A", 200, oneway: true)])
        #expect(whole.unreachableNode() == nil)
        // And a node with no roads at all is named too
        let island = try RoadGraph(nodes: nodes, edges: [Self.road("A", "B", 100)])
        #expect(island.unreachableNode() == "C")
    }

    @Test("A graph that is not one is refused, naming the edge or node at fault")
    func refusals() {
        let a = Self.node("A", 30, 114), b = Self.node("B", 30, 114.001)
        #expect(throws: RoadGraphError.emptyGraph) { try RoadGraph(nodes: [], edges: []) }
        #expect(throws: RoadGraphError.duplicateNode(id: "A", first: 0, second: 2)) { try RoadGraph(nodes: [a, b, a], edges: []) }
        #expect(throws: RoadGraphError.unknownNode(edge: 1, id: "Z")) {
            try RoadGraph(nodes: [a, b], edges: [Self.road("A", "B", 100), Self.road("B", "Z", 100)])
        }
        #expect(throws: RoadGraphError.badLength(edge: 0, meters: 0)) { try RoadGraph(nodes: [a, b], edges: [Self.road("A", "B", 0)]) }
        #expect(throws: RoadGraphError.badSpeed(edge: 0, kmh: -5)) { try RoadGraph(nodes: [a, b], edges: [Self.road("A", "B", 9, kmh: -5)]) }
        #expect(throws: RoadGraphError.badLocation(node: 1, id: "B")) {
            try RoadGraph(nodes: [a, Self.node("B", 91, 114)], edges: [])
        }
    }

    @Test("The top speed is the fastest edge's, and a degree of latitude is about 111.2 km")
    func topSpeedAndDistance() throws {
        let graph = try RoadGraph(nodes: [Self.node("A", 30, 114), Self.node("B", 30, 114.001)],
                                  edges: [Self.road("A", "B", 100, kmh: 50), Self.road("B", "A", 100, kmh: 80, oneway: true)])
        #expect(graph.topSpeedKmh == 80)
        let degree = GeoPoint(lat: 30, lon: 114).meters(to: GeoPoint(lat: 31, lon: 114))
        #expect(abs(degree - 111_195) < 5)
    }
}
