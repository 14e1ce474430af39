import FenghuoDomain
import FenghuoSeed
import FenghuoStore
import Foundation
import GRDB

/// What the simulated dispatch desk knows: the incidents that are the city's (its own, named by
/// central's answers to its creates, and the seeded history's), the units it sent or found at
/// work, and when each step falls due. An incident another console created is never the city's.
struct CityPlan: Sendable {
    /// Incidents created up to here are the seeded history's.
    var historyUntil = Date.distantPast
    /// The simulator's own incidents, with when each may be dispatched.
    var own: [String: Date] = [:]
    /// Units the city moves: those it dispatched, and those at work on its incidents.
    var units: Set<String> = []
    /// When a step falls due, drawn once per record and state (`dispatch|J…`, `unit|P-…|en_route|…`).
    var due: [String: Date] = [:]
    var nextCallAt = Date.distantFuture
    /// Units being driven, by id; when the moving units next report where they are.
    var trips: [String: Trip] = [:]
    var nextPositionsAt = Date.distantPast

    func isCity(_ incident: String, createdAt: Date) -> Bool {
        own[incident] != nil || createdAt <= historyUntil
    }
}

extension Simulator {
    /// A dispatcher's delay before sending units: a P1 within 45–120 s, lower priorities later.
    static func dispatchDelay(_ priority: Int) -> ClosedRange<Double> {
        switch priority {
        case 1: 45...120
        case 2: 90...240
        case 3: 120...360
        default: 180...600
        }
    }

    /// Seconds between two new calls: one a minute at the demo's default rate (2), about what
    /// 80 units serve with most of them free (each call keeps a unit some 20 minutes).
    func callInterval() -> Double { 120 / max(0.01, config.rate) * generator.roll(0.5...1.5) }

    /// When the step `key` falls due: `from` plus a delay drawn from `range` (seconds, at the pace).
    func due(_ key: String, from: Date, _ range: ClosedRange<Double>) -> Date {
        if let known = city.due[key] { return known }
        if city.due.count > 20_000 { city.due = [:] }  // steps long taken; their keys never come back
        let at = from.addingTimeInterval(generator.roll(range) * config.pace)
        city.due[key] = at
        return at
    }

    func newCall(_ view: DatabasePool) async throws -> Bool {
        guard Date() >= city.nextCallAt else { return false }
        city.nextCallAt = Date().addingTimeInterval(callInterval())
        let call = generator.liveCall()
        let sent = try await send(.duty, .createIncident(NewIncident(
            type: call.type, district: call.district, address: call.address, narrative: call.narrative,
            caller: call.caller, phone: call.phone, confidential: call.confidential)))
        if let id = lastRecord {
            let priority = fixtures.incidentTypes.first { $0.code == call.type }?.priority.rawValue ?? 3
            city.own[id] = Date().addingTimeInterval(generator.roll(Self.dispatchDelay(priority)) * config.pace)
        }
        return sent
    }

