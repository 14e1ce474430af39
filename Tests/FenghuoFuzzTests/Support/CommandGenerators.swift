import FenghuoDomain
import Foundation

/// Commands and their payloads, valid and hostile, drawn from the declarations themselves, so
/// a new command or argument is fuzzed without a line here.
extension FuzzRandom {
    /// The declaration's rule for control characters (`Command.isControl`, which is internal):
    /// C0, DEL, C1 and the line separators; a newline or a tab only in a long text.
    static func isControl(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: !multiline
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }

    /// Hostile text with what the declaration refuses taken out, cut to `maxLength` scalars
    /// (as the declaration counts).
    mutating func acceptableText(maxLength: Int, multiline: Bool) -> String {
        let raw = text(limit: chance(0.1) ? maxLength : 24)
        let kept = raw.unicodeScalars.filter { !Self.isControl($0, multiline: multiline) }
        return String(String.UnicodeScalarView(kept.prefix(maxLength)))
    }

    /// An id as a record argument takes it: at most 40 scalars.
    mutating func recordID(maxLength: Int = 40) -> String {
        chance(0.5) ? pick(["J20261201-0042", "P-YX-01", "R20261130-0007", "SP20261201-001"]) : acceptableText(maxLength: maxLength, multiline: false)
    }

    /// A value of the argument's kind in one of the forms the declaration reads.
    mutating func validValue(_ argument: ArgumentSpec) -> ArgumentValue {
        switch argument.kind {
        case .text(let max): return .text(acceptableText(maxLength: max, multiline: max >= 500))
        case .record, .catalog: return .text(recordID())
        case .records:
            // 39: a mark after a comma is the next id's first scalar.
            let ids = (0..<int(1...5)).map { _ in recordID(maxLength: 39) }
            // The v1 form: comma-joined, now and then a comma followed by a mark that joins onto it.
            return chance(0.6) ? .list(ids) : .text(ids.joined(separator: pick([",", ", ", ",\u{301}", ",\u{200D}"])))
        case .flag:
            return chance(0.5) ? .flag(chance(0.5)) : .text(pick(["yes", "no", "是", "否", "true", "FALSE", "y", "N", "1", "0", " yes "]))
        case .choice(let choices): return .text(pick(choices).code)
        case .coordinates:
            return .text("\(30.40 + Double(int(0...2_500)) / 10_000),\(114.15 + Double(int(0...3_500)) / 10_000)")
        case .number(let range): return .text(chance(0.8) ? String(int(range)) : " \(range.lowerBound) ")
        }
    }

    /// A command the declarations accept (drawn until one is: a required text may trim to nothing).
    mutating func validCommand() -> Command {
        for _ in 0..<1_000 {
            let name = pick(Command.Name.allCases)
            var args: [String: ArgumentValue] = [:]
            for argument in name.spec.arguments where argument.required || chance(0.5) { args[argument.key] = validValue(argument) }
            if let command = try? Command(CommandPayload(name: name, args: args)) { return command }
        }
        fatalError("no valid command in 1,000 draws: the generator no longer fits the declarations")
    }

    /// Any value: of the argument's kind or another, too long, with control characters, a huge list.
    mutating func hostileValue(_ argument: ArgumentSpec?) -> ArgumentValue {
        switch int(0...6) {
        case 0 where argument != nil: return validValue(argument!)
        case 1: return .flag(chance(0.5))
        case 2: return .list((0..<length(typical: 4, limit: 80)).map { _ in text(limit: 50) })
        case 3: return .text(String(repeating: pick(FuzzRandom.atoms), count: int(1...4_100)))
        case 4 where chance(0.5):
            // A v1 list: ids comma-joined, a comma now and then followed by a mark that joins onto it.
            return .text((0..<int(1...4)).map { _ in recordID() }.joined(separator: pick([",", ", ", ",\u{301}", ",\u{200D}"])))
        default: return .text(text())
        }
    }

    /// A payload of any command with any keys (declared, misspelt, repeated in case) and values.
    mutating func hostilePayload() -> CommandPayload {
        let name = pick(Command.Name.allCases)
        var args: [String: ArgumentValue] = [:]
        for argument in name.spec.arguments where chance(0.7) { args[argument.key] = hostileValue(argument) }
        if chance(0.2) { args[chance(0.5) ? text(limit: 8) : pick(name.spec.arguments).key.uppercased()] = hostileValue(nil) }
        return CommandPayload(name: name, args: args)
    }
}

extension CommandRejection.Reason {
    /// Whether this is a reason a declaration check gives (the rest are central's rules).
    var isDeclarationCheck: Bool {
        switch self {
        case .unknownArgument, .missingArgument, .badValue, .tooLong, .controlCharacter: true
        default: false
        }
    }
}
