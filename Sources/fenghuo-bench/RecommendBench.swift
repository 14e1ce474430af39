import FenghuoDomain
import FenghuoSeed
import Foundation

/// `recommend`: one incident's run card filled by road ETA, with the city's 80-odd units, on the
/// fixture graph and on a scaled one (200,000 nodes; 20,000 with --tiny). The reference is one
/// linear pass over every arc of the same graph (each arc's time read and summed): the memory
/// a search that touched the whole graph could not avoid, measured in the same run. The
/// recommender's contraction hierarchy is built once per graph; its time is printed apart.
extension Bench {
    func recommend() throws -> [BenchFigure] {
        let fixtures = try FixtureSet.load(from: FixtureSet.defaultDirectory())
        guard let cityGraph = fixtures.roads else { throw BenchError("the fixtures have no road graph") }
        let bigCount = plan.judge ? 200_000 : 20_000
        log("generating a \(bigCount)-node road graph …")
        let started = Date()
        let big = try RoadNetworkGenerator(fixtures: fixtures).scaled(nodeCount: bigCount).graph()
        log("generated \(big.nodeCount) nodes, \(big.arcCount) arcs in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        let samples = plan.judge ? 2_000 : 100
        var figures: [BenchFigure] = []
        for (name, graph, target) in [("fixture graph", cityGraph, nil as Double?), ("scaled graph", big, 5.0)] {
            let (times, reference, contraction) = measure(graph: graph, fixtures: fixtures, samples: samples)
            let p99 = Stats.percentile(times, 99)
            let median = Stats.median(times)
            log(String(format: "%@: %d nodes, p99 %.3f ms, median %.3f ms; one pass over all arcs %.3f ms (ratio p99/pass %.2f)",
                       name, graph.nodeCount, p99, median, reference, p99 / reference))
            figures.append(BenchFigure(scenario: "recommend",
                                       metric: "one incident's recommendation, \(graph.nodeCount) nodes, \(fixtures.units.count) units"
                                           + String(format: " (hierarchy built once: %.2f s)", contraction),
                                       unit: "ms", median: median, p99: p99, samples: times.count,
                                       reference: "one pass over all \(graph.arcCount) arcs (×\(String(format: "%.2f", p99 / reference)))",
                                       referenceMedian: reference, target: target.map { "p99 ≤ \($0)" } ?? "—",
                                       pass: target.map { plan.judge ? p99 <= $0 : nil } ?? nil))
        }
        return figures
    }

    /// Recommendation times (ms) for incidents at random nodes, with the fixture's units placed
    /// at random nodes, the median time (ms) of a linear pass over the arcs, and the seconds the
    /// recommender's one-off preprocessing (the contraction hierarchy) took.
    private func measure(graph: RoadGraph, fixtures: FixtureSet, samples: Int) -> ([Double], Double, Double) {
        var random = SeededRandom(seed: 20_261_202)
        let units = fixtures.units.map { u -> ResponseUnit in
            var moved = u
            moved.location = graph.node(random.int(0...graph.nodeCount - 1)).location
            return moved
        }
        let types = fixtures.incidentTypes
        // Counted apart from the queries: built once when a replica (or the simulator) first asks.
        let built = DispatchTime.now().uptimeNanoseconds
        let recommender = DispatchRecommender(graph: graph, runCards: fixtures.runCards)
        let contraction = Double(DispatchTime.now().uptimeNanoseconds - built) / 1e9
        log(String(format: "contraction hierarchy of %d nodes (%d arcs): %.2f s, %d shortcuts", graph.nodeCount, graph.arcCount,
                   contraction, recommender.hierarchy?.shortcutCount ?? 0))
        var times: [Double] = []
        var sent = 0
        for i in 0..<samples {
            let type = random.pick(types)
            let incident = Incident(id: "B\(i)", agency: type.agency, typeCode: type.code, priority: type.priority,
                                    district: fixtures.districts[0].code, address: "", location: graph.node(random.int(0...graph.nodeCount - 1)).location,
                                    callerName: "", callerPhone: "", narrative: "", createdAt: Date())
            let t0 = DispatchTime.now().uptimeNanoseconds
            let r = recommender.recommend(for: incident, units: units)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            sent += r.unitIDs.count
        }
        if sent == 0 { log("warning: no recommendation named a unit") }
        var passes: [Double] = []
        var sink = 0.0
        for _ in 0..<max(5, samples / 20) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            sink += graph.sumOfArcSeconds()
            passes.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        }
        if sink.isNaN { log("") }
        return (times, Stats.median(passes), contraction)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
