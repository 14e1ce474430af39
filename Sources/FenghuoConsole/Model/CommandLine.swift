/// The `:` command line's verbs: parsing and Tab completion.
enum CommandLine {
    enum Command: Equatable {
        case quit, help, empty
        case pane(PaneID)
        case language(Language)
        case filter(String)
        case unknown(String)
        /// The verb is known but its argument is wrong: show how it is used.
        case usage(String)
    }

    static let verbs = ["dispatch", "hotline", "approvals", "dashboard", "filter", "clear", "lang", "help", "quit"]

    /// Each verb as the help overlay shows it.
    static let help: [(usage: String, text: Strings.Text)] = [
        ("dispatch | hotline | approvals | dashboard", .cmdPane),
        ("filter TEXT", .cmdFilter),
        ("clear", .cmdClear),
        ("lang zh|en", .cmdLang),
        ("help", .cmdHelp),
        ("quit", .cmdQuit),
    ]

    static func parse(_ text: String) -> Command {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let verb = words.first?.lowercased() else { return .empty }
        let rest = words.dropFirst().joined(separator: " ")
        switch verb {
        case "q", "quit", "exit": return .quit
        case "help", "h", "?": return .help
        case "1", "dispatch", "调度": return .pane(.dispatch)
        case "2", "hotline", "热线": return .pane(.hotline)
        case "3", "approvals", "审批": return .pane(.approvals)
        case "4", "dashboard", "看板": return .pane(.dashboard)
        case "lang", "language":
            if let language = Language(rawValue: rest.lowercased()) { return .language(language) }
            return .usage("lang zh|en")
        case "filter", "f": return .filter(rest)
        case "clear": return .filter("")
        default: return .unknown(verb)
        }
    }

    /// Completes the verb being typed when exactly one verb starts with it.
    static func complete(_ text: String) -> String {
        guard !text.contains(" ") else { return text }
        let matches = verbs.filter { $0.hasPrefix(text.lowercased()) }
        return matches.count == 1 ? matches[0] + " " : text
    }
}
