import FenghuoDomain
import FenghuoTUI

/// 新建警情: the fields of `createIncident`, checked as its declaration says. The address
/// searches the gazetteer and fills the district; the priority is proposed by the type and
/// may be changed (`IncidentIntake` keeps what the fields imply).
enum IncidentForm {
    static let command = Command.Name.createIncident

    static func make(_ context: ConsoleContext) -> Form {
        let s = context.strings
        func text(_ key: String, _ label: Strings.Text, lines: Int = 1, width: Int? = nil) -> Form.Field {
            IntakeForm.text(command, key, s(label), lines: lines, width: width)
        }
        return Form(fields: [
            .picker("type", label: s(.colType), required: true, candidates: types(context)),
            text("address", .address),
            .picker("district", label: s(.colDistrict), required: true, candidates: IntakeForm.districts(context)),
            .picker("priority", label: s.intake(.priorityField), candidates: priorities(context), width: 12),
            text("phone", .phone, width: 16),
            text("caller", .caller, width: 20),
            text("narrative", .narrative, lines: 3),
        ], texts: IntakeForm.texts(s))
    }

    /// By agency, then the most urgent first: the list reads like the dispatch desks.
    static func types(_ context: ConsoleContext) -> [Picker.Candidate] {
        let s = context.strings
        let order = Agency.allCases
        return context.directory.incidentTypes.values
            .sorted { (order.firstIndex(of: $0.agency) ?? 0, $0.priority.rawValue, $0.code)
                < (order.firstIndex(of: $1.agency) ?? 0, $1.priority.rawValue, $1.code) }
            .map { t in
                Picker.Candidate(code: t.code, label: context.isChinese ? t.name : t.nameEN,
                                 detail: "\(s.agency(t.agency)) · \(s.priority(t.priority))",
                                 searchKeys: context.isChinese ? [t.code, t.nameEN] : [t.code, t.name])
            }
    }

    /// P1–P4, by code `1`–`4` (the `priority` argument's values).
    static func priorities(_ context: ConsoleContext) -> [Picker.Candidate] {
        Priority.allCases.map { p in
            Picker.Candidate(code: String(p.rawValue), label: context.strings.priorityChoice(p), searchKeys: ["p\(p.rawValue)"])
        }
    }

    /// Beside the type: the priority it proposes (the priority field may say otherwise).
    static func showPriority(in form: inout Form, _ context: ConsoleContext) {
        let s = context.strings
        let type = form.value(of: "type").flatMap { context.directory.incidentTypes[$0] }
        form.setNote(id: "type", type.map { "\(s(.formPriority)) \(s.priority($0.priority))" })
    }
}
