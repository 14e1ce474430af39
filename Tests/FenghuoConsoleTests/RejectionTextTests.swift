import FenghuoConsole
import FenghuoDomain
import Testing

@Suite("Rejections worded by the console, not by central")
struct RejectionTextTests {
    /// Latin letters left after removing the ids and codes that are names, not words.
    static func englishWords(in text: String, ids: [String]) -> String {
        var rest = text
        for id in ids { rest = rest.replacingOccurrences(of: id, with: "") }
        return String(rest.filter { $0.isASCII && $0.isLetter })
    }

    @Test func a_rejected_dispatch_reads_entirely_in_chinese() {
        let zh = Strings(.zh)
        let busy = CommandRejection(.illegalTransition(entity: "unit", id: "P-BH-01", event: "assign", state: "on_scene",
                                                       why: "the unit is busy with incident J20261201-0007"))
        let text = zh.rejection(busy)
        #expect(text == "力量 P-BH-01 当前为“到场”，不能派遣")
        let mismatch = zh.rejection(CommandRejection(.agencyMismatch(unit: "F-JB-01", unitAgency: .fire, incidentAgency: .police)))
        let stale = zh.rejection(CommandRejection(.staleVersion(id: "J20261201-0042", base: 3, current: 4)))
        let missing = zh.rejection(CommandRejection(.missingArgument(command: "dispatch", key: "units")))
        for (sentence, ids) in [(text, ["P-BH-01"]), (mismatch, ["F-JB-01"]), (stale, ["J20261201-0042"]),
                                (missing, ["dispatch", "units"])] {
            #expect(Self.englishWords(in: sentence, ids: ids).isEmpty, "\(sentence)")
        }
    }

    @Test func the_same_rejection_reads_in_english_on_an_english_console() {
        let en = Strings(.en)
        let text = en.rejection(CommandRejection(.forbidden(command: "dispatch", role: .hotline, allowed: [.duty])))
        #expect(text == "dispatch is for the duty officer role; you are a hotline agent")
        #expect(!text.contains { $0.unicodeScalars.first!.value > 0x2E80 })
    }

    @Test func every_reason_has_words_in_both_languages() {
        let reasons: [CommandRejection.Reason] = [
            .unknownCommand(name: "x"), .unknownArgument(command: "dispatch", key: "x", accepted: ["units"]),
            .missingArgument(command: "dispatch", key: "units"), .badValue(command: "recordCallback", key: "satisfied", value: "v", expected: ""),
            .tooLong(command: "c", key: "k", maxLength: 9), .notKeyValue(word: "w"), .unclosedQuote,
            .ambiguous(key: "k", value: "v", candidates: ["a"]), .unknownCode(kind: .district, value: "x"),
            .forbidden(command: "c", role: .leader, allowed: [.duty]), .notFound(entity: .unit, id: "U1"),
            .staleVersion(id: "J1", base: 1, current: 2),
            .illegalTransition(entity: "ticket", id: "R1", event: "accept", state: "closed", why: ""),
            .agencyMismatch(unit: "F1", unitAgency: .fire, incidentAgency: .police),
            .otherDepartment(id: "R1", department: "water", yours: "urban"), .notTicketDepartment(department: "cmd"),
            .controlCharacter(command: "createTicket", key: "summary"), .mutationReused(mutationID: 7),
        ]
        for reason in reasons {
            let zh = Strings(.zh).rejection(CommandRejection(reason))
            let en = Strings(.en).rejection(CommandRejection(reason))
            #expect(!zh.isEmpty && !en.isEmpty && zh != en, "\(reason)")
        }
    }
}
