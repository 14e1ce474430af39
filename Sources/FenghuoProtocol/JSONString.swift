/// JSON string literals written by hand where the exact bytes matter and Codable costs too
/// much: central's record text (`WireRecord.jsonText`) and the audit log's details, whose
/// bytes its hash chain covers — so for the same text this never writes other bytes.
public enum JSONString {
    /// Appends `text` quoted: `"` and `\` escaped, `\n` `\r` `\t` by name, other C0 controls as
    /// `\u00xx` (lowercase hex); with `escapingDelete`, DEL as `\u007f` too (the audit log's
    /// form; record text leaves DEL as JSONEncoder does). Everything else as it is.
    public static func append(_ text: String, to out: inout String, escapingDelete: Bool = false) {
        out += "\""
        // Most text needs no escape: one scan of its bytes, then appended whole.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || (escapingDelete && $0 == 0x7F) }) {
            out += text
            out += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || (escapingDelete && scalar.value == 0x7F) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
