import FenghuoDomain
import Testing
import TestSupport
@testable import FenghuoConsole

@Suite("Fuzzing the / filter's words")
struct FilterTextFuzzTests {
    /// A filter line as a person types one: words, column conditions, blanks of every kind.
    static func typedFilter(_ r: inout FuzzRandom) -> String {
        let keys = ["状态", "status", "辖区", "district", "STATUS", "时间"]
        let values = ["待派", "new", "sent", "江北", "Jiang", "处毕", "", "火星"]
        return (0..<r.length(typical: 3, limit: 6)).map { _ -> String in
            if r.chance(0.5) { return r.typable(limit: 8) }
            return r.pick(keys) + (r.chance(0.5) ? ":" : "：") + r.pick(values)
        }.joined(separator: r.pick([" ", "  ", "\u{3000}", "\t", " \u{301}"]))
    }

    @Test("Any filter is read into free words and conditions; no free word is a condition, and each word came from the line")
    func anyFilter() {
        let check = checkProperty("filterText") { r in
            let line = r.chance(0.3) ? r.text(limit: 40) : Self.typedFilter(&r)
            let (text, columns) = FilterText.incidents.parse(line)
            let words = FilterText.words(line)
            if columns.statuses == nil && columns.districtPrefix == nil {
                try require(text == line, "\(line.shown) without a condition became \(text.shown)")
            } else {
                for word in FilterText.words(text) {
                    try require(FilterText.keyed(word) == nil, "\(word.shown) is a condition left in the text of \(line.shown)")
                    try require(words.contains(word), "\(word.shown) is not a word of \(line.shown)")
                }
            }
            try require(columns.statusesNamedByText.isSubset(of: Set(IncidentStatus.allCases.map(\.rawValue))),
                        "\(line.shown) names statuses that do not exist: \(columns.statusesNamedByText)")
        }
        #expect(check.held, "\(check)")
    }
}