    /// The most urgent of the city's waiting incidents whose dispatcher's delay has passed gets
    /// free units of its agency. While the agency has less than 40% of its units free, only P1
    /// and P2 are sent: the rest wait for units to come back, as on a busy night.
    func dispatchWaiting(_ view: DatabasePool) async throws -> Bool {
        let rows = try await view.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, version, agency, priority, created_at FROM incident WHERE status = 'new' ORDER BY priority, created_at
                """)
        }
        let now = Date()
        for row in rows {
            let id: String = row["id"], priority: Int = row["priority"]
            let created = Date(timeIntervalSince1970: row["created_at"])
            guard city.isCity(id, createdAt: created) else { continue }
            let ready = city.own[id] ?? due("dispatch|\(id)", from: now, Self.dispatchDelay(priority))
            guard ready <= now else { continue }
            let agency: String = row["agency"]
            let wanted = priority == 1 ? 2 : 1
            let recommender = self.recommender
            let (free, total, units) = try await view.read { db -> (Int, Int, [String]) in
                let free = try Int.fetchOne(db, sql: "SELECT count(*) FROM unit WHERE agency = ? AND status = 'available'",
                                            arguments: [agency]) ?? 0
                let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM unit WHERE agency = ?", arguments: [agency]) ?? 0
                // The run card's units, nearest by road; without roads, any free units of the agency.
                if let recommender, let incident = try Incident.fetchOne(db, key: id) {
                    let picked = recommender.recommend(for: incident, units: try ResponseUnit.fetchAll(db), alternates: 0).unitIDs
                    if !picked.isEmpty { return (free, total, picked) }
                }
                let units = try String.fetchAll(db, sql: """
                    SELECT id FROM unit WHERE status = 'available' AND agency = ? ORDER BY random() LIMIT ?
                    """, arguments: [agency, wanted])
                return (free, total, units)
            }
            if units.isEmpty || (priority > 2 && Double(free - units.count) < 0.4 * Double(total)) { continue }
            city.units.formUnion(units)
            return try await send(.duty, .dispatch(incident: .init(id), units: units.map { ResponseUnit.ID($0) }),
                                  baseVersion: row["version"])
        }
        return false
    }

    /// The city's unit whose next step fell due first takes it: out of the station 20–90 s after
    /// dispatch, on scene when its drive there ends, clear 0.5–3 min after its incident is
    /// resolved, back in station when its drive back ends. (Without roads: on scene 2–8 min
    /// after setting out, back 3–10 min after clearing.)
    func stepUnit(_ view: DatabasePool) async throws -> Bool {
        let rows = try await view.read { db in
            try Row.fetchAll(db, sql: """
                SELECT u.id, u.status, u.version, u.status_version, u.status_changed_at, u.incident_id, i.status AS incident_status,
                       i.created_at AS incident_created, i.status_changed_at AS incident_changed,
                       u.lat, u.lon, i.lat AS incident_lat, i.lon AS incident_lon
                FROM unit u LEFT JOIN incident i ON i.id = u.incident_id
                WHERE u.status IN ('dispatched', 'en_route', 'returning', 'on_scene')
                """)
        }
        let now = Date()
        var next: (at: Date, id: String, event: UnitStatusEvent, version: Int)?
        for row in rows {
            let id: String = row["id"], status: String = row["status"]
            let changed = Date(timeIntervalSince1970: row["status_changed_at"])
            let key = "unit|\(id)|\(status)|\(changed.timeIntervalSince1970)"
            let step: (UnitStatusEvent, Date)
            let driven = tripEnd(id, status: status, statusVersion: row["status_version"])
            if status == "returning" {
                // Back from a job of the city's (or from before the simulator started).
                guard city.units.contains(id) || changed <= city.historyUntil else { continue }
                step = (.backInStation, driven ?? due(key, from: changed, 180...600))
            } else {
                guard let incident: String = row["incident_id"], let created: Double = row["incident_created"],
                      city.isCity(incident, createdAt: Date(timeIntervalSince1970: created)) else { continue }
                city.units.insert(id)
                switch status {
                case "dispatched": step = (.depart, due(key, from: changed, 20...90))
                case "en_route":
                    // There after its road time (the recommender's ETA), give or take traffic.
                    let eta = roadSeconds(from: GeoPoint(lat: row["lat"], lon: row["lon"]),
                                          to: GeoPoint(lat: row["incident_lat"] ?? row["lat"], lon: row["incident_lon"] ?? row["lon"]))
                    step = (.arrive, driven ?? due(key, from: changed, eta.map { ($0 * 0.85)...($0 * 1.3 + 30) } ?? 120...480))
                default:
                    let incidentStatus: String? = row["incident_status"]
                    guard ["resolved", "closed", "merged", "cancelled"].contains(incidentStatus ?? ""),
                          let resolved: Double = row["incident_changed"] else { continue }
                    step = (.clear, due(key, from: Date(timeIntervalSince1970: resolved), 30...180))
                }
            }
            let version: Int = row["version"]
            if step.1 <= now, next == nil || step.1 < next!.at { next = (step.1, id, step.0, version) }
        }
        guard let next else { return false }
        return try await send(.duty, .updateUnitStatus(unit: .init(next.id), event: next.event), baseVersion: next.version)
    }

    /// The road travel time between two points, when the city has roads.
    func roadSeconds(from: GeoPoint, to: GeoPoint) -> Double? {
        recommender?.reach(from: from, to: to)?.seconds
    }

    /// The city's incident on scene goes 处置中 1–4 min after the first unit got there.
    func workIncident(_ view: DatabasePool) async throws -> Bool {
        try await incidentStep(view, status: "on_scene", after: 60...240) { id, _ in .workIncident(.init(id)) }
    }

    /// The city's incident at work longest past its 5–15 min is resolved, with a disposition
    /// of its desk's.
    func resolveIncident(_ view: DatabasePool) async throws -> Bool {
        let codes = try await view.read { db in
            try Row.fetchAll(db, sql: "SELECT code, agencies FROM disposition WHERE use = 'resolve' ORDER BY code")
                .map { (code: $0["code"] as String, agencies: ($0["agencies"] as String).split(separator: ",").map(String.init)) }
        }
        return try await incidentStep(view, status: "working", after: 300...900) { id, agency in
            let fitting = codes.filter { $0.agencies.isEmpty || $0.agencies.contains(agency) }.map(\.code)
            guard !fitting.isEmpty else { return nil }
            return .resolveIncident(.init(id), disposition: fitting[min(fitting.count - 1, Int(generator.roll(0...Double(fitting.count))))])
        }
    }

    /// The city's resolved incident is closed 2–5 min later (units still clearing are released with it).
    func closeIncident(_ view: DatabasePool) async throws -> Bool {
        // Links a console asked for on a city incident are let go with it, or the close would be refused forever.
        try await incidentStep(view, status: "resolved", after: 120...300) { id, _ in .closeIncident(.init(id), release: true, unlink: true) }
    }

    /// The city's officers see to their incidents' plans: a `check` item 1–6 min after the
    /// incident's last step, and the report of a major one. Links are left to the consoles
    /// (a part the simulator made would wait in a console's queue, work it never asked for).
    func followPlan(_ view: DatabasePool) async throws -> Bool {
        let rows = try await view.read { db in
            try Incident.fetchAll(db, sql: """
                SELECT * FROM incident WHERE status IN ('dispatched', 'en_route', 'on_scene', 'working') ORDER BY status_changed_at LIMIT 200
                """)
        }
        let now = Date()
        for incident in rows where city.isCity(incident.id, createdAt: incident.createdAt) {
            let plan = fixtures.plans.plan(for: incident.typeCode)
            guard !plan.isEmpty else { continue }
            if incident.report == nil, fixtures.plans.isMajor(incident),
               due("report|\(incident.id)", from: incident.createdAt, 120...480) <= now {
                return try await send(.duty, .reportIncident(.init(incident.id), text: "已按预案调派力量处置，续报跟进"), baseVersion: incident.version)
            }
            let done = incident.checkedItems
            guard let item = plan.first(where: { $0.action == .check && done[$0.seq] == nil }),
                  due("check|\(incident.id)|\(item.seq)", from: incident.statusChangedAt, 60...360) <= now else { continue }
            return try await send(.duty, .checkPlanItem(.init(incident.id), item: item.seq), baseVersion: incident.version)
        }
        return false
    }

    private func incidentStep(_ view: DatabasePool, status: String, after range: ClosedRange<Double>,
                              _ make: (String, String) -> Command?) async throws -> Bool {
        let rows = try await view.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, agency, version, created_at, status_changed_at FROM incident WHERE status = ? ORDER BY status_changed_at
                """, arguments: [status])
        }
        let now = Date()
        for row in rows {
            let id: String = row["id"]
            guard city.isCity(id, createdAt: Date(timeIntervalSince1970: row["created_at"])) else { continue }
            let changed = Date(timeIntervalSince1970: row["status_changed_at"])
            guard due("\(status)|\(id)|\(changed.timeIntervalSince1970)", from: changed, range) <= now,
                  let command = make(id, row["agency"]) else { continue }
            return try await send(.duty, command, baseVersion: row["version"])
        }
        return false
    }
}
