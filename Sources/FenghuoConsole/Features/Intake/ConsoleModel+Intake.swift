import FenghuoDomain
import FenghuoTUI

/// `n` on the dispatch and hotline panes: the intake form over the body, every key its own
/// while it is open, and the command it makes queued like any other write.
extension ConsoleModel {
    /// Opens the pane's form; without an agent there is nowhere to send it, so it says so instead.
    mutating func openForm(_ kind: IntakeForm.Kind) -> [ConsoleEffect] {
        guard agentConnected else {
            show(context.strings(.agentDown) + context.colon + "fenghuo tui --data DIR", error: true)
            return []
        }
        if refuseForbidden(kind.command) { return [] }
        // Its lists (types, districts, categories) come from the directory, read just after
        // start: a form opened before it arrived had empty lists, and Enter in one submitted.
        guard context.directory.isLoaded else {
            show(context.strings.directoryLoading, error: false)
            return []
        }
        flash = nil
        mode = .form(IntakeForm(kind, context: context))
        return kind == .incident ? [IncidentIntake.openIncidentsRequest(context)] : []
    }

    mutating func handleForm(_ key: Key, _ open: IntakeForm) -> [ConsoleEffect] {
        var intake = open
        // The duplicate question: `m` merges the call into the incident it repeats.
        if let target = intake.askingDuplicate {
            intake.askingDuplicate = nil
            if key == .char("m") || key == .char("M"), case .createIncident(var new)? = intake.command(context).command {
                new.mergeInto = target
                mode = .normal
                flash = nil
                return [.submit(CommandRequest(.createIncident(new), label: context.strings.mergeLabel(into: target)))]
            }
            if key != .enter {
                flash = nil
                mode = .form(intake)
                return handleForm(key, intake)
            }
        }
        let (outcome, reads) = intake.handle(key, context: context)
        switch outcome {
        case .submitted:
            let built = intake.command(context)
            // Listed duplicates are asked about once before a new incident is made.
            if open.askingDuplicate == nil, built.command != nil, let first = intake.incident?.duplicates.first {
                intake.askingDuplicate = first.incident.id
                show(context.strings.duplicateQuestion(first.incident.id), error: false, seconds: 120)
                mode = .form(intake)
                return reads
            }
            if let command = built.command {
                mode = .normal
                return [.submit(CommandRequest(command, label: context.strings(intake.title)))]
            }
            if let text = built.unplaced { show(text, error: true) }
            mode = .form(intake)
        case .cancelled:
            mode = .normal
        default:
            mode = .form(intake)
        }
        return reads
    }

    /// A read the open new-incident form asked for; false when it is not the form's.
    mutating func applyToForm(_ response: DataResponse) -> Bool {
        guard case .form(var intake) = mode, var incident = intake.incident else {
            if case .callerHistory = response { return true }
            if case .openIncidents = response { return true }
            return false
        }
        switch response {
        case .callerHistory(let phone, let incidents, let tickets):
            incident.apply(history: phone, incidents: incidents, tickets: tickets, form: intake.form)
        case .openIncidents(let rows):
            incident.apply(open: rows, form: intake.form, context: context)
        default:
            return false
        }
        intake.incident = incident
        mode = .form(intake)
        return true
    }

    /// The form in a framed box over the body, like the help overlay; returns its caret.
    func renderForm(_ intake: IntakeForm, into buffer: inout Buffer) -> (x: Int, y: Int)? {
        let c = context
        let body = bodyArea
        let rows = intake.form.fields.reduce(0) { $0 + $1.height }
        let advice = intake.incident?.adviceLines(c) ?? []
        // A blank row and the hint under the fields, and room below the first picker for its list.
        let formRows = max(rows + 2, Picker.listRows + 4)
        let height = min(body.height, formRows + 2 + (advice.isEmpty ? 0 : advice.count + 1))
        let width = min(96, body.width - 4)
        let box = Rect(x: body.x + (body.width - width) / 2, y: body.y + max(0, (body.height - height) / 2),
                       width: width, height: height)
        buffer.fill(box, style: c.theme[.base])
        let inner = c.panel(c.strings(intake.title), focused: true, in: box, into: &buffer).inset(horizontal: 1)
        // The warnings, the caller's history and the possible duplicates go under the hint line.
        let formArea = Rect(x: inner.x, y: inner.y, width: inner.width, height: min(inner.height, formRows))
        if !advice.isEmpty, inner.height > formRows + 1 {
            let area = Rect(x: inner.x, y: inner.y + formRows + 1, width: inner.width, height: inner.height - formRows - 1)
            _ = Paragraph(advice).render(in: area, into: &buffer)
        }
        return intake.form.render(in: formArea, into: &buffer, theme: c.theme)
    }
}

extension Strings {
    var directoryLoading: String {
        language == .zh ? "正在读取目录（类型、辖区），请稍候再按 n" : "still reading the directory (types, districts); press n again in a moment"
    }
}

extension Directory {
    /// Whether the directory has been read (a replica always has districts once it has data).
    var isLoaded: Bool { !districts.isEmpty }
}
