import FenghuoDomain
import Foundation
import Testing
import TestSupport
@testable import FenghuoSeed

/// No road is faster than its straight line driven at the graph's top speed, so no ETA may be
/// either: the property the recommender's ETAs rest on.
@Suite("Road graph properties")
struct RoadGraphFuzzTests {
    /// A random road graph in a box of up to ~6 km: random points, random edges (each at least as
    /// long as its straight line, at 5–120 km/h, some one way), sometimes a chain so most nodes join.
    static func randomGraph(_ r: inout FuzzRandom) throws -> RoadGraph {
        let n = r.int(1...80)
        let span = Double(r.int(1...50)) * 0.001
        let nodes = (0..<n).map { i in
            RoadNode(id: "N\(i)", location: GeoPoint(lat: 30.5 + Double.random(in: 0...span, using: &r),
                                                     lon: 114.3 + Double.random(in: 0...span, using: &r)))
        }
        func edge(_ a: Int, _ b: Int) -> RoadEdge {
            let straight = nodes[a].location.meters(to: nodes[b].location)
            let detour = r.chance(0.3) ? 1 : Double.random(in: 1...3, using: &r)
            return RoadEdge(from: nodes[a].id, to: nodes[b].id, lengthMeters: max(0.5, straight * detour),
                            speedKmh: Double(r.int(5...120)), oneway: r.chance(0.3), name: "路")
        }
        var edges: [RoadEdge] = []
        if r.chance(0.7) { for i in 1..<max(1, n) { edges.append(edge(i - 1, i)) } }
        for _ in 0..<r.int(0...(3 * n)) { edges.append(edge(r.int(0...(n - 1)), r.int(0...(n - 1)))) }
        return try RoadGraph(nodes: nodes, edges: edges)
    }

    @Test("An ETA never beats the straight-line distance at the graph's top speed, on random graphs")
    func etaNeverBeatsStraightLine() {
        let check = checkProperty("etaNeverBeatsStraightLine") { r in
            let graph = try Self.randomGraph(&r)
            let target = r.int(0...(graph.nodeCount - 1))
            let top = graph.topSpeedKmh / 3.6
            var last = -1.0
            graph.searchToward(target) { reach in
                let straight = graph.node(reach.node).location.meters(to: graph.node(target).location)
                // The bound is checked as a product so rounding cannot hide a real beat.
                if top > 0 && reach.seconds * top < straight * (1 - 1e-9) - 1e-6 {
                    last = .infinity
                    return false
                }
                if reach.seconds < last { last = .infinity; return false }
                last = reach.seconds
                return true
            }
            try require(last != .infinity, "an ETA beat the straight line at \(graph.topSpeedKmh) km/h, or times went down, toward node \(target)")
        }
        #expect(check.held, "\(check)")
    }

    @Test("Settled times agree with a brute-force Bellman–Ford on random graphs")
    func searchMatchesBellmanFord() {
        let check = checkProperty("searchMatchesBellmanFord", share: 0.5) { r in
            let graph = try Self.randomGraph(&r)
            let target = r.int(0...(graph.nodeCount - 1))
            // Relax every arc until nothing changes, from the arcs' own definition (length ÷ speed).
            var best = [Double](repeating: .infinity, count: graph.nodeCount)
            best[target] = 0
            var changed = true
            while changed {
                changed = false
                for v in 0..<graph.nodeCount {
                    for arc in graph.arcs(from: v) where best[arc.to] + arc.seconds < best[v] {
                        best[v] = best[arc.to] + arc.seconds
                        changed = true
                    }
                }
            }
            var got = [Double](repeating: .infinity, count: graph.nodeCount)
            graph.searchToward(target) { got[$0.node] = $0.seconds; return true }
            for v in 0..<graph.nodeCount {
                let same = (got[v].isInfinite && best[v].isInfinite) || abs(got[v] - best[v]) <= 1e-9 * max(1, best[v])
                try require(same, "node \(v): search says \(got[v]) s, Bellman–Ford \(best[v]) s")
            }
        }
        #expect(check.held, "\(check)")
    }

    @Test("On the shipped roads, no ETA between random nodes beats the straight line at the top speed")
    func shippedRoadsNeverBeatStraightLine() throws {
        let graph = try #require(DemoCity.fixtures.roads)
        let top = graph.topSpeedKmh / 3.6
        let check = checkProperty("shippedRoadsNeverBeatStraightLine", share: 0.05) { r in
            let target = r.int(0...(graph.nodeCount - 1))
            var worst: (Int, Double)?
            graph.searchToward(target) { reach in
                let straight = graph.node(reach.node).location.meters(to: graph.node(target).location)
                if reach.seconds * top < straight - 1e-6 { worst = (reach.node, reach.seconds); return false }
                return true
            }
            try require(worst == nil, "node \(worst.map { graph.node($0.0).id } ?? "") reaches \(graph.node(target).id) in \(worst?.1 ?? 0) s")
        }
        #expect(check.held, "\(check)")
    }
}
