import FenghuoDomain
import Foundation

/// The generator's working state: nodes on a grid of rows (south → north) and columns (west →
/// east), then the rings, bridges and access roads laid over it.
struct RoadBuilder {
    let fixtures: FixtureSet
    var random: SeededRandom
    let nodeCount: Int
    let river = CityRiver()

    var network = RoadNetwork(nodes: [], edges: [])
    var north: [Bool] = []
    var parent: [Int32] = []

    // The grid.
    var projection = LocalProjection(lat0: 30.5)
    var minLat = 0.0, minLon = 0.0
    var spacing = 300.0
    var rows = 0, columns = 0
    var cells: [Int32] = []  // node index per grid cell, -1 where no road is
    var cellDistrict: [Int] = []
    var oldTown: [Bool] = []
    var arterialEvery = 5

    init(fixtures: FixtureSet, random: SeededRandom, nodeCount: Int) {
        self.fixtures = fixtures
        self.random = random
        self.nodeCount = nodeCount
    }

    mutating func build() {
        let anchors = makeAnchors()
        layGrid(anchors: anchors)
        var dropped = layGridStreets()
        layRing(name: RoadNetworkGenerator.innerRing, radius: 2_600, speeds: [70, 80], bridges: [])
        layRing(name: RoadNetworkGenerator.outerRing, radius: 7_500, speeds: [80],
                bridges: [RoadNetworkGenerator.bridgeNames.ringWest, RoadNetworkGenerator.bridgeNames.ringEast])
        layBridge(name: RoadNetworkGenerator.bridgeNames.central, lon: 114.300)
        layBridge(name: RoadNetworkGenerator.bridgeNames.east, lon: 114.432)
        attachPlaces()
        // A dropped street that alone joined two parts of the city comes back.
        for (a, b, edge) in dropped where find(a) != find(b) { add(edge, a, b) }
        dropped.removeAll()
        joinComponents()
    }

    // MARK: Nodes and edges

    mutating func addNode(_ id: String, _ p: GeoPoint) -> Int {
        network.nodes.append(RoadNode(id: id, location: p))
        north.append(river.isNorth(p))
        parent.append(Int32(parent.count))
        return network.nodes.count - 1
    }

    func edge(_ a: Int, _ b: Int, speed: Double, oneway: Bool = false, name: String) -> RoadEdge {
        let length = max(1, network.nodes[a].location.meters(to: network.nodes[b].location).rounded(.up))
        return RoadEdge(from: network.nodes[a].id, to: network.nodes[b].id, lengthMeters: length, speedKmh: speed,
                        oneway: oneway, name: name)
    }

    mutating func add(_ edge: RoadEdge, _ a: Int, _ b: Int) {
        network.edges.append(edge)
        let ra = find(a), rb = find(b)
        if ra != rb { parent[ra] = Int32(rb) }
    }

    mutating func find(_ v: Int) -> Int {
        var root = v
        while Int(parent[root]) != root { root = Int(parent[root]) }
        var x = v
        while Int(parent[x]) != root {
            let next = Int(parent[x])
            parent[x] = Int32(root)
            x = next
        }
        return root
    }

    func location(_ i: Int) -> GeoPoint { network.nodes[i].location }

    // MARK: The grid

    func makeAnchors() -> [RoadAnchor] {
        let districtIndex = Dictionary(uniqueKeysWithValues: fixtures.districts.enumerated().map { ($1.code, $0) })
        var anchors = fixtures.districts.enumerated().map { RoadAnchor(location: $1.location, district: $0) }
        for district in fixtures.districts {
            for landmark in fixtures.landmarks[district.code] ?? [] {
                anchors.append(RoadAnchor(location: landmark.location, district: districtIndex[district.code]!))
            }
        }
        for unit in fixtures.units { anchors.append(RoadAnchor(location: unit.location, district: districtIndex[unit.district] ?? 0)) }
        return anchors
    }

