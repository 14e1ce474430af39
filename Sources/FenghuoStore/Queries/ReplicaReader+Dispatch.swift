import FenghuoDomain
import Foundation
import GRDB

extension ReplicaReader {
    /// The recommender over this database's roads and run cards; nil when it holds no roads.
    public func dispatchRecommender() throws -> DispatchRecommender? {
        if let cached = recommender.value { return cached }
        let made = try db.read { db -> DispatchRecommender? in
            guard let graph = try RoadGraph.stored(in: db) else { return nil }
            return DispatchRecommender(graph: graph, runCards: try RunCards.stored(in: db))
        }
        if let made { recommender.value = made }
        return made
    }

    /// What to send to incident `id`, by road ETA from where each unit is now; nil when the
    /// incident is not in this replica or the replica has no roads.
    public func recommendation(for id: String) throws -> Recommendation? {
        guard let recommender = try dispatchRecommender() else { return nil }
        let (incident, units) = try db.read { db in
            (try Incident.fetchOne(db, key: id), try ResponseUnit.fetchAll(db))
        }
        guard let incident else { return nil }
        return recommender.recommend(for: incident, units: units)
    }
}

/// Holds the recommender once built (readers are values shared across threads).
final class RecommenderCache: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: DispatchRecommender?
    var value: DispatchRecommender? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

extension ReplicaReader {
    /// Ids of incidents whose day's number is `n` (any day), newest first.
    public func incidentIDs(numbered n: Int) throws -> [String] {
        let suffix = "-" + IDFormat.padded(n, IDFormat.digits(.incident))
        return try db.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM incident WHERE id LIKE ? ESCAPE '\\' ORDER BY created_at DESC LIMIT 50",
                                arguments: ["%" + suffix])
        }
    }
}

extension ReplicaReader {
    /// What the alert line watches: open incidents still waiting on a step, the units working
    /// for an incident, and each en-route unit's road ETA (from where it is) to its incident.
    public func dispatchWatch() throws -> DispatchWatch {
        let (open, units) = try db.read { db in
            (try Incident.fetchAll(db, sql: "SELECT * FROM incident WHERE is_open = 1 LIMIT 2000"),
             try ResponseUnit.fetchAll(db, sql: "SELECT * FROM unit WHERE incident_id IS NOT NULL AND status IN ('en_route', 'on_scene')"))
        }
        var etas: [String: Double] = [:], remaining: [String: Double] = [:]
        if let recommender = try dispatchRecommender() {
            let byID = Dictionary(open.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for unit in units where unit.status == .enRoute {
                guard let id = unit.incidentID, let incident = byID[id] else { continue }
                let left = recommender.reach(from: unit.location, to: incident.location)?.seconds
                remaining[unit.id] = left
                etas[unit.id] = unit.tripStart.map { recommender.reach(from: $0, to: incident.location)?.seconds } ?? left
            }
        }
        // Waiting on a step, or perhaps a major incident still to be reported (the console judges both).
        return DispatchWatch(incidents: open.filter { ResponseStep(waitingIn: $0.status) != nil || $0.report == nil }, units: units,
                             etaSeconds: etas, remainingSeconds: remaining)
    }

    /// Unit `id` with its current incident and its steps of the last `days` days, newest first;
    /// nil when the replica has no such unit. Read by the (agency, created_at) index.
    public func unitHistory(id: String, now: Date, days: Int = 7) throws -> UnitHistory? {
        try db.read { db in
            guard let unit = try ResponseUnit.fetchOne(db, key: id) else { return nil }
            let since = Int64(now.timeIntervalSince1970) - Int64(days) * 86_400
            let recent = try Incident.fetchAll(db, sql: """
                SELECT * FROM incident WHERE agency IN ('110', '119', '120', '122') AND created_at >= ?
                AND (',' || unit_ids || ',') LIKE ? ESCAPE '\\' ORDER BY created_at DESC LIMIT 200
                """, arguments: [since, "%," + id.replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + ",%"])
            let current = try unit.incidentID.flatMap { try Incident.fetchOne(db, key: $0) }
            var all = recent
            if let current, !recent.contains(where: { $0.id == current.id }) { all.append(current) }
            return UnitHistory(unit: unit, current: current, steps: UnitHistory.steps(of: id, in: all))
        }
    }

    /// The newest waiting P1 incidents (at most 20), by the queue's index.
    public func urgentCalls() throws -> [Incident] {
        try db.read { db in
            try Incident.fetchAll(db, sql: """
                SELECT * FROM incident WHERE is_open = 1 AND priority = 1 AND status = 'new' ORDER BY created_at DESC LIMIT 20
                """)
        }
    }
}
