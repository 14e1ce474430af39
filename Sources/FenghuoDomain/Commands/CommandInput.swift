/// Where the names of catalog entries come from when a person types a command: the console's
/// and the CLI's copy of the reference tables.
public protocol CatalogLookup {
    func entries(_ kind: CatalogKind) -> [CatalogEntry]
}

/// One entry of a reference table, with the names a person may type for it.
public struct CatalogEntry: Hashable, Sendable {
    public let code: String
    public let name: String
    public let nameEN: String
    /// Other names that find it (a department's short name: 城管).
    public let aliases: [String]

    public init(code: String, name: String, nameEN: String, aliases: [String] = []) {
        self.code = code
        self.name = name
        self.nameEN = nameEN
        self.aliases = aliases
    }
}

/// A command as a person types it — `createIncident type=火灾 district=江北区 address="沿江大道 12号"` —
/// turned into a typed `Command`. Words are `key=value`; a value with spaces is quoted ("…" or
/// '…', also “…”); catalog values may be given by code or by name.
public enum CommandInput {
    /// Splits a line into words, keeping quoted stretches together and dropping the quotes.
    /// Read scalar by scalar: as `Character`s, a blank, a quote or an `=` followed by a combining
    /// mark or a joiner is one character that is none of them, and a word or a quote ran on.
    public static func words(_ line: String) throws(CommandRejection) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        var inWord = false
        var quote: Unicode.Scalar?
        let closing: [Unicode.Scalar: Unicode.Scalar] = ["\"": "\"", "'": "'", "“": "”", "「": "」"]
        for c in line.unicodeScalars {
            if let q = quote {
                if c == q { quote = nil } else { current.append(c) }
                continue
            }
            if let close = closing[c] {
                quote = close
                inWord = true
            } else if c == " " || c == "\t" || c == "\u{3000}" {
                if inWord { words.append(String(current)) }
                current = String.UnicodeScalarView()
                inWord = false
            } else {
                current.append(c)
                inWord = true
            }
        }
        guard quote == nil else { throw CommandRejection(.unclosedQuote) }
        if inWord { words.append(String(current)) }
        return words
    }

    /// `key=value` words into pairs, refusing any other word and a key given twice. The `=` is
    /// found as a scalar, so a value may begin with a combining mark.
    public static func pairs(_ words: [String]) throws(CommandRejection) -> [(key: String, value: String)] {
        var seen: Set<String> = []
        var out: [(String, String)] = []
        for word in words {
            let scalars = word.unicodeScalars
            guard let eq = scalars.firstIndex(of: "="), eq != scalars.startIndex else {
                throw CommandRejection(.notKeyValue(word: word))
            }
            let key = String(scalars[..<eq])
            guard seen.insert(key).inserted else { throw CommandRejection(.notKeyValue(word: word)) }
            out.append((key, String(scalars[scalars.index(after: eq)...])))
        }
        return out
    }

    /// The command `name` with typed-in arguments: unknown keys refused (naming the ones the
    /// command takes), catalog names turned into codes, every value checked.
    public static func command(_ name: String, _ pairs: [(key: String, value: String)],
                               catalog: (any CatalogLookup)?) throws(CommandRejection) -> Command {
        guard let name = Command.Name(rawValue: name) ?? Command.Name.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
            throw CommandRejection(.unknownCommand(name: name))
        }
        let spec = name.spec
        var args: [String: ArgumentValue] = [:]
        for (key, value) in pairs {
            guard let argument = spec.argument(key) else {
                throw CommandRejection(.unknownArgument(command: name.rawValue, key: key, accepted: spec.arguments.map(\.key)))
            }
            args[key] = .text(try resolve(value, argument, command: name.rawValue, catalog: catalog))
        }
        return try Command(CommandPayload(name: name, args: args))
    }

    /// A whole line: `NAME key=value …`.
    public static func command(line: String, catalog: (any CatalogLookup)?) throws(CommandRejection) -> Command {
        let words = try words(line)
        guard let name = words.first else { throw CommandRejection(.unknownCommand(name: "")) }
        return try command(name, try pairs(Array(words.dropFirst())), catalog: catalog)
    }

    /// The code for what was typed: a catalog code, or a name (Chinese, English, an alias)
    /// that matches exactly one entry — exactly, or else as the start of one name. A choice
    /// may be given by its Chinese or English name too.
    static func resolve(_ value: String, _ argument: ArgumentSpec, command: String,
                        catalog: (any CatalogLookup)?) throws(CommandRejection) -> String {
        let typed = Command.trimmed(value)
        switch argument.kind {
        case .catalog(let kind):
            guard let catalog, !typed.isEmpty else { return typed }
            let entries = catalog.entries(kind)
            if entries.contains(where: { $0.code == typed }) { return typed }
            let lower = typed.lowercased()
            let names = { (e: CatalogEntry) in [e.name, e.nameEN.lowercased()] + e.aliases }
            let exact = entries.filter { names($0).contains(lower) || names($0).contains(typed) }
            if exact.count == 1 { return exact[0].code }
            let partial = exact.isEmpty
                ? entries.filter { e in names(e).contains { !$0.isEmpty && ($0.hasPrefix(typed) || $0.hasPrefix(lower)) } }
                : exact
            if partial.count == 1 { return partial[0].code }
            if partial.isEmpty { throw CommandRejection(.unknownCode(kind: kind, value: typed)) }
            throw CommandRejection(.ambiguous(key: argument.key, value: typed, candidates: partial.map(\.code).sorted()))
        case .choice(let choices):
            if let choice = choices.first(where: { $0.code == typed || $0.name.zh == typed || $0.name.en.lowercased() == typed.lowercased() }) {
                return choice.code
            }
            return typed
        default:
            return typed
        }
    }
}

extension Directory: CatalogLookup {
    public func entries(_ kind: CatalogKind) -> [CatalogEntry] {
        switch kind {
        case .incidentType: incidentTypes.values.map { CatalogEntry(code: $0.code, name: $0.name, nameEN: $0.nameEN) }
        case .district: districts.values.map { CatalogEntry(code: $0.code, name: $0.name, nameEN: $0.nameEN) }
        case .department:
            departments.values.map { CatalogEntry(code: $0.code, name: $0.name, nameEN: $0.nameEN, aliases: [$0.shortName]) }
        case .ticketCategory: ticketCategories.values.map { CatalogEntry(code: $0.code, name: $0.name, nameEN: $0.nameEN) }
        case .approvalItem: approvalItems.values.map { CatalogEntry(code: $0.code, name: $0.name, nameEN: $0.code) }
        case .disposition: dispositions.values.map { CatalogEntry(code: $0.code, name: $0.name, nameEN: $0.nameEN) }
        }
    }
}
