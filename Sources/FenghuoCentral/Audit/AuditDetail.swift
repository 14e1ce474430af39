import FenghuoDomain
import FenghuoProtocol

/// The detail of an audit entry: a small JSON object. Every text is masked (`SensitiveText`)
/// and cut to `maxText` characters, and the whole object to `maxBytes`, so one command with a
/// 4,000-character narrative costs the log a line, not a page.
public struct AuditDetail: Hashable, Sendable, ExpressibleByDictionaryLiteral {
    public enum Value: Hashable, Sendable {
        case text(String)
        case number(Int64)
        /// One level of text fields (a command's arguments, a rejection's details).
        case fields([String: String])
    }

    public static let maxText = 120
    public static let maxBytes = 2048

    public var values: [String: Value]

    public init(dictionaryLiteral elements: (String, Value)...) {
        values = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    public subscript(key: String) -> Value? {
        get { values[key] }
        set { values[key] = newValue }
    }

    /// The object as JSON text with sorted keys. Over `maxBytes`, nested fields are replaced by
    /// how many there were; a detail is never cut in the middle of its JSON.
    public var json: String {
        let whole = Self.write(values, nested: true)
        if whole.utf8.count <= Self.maxBytes { return whole }
        let flat = Self.write(values, nested: false)
        if flat.utf8.count <= Self.maxBytes { return flat }
        return #"{"cut":true}"#
    }

    private static func write(_ values: [String: Value], nested: Bool) -> String {
        var out = "{"
        for (n, key) in values.keys.sorted().enumerated() {
            if n > 0 { out += "," }
            string(key, into: &out)
            out += ":"
            switch values[key]! {
            case .text(let text): string(text, into: &out)
            case .number(let number): out += String(number)
            case .fields(let fields) where nested:
                out += "{"
                for (m, field) in fields.keys.sorted().enumerated() {
                    if m > 0 { out += "," }
                    string(field, into: &out)
                    out += ":"
                    string(fields[field]!, into: &out)
                }
                out += "}"
            case .fields(let fields):
                string("(\(fields.count) fields cut)", into: &out)
            }
        }
        return out + "}"
    }

    /// A JSON string of `text` masked and cut to `maxText` characters (`…` marks a cut). Cut
    /// first with room to spare, so a number across the cut is still whole when it is masked.
    private static func string(_ text: String, into out: inout String) {
        var value = SensitiveText.masked(text.utf8.count > maxText + 20 ? String(text.prefix(maxText + 20)) : text)
        // Counting characters is slow; a text of no more bytes than that has no more characters.
        if value.utf8.count > maxText, value.count > maxText { value = String(value.prefix(maxText - 1)) + "…" }
        // DEL escaped too, as the log has always written it: the chain hashes these bytes.
        JSONString.append(value, to: &out, escapingDelete: true)
    }
}
