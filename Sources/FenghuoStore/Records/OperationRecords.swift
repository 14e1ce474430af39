import FenghuoDomain
import Foundation
import GRDB

extension Incident: FetchableRecord, PersistableRecord {
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
                  version: row["version"])
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["agency"] = agency.rawValue
        container["type_code"] = typeCode
        container["priority"] = priority.rawValue
        container["district"] = district
        container["address"] = address
        container["lat"] = location.lat
        container["lon"] = location.lon
        container["caller_name"] = callerName
        container["caller_phone"] = callerPhone
        container["narrative"] = narrative
        container["confidential"] = confidential
        container["status"] = status.rawValue
        container["is_open"] = status.isOpen
        container["unit_ids"] = unitIDs.joined(separator: ",")
        container["created_at"] = createdAt.epochSeconds
        container["status_changed_at"] = statusChangedAt.epochSeconds
        container["version"] = version
    }
}

extension ResponseUnit: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "unit"

    public init(row: Row) {
        self.init(id: row["id"], agency: row.value("agency"), kind: row["kind"], name: row["name"],
                  district: row["district"], station: row["station"],
                  location: GeoPoint(lat: row["lat"], lon: row["lon"]), status: row.value("status"),
                  incidentID: row["incident_id"], statusChangedAt: row.date("status_changed_at"),
                  version: row["version"])
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["agency"] = agency.rawValue
        container["kind"] = kind
        container["name"] = name
        container["district"] = district
        container["station"] = station
        container["lat"] = location.lat
        container["lon"] = location.lon
        container["status"] = status.rawValue
        container["incident_id"] = incidentID
        container["status_changed_at"] = statusChangedAt.epochSeconds
        container["version"] = version
    }
}

extension Ticket: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "ticket"

    public init(row: Row) {
        self.init(id: row["id"], category: row["category"], district: row["district"], address: row["address"],
                  summary: row["summary"], detail: row["detail"], callerName: row["caller_name"],
                  callerPhone: row["caller_phone"], department: row["department"], status: row.value("status"),
                  reply: row["reply"], satisfied: row["satisfied"], createdAt: row.date("created_at"),
                  deadlineAt: row.date("deadline_at"), deadlineProvisional: row["deadline_provisional"],
                  updatedAt: row.date("updated_at"), version: row["version"])
    }

    public func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["category"] = category
        container["district"] = district
        container["address"] = address
        container["summary"] = summary
        container["detail"] = detail
        container["caller_name"] = callerName
        container["caller_phone"] = callerPhone
        container["department"] = department
        container["status"] = status.rawValue
        container["is_open"] = status.isOpen
        container["reply"] = reply
        container["satisfied"] = satisfied
        container["created_at"] = createdAt.epochSeconds
        container["deadline_at"] = deadlineAt.epochSeconds
        container["deadline_provisional"] = deadlineProvisional
        container["updated_at"] = updatedAt.epochSeconds
        container["version"] = version
    }
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
