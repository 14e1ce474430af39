import FenghuoDomain

/// The `:` command line: parsing and Tab completion, from the verbs table and the commands'
/// declarations.
enum CommandLine {
    enum Parsed: Equatable {
        case quit, help, empty, queue
        case pane(PaneID)
        case language(Language)
        case filter(String)
        case unknown(String)
        /// The verb is known but its argument is wrong: show how it is used.
        case usage(String)
        /// A write verb (its canonical name) and the words after it.
        case write(String, [String])
        /// `submit NAME key=value …`: the words after `submit`.
        case submit([String])
        /// `help VERB` or `help COMMAND`.
        case describe(String)
        /// A line the tokenizer refused (an unclosed quote).
        case malformed(CommandRejection)
        /// `plan [N]`: an incident's detail, where its plan is (the selected one, or today's N).
        case plan(String?)
    }

    /// Verbs that are not writes, with the help overlay's lines.
    static let navigation = ["dispatch", "hotline", "approvals", "dashboard", "filter", "clear", "lang", "queue", "plan", "help", "quit"]

    static var verbs: [String] { verbs(Verb.all, commands: Command.Name.allCases) }

    /// The words of the `:` line for a role that may use `writes` and send `commands`.
    static func verbs(_ writes: [Verb], commands: [Command.Name]) -> [String] {
        navigation + writes.map(\.name) + (commands.isEmpty ? [] : ["submit"])
    }

    static let help: [(usage: String, text: Strings.Text)] = [
        ("dispatch | hotline | approvals | dashboard", .cmdPane),
        ("filter TEXT", .cmdFilter),
        ("clear", .cmdClear),
        ("lang zh|en", .cmdLang),
        ("queue", .cmdQueue),
        ("plan [N]", .cmdPlan),
        ("help [VERB|COMMAND]", .cmdHelp),
        ("quit", .cmdQuit),
    ]

    static func parse(_ text: String) -> Parsed {
        let words: [String]
        do {
            words = try CommandInput.words(text)
        } catch {
            return .malformed(error)
        }
        guard let first = words.first else { return .empty }
        let verb = first.lowercased()
        let rest = Array(words.dropFirst())
        switch verb {
        case "q", "quit", "exit": return .quit
        case "help", "h", "?":
            if let topic = rest.first { return .describe(Verb.named(topic)?.name ?? topic) }
            return .help
        case "1", "dispatch", "调度": return .pane(.dispatch)
        case "2", "hotline", "热线": return .pane(.hotline)
        case "3", "approvals", "审批": return .pane(.approvals)
        case "4", "dashboard", "看板": return .pane(.dashboard)
        case "lang", "language":
            if let language = rest.first.flatMap({ Language(rawValue: $0.lowercased()) }) { return .language(language) }
            return .usage("lang zh|en")
        case "filter", "f": return .filter(rest.joined(separator: " "))
        case "clear": return .filter("")
        case "submit", "提交": return .submit(rest)
        case "queue", "队列", "待发": return .queue
        case "plan", "预案":
            guard rest.count <= 1 else { return .usage("plan [N]") }
            if let word = rest.first, IDFormat.shortNumber(word) == nil, !word.hasPrefix("J") { return .usage("plan [N]") }
            return .plan(rest.first)
        default:
            if let write = Verb.named(first) { return .write(write.name, rest) }
            return .unknown(first)
        }
    }

    /// What Tab does to the line: the completed text, and the candidates when there are several.
    struct Completion: Equatable {
        var text: String
        var candidates: [String]
    }

