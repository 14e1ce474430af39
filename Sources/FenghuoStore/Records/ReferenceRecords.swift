import FenghuoDomain
import GRDB

extension WorkingDayCalendar {
    /// The holiday schedule as seeded into this database.
    public static func stored(in db: Database) throws -> WorkingDayCalendar {
        let years = try Int.fetchAll(db, sql: "SELECT year FROM calendar_year")
        let entries = try Row.fetchAll(db, sql: "SELECT date, kind, name FROM calendar_day").compactMap { row in
            LocalDate(iso: row["date"] as String).map {
                WorkingDayCalendar.Entry(date: $0, kind: row.value("kind"), name: row["name"])
            }
        }
        return WorkingDayCalendar(years: Set(years), entries: entries)
    }
}

extension District: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "district"
    public init(row: Row) {
        self.init(code: row["code"], name: row["name"], nameEN: row["name_en"],
                  location: GeoPoint(lat: row["lat"], lon: row["lon"]), population: row["population"])
    }
    public func encode(to container: inout PersistenceContainer) {
        container["code"] = code
        container["name"] = name
        container["name_en"] = nameEN
        container["lat"] = location.lat
        container["lon"] = location.lon
        container["population"] = population
    }
}

extension Department: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "department"
    public init(row: Row) {
        self.init(code: row["code"], name: row["name"], shortName: row["short"], nameEN: row["name_en"], kind: row.value("kind"),
                  phone: row["phone"])
    }
    public func encode(to container: inout PersistenceContainer) {
        container["code"] = code
        container["name"] = name
        container["short"] = shortName
        container["name_en"] = nameEN
        container["kind"] = kind.rawValue
        container["phone"] = phone
    }
}

extension IncidentType: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "incident_type"
    public init(row: Row) {
        self.init(code: row["code"], agency: row.value("agency"), name: row["name"], nameEN: row["name_en"],
                  priority: Priority(rawValue: row["priority"]) ?? .normal)
    }
    public func encode(to container: inout PersistenceContainer) {
        container["code"] = code
        container["agency"] = agency.rawValue
        container["name"] = name
        container["name_en"] = nameEN
        container["priority"] = priority.rawValue
    }
}

extension TicketCategory: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "ticket_category"
    public init(row: Row) {
        let sla: String = row["sla"]
        self.init(code: row["code"], name: row["name"], nameEN: row["name_en"], department: row["department"],
                  serviceLevel: ServiceLevel(sla) ?? .workingDays(5))
    }
    public func encode(to container: inout PersistenceContainer) {
        container["code"] = code
        container["name"] = name
        container["name_en"] = nameEN
        container["department"] = department
        container["sla"] = serviceLevel.description
    }
}

extension ApprovalItem: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "approval_item"
    public init(row: Row) {
        let cosign: String = row["cosign"]
        self.init(code: row["code"], name: row["name"], type: row.value("type"), statutoryDays: row["days"],
                  leadDepartment: row["lead"],
                  cosigningDepartments: cosign.split(separator: ",").map(String.init))
    }
    public func encode(to container: inout PersistenceContainer) {
        container["code"] = code
        container["name"] = name
        container["type"] = type.rawValue
        container["days"] = statutoryDays
        container["lead"] = leadDepartment
        container["cosign"] = cosigningDepartments.joined(separator: ",")
    }
}

extension Disposition: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "disposition"
    public init(row: Row) {
        let agencies: String = row["agencies"]
        self.init(code: row["code"], use: Use(rawValue: row["use"]) ?? .resolve,
                  agencies: agencies.split(separator: ",").compactMap { Agency(rawValue: String($0)) },
                  name: row["name"], nameEN: row["name_en"])
    }
    public func encode(to container: inout PersistenceContainer) {
        container["code"] = code
        container["use"] = use.rawValue
        container["agencies"] = agencies.map(\.rawValue).joined(separator: ",")
        container["name"] = name
        container["name_en"] = nameEN
    }
}

extension PlanItem: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "plan_item"
    public init(row: Row) {
        self.init(type: row["type"], seq: row["seq"], action: Action(code: row["action"]) ?? .check,
                  text: row["text"], textEN: row["text_en"])
    }
    public func encode(to container: inout PersistenceContainer) {
        container["type"] = type
        container["seq"] = seq
        container["action"] = action.code
        container["text"] = text
        container["text_en"] = textEN
    }
}

