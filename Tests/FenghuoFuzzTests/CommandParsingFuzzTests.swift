import FenghuoSeed
import FenghuoTUI
import Foundation
import Testing
import TestSupport
@testable import FenghuoConsole
@testable import FenghuoDomain
@testable import fenghuo

/// The demo city's catalog as a console or the CLI reads it from a replica (built here from
/// the fixtures, which is what the replica's reference tables hold).
enum Catalog {
    static let directory: Directory = {
        let f = DemoCity.fixtures
        func index<T>(_ values: [T], _ code: (T) -> String) -> [String: T] { Dictionary(values.map { (code($0), $0) }, uniquingKeysWith: { a, _ in a }) }
        return Directory(cityName: f.cityName, cityNameEN: f.cityNameEN, districts: index(f.districts, \.code),
                         departments: index(f.departments, \.code), incidentTypes: index(f.incidentTypes, \.code),
                         ticketCategories: index(f.ticketCategories, \.code), approvalItems: index(f.approvalItems, \.code),
                         dispositions: index(f.dispositions, \.code), responseTargets: f.responseTargets)
    }()

    /// Every name a person may type for an entry of the kind, and the entry's code.
    static func names(_ kind: CatalogKind) -> [(typed: String, code: String)] {
        directory.entries(kind).flatMap { e in ([e.code, e.name, e.nameEN, e.nameEN.uppercased()] + e.aliases).map { ($0, e.code) } }
    }
}

extension FuzzRandom {
    /// A value a person might type for the argument: a catalog name or a piece of one, an id,
    /// yes/no in either language, hostile text.
    mutating func typedValue(_ argument: ArgumentSpec) -> String {
        switch argument.kind {
        case .catalog(let kind) where chance(0.7):
            let typed = pick(Catalog.names(kind)).typed
            return chance(0.7) ? typed : String(typed.prefix(int(0...typed.count)))
        case .choice(let choices) where chance(0.7):
            let c = pick(choices)
            return pick([c.code, c.name.zh, c.name.en, c.name.en.uppercased()])
        case .flag where chance(0.7): return pick(["yes", "no", "是", "否", "true", "0", "y", "maybe", ""])
        case .records where chance(0.5): return (0..<int(1...3)).map { _ in recordID() }.joined(separator: ",")
        default: return typable()
        }
    }

    /// The words of a `submit` as a shell hands them over (argv): a command's name (or a
    /// misspelling) and key=value words, now and then one that is not, repeats one or names
    /// an unknown key. No word starts with `-`: argv's option syntax, which the console has not.
    mutating func submitWords() -> [String] {
        let name = pick(Command.Name.allCases)
        let typedName = switch int(0...9) {
        case 0: name.rawValue.uppercased()
        case 1: typable(limit: 8)
        default: name.rawValue
        }
        var words = [typedName]
        for argument in name.spec.arguments where argument.required ? chance(0.9) : chance(0.4) {
            words.append("\(argument.key)=\(typedValue(argument))")
        }
        if chance(0.15) { words.append(typable(limit: 6)) }
        if chance(0.1), words.count > 1 { words.append(pick(Array(words.dropFirst()))) }
        if chance(0.1) { words.append("\(typable(limit: 5))=\(typable())") }
        if chance(0.3), words.count > 2 { words[1...].shuffle(using: &self) }
        return words.map { $0.hasPrefix("-") ? "x" + $0 : $0 }
    }

    /// The line a person types at the console for these words: each quoted where it must be
    /// (with a quote kind it does not contain, or character by character), or where it need not be.
    mutating func consoleLine(_ words: [String]) -> String {
        let separators = [" ", "  ", "\u{3000}"]
        return words.map { quoted($0) }.map { $0 + pick(separators) }.joined().trimmingTrailingSeparators
    }

    /// What the tokenizer reads as syntax, scalar by scalar (as it reads them).
    static let special: Set<Unicode.Scalar> = [" ", "\t", "\u{3000}", "\"", "'", "“", "「"]

