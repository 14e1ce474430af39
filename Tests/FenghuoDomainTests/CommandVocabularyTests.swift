import FenghuoDomain
import Foundation
import Testing

@Suite("The command vocabulary: declarations, checked payloads, typed input and rejections")
struct CommandVocabularyTests {
    /// A small catalog with the names people type.
    static let catalog = Directory(
        districts: ["jiangbei": District(code: "jiangbei", name: "江北区", nameEN: "Jiangbei", location: GeoPoint(lat: 0, lon: 0), population: 1),
                    "jiangnan": District(code: "jiangnan", name: "江南区", nameEN: "Jiangnan", location: GeoPoint(lat: 0, lon: 0), population: 1)],
        departments: ["urban": Department(code: "urban", name: "市城市管理局", shortName: "城管", nameEN: "Urban Management", kind: .bureau, phone: ""),
                      "water": Department(code: "water", name: "云川水务集团", shortName: "水务", nameEN: "Water Group", kind: .utility, phone: "")],
        incidentTypes: ["fire_building": IncidentType(code: "fire_building", agency: .fire, name: "建筑火灾", nameEN: "Building fire", priority: .critical),
                        "fire_vehicle": IncidentType(code: "fire_vehicle", agency: .fire, name: "车辆火灾", nameEN: "Vehicle fire", priority: .high)])