extension Plans {
    public static func stored(in db: Database) throws -> Plans { Plans(try PlanItem.fetchAll(db)) }

    public func insert(_ db: Database) throws {
        for item in all { try item.insert(db) }
    }
}

extension ResponseTargets {
    /// The step time limits as seeded into this database.
    public static func stored(in db: Database) throws -> ResponseTargets {
        var seconds: [Priority: [ResponseStep: Double]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT priority, step, seconds FROM response_target") {
            guard let priority = Priority(rawValue: row["priority"]), let step = ResponseStep(rawValue: row["step"]) else { continue }
            seconds[priority, default: [:]][step] = Double(row["seconds"] as Int)
        }
        return ResponseTargets(seconds)
    }

    public func insert(_ db: Database) throws {
        for (priority, steps) in seconds {
            for (step, value) in steps {
                try db.execute(sql: "INSERT INTO response_target(priority, step, seconds) VALUES (?, ?, ?)",
                               arguments: [priority.rawValue, step.rawValue, Int(value)])
            }
        }
    }
}

extension KnowledgeArticle: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "kb_article"
    public init(row: Row) {
        self.init(id: row["id"], category: row["category"], department: row["department"], title: row["title"],
                  body: row["body"])
    }
    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["category"] = category
        container["department"] = department
        container["title"] = title
        container["body"] = body
    }
}

extension RunCards {
    /// The run cards as seeded into this database, in the fixture's order.
    public static func stored(in db: Database) throws -> RunCards {
        RunCards(try Row.fetchAll(db, sql: "SELECT incident_type, priority, district, kind, count FROM run_card ORDER BY rowid").map { row in
            let district: String = row["district"]
            return RunCardLine(typeCode: row["incident_type"], priority: Priority(rawValue: row["priority"]),
                               district: district.isEmpty ? nil : district, kind: row["kind"], count: row["count"])
        })
    }

    public func insert(_ db: Database) throws {
        for line in lines {
            try db.execute(sql: "INSERT INTO run_card(incident_type, priority, district, kind, count) VALUES (?, ?, ?, ?, ?)",
                           arguments: [line.typeCode, line.priority?.rawValue ?? 0, line.district ?? "", line.kind, line.count])
        }
    }
}

extension RoadGraph {
    /// The road graph as seeded into this database (nil when it holds no roads).
    public static func stored(in db: Database) throws -> RoadGraph? {
        guard let (nodes, edges) = try storedRows(in: db) else { return nil }
        return try RoadGraph(nodes: nodes, edges: edges)
    }

    /// The road tables' rows, in their order; nil when there are none.
    static func storedRows(in db: Database) throws -> (nodes: [RoadNode], edges: [RoadEdge])? {
        let nodes = try Row.fetchAll(db, sql: "SELECT id, lat, lon FROM road_node ORDER BY rowid").map { row in
            RoadNode(id: row["id"], location: GeoPoint(lat: row["lat"], lon: row["lon"]))
        }
        guard !nodes.isEmpty else { return nil }
        let edges = try Row.fetchAll(db, sql: "SELECT from_node, to_node, length_m, speed_kmh, oneway, name FROM road_edge ORDER BY seq").map { row in
            RoadEdge(from: row["from_node"], to: row["to_node"], lengthMeters: row["length_m"], speedKmh: row["speed_kmh"],
                     oneway: (row["oneway"] as Int) != 0, name: row["name"])
        }
        return (nodes, edges)
    }

    /// Writes `nodes` and `edges` as the road tables (which must be empty).
    public static func insert(nodes: [RoadNode], edges: [RoadEdge], in db: Database) throws {
        let node = try db.makeStatement(sql: "INSERT INTO road_node(id, lat, lon) VALUES (?, ?, ?)")
        for n in nodes { try node.execute(arguments: [n.id, n.location.lat, n.location.lon]) }
        let edge = try db.makeStatement(sql: """
            INSERT INTO road_edge(seq, from_node, to_node, length_m, speed_kmh, oneway, name) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for (i, e) in edges.enumerated() {
            try edge.execute(arguments: [i + 1, e.from, e.to, e.lengthMeters, e.speedKmh, e.oneway ? 1 : 0, e.name])
        }
    }
}

extension StreetLocator {
    /// The locator over this database's roads (nil when it holds none).
    public static func stored(in db: Database) throws -> StreetLocator? {
        try RoadGraph.storedRows(in: db).map { StreetLocator(nodes: $0.nodes, edges: $0.edges) }
    }
}