    mutating func quoted(_ word: String) -> String {
        let scalars = word.unicodeScalars
        let plain = !word.isEmpty && !scalars.contains(where: Self.special.contains)
        if plain, chance(0.8) { return word }
        let pairs: [(Unicode.Scalar, Unicode.Scalar)] = [("\"", "\""), ("'", "'"), ("“", "”"), ("「", "」")]
        let fits = pairs.filter { !scalars.contains($0.1) }
        if let (open, close) = fits.isEmpty ? nil : pick(fits), chance(0.7) {
            return "\(open)\(word)\(close)"
        }
        // Scalar by scalar: an opener or a blank inside a quote that cannot close on it.
        return word.isEmpty ? "\"\"" : scalars.map { c in
            guard Self.special.contains(c) else { return String(c) }
            return c == "\"" ? "'\"'" : "\"\(c)\""
        }.joined()
    }
}

extension String {
    var trimmingTrailingSeparators: String {
        var s = self
        while let last = s.last, last == " " || last == "\u{3000}" { s.removeLast() }
        return s
    }
}

/// A `:` line typed into a real console model, key by key, with its agent connected.
struct Console {
    var model: ConsoleModel

    init(language: Language) {
        model = ConsoleModel(language: language, theme: .builtinDefault, size: Size(width: 120, height: 40), now: DemoCity.now)
        model.agentConnected = true
        _ = model.update(.loaded(.directory(Catalog.directory, DemoCity.fixtures.calendar)))
    }

    enum Outcome: Equatable {
        case command(Command)
        case refused(String)
        case nothing
    }

    mutating func type(_ line: String) -> Outcome {
        model.flash = nil
        _ = model.update(.key(.char(":")))
        for c in line { _ = model.update(.key(.char(c))) }
        let effects = model.update(.key(.enter))
        for case .submit(let request) in effects { return .command(request.command) }
        return model.flash.map { .refused($0.text) } ?? .nothing
    }
}

/// The command parser on hostile lines and payloads: the tokenizer gives back the words it was
/// given however they were quoted, every refusal is a typed `CommandRejection` of the kinds a
/// parser gives, what is accepted is a checked command with catalog codes, and the console's
/// `:submit` line and `fenghuo submit` reach the same outcome for the same words.
@Suite("Fuzz: command parsing")
struct CommandParsingFuzzTests {
    @Test("Words quoted as a person would quote them are split back into the same words")
    func tokenizerRoundTrip() {
        let check = checkProperty("tokenizerRoundTrip") { r in
            let words = (0..<r.int(0...6)).map { _ in r.chance(0.7) ? r.typable() : r.text(limit: 12) }
                .map { String($0.filter { $0 != "\t" }) }
            let line = r.consoleLine(words)
            guard case .success(let split) = parsing({ () throws(CommandRejection) in try CommandInput.words(line) }) else {
                throw Falsified(description: "a quoted line was refused; words: \(words.map(\.shown)); line: \(line.shown)")
            }
            try require(split == words, "the line splits into other words; words: \(words.map(\.shown)); line: \(line.shown); split: \(split.map(\.shown))")
        }
        #expect(check.held, "\(check)")
    }

    @Test("Any line splits into words or is refused for an unclosed quote; pairs are key=value or refused as not")
    func tokenizerOnAnything() {
        let check = checkProperty("tokenizerOnAnything") { r in
            let line = r.chance(0.5) ? r.text(limit: 80) : r.consoleLine(r.submitWords()).mutatedText(&r)
            let words: [String]
            switch parsing({ () throws(CommandRejection) in try CommandInput.words(line) }) {
            case .success(let w): words = w
            case .failure(let error):
                try require(error.reason == .unclosedQuote, "the tokenizer refused \(line.shown) with \(error)")
                return
            }
            try require(!words.contains { $0.isEmpty && !line.unicodeScalars.contains(where: FuzzRandom.special.contains) },
                        "an empty word from a line with no quotes: \(line.shown) → \(words.map(\.shown))")
            switch parsing({ () throws(CommandRejection) in try CommandInput.pairs(words) }) {
            case .success(let pairs):
                try require(Set(pairs.map(\.key)).count == pairs.count, "a key given twice was accepted: \(words.map(\.shown))")
                try require(zip(pairs, words).allSatisfy { "\($0.key)=\($0.value)" == $1 && !$0.key.isEmpty },
                            "pairs are not the words split at their first '=': \(words.map(\.shown)) → \(pairs)")
            case .failure(let rejection):
                guard case .notKeyValue = rejection.reason else {
                    throw Falsified(description: "pairs refused \(words.map(\.shown)) with \(rejection)")
                }
            }
        }
        #expect(check.held, "\(check)")
    }