    /// Grid nodes wherever an anchor is within 2.4 km, spaced so the whole network comes near `nodeCount`.
    mutating func layGrid(anchors: [RoadAnchor]) {
        let reach = 2_400.0, coarse = 250.0, margin = 0.025
        minLat = anchors.map(\.location.lat).min()! - margin
        minLon = anchors.map(\.location.lon).min()! - margin
        let maxLat = anchors.map(\.location.lat).max()! + margin, maxLon = anchors.map(\.location.lon).max()! + margin
        projection = LocalProjection(lat0: (minLat + maxLat) / 2)
        let heightM = (maxLat - minLat) * projection.metersPerLat, widthM = (maxLon - minLon) * projection.metersPerLon
        // A coarse raster tells which ground is city (and whose) before the grid's spacing is known.
        let coarseRows = Int(heightM / coarse) + 1, coarseColumns = Int(widthM / coarse) + 1
        var coarseDistrict = [Int](repeating: -1, count: coarseRows * coarseColumns)
        for r in 0..<coarseRows {
            for c in 0..<coarseColumns {
                let p = projection.offset(GeoPoint(lat: minLat, lon: minLon), north: (Double(r) + 0.5) * coarse,
                                          east: (Double(c) + 0.5) * coarse)
                var best = reach, district = -1
                for anchor in anchors {
                    let d = projection.distance(p, anchor.location)
                    if d < best { best = d; district = anchor.district }
                }
                coarseDistrict[r * coarseColumns + c] = district
            }
        }
        let cityArea = Double(coarseDistrict.filter { $0 >= 0 }.count) * coarse * coarse
        let placeNodes = Double(fixtures.landmarks.values.map(\.count).reduce(0, +) + Set(fixtures.units.map(\.station)).count)
        let gridTarget = max(100, Double(nodeCount) * 0.97 - placeNodes)
        spacing = (cityArea / gridTarget).squareRoot()
        // The raster's edges make the first guess off by a few per cent; one count corrects it.
        func gridNodes(_ spacing: Double) -> Int {
            var n = 0
            for r in 0...Int(heightM / spacing) {
                for c in 0...Int(widthM / spacing) where coarseDistrict[min(coarseRows - 1, Int(Double(r) * spacing / coarse))
                    * coarseColumns + min(coarseColumns - 1, Int(Double(c) * spacing / coarse))] >= 0 { n += 1 }
            }
            return n
        }
        spacing *= (Double(gridNodes(spacing)) / gridTarget).squareRoot()
        arterialEvery = max(3, Int((1_300 / spacing).rounded()))
        rows = Int(heightM / spacing) + 1
        columns = Int(widthM / spacing) + 1
        cells = [Int32](repeating: -1, count: rows * columns)
        cellDistrict = [Int](repeating: -1, count: rows * columns)
        oldTown = []
        let oldTownCentre = fixtures.districts.first { $0.code == RoadNetworkGenerator.oldTownDistrict }?.location
        for r in 0..<rows {
            for c in 0..<columns {
                let northM = Double(r) * spacing, eastM = Double(c) * spacing
                let district = coarseDistrict[min(coarseRows - 1, Int(northM / coarse)) * coarseColumns
                                              + min(coarseColumns - 1, Int(eastM / coarse))]
                guard district >= 0 else { continue }
                let jitter = spacing * 0.2
                let base = projection.offset(GeoPoint(lat: minLat, lon: minLon),
                                             north: northM + Double.random(in: -jitter...jitter, using: &random),
                                             east: eastM + Double.random(in: -jitter...jitter, using: &random))
                let p = fixturePoint(lat: base.lat, lon: base.lon)
                let i = addNode("J\(r)-\(c)", p)
                cells[r * columns + c] = Int32(i)
                cellDistrict[r * columns + c] = district
                let inOldTown = fixtures.districts[district].code == RoadNetworkGenerator.oldTownDistrict
                    && oldTownCentre.map { projection.distance($0, p) <= 2_500 } == true
                oldTown.append(inOldTown)
            }
        }
    }