    static func encoded(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func refusal(_ work: () throws(CommandRejection) -> Command) -> CommandRejection.Reason? {
        do {
            _ = try work()
            return nil
        } catch {
            return error.reason
        }
    }

    // MARK: Declarations

    @Test func every_command_is_declared_once_with_roles_help_and_an_example_that_parses() throws {
        #expect(Command.all.map(\.name) == Command.Name.allCases)
        for spec in Command.all {
            #expect(!spec.roles.isEmpty, "\(spec.name)")
            #expect(!spec.summary.zh.isEmpty && !spec.summary.en.isEmpty, "\(spec.name)")
            #expect(Set(spec.arguments.map(\.key)).count == spec.arguments.count, "\(spec.name) repeats a key")
            if let target = spec.target { #expect(spec.argument(target) != nil, "\(spec.name)'s target") }
            // The example `help` prints is itself a valid command line.
            let command = try CommandInput.command(line: spec.example, catalog: nil)
            #expect(command.name == spec.name)
        }
    }

    @Test func every_command_survives_its_wire_form_unchanged() throws {
        for spec in Command.all {
            let command = try CommandInput.command(line: spec.example, catalog: nil)
            let json = try JSONEncoder().encode(command)
            #expect(try JSONDecoder().decode(Command.self, from: json) == command, "\(spec.name)")
            // Only declared keys travel.
            let keys = Set(command.payload.args.keys)
            #expect(keys.isSubset(of: Set(spec.arguments.map(\.key))), "\(spec.name)")
        }
    }

    /// The wire form is the protocol: a change to it must be a decision (and a protocol
    /// version), not a side effect of renaming a Swift property.
    @Test func the_wire_form_of_a_command_is_fixed() throws {
        let dispatch = Command.dispatch(incident: "J20261201-0042", units: ["P-YX-01", "P-YX-02"])
        #expect(try Self.encoded(dispatch) == #"{"args":{"incident":"J20261201-0042","units":["P-YX-01","P-YX-02"]},"name":"dispatch"}"#)
        let callback = Command.recordCallback("R1", satisfied: false)
        #expect(try Self.encoded(callback) == #"{"args":{"satisfied":false,"ticket":"R1"},"name":"recordCallback"}"#)
        let envelope = CommandEnvelope(clientID: "c1", mutationID: 7, command: .closeIncident("J1"), baseVersion: 3)
        #expect(try Self.encoded(envelope) == #"{"args":{"incident":"J1"},"baseVersion":3,"clientID":"c1","mutationID":7,"name":"closeIncident"}"#)
    }

    // MARK: Checking a payload

    @Test func an_unknown_argument_is_refused_naming_the_arguments_the_command_takes() {
        let reason = Self.refusal { () throws(CommandRejection) in
            try CommandInput.command(line: "createTicket category=water_outage district=jiangbei address=x summary=y caller_name=张三", catalog: nil)
        }
        guard case .unknownArgument(let command, let key, let accepted)? = reason else {
            Issue.record("expected unknownArgument, got \(String(describing: reason))")
            return
        }
        #expect(command == "createTicket")
        #expect(key == "caller_name")
        #expect(accepted.contains("caller") && accepted.contains("phone"))
        // Any stray key, not only near-misses.
        guard case .unknownArgument(_, "colour", _)? = Self.refusal({ () throws(CommandRejection) in
            try CommandInput.command(line: "closeIncident incident=J1 colour=red", catalog: nil)
        }) else {
            Issue.record("colour=red was accepted")
            return
        }
    }

    @Test func a_missing_or_overlong_or_mistyped_value_is_refused_by_key() {
        guard case .missingArgument("dispatch", "units")? = Self.refusal({ () throws(CommandRejection) in
            try CommandInput.command(line: "dispatch incident=J1", catalog: nil)
        }) else { Issue.record("a dispatch without units was accepted"); return }
        let long = String(repeating: "长", count: 201)
        guard case .tooLong("createIncident", "address", 200)? = Self.refusal({ () throws(CommandRejection) in
            try CommandInput.command("createIncident", [("type", "t"), ("district", "d"), ("address", long), ("narrative", "n")], catalog: nil)
        }) else { Issue.record("a 201-character address was accepted"); return }
        guard case .badValue("recordCallback", "satisfied", "maybe", _)? = Self.refusal({ () throws(CommandRejection) in
            try CommandInput.command(line: "recordCallback ticket=R1 satisfied=maybe", catalog: nil)
        }) else { Issue.record("satisfied=maybe was accepted"); return }
        guard case .badValue("updateUnitStatus", "event", "fly", _)? = Self.refusal({ () throws(CommandRejection) in
            try CommandInput.command(line: "updateUnitStatus unit=P1 event=fly", catalog: nil)
        }) else { Issue.record("event=fly was accepted"); return }
    }

    @Test func a_v1_payload_with_text_values_still_reads() throws {
        // v1 agents send every value as text: a list comma-joined, yes/no as words.
        let payload = CommandPayload(name: .dispatch, args: ["incident": .text("J1"), "units": .text("P1, P2")])
        #expect(try Command(payload) == .dispatch(incident: "J1", units: ["P1", "P2"]))
        let callback = CommandPayload(name: .recordCallback, args: ["ticket": .text("R1"), "satisfied": .text("yes")])
        #expect(try Command(callback) == .recordCallback("R1", satisfied: true))
    }

    // MARK: Typed input

    @Test func quoted_values_keep_their_spaces() throws {
        #expect(try CommandInput.words(#"createIncident address="沿江大道 12号" narrative='三楼 冒烟' caller=“张 三”"#)
                == ["createIncident", "address=沿江大道 12号", "narrative=三楼 冒烟", "caller=张 三"])
        guard case .unclosedQuote? = Self.refusal({ () throws(CommandRejection) in
            try CommandInput.command(line: #"replyTicket ticket=R1 text="未闭合"#, catalog: nil)
        }) else { Issue.record("an unclosed quote was accepted"); return }
    }

    @Test func catalog_values_may_be_given_by_code_or_by_chinese_or_english_name() throws {
        let command = try CommandInput.command(line: "createIncident type=建筑火灾 district=江北区 address=\"沿江大道 12号\" narrative=冒烟",
                                               catalog: Self.catalog)
        guard case .createIncident(let new) = command else { Issue.record("\(command)"); return }
        #expect(new.type == "fire_building")
        #expect(new.district == "jiangbei")
        #expect(new.address == "沿江大道 12号")
        #expect(try CommandInput.command(line: "transferTicket ticket=R1 department=城管", catalog: Self.catalog)
                == .transferTicket("R1", department: "urban"))
        #expect(try CommandInput.command(line: "transferTicket ticket=R1 department=water", catalog: Self.catalog)
                == .transferTicket("R1", department: "water"))
        // A unit event by its Chinese name.
        #expect(try CommandInput.command(line: "updateUnitStatus unit=P1 event=到场", catalog: Self.catalog)
                == .updateUnitStatus(unit: "P1", event: .arrive))
    }

    @Test func a_name_that_starts_several_entries_lists_them() {
        let reason = Self.refusal { () throws(CommandRejection) in
            try CommandInput.command(line: "createIncident type=fire_x district=江 address=x narrative=y", catalog: Self.catalog)
        }
        // The first bad value is reported: the type code is unknown.
        guard case .unknownCode(.incidentType, "fire_x")? = reason else { Issue.record("\(String(describing: reason))"); return }
        let district = Self.refusal { () throws(CommandRejection) in
            try CommandInput.command("createIncident", [("district", "江"), ("type", "fire_building"), ("address", "x"), ("narrative", "y")],
                                     catalog: Self.catalog)
        }
        guard case .ambiguous("district", "江", let candidates)? = district else { Issue.record("\(String(describing: district))"); return }
        #expect(candidates == ["jiangbei", "jiangnan"])
    }

    // MARK: Rejections

    @Test func every_rejection_keeps_its_reason_through_the_wire() throws {
        let reasons: [CommandRejection.Reason] = [
            .unknownCommand(name: "launch"), .unknownArgument(command: "dispatch", key: "x", accepted: ["incident", "units"]),
            .missingArgument(command: "dispatch", key: "units"), .badValue(command: "c", key: "k", value: "v", expected: "yes|no"),
            .tooLong(command: "c", key: "k", maxLength: 9), .notKeyValue(word: "w"), .unclosedQuote,
            .ambiguous(key: "k", value: "v", candidates: ["a", "b"]), .unknownCode(kind: .district, value: "x"),
            .forbidden(command: "dispatch", role: .hotline, allowed: [.duty]), .notFound(entity: .unit, id: "U1"),
            .staleVersion(id: "J1", base: 3, current: 4),
            .illegalTransition(entity: "unit", id: "U1", event: "assign", state: "on_scene", why: "busy"),
            .agencyMismatch(unit: "F1", unitAgency: .fire, incidentAgency: .police),
            .otherDepartment(id: "R1", department: "water", yours: "urban"), .notTicketDepartment(department: "cmd"),
            .controlCharacter(command: "createTicket", key: "summary"), .mutationReused(mutationID: 7),
            .tooLarge(bytes: 70_000, limit: 65_536), .tooLarge(bytes: 40_000, limit: nil),
        ]
        for reason in reasons {
            let rejection = CommandRejection(reason)
            let back = try JSONDecoder().decode(CommandRejection.self, from: JSONEncoder().encode(rejection))
            #expect(back == rejection, "\(reason)")
        }
        // A code this build does not know is kept as it came.
        let future = try JSONDecoder().decode(CommandRejection.self, from: Data(#"{"code":"quota","message":"too many"}"#.utf8))
        #expect(future.reason == .other(code: "quota", message: "too many"))
    }
}
