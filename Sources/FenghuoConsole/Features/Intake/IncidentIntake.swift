import FenghuoDomain
import FenghuoTUI
import Foundation

/// What the new-incident form works out as it is typed: where the address lies (a gazetteer
/// place, a house number, or `LAT,LON`), the premise warnings there, the caller's earlier calls,
/// and the open incidents the call may duplicate. Reads come back as messages (`apply`).
struct IncidentIntake: Sendable {
    let search: AddressSearch
    /// The place the address names, once taken from the list or typed in full.
    private(set) var place: Gazetteer.Place?
    /// A point central is given (a landmark's, or typed coordinates); nil: central places a
    /// street address on its road.
    private(set) var location: GeoPoint?
    /// Where the call is for the duplicate check (a street address on its road, too).
    private(set) var draftLocation: GeoPoint?
    private(set) var premises: [Premise] = []
    /// The phone the history is for, and what the replica holds of it.
    private(set) var history: (phone: String, incidents: [Incident], tickets: [Ticket])?
    private(set) var recentOpen: [Incident] = []
    private(set) var duplicates: [DuplicateMatch] = []
    /// The dispatcher chose the priority: a new type no longer proposes its own.
    private(set) var priorityChosen = false
    /// The district was filled from the address (so a new address may refill it).
    private(set) var districtFromAddress = false

    /// Known-caller lines shown at most.
    static let historyLimit = 5

    init(_ context: ConsoleContext) {
        search = AddressSearch(context)
    }

    /// Open incidents as far back as any duplicate window reaches.
    static func openIncidentsRequest(_ context: ConsoleContext) -> ConsoleEffect {
        let minutes = ([DuplicateRules.defaultWindow.minutes, DuplicateRules.samePhoneMinutes]
            + context.directory.duplicateRules.windows.values.map(\.minutes)).max() ?? 30
        return .load(.openIncidents(since: context.now.addingTimeInterval(-Double(minutes * 60))))
    }

    /// Keeps the derived state current after the form handled a key in field `field`.
    mutating func update(after outcome: Form.Outcome, field: String?, form: inout Form,
                         context: ConsoleContext) -> [ConsoleEffect] {
        var effects: [ConsoleEffect] = []
        switch outcome {
        case .took(let code):
            if let (place, number) = search.taken(code) {
                self.place = place
                let address = number.map { Gazetteer.address(place.name, number: $0) } ?? place.name
                form.setValue(id: "address", address)
                placeAddress(address, context)
                fillDistrict(place.district, in: &form, always: true)
                // The district is filled, and the priority proposed: on to the phone.
                if form.focusedField?.id == "district" {
                    form.focus(id: (form.value(of: "priority") ?? "").isEmpty ? "priority" : "phone")
                }
            }
        case .edited:
            switch field {
            case "type":
                if !priorityChosen, let type = form.value(of: "type").flatMap({ context.directory.incidentTypes[$0] }) {
                    form.setValue(id: "priority", String(type.priority.rawValue))
                }
            case "priority":
                priorityChosen = !(form.value(of: "priority") ?? "").isEmpty
            case "district":
                districtFromAddress = false
            case "address":
                let text = form.value(of: "address") ?? ""
                form.setSuggestions(id: "address", search.suggestions(for: text, context: context))
                place = context.directory.gazetteer.resolve(text)
                placeAddress(text, context)
                if let place { fillDistrict(place.district, in: &form, always: false) }
                if case .point(let p) = TypedCoordinates(text), context.directory.cityBounds?.contains(p) ?? true,
                   let district = District.nearest(to: p, in: context.directory.districts.values) {
                    fillDistrict(district.code, in: &form, always: false)
                }
            case "phone":
                effects += historyRequest(form.value(of: "phone") ?? "")
            default:
                break
            }
        default:
            break
        }
        noteAddress(in: &form, context)
        findDuplicates(form, context)
        return effects
    }

    /// Where the address text lies and what warnings it carries.
    private mutating func placeAddress(_ text: String, _ context: ConsoleContext) {
        let gazetteer = context.directory.gazetteer
        if case .point(let p) = TypedCoordinates(text) {
            location = p
            draftLocation = p
        } else {
            let landmark = place?.kind == .landmark && place?.name == text.trimmingCharacters(in: .whitespaces)
            location = landmark ? place?.location : nil
            draftLocation = gazetteer.location(of: text)
        }
        premises = context.directory.premises.matching(text, in: gazetteer)
    }

    private mutating func fillDistrict(_ code: String, in form: inout Form, always: Bool) {
        let current = form.value(of: "district") ?? ""
        guard always || current.isEmpty || districtFromAddress else { return }
        if form.setValue(id: "district", code) { districtFromAddress = true }
    }

    /// Beside the address: what it was found to be (`地标 · 老城区`, `坐标 → 老城区 距区政府 1.2 公里`).
    private func noteAddress(in form: inout Form, _ context: ConsoleContext) {
        let s = context.strings
        let text = form.value(of: "address") ?? ""
        switch TypedCoordinates(text) {
        case .point(let p):
            if let bounds = context.directory.cityBounds, !bounds.contains(p) {
                form.setNote(id: "address", s.intake(.outsideCity))
            } else if let d = District.nearest(to: p, in: context.directory.districts.values) {
                let km = String(format: "%.1f", d.location.meters(to: p) / 1000)
                form.setNote(id: "address", "\(s.intake(.coordinates)) → \(context.districtName(d.code)) \(s.intake(.seatDistance)) \(km) km")
            }
        case .invalid(let why):
            form.setNote(id: "address", context.isChinese ? why.zh : why.en)
        case .notCoordinates:
            form.setNote(id: "address", place.map { AddressSearch.detail($0, context) })
        }
    }

