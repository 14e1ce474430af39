import FenghuoDomain
import Foundation
import GRDB

/// Records the hot paths write through statements prepared once per connection. GRDB's
/// `insert` and `update` build their SQL on every call, which cost central a sixth of a command.
public protocol PreparedRecord: PersistableRecord {
    /// The table's columns, `id` first, in the order of `columnValues`.
    static var columnNames: [String] { get }
    static var insertSQL: String { get }
    static var updateSQL: String { get }
    var columnValues: [(any DatabaseValueConvertible)?] { get }
}

extension PreparedRecord {
    public func encode(to container: inout PersistenceContainer) {
        for (name, value) in zip(Self.columnNames, columnValues) { container[name] = value }
    }

    public static func makeInsertSQL() -> String {
        "INSERT INTO \(databaseTableName) (\(columnNames.joined(separator: ", "))) VALUES (\(columnNames.map { _ in "?" }.joined(separator: ", ")))"
    }

    public static func makeUpdateSQL() -> String {
        "UPDATE \(databaseTableName) SET \(columnNames.dropFirst().map { "\($0) = ?" }.joined(separator: ", ")) WHERE \(columnNames[0]) = ?"
    }

    /// Inserts the record (an existing id is a constraint error, as with `insert`).
    public func insertPrepared(_ db: Database) throws {
        try db.cachedStatement(sql: Self.insertSQL).execute(arguments: StatementArguments(columnValues))
    }

    /// Updates every column of the stored record; none stored is `RecordError.recordNotFound`.
    public func updatePrepared(_ db: Database) throws {
        let values = columnValues
        try db.cachedStatement(sql: Self.updateSQL).execute(arguments: StatementArguments(Array(values.dropFirst()) + [values[0]]))
        guard db.changesCount > 0 else {
            throw RecordError.recordNotFound(databaseTableName: Self.databaseTableName, key: ["id": values[0]?.databaseValue ?? .null])
        }
    }
}

extension Incident: FetchableRecord, PreparedRecord {
    public static let databaseTableName = "incident"

    public init(row: Row) {
        let units: String = row["unit_ids"]
        self.init(id: row["id"], agency: row.value("agency"), typeCode: row["type_code"],
                  priority: Priority(rawValue: row["priority"]) ?? .normal, district: row["district"],
                  address: row["address"], location: GeoPoint(lat: row["lat"], lon: row["lon"]),
                  callerName: row["caller_name"], callerPhone: row["caller_phone"], narrative: row["narrative"],
                  confidential: row["confidential"], status: row.value("status"),
                  unitIDs: units.isEmpty ? [] : units.split(separator: ",").map(String.init),
                  createdAt: row.date("created_at"), statusChangedAt: row.date("status_changed_at"),
                  version: row["version"], timeline: Self.timeline(from: row["timeline"]))
    }

    static func timeline(from text: String?) -> [TimelineEntry] { TimelineJSON.entries(from: text) }
    var timelineJSON: String { TimelineJSON.text(of: timeline) }

    public static let columnNames = ["id", "agency", "type_code", "priority", "district", "address", "lat", "lon", "caller_name", "caller_phone", "narrative", "confidential", "status", "is_open", "unit_ids", "created_at", "status_changed_at", "version", "timeline"]
    public static let insertSQL = makeInsertSQL()
    public static let updateSQL = makeUpdateSQL()

    public var columnValues: [(any DatabaseValueConvertible)?] {
        [
            id,
            agency.rawValue,
            typeCode,
            priority.rawValue,
            district,
            address,
            location.lat,
            location.lon,
            callerName,
            callerPhone,
            narrative,
            confidential,
            status.rawValue,
            status.isOpen,
            unitIDs.joined(separator: ","),
            createdAt.epochSeconds,
            statusChangedAt.epochSeconds,
            version,
            timelineJSON,
        ]
    }
}

extension ResponseUnit: FetchableRecord, PreparedRecord {
    public static let databaseTableName = "unit"

