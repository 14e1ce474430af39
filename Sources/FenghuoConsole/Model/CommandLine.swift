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
        /// A write: the verb (canonical English name) and the rest of the line.
        case write(String, String)
        /// `help VERB`: that verb's description.
        case describe(String)
    }

    static let verbs = ["dispatch", "hotline", "approvals", "dashboard", "filter", "clear", "lang", "help", "quit"]
        + writes.map(\.verb)

    /// The write verbs: the pane whose selection they act on (nil: any), usage and description.
    static let writes: [(verb: String, pane: PaneID?, usage: String, text: Strings.Text)] = [
        ("assign", .dispatch, "assign UNIT[,UNIT…]", .cmdAssign),
        ("resolve", .dispatch, "resolve", .cmdResolve),
        ("close", .dispatch, "close", .cmdClose),
        ("cancel", .dispatch, "cancel", .cmdCancel),
        ("unit", .dispatch, "unit UNIT EVENT", .cmdUnit),
        ("transfer", .hotline, "transfer DEPT", .cmdTransfer),
        ("accept", .hotline, "accept", .cmdAccept),
        ("return", .hotline, "return REASON", .cmdReturn),
        ("reply", .hotline, "reply TEXT", .cmdReply),
        ("callback", .hotline, "callback yes|no", .cmdCallback),
        ("approve", .approvals, "approve [OPINION]", .cmdApprove),
        ("reject", .approvals, "reject OPINION", .cmdReject),
        ("submit", nil, "submit NAME key=value …", .cmdSubmit),
    ]

    /// Chinese names for the write verbs.
    static let writeAliases = ["派车": "assign", "处毕": "resolve", "结案": "close", "撤销": "cancel", "力量": "unit",
                               "转派": "transfer", "签收": "accept", "退回": "return", "答复": "reply", "回访": "callback",
                               "同意": "approve", "不同意": "reject", "提交": "submit"]

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
        case "help", "h", "?":
            if let verb = words.dropFirst().first?.lowercased() { return .describe(writeAliases[verb] ?? verb) }
            return .help
        case "1", "dispatch", "调度": return .pane(.dispatch)
        case "2", "hotline", "热线": return .pane(.hotline)
        case "3", "approvals", "审批": return .pane(.approvals)
        case "4", "dashboard", "看板": return .pane(.dashboard)
        case "lang", "language":
            if let language = Language(rawValue: rest.lowercased()) { return .language(language) }
            return .usage("lang zh|en")
        case "filter", "f": return .filter(rest)
        case "clear": return .filter("")
        default:
            let name = writeAliases[verb] ?? verb
            if writes.contains(where: { $0.verb == name }) { return .write(name, rest) }
            return .unknown(verb)
        }
    }

    /// Completes the verb being typed when exactly one verb starts with it.
    static func complete(_ text: String) -> String {
        guard !text.contains(" ") else { return text }
        let matches = verbs.filter { $0.hasPrefix(text.lowercased()) }
        return matches.count == 1 ? matches[0] + " " : text
    }
}