    static let ordinals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]

    /// The street a grid line takes in a district: arterials take the district's streets in turn,
    /// the lanes between two arterials are that street's 一巷, 二巷 ….
    func streetName(line: Int, vertical: Bool, district: Int, arterial: Bool) -> String {
        let streets = fixtures.streets[fixtures.districts[district].code] ?? ["无名路"]
        let base = streets[(line / arterialEvery * 2 + (vertical ? 1 : 0)) % streets.count]
        if arterial { return base }
        let k = line % arterialEvery
        return base + (k <= Self.ordinals.count ? Self.ordinals[k - 1] : "\(k)") + "巷"
    }

    /// Streets between grid neighbours that do not cross the river; answers the local streets it
    /// left out (about one in ten, for an irregular city) so a needed one can come back.
    mutating func layGridStreets() -> [(Int, Int, RoadEdge)] {
        var dropped: [(Int, Int, RoadEdge)] = []
        let rowSpeeds = (0..<rows).map { _ in random.pick([50.0, 60.0]) }
        let columnSpeeds = (0..<columns).map { _ in random.pick([50.0, 60.0]) }
        for r in 0..<rows {
            for c in 0..<columns {
                let here = cells[r * columns + c]
                guard here >= 0 else { continue }
                let a = Int(here)
                for vertical in [false, true] {
                    let (r2, c2) = vertical ? (r + 1, c) : (r, c + 1)
                    guard r2 < rows, c2 < columns, cells[r2 * columns + c2] >= 0 else { continue }
                    let b = Int(cells[r2 * columns + c2])
                    guard !river.crosses(location(a), location(b)) else { continue }
                    let line = vertical ? c : r
                    let arterial = line % arterialEvery == 0
                    let old = oldTown[a] && oldTown[b]
                    let name = streetName(line: line, vertical: vertical, district: cellDistrict[r * columns + c], arterial: arterial)
                    if arterial {
                        add(edge(a, b, speed: vertical ? columnSpeeds[c] : rowSpeeds[r], name: name), a, b)
                    } else if old {
                        // Old-town lanes: 15–20 km/h; east–west lanes one way, alternating by row.
                        let speed = random.pick([15.0, 20.0])
                        if vertical {
                            add(edge(a, b, speed: speed, name: name), a, b)
                        } else if r % 2 == 0 {
                            add(edge(a, b, speed: speed, oneway: true, name: name), a, b)
                        } else {
                            add(edge(b, a, speed: speed, oneway: true, name: name), a, b)
                        }
                    } else {
                        let street = edge(a, b, speed: random.pick([30.0, 35.0, 40.0]), name: name)
                        if random.chance(0.1) { dropped.append((a, b, street)) } else { add(street, a, b) }
                    }
                }
            }
        }
        return dropped
    }

    /// The grid node nearest to `p` on its own bank whose straight link does not cross the river.
    func nearestGridNode(to p: GeoPoint, within cellsAround: Int = 12, excluding: Set<Int> = []) -> Int? {
        let r0 = Int(((p.lat - minLat) * projection.metersPerLat / spacing).rounded())
        let c0 = Int(((p.lon - minLon) * projection.metersPerLon / spacing).rounded())
        let bank = river.isNorth(p)
        var best: Int?, bestMeters = Double.infinity
        let r1 = min(max(r0, 0), rows - 1), c1 = min(max(c0, 0), columns - 1)
        for r in max(0, r1 - cellsAround)...min(rows - 1, r1 + cellsAround) {
            for c in max(0, c1 - cellsAround)...min(columns - 1, c1 + cellsAround) {
                let i = Int(cells[r * columns + c])
                guard i >= 0, north[i] == bank, !excluding.contains(i) else { continue }
                let d = projection.distance(p, location(i))
                if d < bestMeters, !river.crosses(p, location(i)) { best = i; bestMeters = d }
            }
        }
        return best
    }
}
