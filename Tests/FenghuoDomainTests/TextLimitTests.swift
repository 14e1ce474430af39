import FenghuoDomain
import Testing

/// Text limits bound size: they count Unicode scalars, so a Character built of thousands of
/// combining marks is as long as its marks, while Chinese text counts one a character.
@Suite("Text limits count scalars")
struct TextLimitTests {
    static func incident(narrative: String) throws(CommandRejection) -> Command {
        try CommandInput.command("createIncident", [("type", "theft"), ("district", "binhu"), ("address", "滨湖区湖心路8号"),
                                                    ("narrative", narrative)], catalog: nil)
    }

    static func refusal(_ work: () throws(CommandRejection) -> Command) -> CommandRejection.Reason? {
        CommandVocabularyTests.refusal(work)
    }

    @Test func a_narrative_of_one_visible_character_made_of_2001_scalars_is_refused_too_long() {
        let stacked = "e" + String(repeating: "\u{301}", count: 2_000)
        #expect(stacked.count == 1 && stacked.unicodeScalars.count == 2_001)
        let reason = Self.refusal { () throws(CommandRejection) in try Self.incident(narrative: stacked) }
        guard case .tooLong("createIncident", "narrative", 2_000)? = reason else {
            Issue.record("one Character of 2,001 scalars: \(String(describing: reason))")
            return
        }
        #expect(CommandRejection(reason!).message.contains("narrative") && CommandRejection(reason!).message.contains("2000"))
    }

    @Test func two_thousand_chinese_characters_still_pass_and_one_more_does_not() throws {
        let full = String(repeating: "警", count: 2_000)
        guard case .createIncident(let new) = try Self.incident(narrative: full) else { Issue.record("not an incident"); return }
        #expect(new.narrative == full)
        let over = Self.refusal { () throws(CommandRejection) in try Self.incident(narrative: full + "情") }
        #expect(over == .tooLong(command: "createIncident", key: "narrative", maxLength: 2_000))
    }

    @Test func ids_and_codes_count_scalars_too() {
        // One visible letter of 41 scalars is over the 40 an id or a code may have.
        let stacked = "J" + String(repeating: "\u{301}", count: 40)
        let id = Self.refusal { () throws(CommandRejection) in try CommandInput.command(line: "resolveIncident incident=\(stacked)", catalog: nil) }
        #expect(id == .tooLong(command: "resolveIncident", key: "incident", maxLength: 40))
        let units = Self.refusal { () throws(CommandRejection) in
            try CommandInput.command("dispatch", [("incident", "J1"), ("units", "P1,\(stacked)")], catalog: nil)
        }
        guard case .badValue("dispatch", "units", _, _)? = units else { Issue.record("units: \(String(describing: units))"); return }
    }
}
