import FenghuoDomain
import Foundation
import Testing
import TestSupport
@testable import FenghuoSeed

@Suite("Road fixture")
struct RoadFixtureTests {
    static let edgesFile = "roads/edges.tsv"
    static let nodesFile = "roads/nodes.tsv"

    @Test("The shipped roads load with the fixtures: at least 3 000 nodes, every node reaching every other")
    func shippedRoadsLoad() throws {
        // Given the shipped fixtures, loaded as seed and central init load them
        let fixtures = DemoCity.fixtures
        let graph = try #require(fixtures.roads, "FixtureSet.load left the roads out")
        // Then the graph is large enough, strongly connected, and the raw rows are kept for seeding
        #expect(graph.nodeCount >= 3_000)
        #expect(graph.unreachableNode() == nil)
        #expect(fixtures.roadNodes.count == graph.nodeCount)
        #expect(fixtures.roadEdges.count == graph.edgeCount)
        #expect((70...80).contains(graph.topSpeedKmh))
    }

    @Test("Every landmark and unit station has a road node where it stands")
    func placesHaveNodes() throws {
        let fixtures = DemoCity.fixtures
        let graph = try #require(fixtures.roads)
        let places = fixtures.landmarks.values.flatMap { $0.map { ($0.name, $0.location) } } + fixtures.units.map { ($0.station, $0.location) }
        for (name, point) in places {
            let node = graph.node(graph.nearestNode(to: point))
            // A station's units stand a few metres apart; the node is at the first one's position.
            #expect(node.location.meters(to: point) < 100, "\(name) is \(node.location.meters(to: point)) m from its node \(node.id)")
        }
    }

    @Test("云川江 is crossed only by four named bridges, and the city across it is far by road")
    func riverAndBridges() throws {
        let fixtures = DemoCity.fixtures
        let graph = try #require(fixtures.roads)
        let river = CityRiver()
        // Given every edge whose two ends lie on different banks
        let crossings = fixtures.roadEdges.filter { edge in
            river.isNorth(graph.node(graph.index(of: edge.from)!).location) != river.isNorth(graph.node(graph.index(of: edge.to)!).location)
        }
        // Then they are the four bridges, once each
        #expect(crossings.map(\.name).sorted() == ["东港大桥", "临江大桥", "云台大桥", "人民大桥"].sorted())
        // And the districts' landmarks lie on their own bank
        for (code, landmarks) in fixtures.landmarks {
            for landmark in landmarks {
                #expect(river.isNorth(landmark.location) == CityRiver.northBankDistricts.contains(code), "\(landmark.name) of \(code)")
            }
        }
        // And a node just across the river from a south-bank node (under 700 m) is more than 3 minutes away by road
        var found = false
        for u in 0..<graph.nodeCount where !river.isNorth(graph.node(u).location) && graph.node(u).id.hasPrefix("J") {
            guard let v = (0..<graph.nodeCount).first(where: {
                river.isNorth(graph.node($0).location) && graph.node($0).location.meters(to: graph.node(u).location) < 700
            }) else { continue }
            if let seconds = graph.travelSeconds(from: v, to: u), seconds > 180 { found = true; break }
        }
        #expect(found, "no cross-river pair under 700 m needs more than 3 minutes")
    }

    @Test("The old town has one-way lanes at 15–20 km/h")
    func oldTownLanes() {
        let lanes = DemoCity.fixtures.roadEdges.filter { $0.oneway }
        #expect(lanes.count >= 20)
        #expect(lanes.allSatisfy { (15...20).contains($0.speedKmh) })
    }

    @Test("The shipped roads are what the generator makes from the shipped city (regenerate with fenghuo roads generate)")
    func shippedRoadsAreGenerated() throws {
        let city = try FixtureSet.load(from: DemoCity.fixturesDirectory, roads: false)
        let network = RoadNetworkGenerator(fixtures: city).generate()
        #expect(network.nodes == DemoCity.fixtures.roadNodes)
        #expect(network.edges == DemoCity.fixtures.roadEdges)
    }