    @Test("A payload is a checked command or refused for a declaration reason; a checked command's payload gives it back")
    func payloadChecks() {
        let check = checkProperty("payloadChecks") { r in
            let payload = r.chance(0.2) ? CommandPayload(name: r.validCommand().name, args: r.validCommand().payload.args) : r.hostilePayload()
            let command: Command
            switch parsing({ () throws(CommandRejection) in try Command(payload) }) {
            case .success(let c): command = c
            case .failure(let error):
                try require(error.reason.isDeclarationCheck, "\(payload.name.rawValue) was refused with \(error)")
                return
            }
            let again = parsing({ () throws(CommandRejection) in try Command(command.payload) })
            try require((try? again.get()) == command, "\(command) does not come back from its own payload (\(again))")
            for (key, value) in command.payload.args {
                let argument = try #require(payload.name.spec.argument(key))
                let texts: [String] = switch value {
                case .text(let t): [t]
                case .list(let l): l
                case .flag: []
                }
                if case .text(let max) = argument.kind {
                    try require(texts.allSatisfy { $0.unicodeScalars.count <= max }, "\(key) holds more than \(max) scalars")
                }
                if case .records = argument.kind {
                    try require(texts.allSatisfy { $0.unicodeScalars.count <= 40 } && texts.count <= 50, "\(key) holds an id longer than 40 scalars or more than 50 ids")
                    // The v1 form, ids comma-joined, is split at every comma.
                    if case .text(let joined)? = payload.args[key] {
                        try require(!texts.contains { $0.unicodeScalars.contains(",") },
                                    "\(key)=\(joined.shown) was read as ids holding a comma: \(texts.map(\.shown))")
                    }
                }
                try require(texts.allSatisfy { t in
                    !t.unicodeScalars.contains { FuzzRandom.isControl($0, multiline: { if case .text(let m) = argument.kind { m >= 500 } else { false } }()) }
                }, "\(key) holds a control character: \(texts.map(\.shown))")
                try require(texts.allSatisfy { $0 == $0.trimmingCharacters(in: .whitespacesAndNewlines) && !$0.isEmpty },
                            "\(key) is blank or not trimmed: \(texts.map(\.shown))")
            }
            let json = try JSONEncoder().encode(command)
            try require((try? JSONDecoder().decode(Command.self, from: json)) == command, "\(command) does not come back from its JSON")
        }
        #expect(check.held, "\(check)")
    }

    @Test("Unit ids given comma-joined (the v1 form) are read as those ids, whatever follows a comma")
    func commaJoinedIDs() {
        let check = checkProperty("commaJoinedIDs", share: 0.25) { r in
            let ids = (0..<r.int(1...5)).map { _ in FuzzRandom.removing(",", from: r.acceptableText(maxLength: 12, multiline: false)) }
            let joined = ids.map { r.pick(["", "\u{301}", "\u{200D}", " "]) + $0 }.joined(separator: ",")
            let payload = CommandPayload(name: .dispatch, args: ["incident": .text("J20261201-0042"), "units": .text(joined)])
            guard case .success(.dispatch(_, let units)) = parsing({ () throws(CommandRejection) in try Command(payload) }) else { return }
            let read = units.map(\.rawValue)
            try require(!read.contains { $0.unicodeScalars.contains(",") }, "units=\(joined.shown) was read as ids holding a comma: \(read.map(\.shown))")
        }
        #expect(check.held, "\(check)")
    }

    @Test("A typed command gives a checked command whose catalog values are codes of the catalog, or a parser's refusal")
    func typedLines() {
        let check = checkProperty("typedLines") { r in
            let line = r.consoleLine(r.submitWords())
            let command: Command
            switch parsing({ () throws(CommandRejection) in try CommandInput.command(line: line, catalog: Catalog.directory) }) {
            case .success(let c): command = c
            case .failure(let error):
                switch error.reason {
                case .unknownCommand, .notKeyValue, .unclosedQuote, .ambiguous, .unknownCode: return
                default: try require(error.reason.isDeclarationCheck, "\(line.shown) was refused with \(error)")
                }
                return
            }
            for argument in command.spec.arguments {
                guard case .catalog(let kind) = argument.kind, case .text(let code)? = command.payload.args[argument.key] else { continue }
                try require(Catalog.directory.entries(kind).contains { $0.code == code },
                            "\(argument.key)=\(code.shown) is not a \(kind.rawValue) code; line: \(line.shown)")
            }
        }
        #expect(check.held, "\(check)")
    }

