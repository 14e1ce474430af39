import FenghuoDomain
import FenghuoTUI

/// 新建工单: the fields of `createTicket`, checked as its declaration says. The category
/// decides the department and the deadline (central sets both), so the picker shows the department.
enum TicketForm {
    static let command = Command.Name.createTicket

    static func make(_ context: ConsoleContext) -> Form {
        let s = context.strings
        func text(_ key: String, _ label: Strings.Text, lines: Int = 1, width: Int? = nil) -> Form.Field {
            IntakeForm.text(command, key, s(label), lines: lines, width: width)
        }
        return Form(fields: [
            .picker("category", label: s(.formCategory), required: true, candidates: categories(context)),
            .picker("district", label: s(.colDistrict), required: true, candidates: IntakeForm.districts(context)),
            text("address", .address),
            text("summary", .formSummary),
            text("detail", .formDetail, lines: 3),
            text("caller", .callerHotline, width: 20),
            text("phone", .phone, width: 16),
        ], texts: IntakeForm.texts(s))
    }

    /// By department, then code: a department's categories together.
    static func categories(_ context: ConsoleContext) -> [Picker.Candidate] {
        context.directory.ticketCategories.values
            .sorted { ($0.department, $0.code) < ($1.department, $1.code) }
            .map { c in
                Picker.Candidate(code: c.code, label: context.isChinese ? c.name : c.nameEN,
                                 detail: context.departmentName(c.department),
                                 searchKeys: context.isChinese ? [c.code, c.nameEN] : [c.code, c.name])
            }
    }
}
