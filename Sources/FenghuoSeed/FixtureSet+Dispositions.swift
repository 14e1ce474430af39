import FenghuoDomain
import Foundation

extension FixtureSet {
    /// `dispositions.tsv`: unique ASCII codes, a known use, known desks; every desk has at least
    /// one code to resolve with and one to cancel with, so no incident is left unable to end.
    static func loadDispositions(from dir: URL) throws(FixtureError) -> [Disposition] {
        let table = try TSVTable.load("dispositions.tsv", in: dir, columns: ["code", "use", "agencies", "name", "name_en"])
        var list: [Disposition] = []
        for row in table.rows {
            let code = row.text("code")
            guard !code.isEmpty, code.count <= 40, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw row.error("code", "'\(code)' is not a code (ASCII letters, digits and _, at most 40)")
            }
            guard let use = Disposition.Use(rawValue: row.text("use")) else {
                throw row.error("use", "'\(row.text("use"))' is neither resolve nor cancel")
            }
            var agencies: [Agency] = []
            if row.text("agencies") != "*" {
                for part in row.text("agencies").split(separator: ",") {
                    guard let agency = Agency(rawValue: String(part)) else {
                        throw row.error("agencies", "'\(part)' is not a desk (110, 119, 120, 122, or * for all)")
                    }
                    agencies.append(agency)
                }
                if agencies.isEmpty { throw row.error("agencies", "name the desks (110,119 …) or * for all") }
            }
            for field in ["name", "name_en"] where row.text(field).isEmpty || row.text(field).count > 40 {
                throw row.error(field, "give a name of 1 to 40 characters")
            }
            list.append(Disposition(code: code, use: use, agencies: agencies, name: row.text("name"), nameEN: row.text("name_en")))
        }
        _ = try uniqueCodes(in: table, field: "code")
        for agency in Agency.allCases {
            for use in Disposition.Use.allCases where !list.contains(where: { $0.fits(use, agency) }) {
                throw FixtureError(file: table.file, field: "use",
                                   message: "the \(agency.rawValue) desk has no disposition to \(use.rawValue) with")
            }
        }
        return list
    }
}

extension FixtureSet {
    /// `response_targets.tsv`: every priority 1–4 gives every step a time, once, of 10 s to 24 h.
    static func loadResponseTargets(from dir: URL) throws(FixtureError) -> ResponseTargets {
        let table = try TSVTable.load("response_targets.tsv", in: dir, columns: ["priority", "step", "seconds"])
        var seconds: [Priority: [ResponseStep: Double]] = [:]
        var first: [String: Int] = [:]
        for row in table.rows {
            let priority = Priority(rawValue: try row.int("priority", in: 1...4))!
            guard let step = ResponseStep(rawValue: row.text("step")) else {
                throw row.error("step", "'\(row.text("step"))' is not a step (dispatch, depart, arrive, work)")
            }
            if let line = first["\(priority.rawValue)|\(step.rawValue)"] {
                throw row.error("step", "P\(priority.rawValue) \(step.rawValue) is given twice (first on line \(line))")
            }
            first["\(priority.rawValue)|\(step.rawValue)"] = row.line
            seconds[priority, default: [:]][step] = Double(try row.int("seconds", in: 10...86_400))
        }
        for priority in Priority.allCases {
            for step in ResponseStep.allCases where seconds[priority]?[step] == nil {
                throw FixtureError(file: table.file, field: "step", message: "P\(priority.rawValue) has no time for step '\(step.rawValue)'")
            }
        }
        return ResponseTargets(seconds)
    }
}
