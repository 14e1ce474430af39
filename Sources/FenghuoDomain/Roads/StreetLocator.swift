import Foundation

/// Where an address typed at intake lies: on the road its text names (`滨湖区湖心路8号` → a node
/// of 湖心路), the house number choosing the node along it, so a new incident's ETAs are
/// measured from its street and not from its district's seat.
public struct StreetLocator: Sendable, Hashable {
    /// Each named road's nodes, west to east then south to north.
    private let streets: [String: [GeoPoint]]
    /// The names, longest first: 湖心路一巷 is tried before 湖心路.
    private let names: [String]
    /// The city's extent as its roads draw it, 2 km around (where a typed `LAT,LON` may lie).
    public let bounds: GeoBounds?

    public init(nodes: [RoadNode], edges: [RoadEdge]) {
        let at = Dictionary(nodes.map { ($0.id, $0.location) }, uniquingKeysWith: { a, _ in a })
        var points: [String: Set<String>] = [:]
        for edge in edges where !edge.name.isEmpty {
            points[edge.name, default: []].formUnion([edge.from, edge.to])
        }
        streets = points.mapValues { ids in
            ids.compactMap { at[$0] }.sorted { ($0.lon, $0.lat) < ($1.lon, $1.lat) }
        }
        names = streets.keys.sorted { ($0.count, $0) > ($1.count, $1) }
        bounds = GeoBounds(around: nodes.map(\.location), marginMeters: 2_000)
    }

    /// A point on the road `address` names (at least two characters long), nil when it names none.
    public func locate(_ address: String) -> GeoPoint? {
        guard let name = names.first(where: { $0.count >= 2 && address.contains($0) }) else { return nil }
        return locate(address, on: name)
    }

    /// Each named road and its middle node (what the gazetteer places a road name at).
    public var roadPoints: [(name: String, point: GeoPoint)] {
        names.sorted().compactMap { name in streets[name].flatMap { $0.isEmpty ? nil : (name, $0[$0.count / 2]) } }
    }

    private func locate(_ address: String, on name: String) -> GeoPoint? {
        guard let points = streets[name], !points.isEmpty else { return nil }
        let after = address.range(of: name).map { address[$0.upperBound...] } ?? ""
        let number = Int(String(after.prefix { $0.isASCII && $0.isNumber })) ?? 1
        return points[(max(1, number) - 1) / 2 % points.count]
    }
}