    public init(row: Row) {
        self.init(id: row["id"], agency: row.value("agency"), kind: row["kind"], name: row["name"],
                  district: row["district"], station: row["station"],
                  location: GeoPoint(lat: row["lat"], lon: row["lon"]), status: row.value("status"),
                  incidentID: row["incident_id"], statusChangedAt: row.date("status_changed_at"),
                  version: row["version"], statusVersion: row["status_version"],
                  movedAt: (row["moved_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) },
                  tripStart: (row["trip_lat"] as Double?).flatMap { lat in (row["trip_lon"] as Double?).map { GeoPoint(lat: lat, lon: $0) } })
    }

    public static let columnNames = ["id", "agency", "kind", "name", "district", "station", "lat", "lon", "status", "incident_id",
                                     "status_changed_at", "version", "status_version", "moved_at", "trip_lat", "trip_lon"]
    public static let insertSQL = makeInsertSQL()
    public static let updateSQL = makeUpdateSQL()

    public var columnValues: [(any DatabaseValueConvertible)?] {
        [
            id,
            agency.rawValue,
            kind,
            name,
            district,
            station,
            location.lat,
            location.lon,
            status.rawValue,
            incidentID,
            statusChangedAt.epochSeconds,
            version,
            statusVersion,
            movedAt?.epochSeconds,
            tripStart?.lat,
            tripStart?.lon,
        ]
    }
}

extension Ticket: FetchableRecord, PreparedRecord {
    public static let databaseTableName = "ticket"

    public init(row: Row) {
        self.init(id: row["id"], category: row["category"], district: row["district"], address: row["address"],
                  summary: row["summary"], detail: row["detail"], callerName: row["caller_name"],
                  callerPhone: row["caller_phone"], department: row["department"], status: row.value("status"),
                  reply: row["reply"], satisfied: row["satisfied"], createdAt: row.date("created_at"),
                  deadlineAt: row.date("deadline_at"), deadlineProvisional: row["deadline_provisional"],
                  updatedAt: row.date("updated_at"), version: row["version"], incidentLink: row["incident_link"],
                  timeline: TimelineJSON.entries(from: row["timeline"]))
    }

    public static let columnNames = ["id", "category", "district", "address", "summary", "detail", "caller_name", "caller_phone", "department",
                                     "status", "is_open", "reply", "satisfied", "created_at", "deadline_at", "deadline_provisional", "updated_at",
                                     "version", "incident_link", "timeline"]
    public static let insertSQL = makeInsertSQL()
    public static let updateSQL = makeUpdateSQL()

    public var columnValues: [(any DatabaseValueConvertible)?] {
        [
            id,
            category,
            district,
            address,
            summary,
            detail,
            callerName,
            callerPhone,
            department,
            status.rawValue,
            status.isOpen,
            reply,
            satisfied,
            createdAt.epochSeconds,
            deadlineAt.epochSeconds,
            deadlineProvisional,
            updatedAt.epochSeconds,
            version,
            incidentLink,
            TimelineJSON.text(of: timeline),
        ]
    }
}

/// A record's timeline as a JSON column (incidents' and tickets').
enum TimelineJSON {
    /// The entries as stored; a row without any (or one unreadable) has none.
    static func entries<Entry: Decodable>(from text: String?) -> [Entry] {
        guard let text, text.count > 2 else { return [] }
        return (try? JSONDecoder().decode([Entry].self, from: Data(text.utf8))) ?? []
    }

    /// Keys sorted: the same timeline is always the same text (seeds compare equal, and a
    /// replica's row equals central's).
    static func text<Entry: Encodable>(of entries: [Entry]) -> String {
        guard !entries.isEmpty, let data = try? encoder.encode(entries) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}

/// An approval case row without its steps; `ApprovalCase` is assembled from both tables.
struct ApprovalCaseRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "approval_case"
    var value: ApprovalCase

    init(_ value: ApprovalCase) { self.value = value }

    init(row: Row) {
        value = ApprovalCase(id: row["id"], itemCode: row["item_code"], itemName: row["item_name"],
                             type: row.value("type"), applicant: row["applicant"],
                             applicantPhone: row["applicant_phone"], status: row.value("status"), steps: [],
                             acceptedOn: LocalDate(dayNumber: row["accepted_on"]),
                             deadline: LocalDate(dayNumber: row["deadline"]),
                             deadlineProvisional: row["deadline_provisional"],
                             completedOn: (row["completed_on"] as Int?).map(LocalDate.init(dayNumber:)),
                             updatedAt: row.date("updated_at"), version: row["version"])
    }

    func encode(to container: inout PersistenceContainer) {
        container["id"] = value.id
        container["item_code"] = value.itemCode
        container["item_name"] = value.itemName
        container["type"] = value.type.rawValue
        container["applicant"] = value.applicant
        container["applicant_phone"] = value.applicantPhone
        container["status"] = value.status.rawValue
        container["is_open"] = value.status.isOpen
        container["accepted_on"] = value.acceptedOn.dayNumber
        container["deadline"] = value.deadline.dayNumber
        container["deadline_provisional"] = value.deadlineProvisional
        container["completed_on"] = value.completedOn?.dayNumber
        container["updated_at"] = value.updatedAt.epochSeconds
        container["version"] = value.version
    }
}

struct ApprovalStepRecord: FetchableRecord, PersistableRecord {
    static let databaseTableName = "approval_step"
    var caseID: String
    var position: Int
    var step: ApprovalStep

    init(caseID: String, position: Int, step: ApprovalStep) {
        self.caseID = caseID
        self.position = position
        self.step = step
    }

    init(row: Row) {
        caseID = row["case_id"]
        position = row["position"]
        step = ApprovalStep(department: row["department"], state: row.value("state"), opinion: row["opinion"],
                            decidedAt: row.optionalDate("decided_at"))
    }

    func encode(to container: inout PersistenceContainer) {
        container["case_id"] = caseID
        container["department"] = step.department
        container["position"] = position
        container["state"] = step.state.rawValue
        container["opinion"] = step.opinion
        container["decided_at"] = step.decidedAt?.epochSeconds
    }
}

extension ApprovalCase {
    /// The case with its steps, or nil.
    public static func fetch(id: String, in db: Database) throws -> ApprovalCase? {
        guard var value = try ApprovalCaseRecord.fetchOne(db, key: id)?.value else { return nil }
        value.steps = try ApprovalStepRecord.filter(Column("case_id") == id).order(Column("position"))
            .fetchAll(db).map(\.step)
        return value
    }

    /// Writes the case and all its steps (replacing any earlier version of either).
    public func save(in db: Database) throws {
        try ApprovalCaseRecord(self).save(db)
        try ApprovalStepRecord.filter(Column("case_id") == id).deleteAll(db)
        for (position, step) in steps.enumerated() {
            try ApprovalStepRecord(caseID: id, position: position, step: step).insert(db)
        }
    }
}
