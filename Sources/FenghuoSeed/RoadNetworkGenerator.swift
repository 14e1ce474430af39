import FenghuoDomain
import Foundation

/// A road network as lists, ready to be written as fixture files or built into a `RoadGraph`.
public struct RoadNetwork: Sendable, Equatable {
    public var nodes: [RoadNode]
    public var edges: [RoadEdge]

    public init(nodes: [RoadNode], edges: [RoadEdge]) {
        self.nodes = nodes
        self.edges = edges
    }

    public func graph() throws(RoadGraphError) -> RoadGraph { try RoadGraph(nodes: nodes, edges: edges) }
}

/// Makes the roads of 云川市 from the other fixtures, the same for the same seed and size: a
/// jittered street grid over the districts (arterials named from streets.tsv), 二环路 and 三环路,
/// one-way slow lanes in the old town, and 云川江 crossed only by four bridges (two of them
/// 三环路's). Every landmark and unit station gets its own node on its own bank.
public struct RoadNetworkGenerator: Sendable {
    public static let defaultSeed: UInt64 = 20_261_202
    /// The shipped fixture's size.
    public static let fixtureNodeCount = 4_000

    static let bridgeNames = (ringWest: "临江大桥", central: "人民大桥", ringEast: "云台大桥", east: "东港大桥")
    static let innerRing = "二环路"
    static let outerRing = "三环路"
    static let oldTownDistrict = "laocheng"

    let fixtures: FixtureSet
    let seed: UInt64

    public init(fixtures: FixtureSet, seed: UInt64 = defaultSeed) {
        self.fixtures = fixtures
        self.seed = seed
    }

    /// The network with about `nodeCount` nodes (never fewer than the landmarks and stations need).
    public func generate(nodeCount: Int = fixtureNodeCount) -> RoadNetwork {
        var builder = RoadBuilder(fixtures: fixtures, random: SeededRandom(seed: seed), nodeCount: nodeCount)
        builder.build()
        return builder.network
    }

    /// The same city at a much larger size (finer grid, same river, rings and old town), for
    /// benchmarks: at least `nodeCount` nodes (the grid is aimed once more when the first try falls short).
    public func scaled(nodeCount: Int) -> RoadNetwork {
        let first = generate(nodeCount: nodeCount)
        guard first.nodes.count < nodeCount else { return first }
        let aim = Double(nodeCount) * Double(nodeCount) / Double(first.nodes.count) * 1.01
        return generate(nodeCount: Int(aim.rounded(.up)))
    }
}

/// Flat metres around the city's middle latitude: accurate to well under 1% across the city.
struct LocalProjection {
    let lat0: Double
    let metersPerLat: Double
    let metersPerLon: Double

    init(lat0: Double) {
        self.lat0 = lat0
        metersPerLat = GeoPoint.earthRadiusMeters * Double.pi / 180
        metersPerLon = metersPerLat * cos(lat0 * Double.pi / 180)
    }

    func offset(_ p: GeoPoint, north: Double, east: Double) -> GeoPoint {
        GeoPoint(lat: p.lat + north / metersPerLat, lon: p.lon + east / metersPerLon)
    }

    func distance(_ a: GeoPoint, _ b: GeoPoint) -> Double {
        let dy = (a.lat - b.lat) * metersPerLat, dx = (a.lon - b.lon) * metersPerLon
        return (dx * dx + dy * dy).squareRoot()
    }
}

/// A point the network must serve, with the district it belongs to.
struct RoadAnchor {
    let location: GeoPoint
    let district: Int
}

/// Rounds to the six decimals the fixture file keeps, so a written and re-read network is equal.
func fixturePoint(lat: Double, lon: Double) -> GeoPoint {
    GeoPoint(lat: (lat * 1e6).rounded() / 1e6, lon: (lon * 1e6).rounded() / 1e6)
}
