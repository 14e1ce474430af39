import FenghuoConsole
import FenghuoDomain
import Foundation
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
        #expect(text == "assign is for the duty officer role; you are a hotline agent")
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
            .tooLarge(bytes: 70_000, limit: 65_536), .tooLarge(bytes: 40_000, limit: nil),
        ]
        for reason in reasons {
            let zh = Strings(.zh).rejection(CommandRejection(reason))
            let en = Strings(.en).rejection(CommandRejection(reason))
            #expect(!zh.isEmpty && !en.isEmpty && zh != en, "\(reason)")
        }
    }

    @Test func a_command_too_large_reads_in_chinese_with_its_size_and_the_limit() throws {
        let zh = Strings(.zh)
        let text = zh.rejection(CommandRejection(.tooLarge(bytes: 70_123, limit: 65_536)))
        #expect(text.contains("70123") && text.contains("65536"), "\(text)")
        #expect(Self.englishWords(in: text, ids: []).isEmpty, "\(text)")
        let alone = zh.rejection(CommandRejection(.tooLarge(bytes: 40_000, limit: nil)))
        #expect(alone.contains("40000") && Self.englishWords(in: alone, ids: []).isEmpty, "\(alone)")
        // A row an older agent wrote (the reason as `.other`, no details) still reads, in Chinese.
        let old = try JSONDecoder().decode(CommandRejection.self, from: Data(#"""
            {"code":"too_large","message":"command #3 is 1100123 bytes as JSON, over the 65536 bytes central takes a command"}
            """#.utf8))
        #expect(old.code == "too_large")
        guard case .other("too_large", let message) = old.reason else { Issue.record("\(old.reason)"); return }
        #expect(message.contains("1100123"))
        let oldText = zh.rejection(old)
        #expect(Self.englishWords(in: oldText, ids: ["too_large"]).isEmpty, "\(oldText)")
    }
}
