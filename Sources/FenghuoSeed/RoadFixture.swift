import FenghuoDomain
import Foundation

/// `Fixtures/roads/`: the road graph every ETA is computed on, read and written in the
/// fixtures' TSV style. `oneway` is `1` (from → to only) or `0` (both ways); lengths are metres.
public enum RoadFixture {
    public static let folder = "roads"
    public static let nodesFile = "nodes.tsv"
    public static let edgesFile = "edges.tsv"
    public static let nodeColumns = ["id", "lat", "lon"]
    public static let edgeColumns = ["from", "to", "length_m", "speed_kmh", "oneway", "name"]

    /// The nodes, edges and graph of `dir/roads/`; every line is checked, an edge naming a
    /// missing node is an error at its line and field, and a graph in which some node cannot
    /// reach, or cannot be reached from, the rest is refused naming that node's line.
    public static func load(from dir: URL) throws(FixtureError) -> (network: RoadNetwork, graph: RoadGraph) {
        let roads = dir.appendingPathComponent(folder)
        let nodesTable = try TSVTable.load(nodesFile, in: roads, columns: nodeColumns)
        var nodes: [RoadNode] = []
        nodes.reserveCapacity(nodesTable.rows.count)
        var lineOfNode: [String: Int] = [:]
        for row in nodesTable.rows {
            let id = row.text("id")
            guard id.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }), id.count <= 40 else {
                throw row.error("id", "'\(id)' is not a node id (at most 40 characters, no spaces or control characters)")
            }
            if let first = lineOfNode[id] { throw row.error("id", "'\(id)' appears twice (first on line \(first))") }
            lineOfNode[id] = row.line
            nodes.append(RoadNode(id: id, location: GeoPoint(lat: try row.double("lat", in: -90...90),
                                                             lon: try row.double("lon", in: -180...180))))
        }
        guard !nodes.isEmpty else { throw FixtureError(file: nodesTable.file, message: "has no nodes; the city needs its roads") }

        let edgesTable = try TSVTable.load(edgesFile, in: roads, columns: edgeColumns)
        var edges: [RoadEdge] = []
        edges.reserveCapacity(edgesTable.rows.count)
        for row in edgesTable.rows {
            for field in ["from", "to"] where lineOfNode[row.text(field)] == nil {
                throw row.error(field, "no node has id '\(row.text(field))' in \(nodesFile)")
            }
            let oneway: Bool
            switch row.text("oneway") {
            case "1": oneway = true
            case "0": oneway = false
            default: throw row.error("oneway", "'\(row.text("oneway"))' is neither 1 (from → to only) nor 0 (both ways)")
            }
            guard row.text("name").count <= 40 else { throw row.error("name", "is longer than 40 characters") }
            edges.append(RoadEdge(from: row.text("from"), to: row.text("to"),
                                  lengthMeters: try row.double("length_m", in: 0.1...1_000_000),
                                  speedKmh: try row.double("speed_kmh", in: 1...200), oneway: oneway, name: row.text("name")))
        }
        let graph: RoadGraph
        do throws(RoadGraphError) {
            graph = try RoadGraph(nodes: nodes, edges: edges)
        } catch {
            // The rows were checked above; what is left names an input position.
            throw FixtureError(file: edgesTable.file, message: "is not a road graph: \(error)")
        }
        if let stranded = graph.unreachableNode() {
            let first = nodes[0].id
            throw FixtureError(file: nodesTable.file, line: lineOfNode[stranded], field: "id", message:
                "node '\(stranded)' cannot be reached from node '\(first)', or cannot reach it: every road node must be reachable "
                + "both ways; add edges in \(edgesFile) that join it (a one-way street needs a way back)")
        }
        return (RoadNetwork(nodes: nodes, edges: edges), graph)
    }

    /// Writes `network` as `dir/roads/nodes.tsv` and `edges.tsv` (creating the folder).
    public static func write(_ network: RoadNetwork, to dir: URL) throws {
        let roads = dir.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: roads, withIntermediateDirectories: true)
        var nodes = "# 云川市道路网节点（虚构，由 fenghuo roads generate 生成）：id、纬度、经度（WGS84）\n"
        nodes += nodeColumns.joined(separator: "\t") + "\n"
        for node in network.nodes {
            nodes += "\(node.id)\t\(coordinate(node.location.lat))\t\(coordinate(node.location.lon))\n"
        }
        var edges = "# 云川市道路网路段：length_m 为长度（米），speed_kmh 为通行速度（公里/小时），"
            + "oneway 为 1 表示只能从 from 驶向 to、0 表示双向通行；name 为道路或桥梁名称\n"
        edges += edgeColumns.joined(separator: "\t") + "\n"
        for edge in network.edges {
            edges += "\(edge.from)\t\(edge.to)\t\(number(edge.lengthMeters))\t\(number(edge.speedKmh))\t\(edge.oneway ? 1 : 0)\t\(edge.name)\n"
        }
        try Data(nodes.utf8).write(to: roads.appendingPathComponent(nodesFile))
        try Data(edges.utf8).write(to: roads.appendingPathComponent(edgesFile))
    }

    private static func coordinate(_ x: Double) -> String { String(format: "%.6f", x) }

    private static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}