    /// Completes the word under the cursor (the last one): a verb, a command name after
    /// `submit`, an argument key, or an argument's value (catalog names, unit ids, events).
    static func complete(_ text: String, directory: Directory, units: [ResponseUnit], language: Language,
                         verbs writes: [Verb] = Verb.all, commands: [Command.Name] = Command.Name.allCases) -> Completion {
        let verbs = verbs(writes, commands: commands)
        let parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let head = parts.dropLast().joined(separator: " ")
        let last = parts.last ?? ""
        func finish(_ options: [String], space: Bool = true) -> Completion {
            let matches = options.filter { $0.lowercased().hasPrefix(last.lowercased()) || ($0.hasPrefix(last)) }
            let prefix = head.isEmpty ? "" : head + " "
            if matches.count == 1 { return Completion(text: prefix + matches[0] + (space ? " " : ""), candidates: []) }
            let common = commonPrefix(matches)
            let grown = common.count > last.count ? prefix + common : text
            return Completion(text: grown, candidates: matches.count > 1 ? matches : [])
        }
        if parts.count == 1 { return finish(verbs) }
        let verb = parts[0].lowercased()
        if verb == "help" || verb == "h" { return finish(verbs + commands.map(\.rawValue)) }
        if verb == "submit" {
            if parts.count == 2 { return finish(commands.map(\.rawValue)) }
            guard let spec = Command.Name(rawValue: parts[1])?.spec else { return Completion(text: text, candidates: []) }
            guard let eq = last.firstIndex(of: "=") else {
                let given = Set(parts.dropLast().compactMap { $0.split(separator: "=").first.map(String.init) })
                return finish(spec.arguments.map(\.key).filter { !given.contains($0) }.map { $0 + "=" }, space: false)
            }
            let key = String(last[..<eq])
            guard let argument = spec.argument(key) else { return Completion(text: text, candidates: []) }
            let typed = String(last[last.index(after: eq)...])
            let values = values(for: argument.kind, directory: directory, units: units, language: language)
            var c = complete(value: typed, among: values)
            c.text = (head.isEmpty ? "" : head + " ") + key + "=" + c.text
            return c
        }
        // A verb's own argument (assign's units, transfer's department, unit's id then event).
        guard let write = Verb.named(parts[0]), let spec = write.command?.spec else { return Completion(text: text, candidates: []) }
        var key = write.completes
        if write.name == "unit", parts.count == 3 { key = "event" }
        // `link AGENCY TYPE`, or `link N AGENCY TYPE` by the day's number.
        if write.name == "link" {
            let numbered = parts.count >= 3 && Agency(rawValue: parts[1]) == nil && IDFormat.shortNumber(parts[1]) != nil
            key = parts.count == (numbered ? 3 : 2) ? "agency" : "type"
        }
        guard let key, let argument = spec.argument(key) else { return Completion(text: text, candidates: []) }
        var values = values(for: argument.kind, directory: directory, units: units, language: language)
        // A linked part's type is one of the agency named before it.
        if write.name == "link", key == "type", let agency = parts.dropFirst().compactMap({ Agency(rawValue: $0) }).last {
            values = values.filter { value in
                value.1.split(separator: " ").first.flatMap { directory.incidentTypes[String($0)] }?.agency == agency
            }
        }
        var c = complete(value: last.split(separator: ",").last.map(String.init) ?? "", among: values)
        let earlier = last.contains(",") ? String(last[...last.lastIndex(of: ",")!]) : ""
        c.text = (head.isEmpty ? "" : head + " ") + earlier + c.text
        return c
    }

    /// The values an argument may take, as `(what is inserted, what the candidate list shows)`.
    static func values(for kind: ArgumentKind, directory: Directory, units: [ResponseUnit], language: Language) -> [(String, String)] {
        let zh = language == .zh
        switch kind {
        case .catalog(let catalog):
            return directory.entries(catalog).sorted { $0.code < $1.code }.map { entry in
                let name = zh ? entry.name : entry.nameEN
                return (zh ? entry.name : entry.code, "\(entry.code) \(name)")
            }
        case .records(.unit), .record(.unit):
            let strings = Strings(language)
            return units.map { ($0.id, "\($0.id) \(strings.status($0.status))") }
        case .choice(let choices):
            return choices.map { ($0.code, "\($0.code) \(zh ? $0.name.zh : $0.name.en)") }
        case .flag:
            return [("yes", "yes 是"), ("no", "no 否")]
        default:
            return []
        }
    }

    static func complete(value typed: String, among values: [(String, String)]) -> Completion {
        let lower = typed.lowercased()
        let matches = values.filter { $0.0.lowercased().hasPrefix(lower) || $0.1.lowercased().hasPrefix(lower) || $0.1.contains(typed) }
        if matches.count == 1 { return Completion(text: matches[0].0 + " ", candidates: []) }
        let common = commonPrefix(matches.map(\.0))
        return Completion(text: common.count > typed.count ? common : typed, candidates: matches.map(\.1))
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first.map(Array.init) else { return "" }
        for word in words.dropFirst() {
            let chars = Array(word)
            var n = 0
            while n < prefix.count, n < chars.count, prefix[n] == chars[n] { n += 1 }
            prefix = Array(prefix[..<n])
        }
        return String(prefix)
    }
}