    @Test("An edge to a missing node stops the load at its file, line and field")
    func edgeToMissingNode() throws {
        try withFixtureCopy { copy in
            // Given an edge whose 'to' names no node
            let file = copy.appendingPathComponent(Self.edgesFile)
            let first = try #require(try records(of: file).first)
            let line = try replaceLine(startingWith: first[0] + "\t" + first[1] + "\t", in: file,
                                       with: ([first[0], "NOWHERE"] + first[2...]).joined(separator: "\t"))
            // When the fixtures load
            let error = try #require(loadFailure(copy), "an edge to a missing node loaded")
            // Then the error says edges.tsv:line: field 'to'
            #expect(error.description.hasPrefix("\(file.path):\(line): field 'to': "), "\(error)")
            #expect(error.message.contains("NOWHERE"))
        }
    }

    @Test("A bad speed and a bad oneway flag are named at their line and field")
    func badFields() throws {
        for (column, value, says) in [(3, "0", "speed_kmh"), (4, "yes", "oneway"), (2, "-3", "length_m")] {
            try withFixtureCopy { copy in
                let file = copy.appendingPathComponent(Self.edgesFile)
                var record = try #require(try records(of: file).first)
                let prefix = record[0] + "\t" + record[1] + "\t"
                record[column] = value
                let line = try replaceLine(startingWith: prefix, in: file, with: record.joined(separator: "\t"))
                let error = try #require(loadFailure(copy), "\(says) '\(value)' loaded")
                #expect(error.file == file.path && error.line == line && error.field == says, "\(error)")
            }
        }
    }

    @Test("A road graph that is not connected is refused, naming a node that cannot be reached")
    func disconnectedGraphIsRefused() throws {
        try withFixtureCopy { copy in
            // Given a new node reached only by a one-way street into it
            let nodes = copy.appendingPathComponent(Self.nodesFile)
            let line = try appendLine("Z-STRANDED\t30.520000\t114.310000", to: nodes)
            let someNode = try #require(try records(of: nodes).first?.first)
            try appendLine("\(someNode)\tZ-STRANDED\t120\t30\t1\t死胡同", to: copy.appendingPathComponent(Self.edgesFile))
            // When the fixtures load
            let error = try #require(loadFailure(copy), "a stranded node loaded")
            // Then the error names the node, at its line of nodes.tsv
            #expect(error.file == nodes.path)
            #expect(error.line == line)
            #expect(error.field == "id")
            #expect(error.message.contains("Z-STRANDED"), "\(error)")
        }
    }

    @Test("A node id given twice is named at its second line")
    func duplicateNode() throws {
        try withFixtureCopy { copy in
            let nodes = copy.appendingPathComponent(Self.nodesFile)
            let first = try #require(try records(of: nodes).first)
            let line = try appendLine(first.joined(separator: "\t"), to: nodes)
            let error = try #require(loadFailure(copy))
            #expect(error.file == nodes.path && error.line == line && error.field == "id", "\(error)")
            #expect(error.message.contains("twice"))
        }
    }

    @Test("A written network reads back equal")
    func writeAndReadBack() throws {
        try withFixtureCopy { copy in
            let network = RoadNetwork(nodes: Array(DemoCity.fixtures.roadNodes), edges: DemoCity.fixtures.roadEdges)
            try RoadFixture.write(network, to: copy)
            #expect(try RoadFixture.load(from: copy).network == network)
        }
    }

    /// 30 000 nodes keeps `make test` quick; `fenghuo roads generate --nodes 200000` makes the benchmark's graph the same way.
    @Test("The scaled city has at least the nodes asked for and is strongly connected")
    func scaledCity() throws {
        let city = try FixtureSet.load(from: DemoCity.fixturesDirectory, roads: false)
        let clock = ContinuousClock()
        var start = clock.now
        let network = RoadNetworkGenerator(fixtures: city).scaled(nodeCount: 30_000)
        let made = clock.now - start
        let graph = try network.graph()
        #expect(graph.nodeCount >= 30_000)
        #expect(graph.unreachableNode() == nil)
        // Measured, not asserted: one full search over the whole graph (printed for the notes).
        start = clock.now
        var settled = 0
        graph.searchToward(graph.nodeCount / 2) { _ in settled += 1; return true }
        let full = clock.now - start
        start = clock.now
        let fixture = try #require(DemoCity.fixtures.roads)
        fixture.searchToward(fixture.nodeCount / 2) { _ in true }
        print("roads: scaled \(graph.nodeCount) nodes / \(graph.edgeCount) edges made in \(made); full searchToward \(full) (\(settled) settled); "
              + "fixture \(fixture.nodeCount) nodes / \(fixture.edgeCount) edges: full searchToward \(clock.now - start)")
        #expect(settled == graph.nodeCount)
    }
}
