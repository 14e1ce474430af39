import FenghuoDomain
import Foundation

extension FixtureSet {
    /// `run_cards.tsv`: every line names a known incident type, district and unit kind; a kind
    /// appears once per card; every incident type has a card for any priority and district, so
    /// no incident is left without one.
    static func loadRunCards(from dir: URL, types: Set<String>, districts: Set<String>,
                             unitKinds: Set<String>) throws(FixtureError) -> RunCards {
        let table = try TSVTable.load("run_cards.tsv", in: dir, columns: ["type", "priority", "district", "kind", "count"])
        var lines: [RunCardLine] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            let type = try row.reference("type", in: types, what: "incident type")
            let priority: Priority?
            if row.text("priority") == "*" {
                priority = nil
            } else {
                priority = Priority(rawValue: try row.int("priority", in: 1...4))
            }
            let district: String? = row.text("district") == "*" ? nil : try row.reference("district", in: districts, what: "district")
            guard unitKinds.contains(row.text("kind")) else {
                throw row.error("kind", "no unit in units.tsv is of kind '\(row.text("kind"))' (known: \(unitKinds.sorted().joined(separator: "、")))")
            }
            let key = "\(type)|\(row.text("priority"))|\(row.text("district"))|\(row.text("kind"))"
            if let first = seen[key] {
                throw row.error("kind", "'\(row.text("kind"))' appears twice in this card (first on line \(first))")
            }
            seen[key] = row.line
            lines.append(RunCardLine(typeCode: type, priority: priority, district: district, kind: row.text("kind"),
                                     count: try row.int("count", in: 1...20)))
        }
        let generic = Set(lines.filter { $0.priority == nil && $0.district == nil }.map(\.typeCode))
        if let missing = types.subtracting(generic).sorted().first {
            throw FixtureError(file: table.file, field: "type",
                               message: "incident type '\(missing)' has no card for any priority and district (add lines with * and *)")
        }
        return RunCards(lines)
    }
}
