import FenghuoCentral
import FenghuoProtocol
import Foundation
import Testing

/// The audit chain hashes each detail's exact bytes, and agents compare record text central
/// wrote: how a hostile text is escaped in each is pinned here, byte for byte.
@Suite("Audit details and record text, byte for byte")
struct AuditDetailBytesTests {
    /// Every escape JSON has, DEL, CJK, an emoji sequence, a slash.
    static let hostile = "引号\"反斜杠\\换行\n回车\r制表\t\u{01}\u{1F}删除\u{7F}斜杠/表情👮🏽‍♀️"

    @Test func a_detail_escapes_quotes_backslashes_controls_and_del_and_keeps_the_rest_as_is() {
        let detail: AuditDetail = ["a\"b": .text(Self.hostile), "n": .number(-7), "args": .fields(["k\\": "值\u{7F}", "z": "plain"])]
        #expect(detail.json == #"{"a\"b":"引号\"反斜杠\\换行\n回车\r制表\t\u0001\u001f删除\u007f斜杠/表情👮🏽‍♀️","args":{"k\\":"值\u007f","z":"plain"},"n":-7}"#)
        #expect(Array(detail.json.utf8).contains(0x7F) == false)
    }

    @Test func record_text_escapes_quotes_backslashes_and_controls_and_leaves_del_as_it_is() throws {
        let record = WireRecord(table: "t\"", row: ["a\\": .text(Self.hostile), "n": .null])
        #expect(record.jsonText() == #"{"tables":[{"columns":["a\\","n"],"name":"t\"","rows":[["引号\"反斜杠\\换行\n回车\r制表\t\u0001\u001f删除"# + "\u{7F}" + #"斜杠/表情👮🏽‍♀️",null]],"types":["t","g"]}]}"#)
        // The text JSONEncoder writes (sorted keys), DEL left raw as here.
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        #expect(record.jsonText() == String(decoding: try encoder.encode(record), as: UTF8.self))
    }
}
