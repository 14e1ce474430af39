import ArgumentParser
import FenghuoDomain
import FenghuoSeed
import Foundation

/// `fenghuo roads`: make the city's road fixture and check one.
struct RoadsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roads",
        abstract: "Generate or check the road graph of the demo city (Fixtures/roads/).",
        subcommands: [Generate.self, Check.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write roads/nodes.tsv and roads/edges.tsv, made from the other fixtures (the same for the same seed and size).",
            discussion: "Use --nodes 200000 for the benchmark's large graph; the shipped fixture is the default size and seed.")

        @Option(name: .long, help: "Folder to write roads/ into (e.g. Fixtures).")
        var out: String

        @Option(name: .long, help: "Random seed (default: the shipped fixture's).")
        var seed: UInt64 = RoadNetworkGenerator.defaultSeed

        @Option(name: .long, help: "About how many nodes to make (default 4000).")
        var nodes: Int = RoadNetworkGenerator.fixtureNodeCount

        @Option(name: .long, help: "Fixtures folder the city is read from (default: ./Fixtures, or FENGHUO_FIXTURES).")
        var fixtures: String?

        func validate() throws {
            guard (500...2_000_000).contains(nodes) else { throw ValidationError("--nodes \(nodes) is not in 500…2000000.") }
        }

        func run() throws {
            let dir = fixtures.map { URL(fileURLWithPath: $0) } ?? FixtureSet.defaultDirectory()
            let city: FixtureSet
            do { city = try FixtureSet.load(from: dir, roads: false) } catch {
                throw ValidationError("fixture error: \(error)\nNo roads were written; fix it and run again.")
            }
            let clock = ContinuousClock(), start = clock.now
            let network = RoadNetworkGenerator(fixtures: city, seed: seed).generate(nodeCount: nodes)
            let made = clock.now - start
            let graph = try network.graph()
            if let stranded = graph.unreachableNode() {
                throw ValidationError("the generated graph strands node \(stranded); nothing was written (a generator bug: report the seed \(seed))")
            }
            let outURL = URL(fileURLWithPath: out)
            try RoadFixture.write(network, to: outURL)
            print("roads: \(graph.nodeCount) nodes, \(graph.edgeCount) edges (\(graph.arcCount) directed arcs), made in \(made)")
            print("wrote \(outURL.appendingPathComponent(RoadFixture.folder).path)/{\(RoadFixture.nodesFile),\(RoadFixture.edgesFile)}")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load roads/ as seed does and print its size, connectivity, top speed and one search's time.")

        @Option(name: .long, help: "Fixtures folder (default: ./Fixtures, or FENGHUO_FIXTURES).")
        var fixtures: String?

        func run() throws {
            let dir = fixtures.map { URL(fileURLWithPath: $0) } ?? FixtureSet.defaultDirectory()
            let clock = ContinuousClock(), start = clock.now
            let loaded: (network: RoadNetwork, graph: RoadGraph)
            do { loaded = try RoadFixture.load(from: dir) } catch {
                throw ValidationError("road fixture error: \(error)")
            }
            let took = clock.now - start
            let graph = loaded.graph
            print("nodes: \(graph.nodeCount)")
            print("edges: \(graph.edgeCount) (\(graph.arcCount) directed arcs, \(loaded.network.edges.filter(\.oneway).count) one-way)")
            print("connected: \(graph.unreachableNode().map { "no, node \($0) is stranded" } ?? "yes, every node reaches every other")")
            print("top speed: \(graph.topSpeedKmh) km/h")
            print("loaded in \(took)")
            var settled = 0
            let searchStart = clock.now
            graph.searchToward(graph.nodeCount / 2) { _ in settled += 1; return true }
            print("one full searchToward: \(settled) nodes settled in \(clock.now - searchStart)")
            let contractStart = clock.now
            let hierarchy = RoadHierarchy(graph)
            print("contraction hierarchy (the recommender's): \(hierarchy.shortcutCount) shortcuts in \(clock.now - contractStart)")
        }
    }
}
