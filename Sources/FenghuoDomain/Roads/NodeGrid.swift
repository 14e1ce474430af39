import Foundation

/// A uniform grid over the nodes' bounding box in degrees, about two nodes a cell, searched in
/// rings around the query's cell until no unseen cell can hold a nearer node.
struct NodeGrid: Sendable {
    private let minLat: Double
    private let minLon: Double
    private let cellLat: Double
    private let cellLon: Double
    private let rows: Int
    private let columns: Int
    /// Nodes of cell c are `members[starts[c] ..< starts[c + 1]]`.
    private let starts: [Int32]
    private let members: [Int32]
    /// Metres that one ring of cells is at least, on either axis (with a margin for the sphere).
    private let ringMeters: Double

    init(_ points: [GeoPoint]) {
        let lats = points.map(\.lat), lons = points.map(\.lon)
        let minLat = lats.min() ?? 0, maxLat = lats.max() ?? 0
        let minLon = lons.min() ?? 0, maxLon = lons.max() ?? 0
        let cells = max(1, points.count / 2)
        let spanLat = max(maxLat - minLat, 1e-6), spanLon = max(maxLon - minLon, 1e-6)
        let side = (spanLat * spanLon / Double(cells)).squareRoot()
        let rows = max(1, min(4096, Int((spanLat / side).rounded(.up))))
        let columns = max(1, min(4096, Int((spanLon / side).rounded(.up))))
        self.minLat = minLat
        self.minLon = minLon
        self.rows = rows
        self.columns = columns
        cellLat = spanLat / Double(rows) * (1 + 1e-9)
        cellLon = spanLon / Double(columns) * (1 + 1e-9)
        let metresPerDegree = GeoPoint.earthRadiusMeters * Double.pi / 180
        let widestCos = cos(max(abs(minLat), abs(maxLat)) * Double.pi / 180)
        ringMeters = min(cellLat * metresPerDegree, cellLon * metresPerDegree * widestCos) * 0.99
        var counts = [Int32](repeating: 0, count: rows * columns + 1)
        var cellOf = [Int32](repeating: 0, count: points.count)
        for (i, p) in points.enumerated() {
            let c = Int32(Self.cell(row: Self.clamp(Int((p.lat - minLat) / cellLat), rows),
                                    column: Self.clamp(Int((p.lon - minLon) / cellLon), columns), columns: columns))
            cellOf[i] = c
            counts[Int(c) + 1] += 1
        }
        for c in 0..<(rows * columns) { counts[c + 1] += counts[c] }
        var next = counts
        var members = [Int32](repeating: 0, count: points.count)
        for i in 0..<points.count {
            let c = Int(cellOf[i])
            members[Int(next[c])] = Int32(i)
            next[c] += 1
        }
        starts = counts
        self.members = members
    }

    private static func clamp(_ x: Int, _ count: Int) -> Int { min(max(x, 0), count - 1) }
    private static func cell(row: Int, column: Int, columns: Int) -> Int { row * columns + column }

    func nearest(to point: GeoPoint, among nodes: [RoadNode]) -> Int {
        let latIndex = (point.lat - minLat) / cellLat, lonIndex = (point.lon - minLon) / cellLon
        let row = Self.clamp(latIndex.isFinite ? Int(max(-1, min(latIndex, Double(rows)))) : 0, rows)
        let column = Self.clamp(lonIndex.isFinite ? Int(max(-1, min(lonIndex, Double(columns)))) : 0, columns)
        var best = -1
        var bestMeters = Double.infinity
        func scan(_ r: Int, _ c: Int) {
            guard r >= 0, r < rows, c >= 0, c < columns else { return }
            let cell = Self.cell(row: r, column: c, columns: columns)
            for k in Int(starts[cell])..<Int(starts[cell + 1]) {
                let i = Int(members[k])
                let d = point.meters(to: nodes[i].location)
                if d < bestMeters || (d == bestMeters && i < best) {
                    best = i
                    bestMeters = d
                }
            }
        }
        let maxRing = max(rows, columns)
        var ring = 0
        while ring <= maxRing {
            if ring == 0 {
                scan(row, column)
            } else {
                for c in (column - ring)...(column + ring) {
                    scan(row - ring, c)
                    scan(row + ring, c)
                }
                for r in (row - ring + 1)...(row + ring - 1) {
                    scan(r, column - ring)
                    scan(r, column + ring)
                }
            }
            // Every cell of ring + 1 lies at least `ring` whole cells away from the query's cell.
            if best >= 0 && Double(ring) * ringMeters > bestMeters { break }
            ring += 1
        }
        return best
    }
}
