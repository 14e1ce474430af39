import FenghuoDomain
import Foundation

/// What is laid over the street grid: ring roads, bridges, the access roads of landmarks and
/// stations, and links that join any part of the city left on its own.
extension RoadBuilder {
    /// A ring of `radius` metres around the city's centre, with ramps to the grid about every 1.2 km.
    /// Where it crosses 云川江 its span takes the next name in `bridges` (no name: it stops at the bank).
    mutating func layRing(name: String, radius: Double, speeds: [Double], bridges: [String]) {
        let centre = GeoPoint(lat: cityCentre.lat, lon: cityCentre.lon)
        let step = max(spacing, 250)
        let count = max(24, Int(2 * Double.pi * radius / step))
        let speed = random.pick(speeds)
        let tag = name == RoadNetworkGenerator.innerRing ? "R2" : "R3"
        var ring: [Int] = []
        for k in 0..<count {
            let angle = 2 * Double.pi * Double(k) / Double(count)
            let p = projection.offset(centre, north: radius * sin(angle), east: radius * cos(angle))
            ring.append(addNode("\(tag)-\(k)", fixturePoint(lat: p.lat, lon: p.lon)))
        }
        var names = bridges[...]
        let rampEvery = max(1, Int((1_200 / step).rounded()))
        for k in 0..<count {
            let a = ring[k], b = ring[(k + 1) % count]
            if river.crosses(location(a), location(b)) {
                guard let bridge = names.popFirst() else { continue }
                add(edge(a, b, speed: speed, name: bridge), a, b)
            } else {
                add(edge(a, b, speed: speed, name: name), a, b)
            }
            if k % rampEvery == 0, let g = nearestGridNode(to: location(a), within: 4) {
                add(edge(a, g, speed: 40, name: name + "匝道"), a, g)
            }
        }
    }

    var cityCentre: GeoPoint {
        // city.tsv's centre is not in FixtureSet; the mean of the district seats stands for it.
        let n = Double(max(1, fixtures.districts.count))
        let lat = fixtures.districts.map(\.location.lat).reduce(0, +) / n
        let lon = fixtures.districts.map(\.location.lon).reduce(0, +) / n
        return GeoPoint(lat: lat, lon: lon)
    }

    /// A bridge carrying the grid column nearest `lon` across the river: the column's last node
    /// on the south bank to its first on the north bank.
    mutating func layBridge(name: String, lon: Double) {
        let c0 = Int(((lon - minLon) * projection.metersPerLon / spacing).rounded())
        for offset in [0, 1, -1, 2, -2, 3, -3] {
            let c = c0 + offset
            guard c >= 0, c < columns else { continue }
            var lastSouth: Int?
            for r in 0..<rows {
                let i = Int(cells[r * columns + c])
                guard i >= 0 else { continue }
                if !north[i] {
                    lastSouth = i
                } else if let s = lastSouth {
                    add(edge(s, i, speed: 60, name: name), s, i)
                    return
                }
            }
        }
    }

    /// Every landmark and every unit station gets a node of its own, linked both ways to the
    /// nearest grid node on its bank (a station to two, so one closed street never cuts it off).
    mutating func attachPlaces() {
        var number = 0
        for district in fixtures.districts {
            for landmark in fixtures.landmarks[district.code] ?? [] {
                number += 1
                let i = addNode(String(format: "L%03d", number), fixturePoint(lat: landmark.location.lat, lon: landmark.location.lon))
                link(i, name: landmark.name, count: 1)
            }
        }
        var seen: Set<String> = []
        number = 0
        for unit in fixtures.units where seen.insert(unit.station).inserted {
            number += 1
            let i = addNode(String(format: "S%03d", number), fixturePoint(lat: unit.location.lat, lon: unit.location.lon))
            link(i, name: unit.station, count: 2)
        }
    }

    private mutating func link(_ i: Int, name: String, count: Int) {
        var used: Set<Int> = []
        for _ in 0..<count {
            guard let g = nearestGridNode(to: location(i), excluding: used) else { break }
            used.insert(g)
            add(edge(i, g, speed: 30, name: name), i, g)
        }
    }

    /// A two-way 60 km/h road from u to v with a node about every grid spacing, so points along it attach to it.
    mutating func layLink(_ u: Int, _ v: Int, name: String) {
        let a = location(u), b = location(v)
        let pieces = max(1, Int((projection.distance(a, b) / max(spacing, 200)).rounded()))
        var previous = u
        for k in 1..<pieces {
            let t = Double(k) / Double(pieces)
            let i = addNode("K\(u)-\(k)", fixturePoint(lat: a.lat + (b.lat - a.lat) * t, lon: a.lon + (b.lon - a.lon) * t))
            add(edge(previous, i, speed: 60, name: name), previous, i)
            previous = i
        }
        add(edge(previous, v, speed: 60, name: name), previous, v)
    }

    /// Joins every part of the network that is not connected to the largest one, by a road from
    /// the nearest pair of nodes on the same bank (sampled, so it stays quick at any size).
    mutating func joinComponents() {
        var members: [Int: [Int]] = [:]
        for v in 0..<network.nodes.count { members[find(v), default: []].append(v) }
        guard members.count > 1 else { return }
        let main = members.max { $0.value.count < $1.value.count }!.key
        var mainNodes = members[main]!
        // Larger parts first, each joining the city grown so far (a small part may be nearest to one just joined).
        for (root, part) in members.sorted(by: { ($0.value.count, $1.value[0]) > ($1.value.count, $0.value[0]) }) where root != main {
            let strideMain = max(1, mainNodes.count / 4_000)
            let stridePart = max(1, part.count / 200)
            var best: (Int, Int)?, bestMeters = Double.infinity, sameBank = true
            for attempt in 0..<2 where best == nil {
                sameBank = attempt == 0
                for a in Swift.stride(from: 0, to: part.count, by: stridePart) {
                    let u = part[a]
                    for b in Swift.stride(from: 0, to: mainNodes.count, by: strideMain) {
                        let v = mainNodes[b]
                        let d = projection.distance(location(u), location(v))
                        guard d < bestMeters else { continue }
                        if sameBank && (north[u] != north[v] || river.crosses(location(u), location(v))) { continue }
                        best = (u, v)
                        bestMeters = d
                    }
                }
            }
            let (u, v) = best!
            layLink(u, v, name: sameBank ? "联络线" : "\(CityRiver.name)轮渡")
            mainNodes += part
        }
    }
}
