import FenghuoDomain
import FenghuoTUI

/// A new-record form open over the body (`n`): which record, and the toolkit form. What it
/// sends is built through the command's declaration, like a typed command, so the form can
/// never queue something `submit` would refuse.
struct IntakeForm: Sendable {
    enum Kind: Sendable {
        case incident, ticket

        /// The form `n` opens on `pane`, if it has one.
        init?(pane: PaneID) {
            switch pane {
            case .dispatch: self = .incident
            case .hotline: self = .ticket
            case .approvals, .dashboard: return nil
            }
        }

        /// The command the form makes.
        var command: Command.Name { self == .incident ? .createIncident : .createTicket }
    }

    let kind: Kind
    var form: Form
    /// The new-incident form's address search, warnings, caller history and duplicates.
    var incident: IncidentIntake?
    /// Enter was pressed while duplicates were listed: the form asks, `m` merges into the first,
    /// Enter again registers it as new, any other key goes back to editing.
    var askingDuplicate: String?

    init(_ kind: Kind, context: ConsoleContext) {
        self.kind = kind
        switch kind {
        case .incident:
            form = IncidentForm.make(context)
            incident = IncidentIntake(context)
        case .ticket: form = TicketForm.make(context)
        }
    }

    /// The box's title, and the label the queued command is shown with.
    var title: Strings.Text { kind == .incident ? .newIncident : .newTicket }

    static func texts(_ s: Strings) -> Form.Texts {
        Form.Texts(required: s(.formRequired), confirmDiscard: s(.formDiscard), noMatches: s(.formNoMatches),
                   hint: s(.formHint), pickerPrompt: s(.formPickerPrompt))
    }

    /// Applies a key, keeping what the form derives from its values (the type's priority, the
    /// address's place) current; returns the reads that needs too.
    mutating func handle(_ key: Key, context: ConsoleContext) -> (Form.Outcome, [ConsoleEffect]) {
        let field = form.focusedField?.id
        let outcome = form.handle(key)
        guard kind == .incident, var incident else { return (outcome, []) }
        let effects = incident.update(after: outcome, field: field, form: &form, context: context)
        self.incident = incident
        if outcome == .edited { IncidentForm.showPriority(in: &form, context) }
        return (outcome, effects)
    }

    /// The command the values make, or nil after marking the field the declaration refused
    /// (the form stays open); a refusal naming no field is returned as text to show.
    mutating func command(_ context: ConsoleContext) -> (command: Command?, unplaced: String?) {
        let name: Command.Name = kind == .incident ? .createIncident : .createTicket
        let values = form.values
        if let incident, let error = incident.addressError(form, context) {
            form.setError(id: "address", error)
            form.focus(id: "address")
            return (nil, nil)
        }
        // The form's fields are the command's arguments, by key; empty optional ones are left out.
        let pairs = name.spec.arguments.compactMap { argument -> (key: String, value: String)? in
            guard let value = values[argument.key], !value.allSatisfy(\.isWhitespace) else { return nil }
            return (argument.key, value)
        } + (incident?.extraArguments ?? [])
        do {
            return (try CommandInput.command(name.rawValue, pairs, catalog: context.directory), nil)
        } catch {
            let text = context.strings.rejection(error, directory: context.directory)
            guard let field = Self.field(of: error), form.value(of: field) != nil else { return (nil, text) }
            form.setError(id: field, text)
            form.focus(id: field)
            return (nil, nil)
        }
    }

    /// The argument a refusal is about (the form's field ids are the argument keys).
    static func field(of rejection: CommandRejection) -> String? {
        switch rejection.reason {
        case .missingArgument(_, let key), .tooLong(_, let key, _), .badValue(_, let key, _, _), .ambiguous(let key, _, _):
            return key
        case .unknownCode(let kind, _):
            switch kind {
            case .incidentType: return "type"
            case .district: return "district"
            case .ticketCategory: return "category"
            case .department: return "department"
            case .approvalItem: return "item"
            case .disposition: return "disposition"
            }
        default:
            return nil
        }
    }

    /// The longest text an argument of `name` takes, from its declaration.
    static func maxLength(_ name: Command.Name, _ key: String) -> Int {
        if case .text(let maxLength)? = name.spec.argument(key)?.kind { return maxLength }
        return 40
    }

    static func isRequired(_ name: Command.Name, _ key: String) -> Bool {
        name.spec.argument(key)?.required ?? false
    }

    /// A text field for argument `key` of `name`: required and length as declared.
    static func text(_ name: Command.Name, _ key: String, _ label: String, lines: Int = 1, width: Int? = nil) -> Form.Field {
        .text(key, label: label, required: isRequired(name, key), maxLength: maxLength(name, key), lines: lines, width: width)
    }

    /// Districts by code, named in the console's language, findable by either name.
    static func districts(_ context: ConsoleContext) -> [Picker.Candidate] {
        context.directory.districts.values.sorted { $0.code < $1.code }.map { d in
            Picker.Candidate(code: d.code, label: context.isChinese ? d.name : d.nameEN,
                             searchKeys: context.isChinese ? [d.nameEN] : [d.name])
        }
    }
}
