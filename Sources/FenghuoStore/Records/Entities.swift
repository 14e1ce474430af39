import FenghuoDomain

/// Every kind of record that travels between central and replicas: its name in the feed, the
/// table that holds it, and the tables a change to it writes. The one list the feed, snapshots,
/// the agent's apply and id numbering read (who may read each is `Visibility`'s).
public struct Entity: Hashable, Sendable {
    /// The name in a change (`ChangeRecord.entity`).
    public let wire: String
    /// The record kind, for records commands write (a rejection is not one).
    public let kind: EntityKind?
    /// The table holding the record, keyed by `id`.
    public let table: String
    /// Every table a change to it writes: the record's, then any rows that travel with it.
    public let tables: [String]

    public static let incident = Entity(wire: "incident", kind: .incident, table: "incident", tables: ["incident"])
    public static let unit = Entity(wire: "unit", kind: .unit, table: "unit", tables: ["unit"])
    public static let ticket = Entity(wire: "ticket", kind: .ticket, table: "ticket", tables: ["ticket"])
    /// A case travels with its steps.
    public static let approval = Entity(wire: "approval", kind: .approval, table: "approval_case",
                                        tables: ["approval_case", "approval_step"])
    /// A refused command, for the client that sent it.
    public static let rejection = Entity(wire: "rejection", kind: nil, table: "rejection", tables: ["rejection"])

    /// In the order snapshots walk them.
    public static let all: [Entity] = [.unit, .incident, .ticket, .approval, .rejection]

    public static func named(_ wire: String) -> Entity? { all.first { $0.wire == wire } }

    /// The reference tables a snapshot sends whole on its first page, parents first.
    public static let referenceTables = ["district", "department", "app_user", "incident_type", "ticket_category",
                                         "approval_item", "calendar_year", "calendar_day", "kb_article",
                                         "road_node", "road_edge", "run_card", "disposition", "response_target",
                                         "street", "landmark", "premise", "duplicate_rule", "plan_item"]

    /// Every table a replica fills from central, children before parents (the order to empty them).
    public static var replicatedTables: [String] {
        all.flatMap { $0.tables.reversed() } + referenceTables.reversed()
    }

    public static func of(_ kind: EntityKind) -> Entity {
        switch kind {
        case .incident: .incident
        case .unit: .unit
        case .ticket: .ticket
        case .approval: .approval
        }
    }
}
