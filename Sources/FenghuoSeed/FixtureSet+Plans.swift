import FenghuoDomain
import Foundation

extension FixtureSet {
    /// `plans.tsv`: each row an item of an incident type's plan, numbered 1–99 once per type;
    /// a link names another agency (and a type of that agency); the `*` rows give every agency
    /// exactly one default type for its linked part, and nothing else.
    static func loadPlans(from dir: URL, types: [IncidentType]) throws(FixtureError) -> Plans {
        let table = try TSVTable.load("plans.tsv", in: dir, columns: ["type", "seq", "action", "text", "text_en"])
        let byCode = Dictionary(types.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var items: [PlanItem] = []
        var first: [String: Int] = [:]
        for row in table.rows {
            let type = row.text("type")
            let own: IncidentType? = byCode[type]
            guard type == Plans.anyType || own != nil else {
                throw row.error("type", "no incident type has code '\(type)' (or * for the linked parts' defaults)")
            }
            let seq = try row.int("seq", in: 1...99)
            if let line = first["\(type)#\(seq)"] {
                throw row.error("seq", "item \(seq) of \(type) is given twice (first on line \(line))")
            }
            first["\(type)#\(seq)"] = row.line
            guard let action = PlanItem.Action(code: row.text("action")) else {
                throw row.error("action", "'\(row.text("action"))' is not check, report, link:AGENCY or link:AGENCY:TYPE")
            }
            if case .link(let agency, let linked) = action {
                if let own, own.agency == agency {
                    throw row.error("action", "\(type) is already a \(agency.rawValue) incident; link another agency")
                }
                if let linked {
                    guard let linkedType = byCode[linked] else { throw row.error("action", "no incident type has code '\(linked)'") }
                    guard linkedType.agency == agency else {
                        throw row.error("action", "'\(linked)' is a \(linkedType.agency.rawValue) type, not \(agency.rawValue)")
                    }
                } else if type == Plans.anyType {
                    throw row.error("action", "a * row gives the agency's default type: link:\(agency.rawValue):TYPE")
                }
            } else if type == Plans.anyType {
                throw row.error("action", "* rows only give the linked parts' default types (link:AGENCY:TYPE)")
            }
            for field in ["text", "text_en"] where row.text(field).isEmpty || row.text(field).unicodeScalars.count > 80 {
                throw row.error(field, "give a text of 1 to 80 characters")
            }
            items.append(PlanItem(type: type, seq: seq, action: action, text: row.text("text"), textEN: row.text("text_en")))
        }
        let defaults = items.filter { $0.type == Plans.anyType }
        for agency in Agency.allCases {
            let count = defaults.filter { if case .link(agency, _) = $0.action { true } else { false } }.count
            guard count == 1 else {
                throw FixtureError(file: table.file, field: "type",
                                   message: "the * rows give \(agency.rawValue) \(count == 0 ? "no" : "\(count)") default linked type\(count == 0 ? "" : "s"); give exactly one")
            }
        }
        return Plans(items)
    }
}