    @Test("A catalog entry's code, Chinese or English name or alias, typed exactly, finds it (or names it among the candidates)",
          arguments: CatalogKind.allCases)
    func catalogNames(_ kind: CatalogKind) throws {
        let spec = try #require(Command.all.first { $0.arguments.contains { $0.kind == .catalog(kind) } })
        let argument = try #require(spec.arguments.first { $0.kind == .catalog(kind) })
        let check = checkProperty("catalogNames \(kind.rawValue)", share: 0.25) { r in
            let (typed, code) = r.pick(Catalog.names(kind))
            let padded = r.chance(0.3) ? " \(typed) " : typed
            switch parsing({ () throws(CommandRejection) in
                try CommandInput.resolve(padded, argument, command: spec.name.rawValue, catalog: Catalog.directory)
            }) {
            case .success(let found):
                try require(found == code || Catalog.names(kind).contains { $0.typed == typed && $0.code == found },
                            "\(padded.shown) found \(found), not \(code)")
            case .failure(let error):
                guard case .ambiguous(_, _, let candidates) = error.reason else {
                    throw Falsified(description: "\(padded.shown) (\(code)) was refused: \(error)")
                }
                try require(candidates.contains(code), "\(padded.shown) is ambiguous among \(candidates), not naming \(code)")
            }
        }
        #expect(check.held, "\(check)")
    }

    @Test("Any line typed at the console's : prompt is parsed without a crash")
    func consoleLineParse() {
        let check = checkProperty("consoleLineParse") { r in
            let line = r.chance(0.5) ? r.typable(limit: 60) : r.consoleLine(r.submitWords()).mutatedText(&r)
            if case .malformed(let rejection) = FenghuoConsole.CommandLine.parse(line) {
                try require(rejection.reason == .unclosedQuote, "\(line.shown) is malformed for \(rejection)")
            }
        }
        #expect(check.held, "\(check)")
    }

    @Test("The console's :submit line and fenghuo submit give the same command, or the same refusal, for the same words",
          arguments: [Language.zh, .en])
    func consoleAgreesWithCLI(_ language: Language) {
        var console = Console(language: language)
        let strings = Strings(language)
        let check = checkProperty("consoleAgreesWithCLI \(language.rawValue)", share: 0.5) { r in
            let words = r.submitWords()
            let line = r.pick(["submit ", "提交 ", "SUBMIT\u{3000}"]) + r.consoleLine(words)
            let typed = console.type(line)
            let cli: Console.Outcome
            do {
                let parsed = try SubmitCommand.parse(["--data", "/nonexistent"] + words)
                switch parsing({ () throws(CommandRejection) in try parsed.command(directory: Catalog.directory) }) {
                case .success(let command): cli = .command(command)
                case .failure(let error): cli = .refused(strings.rejection(error, directory: Catalog.directory))
                }
            } catch {
                throw Falsified(description: "the CLI's argument parser refused \(words.map(\.shown)): \(error)")
            }
            try require(typed == cli, "words \(words.map(\.shown)) typed as \(line.shown): the console gives \(typed), the CLI \(cli)")
        }
        #expect(check.held, "\(check)")
    }
}

/// A parser's answer as a value, its typed error kept.
func parsing<T>(_ body: () throws(CommandRejection) -> T) -> Result<T, CommandRejection> {
    do throws(CommandRejection) { return .success(try body()) } catch { return .failure(error) }
}

extension String {
    /// The line with one to three edits (bytes flipped, cut, repeated, spliced), read back as
    /// UTF-8 with broken sequences replaced, as a terminal would show them.
    func mutatedText(_ r: inout FuzzRandom) -> String {
        String(decoding: r.mutate(Array(utf8)), as: UTF8.self)
    }
}