    /// Checks a typed `LAT,LON` before the form is sent: the error names the field.
    func addressError(_ form: Form, _ context: ConsoleContext) -> String? {
        let s = context.strings
        let label = s.intake(.fieldAddress) + context.colon
        switch TypedCoordinates(form.value(of: "address") ?? "") {
        case .notCoordinates: return nil
        case .invalid(let why): return label + (context.isChinese ? why.zh : why.en)
        case .point(let p):
            guard let bounds = context.directory.cityBounds, !bounds.contains(p) else { return nil }
            return label + s.intake(.outsideCity) + context.parenthesized(bounds.description)
        }
    }

    /// The arguments the form's fields do not hold: the point central places the incident at.
    var extraArguments: [(key: String, value: String)] {
        location.map { [("location", TypedCoordinates.text(of: $0))] } ?? []
    }

    // MARK: Reads

    private mutating func historyRequest(_ phone: String) -> [ConsoleEffect] {
        let phone = phone.trimmingCharacters(in: .whitespaces)
        guard DuplicateFinder.normalizedPhone(phone).count >= 7 else {
            history = nil
            return []
        }
        return [.load(.callerHistory(phone: phone))]
    }

    /// An answer for the phone now in the form (an older phone's is dropped).
    mutating func apply(history phone: String, incidents: [Incident], tickets: [Ticket], form: Form) {
        guard (form.value(of: "phone") ?? "").trimmingCharacters(in: .whitespaces) == phone else { return }
        history = (phone, incidents, tickets)
    }

    mutating func apply(open incidents: [Incident], form: Form, context: ConsoleContext) {
        recentOpen = incidents
        findDuplicates(form, context)
    }

    private mutating func findDuplicates(_ form: Form, _ context: ConsoleContext) {
        let type = form.value(of: "type").flatMap { $0.isEmpty ? nil : $0 }
        let draft = IncidentDraft(typeCode: type, location: draftLocation, phone: form.value(of: "phone") ?? "")
        duplicates = DuplicateFinder.matches(for: draft, among: recentOpen, types: context.directory.incidentTypes,
                                             rules: context.directory.duplicateRules, now: context.now)
    }

    // MARK: Drawing

    /// The lines under the fields: warnings first, then the caller's history, then duplicates.
    func adviceLines(_ context: ConsoleContext) -> [[Span]] {
        let s = context.strings
        let theme = context.theme
        var lines: [[Span]] = []
        if !premises.isEmpty {
            lines.append([Span(s.intake(.premiseHeading), theme[.danger])])
            lines += premises.map { [Span("  \($0.kind)", theme[.danger]), Span(context.colon + $0.warning, theme[.base])] }
        }
        if let history {
            let rows = Self.historyRows(history.incidents, history.tickets, context)
            lines.append([Span(s.intake(rows.isEmpty ? .callerNone : .callerHeading), theme[.accent])])
            lines += rows.map { [Span("  " + $0, theme[.base])] }
        }
        if !duplicates.isEmpty {
            lines.append([Span(s.intake(.duplicateHeading), theme[.warning])])
            lines += duplicates.map { d in
                let i = d.incident
                let distance = d.meters.map { "\(Int($0.rounded())) \(s.intake(.metres))" } ?? "—"
                let phone = d.samePhone ? "  " + s.intake(.samePhone) : ""
                return [Span("  \(i.id)  \(context.incidentTypeName(i.typeCode))  \(i.address)  \(distance)  \(d.minutesAgo) \(s.intake(.minutesAgo))\(phone)",
                             theme[.base])]
            }
        }
        return lines
    }

    /// Incidents and tickets from one phone, newest first, at most `historyLimit`:
    /// `J20261201-0042  12-01 14:03  盗窃  处毕`.
    static func historyRows(_ incidents: [Incident], _ tickets: [Ticket], _ context: ConsoleContext) -> [String] {
        let s = context.strings
        let rows: [(at: Date, id: String, text: String)] =
            incidents.map { ($0.createdAt, $0.id, "\(context.incidentTypeName($0.typeCode))  \(s.status($0.status))") }
            + tickets.map { ($0.createdAt, $0.id, "\(s.intake(.ticket)) \(context.categoryName($0.category))  \(s.status($0.status))") }
        return rows.sorted { ($0.at, $0.id) > ($1.at, $1.id) }.prefix(historyLimit).map {
            "\($0.id)  \(context.format.minute($0.at))  \($0.text)"
        }
    }
}

extension ConsoleContext {
    /// The premise warnings at an incident's address, for its detail view (none: no lines).
    func premiseLines(for address: String) -> [[Span]] {
        let found = directory.premises.matching(address, in: directory.gazetteer)
        return found.map { [Span("⚠ \($0.kind)" + colon, theme[.danger]), Span($0.warning, theme[.base])] }
    }
}
