import FenghuoDomain
import Foundation
import Testing
import TestSupport
@testable import FenghuoSeed

/// The contraction hierarchy answers what plain Dijkstra answers, exactly: the same milliseconds
/// and the same centimetres (the tie rule between equally fast paths included), and so the same
/// recommendation, unit for unit.
@Suite("Road hierarchy properties")
struct RoadHierarchyFuzzTests {
    /// A random graph of either kind: `RoadGraphFuzzTests.randomGraph`'s, or a jittered lattice
    /// whose lengths and speeds come from a few round values, so equally fast paths of different
    /// lengths (where a careless tie rule shows) are everywhere.
    static func graph(_ r: inout FuzzRandom) throws -> RoadGraph {
        if r.chance(0.5) { return try RoadGraphFuzzTests.randomGraph(&r) }
        let rows = r.int(1...9), columns = r.int(1...9)
        var nodes: [RoadNode] = []
        for i in 0..<rows {
            for j in 0..<columns {
                nodes.append(RoadNode(id: "L\(i)-\(j)", location: GeoPoint(lat: 30.5 + Double(i) * 0.001 + Double(r.int(0...3)) * 0.0001,
                                                                          lon: 114.3 + Double(j) * 0.001 + Double(r.int(0...3)) * 0.0001)))
            }
        }
        var edges: [RoadEdge] = []
        func road(_ a: Int, _ b: Int) {
            edges.append(RoadEdge(from: nodes[a].id, to: nodes[b].id, lengthMeters: r.pick([150, 200, 300, 400]),
                                  speedKmh: r.pick([18, 36, 72]), oneway: r.chance(0.25), name: "格路"))
        }
        for i in 0..<rows {
            for j in 0..<columns {
                let v = i * columns + j
                if j + 1 < columns, r.chance(0.9) { road(v, v + 1) }
                if i + 1 < rows, r.chance(0.9) { road(v, v + columns) }
                if i + 1 < rows, j + 1 < columns, r.chance(0.15) { road(v, v + columns + 1) }
            }
        }
        return try RoadGraph(nodes: nodes, edges: edges)
    }

    @Test("From every node to a random target, the hierarchy's cost is plain Dijkstra's to the millisecond and centimetre")
    func hierarchyMatchesDijkstra() {
        let check = checkProperty("hierarchyMatchesDijkstra", share: 0.5) { r in
            let graph = try Self.graph(&r)
            let hierarchy = RoadHierarchy(graph)
            for _ in 0..<3 {
                let target = r.int(0...(graph.nodeCount - 1))
                var expected = [RoadReach?](repeating: nil, count: graph.nodeCount)
                graph.searchToward(target) { expected[$0.node] = $0; return true }
                let sources = Array(0..<graph.nodeCount) + (0..<r.int(0...5)).map { _ in r.int(0...(graph.nodeCount - 1)) }
                let got = hierarchy.costs(from: sources, toward: target)
                for (k, source) in sources.enumerated() {
                    let want = expected[source].map { "\($0.seconds) s, \($0.meters) m" } ?? "unreachable"
                    let have = got[k].map { "\($0.seconds) s, \($0.meters) m" } ?? "unreachable"
                    try require(want == have, "node \(source) → \(target): Dijkstra \(want), hierarchy \(have)")
                }
            }
        }
        #expect(check.held, "\(check)")
    }

    @Test("A recommendation by the hierarchy is the plain search's, on random graphs, units, statuses and cards")
    func recommendationsMatch() {
        let kinds = ["水罐消防车", "云梯消防车", "救护车"]
        let now = Date(timeIntervalSince1970: 1_796_090_400)
        let check = checkProperty("recommendationsMatch", share: 0.5) { r in
            let graph = try Self.graph(&r)
            let lines = kinds.filter { _ in r.chance(0.7) }.map {
                RunCardLine(typeCode: "fire_home", priority: nil, district: nil, kind: $0, count: r.int(1...3))
            }
            let cards = RunCards(lines)
            let fast = DispatchRecommender(graph: graph, runCards: cards)
            let plain = DispatchRecommender(graph: graph, runCards: cards, search: .dijkstra)
            func somewhere() -> GeoPoint {
                let p = graph.node(r.int(0...(graph.nodeCount - 1))).location
                return r.chance(0.5) ? p : GeoPoint(lat: p.lat + Double(r.int(-5...5)) * 0.0001, lon: p.lon + Double(r.int(-5...5)) * 0.0001)
            }
            let units = (0..<r.int(0...30)).map { i in
                let status = r.pick(UnitStatus.allCases)
                return ResponseUnit(id: "U\(r.int(0...99))-\(i)", agency: .fire, kind: r.pick(kinds), name: "U\(i)",
                                    district: r.pick(["binhu", "jiangbei"]), station: "站", location: somewhere(), status: status,
                                    incidentID: status.isCommitted ? r.pick(["J1", "J2"]) : nil, statusChangedAt: now)
            }
            let incident = Incident(id: "J1", agency: .fire, typeCode: "fire_home", priority: .critical, district: "binhu",
                                    address: "滨江路1号", location: somewhere(), callerName: "李四", callerPhone: "139",
                                    narrative: "三楼冒烟", createdAt: now)
            let alternates = r.int(0...3)
            let a = fast.recommend(for: incident, units: units, alternates: alternates)
            let b = plain.recommend(for: incident, units: units, alternates: alternates)
            try require(a == b, "hierarchy \(a.lines.map { ($0.picks.map(\.unitID), $0.alternates.map(\.unitID)) }) vs "
                        + "Dijkstra \(b.lines.map { ($0.picks.map(\.unitID), $0.alternates.map(\.unitID)) })")
        }
        #expect(check.held, "\(check)")
    }

    @Test("On the shipped roads and on a scaled city, the hierarchy agrees with Dijkstra between random nodes")
    func shippedAndScaledRoadsAgree() throws {
        let city = try #require(DemoCity.fixtures.roads)
        let scaled = try RoadNetworkGenerator(fixtures: DemoCity.fixtures).scaled(nodeCount: 12_000).graph()
        for graph in [city, scaled] {
            let hierarchy = RoadHierarchy(graph)
            let check = checkProperty("shippedAndScaledRoadsAgree-\(graph.nodeCount)", share: 0.03) { r in
                let target = r.int(0...(graph.nodeCount - 1))
                let sources = (0..<40).map { _ in r.int(0...(graph.nodeCount - 1)) }
                var expected: [Int: RoadReach] = [:]
                let wanted = Set(sources)
                graph.searchToward(target) { reach in
                    if wanted.contains(reach.node) { expected[reach.node] = reach }
                    return expected.count < wanted.count
                }
                for (source, cost) in zip(sources, hierarchy.costs(from: sources, toward: target)) {
                    try require(cost?.seconds == expected[source]?.seconds && cost?.meters == expected[source]?.meters,
                                "\(graph.node(source).id) → \(graph.node(target).id): Dijkstra \(String(describing: expected[source])), hierarchy \(String(describing: cost))")
                }
            }
            #expect(check.held, "\(check)")
        }
    }
}
