/// The kinds of record a command can name.
public enum EntityKind: String, Hashable, Sendable, Codable, CaseIterable {
    case incident, unit, ticket, approval

    public var label: LocalizedText {
        switch self {
        case .incident: LocalizedText(zh: "警情", en: "incident")
        case .unit: LocalizedText(zh: "力量", en: "unit")
        case .ticket: LocalizedText(zh: "工单", en: "ticket")
        case .approval: LocalizedText(zh: "审批件", en: "approval case")
        }
    }
}

/// The reference tables an argument's value may come from: given as the code, or as the
/// Chinese or English name, which the console and the CLI turn into the code.
public enum CatalogKind: String, Hashable, Sendable, Codable, CaseIterable {
    case incidentType, district, department, ticketCategory, approvalItem, disposition

    public var label: LocalizedText {
        switch self {
        case .incidentType: LocalizedText(zh: "警情类型", en: "incident type")
        case .district: LocalizedText(zh: "辖区", en: "district")
        case .department: LocalizedText(zh: "部门", en: "department")
        case .ticketCategory: LocalizedText(zh: "工单分类", en: "ticket category")
        case .approvalItem: LocalizedText(zh: "审批事项", en: "approval item")
        case .disposition: LocalizedText(zh: "处置结果", en: "disposition")
        }
    }
}

/// One of a fixed set of values (a unit's status event), with its names in both languages.
public struct Choice: Hashable, Sendable {
    public let code: String
    public let name: LocalizedText

    public init(_ code: String, zh: String, en: String) {
        self.code = code
        name = LocalizedText(zh: zh, en: en)
    }
}

/// What an argument's value is.
public enum ArgumentKind: Hashable, Sendable {
    /// Free text of at most this many Unicode scalars (a Chinese character is one; a letter
    /// with an accent mark two), so the limit bounds the bytes stored and sent.
    case text(maxLength: Int)
    /// The id of a record.
    case record(EntityKind)
    /// Ids of records, at least one (a JSON array; a comma-separated string from v1 clients).
    case records(EntityKind)
    /// Yes or no.
    case flag
    case choice([Choice])
    case catalog(CatalogKind)
    /// `LAT,LON` in decimal degrees (`30.5412,114.3021`); whether it lies in the city is the rules'.
    case coordinates
    /// A whole number in the range, written in ASCII digits.
    case number(ClosedRange<Int>)

    /// How `help` names the kind.
    public var label: LocalizedText {
        switch self {
        case .text(let max): LocalizedText(zh: "文本（≤\(max)字）", en: "text (≤\(max) chars)")
        case .record(let e): LocalizedText(zh: "\(e.label.zh)编号", en: "\(e.label.en) id")
        case .records(let e): LocalizedText(zh: "\(e.label.zh)编号,…", en: "\(e.label.en) ids,…")
        case .flag: LocalizedText(zh: "是|否", en: "yes|no")
        case .choice(let choices): LocalizedText(zh: choices.map(\.code).joined(separator: "|"),
                                                 en: choices.map(\.code).joined(separator: "|"))
        case .catalog(let c): LocalizedText(zh: "\(c.label.zh)（代码或名称）", en: "\(c.label.en) (code or name)")
        case .coordinates: LocalizedText(zh: "纬度,经度", en: "LAT,LON")
        case .number(let r): LocalizedText(zh: "整数 \(r.lowerBound)–\(r.upperBound)", en: "a whole number \(r.lowerBound)–\(r.upperBound)")
        }
    }
}

/// One argument of a command: its key on the wire, its kind, whether it must be given, what it
/// means and an example value.
public struct ArgumentSpec: Hashable, Sendable {
    public let key: String
    public let kind: ArgumentKind
    public let required: Bool
    public let help: LocalizedText
    public let example: String

    public init(_ key: String, _ kind: ArgumentKind, required: Bool = true, help: LocalizedText, example: String) {
        self.key = key
        self.kind = kind
        self.required = required
        self.help = help
        self.example = example
    }
}

/// A command's declaration: the one place its wire name, arguments, roles and help live. The
/// console's `:` line and help, `fenghuo submit` and `fenghuo commands`, the agent's checks and
/// central's decoding all read it.
public struct CommandSpec: Hashable, Sendable {
    public let name: Command.Name
    public let roles: Set<Role>
    public let summary: LocalizedText
    public let arguments: [ArgumentSpec]
    /// The argument naming the record whose version the user saw (checked against `baseVersion`).
    public let target: String?

    public init(_ name: Command.Name, roles: Set<Role>, summary: LocalizedText, target: String? = nil,
                arguments: [ArgumentSpec]) {
        self.name = name
        self.roles = roles
        self.summary = summary
        self.target = target
        self.arguments = arguments
    }

    public func argument(_ key: String) -> ArgumentSpec? { arguments.first { $0.key == key } }

    /// `fenghuo submit dispatch incident=J20261201-0042 units=P-YX-01,P-YX-02`
    public var example: String {
        ([name.rawValue] + arguments.filter(\.required).map { "\($0.key)=\(Self.quoted($0.example))" }).joined(separator: " ")
    }

    /// `createIncident type=… district=… [caller=…]`
    public var usage: String {
        ([name.rawValue] + arguments.map { $0.required ? "\($0.key)=…" : "[\($0.key)=…]" }).joined(separator: " ")
    }

    static func quoted(_ value: String) -> String {
        value.contains(" ") ? "\"\(value)\"" : value
    }
}
