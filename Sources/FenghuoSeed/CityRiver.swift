import FenghuoDomain
import Foundation

/// 云川江 as a line of latitude by longitude (a river flowing west to east). The vertices are
/// drawn so every landmark and station of 江北区, 云台区 and 临川县 lies north of it and every
/// other one south, with at least 40 m to spare (the city's north and south banks).
struct CityRiver: Sendable {
    static let name = "云川江"
    static let northBankDistricts: Set<String> = ["jiangbei", "yuntai", "linchuan"]

    /// (lon, lat), lon strictly increasing.
    static let vertices: [(Double, Double)] = [
        (113.50, 30.600), (114.20, 30.594), (114.25, 30.566), (114.262, 30.5590), (114.2668, 30.5572),
        (114.2679, 30.5574), (114.2681, 30.5628), (114.2705, 30.5632), (114.2722, 30.5605), (114.2773, 30.5645),
        (114.2850, 30.5672), (114.2935, 30.5668), (114.2990, 30.5605), (114.3050, 30.5595), (114.3110, 30.5595),
        (114.3135, 30.5480), (114.3200, 30.5475), (114.3240, 30.5480), (114.335, 30.556), (114.36, 30.556),
        (114.39, 30.560), (114.40, 30.5800), (114.415, 30.5795), (114.42, 30.5770), (114.428, 30.5820),
        (114.44, 30.5870), (115.10, 30.592),
    ]

    /// The river's latitude at `lon` (flat beyond the ends).
    func latitude(at lon: Double) -> Double {
        let v = Self.vertices
        if lon <= v[0].0 { return v[0].1 }
        var lo = 0, hi = v.count - 1
        if lon >= v[hi].0 { return v[hi].1 }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if v[mid].0 <= lon { lo = mid } else { hi = mid }
        }
        let (x0, y0) = v[lo], (x1, y1) = v[hi]
        return y0 + (y1 - y0) * (lon - x0) / (x1 - x0)
    }

    func isNorth(_ p: GeoPoint) -> Bool { p.lat > latitude(at: p.lon) }

    /// Whether the straight segment a–b meets the river. Segment minus river is piecewise linear
    /// in longitude with breaks only at the river's vertices, so with both ends on one bank it
    /// crosses exactly when some vertex in between lies on the other side of it.
    func crosses(_ a: GeoPoint, _ b: GeoPoint) -> Bool {
        let north = isNorth(a)
        if isNorth(b) != north { return true }
        let lo = min(a.lon, b.lon), hi = max(a.lon, b.lon)
        guard hi > lo else { return false }
        for (lon, lat) in Self.vertices where lon > lo && lon < hi {
            let segmentLat = a.lat + (b.lat - a.lat) * (lon - a.lon) / (b.lon - a.lon)
            if (segmentLat > lat) != north { return true }
        }
        return false
    }
}
