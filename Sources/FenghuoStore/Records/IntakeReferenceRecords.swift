import FenghuoDomain
import GRDB

/// The intake form's reference tables (`v8-intake-reference`): streets, landmarks, premises
/// and duplicate windows, written by the seeder and read into the console's directory.
public enum IntakeReference {
    public static func insertStreets(_ streets: [(district: String, name: String)], in db: Database) throws {
        let statement = try db.makeStatement(sql: "INSERT OR IGNORE INTO street(district, name) VALUES (?, ?)")
        for s in streets { try statement.execute(arguments: [s.district, s.name]) }
    }

    public static func insertLandmarks(_ landmarks: [Gazetteer.Place], in db: Database) throws {
        let statement = try db.makeStatement(sql: "INSERT INTO landmark(name, district, kind, lat, lon) VALUES (?, ?, ?, ?, ?)")
        for l in landmarks {
            try statement.execute(arguments: [l.name, l.district, l.detail, l.location?.lat ?? 0, l.location?.lon ?? 0])
        }
    }

    public static func insertPremises(_ premises: [Premise], in db: Database) throws {
        let statement = try db.makeStatement(sql: "INSERT INTO premise(address, district, kind, warning) VALUES (?, ?, ?, ?)")
        for p in premises { try statement.execute(arguments: [p.address, p.district, p.kind, p.warning]) }
    }

    /// One row a type: its window and the types it is compatible with.
    public static func insertDuplicateRules(_ rows: [(type: String, window: DuplicateRules.Window, compatible: [String])],
                                            in db: Database) throws {
        let statement = try db.makeStatement(sql: """
            INSERT INTO duplicate_rule(incident_type, radius_m, window_min, compatible) VALUES (?, ?, ?, ?)
            """)
        for r in rows {
            try statement.execute(arguments: [r.type, Int(r.window.radiusMeters), r.window.minutes, r.compatible.joined(separator: ",")])
        }
    }

    /// The gazetteer over this database's streets, landmarks and road names.
    public static func gazetteer(in db: Database, districts: [District]) throws -> Gazetteer {
        let streets = try Row.fetchAll(db, sql: "SELECT district, name FROM street ORDER BY rowid").map {
            (district: $0["district"] as String, name: $0["name"] as String)
        }
        let landmarks = try Row.fetchAll(db, sql: "SELECT name, district, kind, lat, lon FROM landmark ORDER BY rowid").map { row in
            Gazetteer.Place(kind: .landmark, name: row["name"], district: row["district"],
                            location: GeoPoint(lat: row["lat"], lon: row["lon"]), detail: row["kind"])
        }
        // Each named road at its middle node, as `StreetLocator.roadPoints` places it.
        let locator = try StreetLocator.stored(in: db)
        var gazetteer = Gazetteer(streets: streets, landmarks: landmarks, roads: locator?.roadPoints ?? [], districts: districts)
        gazetteer.locator = locator
        return gazetteer
    }

    public static func premises(in db: Database) throws -> PremiseAdvisories {
        PremiseAdvisories(try Row.fetchAll(db, sql: "SELECT address, district, kind, warning FROM premise ORDER BY seq").map { row in
            Premise(address: row["address"], district: row["district"], kind: row["kind"], warning: row["warning"])
        })
    }

    public static func duplicateRules(in db: Database) throws -> DuplicateRules {
        var windows: [String: DuplicateRules.Window] = [:]
        var pairs: [(String, String)] = []
        for row in try Row.fetchAll(db, sql: "SELECT incident_type, radius_m, window_min, compatible FROM duplicate_rule") {
            let type: String = row["incident_type"]
            windows[type] = DuplicateRules.Window(radiusMeters: Double(row["radius_m"] as Int), minutes: row["window_min"])
            let compatible: String = row["compatible"]
            pairs += compatible.split(separator: ",").map { (type, String($0)) }
        }
        return DuplicateRules(windows: windows, compatible: pairs)
    }

    /// The roads' extent (2 km around), or the district seats' (15 km around) without roads.
    public static func cityBounds(in db: Database, districts: [District]) throws -> GeoBounds? {
        if let row = try Row.fetchOne(db, sql: "SELECT min(lat) AS a, max(lat) AS b, min(lon) AS c, max(lon) AS d FROM road_node"),
           let a: Double = row["a"], let b: Double = row["b"], let c: Double = row["c"], let d: Double = row["d"] {
            return GeoBounds(around: [GeoPoint(lat: a, lon: c), GeoPoint(lat: b, lon: d)], marginMeters: 2_000)
        }
        return GeoBounds(around: districts.map(\.location), marginMeters: 15_000)
    }
}

extension IntakeReference {
    /// The directory's intake part: gazetteer, premises, duplicate windows, the city's box.
    static func fill(_ directory: inout Directory, districts: [District], in db: Database) throws {
        directory.gazetteer = try gazetteer(in: db, districts: districts)
        directory.premises = try premises(in: db)
        directory.duplicateRules = try duplicateRules(in: db)
        directory.cityBounds = try cityBounds(in: db, districts: districts)
    }
}
