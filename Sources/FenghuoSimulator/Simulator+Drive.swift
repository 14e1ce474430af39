import FenghuoDomain
import FenghuoProtocol
import GRDB
import Foundation

/// A unit driving along the roads: the points of its path with the time each is reached
/// (seconds from the start, at the edges' speeds slowed by the trip's traffic, at the pace).
struct Trip: Sendable {
    /// The unit's status and the version it took it at: a new status is a new trip.
    let key: String
    let points: [GeoPoint]
    /// `times[i]`: seconds from `start` to `points[i]`; `times[0] == 0`.
    let times: [Double]
    let start: Date
    /// The last position reported, and whether the end of the trip was.
    var reported: GeoPoint?
    var arrivalReported = false

    var duration: Double { times.last ?? 0 }
    var arrival: Date { start.addingTimeInterval(duration) }

    /// Where the unit is `at`: on the segment it is driving, in proportion to the time spent on it.
    func position(at time: Date) -> GeoPoint {
        let t = time.timeIntervalSince(start)
        guard t > 0 else { return points[0] }
        guard t < duration, let next = times.firstIndex(where: { $0 > t }), next > 0 else { return points[points.count - 1] }
        let a = points[next - 1], b = points[next]
        let share = (t - times[next - 1]) / max(0.001, times[next] - times[next - 1])
        return GeoPoint(lat: a.lat + (b.lat - a.lat) * share, lon: a.lon + (b.lon - a.lon) * share)
    }
}

extension Simulator {
    /// How often a moving unit's locator reports (seconds at real pace): a CAD system's AVL
    /// reports every 5–30 s; every 10 s keeps the ETAs on screen fresh at a few commands a second.
    static let positionInterval: Double = 10
    /// Speed on the short stretch between a point and the road node it attaches to.
    static let offRoadKmh: Double = 20

    /// Every unit on the way to an incident (anyone's: a locator reports whoever sent the unit)
    /// or back to its station is driven along its fastest road path; each `positionInterval`
    /// the positions of all moving units go to central in one push, one `moveUnit` each.
    /// Arriving is reported separately (`stepUnit`), and only for the city's own units.
    func driveUnits(_ view: DatabasePool) async throws -> Bool {
        guard let recommender, Date() >= city.nextPositionsAt else { return false }
        city.nextPositionsAt = Date().addingTimeInterval(max(0.5, Self.positionInterval * config.pace))
        let rows = try await view.read { db in
            try Row.fetchAll(db, sql: """
                SELECT u.id, u.status, u.status_version, u.lat, u.lon, i.lat AS incident_lat, i.lon AS incident_lon
                FROM unit u LEFT JOIN incident i ON i.id = u.incident_id
                WHERE u.status = 'returning' OR (u.status = 'en_route' AND i.id IS NOT NULL)
                """)
        }
        let now = Date()
        var moving = Set<String>()
        var reports: [(Command, Int?)] = []
        for row in rows {
            let id: String = row["id"], status: String = row["status"]
            let key = "\(status)|\(row["status_version"] as Int)"
            let here = GeoPoint(lat: row["lat"], lon: row["lon"])
            let destination: GeoPoint? = status == "returning" ? stations[id]
                : (row["incident_lat"] as Double?).flatMap { lat in (row["incident_lon"] as Double?).map { GeoPoint(lat: lat, lon: $0) } }
            guard let destination else { continue }
            moving.insert(id)
            if city.trips[id]?.key != key {
                city.trips[id] = trip(key: key, from: here, to: destination, graph: recommender.graph, start: now)
            }
            guard var trip = city.trips[id], !trip.arrivalReported else { continue }
            let at = trip.position(at: now)
            let done = now >= trip.arrival
            // Standing still (or a few metres on) is not worth a report, unless it is the arrival.
            if !done, let last = trip.reported, last.meters(to: at) < 5 { continue }
            trip.reported = at
            trip.arrivalReported = done
            city.trips[id] = trip
            reports.append((.moveUnit(unit: .init(id), to: at), nil))
        }
        city.trips = city.trips.filter { moving.contains($0.key) }
        guard !reports.isEmpty else { return false }
        return try await sendAll(.duty, reports)
    }

    /// The trip from `from` to `to`: to the nearest road node, along the fastest path, then to
    /// the point, every stretch slowed by one traffic factor drawn for the trip.
    func trip(key: String, from: GeoPoint, to: GeoPoint, graph: RoadGraph, start: Date) -> Trip {
        let a = graph.nearestNode(to: from), b = graph.nearestNode(to: to)
        let nodes = graph.path(from: a, to: b) ?? []
        var points = [from], times = [0.0]
        let traffic = generator.roll(1.0...1.25) * config.pace
        func add(_ p: GeoPoint, seconds: Double) {
            points.append(p)
            times.append(times[times.count - 1] + seconds * traffic)
        }
        if nodes.isEmpty {
            add(to, seconds: from.meters(to: to) / (Self.offRoadKmh / 3.6))
        } else {
            add(graph.node(nodes[0]).location, seconds: from.meters(to: graph.node(nodes[0]).location) / (Self.offRoadKmh / 3.6))
            for (v, w) in zip(nodes, nodes.dropFirst()) {
                // The fastest arc between the two (a two-way street and a parallel one-way may both join them).
                let seconds = graph.arcs(from: v).filter { $0.to == w }.map(\.seconds).min()
                    ?? graph.node(v).location.meters(to: graph.node(w).location) / (Self.offRoadKmh / 3.6)
                add(graph.node(w).location, seconds: seconds)
            }
            add(to, seconds: graph.node(nodes[nodes.count - 1]).location.meters(to: to) / (Self.offRoadKmh / 3.6))
        }
        return Trip(key: key, points: points, times: times, start: start)
    }

    /// When unit `id`'s trip for its current status ends, if it is being driven; its arrival
    /// is reported first, so the status step follows the last position.
    func tripEnd(_ id: String, status: String, statusVersion: Int) -> Date? {
        guard let trip = city.trips[id], trip.key == "\(status)|\(statusVersion)" else { return nil }
        return trip.arrivalReported ? trip.arrival : .distantFuture
    }
}
