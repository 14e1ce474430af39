import FenghuoDomain
import Foundation

/// The `/` filter as typed: free words, and column conditions written `KEY:VALUE`
/// (`状态:待派` or `status:new`, `辖区:江北` or `district:Jiangbei`). The list's rows hold codes
/// and the screen shows words, so the words (in both languages, whichever is on screen) are
/// turned into codes here, where the words live.
struct FilterText: Sendable {
    /// Each status the list shows, with its words on screen in Chinese and English.
    let statuses: [(code: String, words: [String])]

    static let statusKeys: Set<String> = ["状态", "status"]
    static let districtKeys: Set<String> = ["辖区", "district"]
    /// `:` and the full-width `：` a Chinese input method types.
    static let separators: Set<Unicode.Scalar> = [":", "："]

    init<Status: RawRepresentable & CaseIterable>(_ status: Status.Type, _ word: @escaping (Strings, Status) -> String)
    where Status.RawValue == String {
        let languages = Language.allCases.map(Strings.init)
        statuses = Status.allCases.map { s in (s.rawValue, languages.map { word($0, s) }) }
    }

    static let incidents = FilterText(IncidentStatus.self) { $0.status($1) }
    static let tickets = FilterText(TicketStatus.self) { $0.status($1) }

    /// The free text (words that are no column condition, joined by one blank) and the conditions.
    func parse(_ typed: String) -> (text: String, columns: ColumnFilter) {
        var free: [String] = []
        var columns = ColumnFilter()
        for word in Self.words(typed) {
            guard let keyed = Self.keyed(word) else { free.append(word); continue }
            if Self.statusKeys.contains(keyed.key) {
                let named = codes(startingWith: keyed.value)
                columns.statuses = columns.statuses.map { $0.intersection(named) } ?? named
            } else {
                columns.districtPrefix = keyed.value
            }
        }
        // Without a condition the typed text goes as it is (its blanks are part of the search).
        let text = columns.statuses == nil && columns.districtPrefix == nil ? typed : free.joined(separator: " ")
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty { columns.statusesNamedByText = codes(startingWith: trimmed) }
        return (text, columns)
    }

    /// The statuses whose code or a word on screen begins with `value` (letters in any case).
    private func codes(startingWith value: String) -> Set<String> {
        let wanted = value.lowercased()
        return Set(statuses.filter { s in ([s.code] + s.words).contains { $0.lowercased().hasPrefix(wanted) } }.map(\.code))
    }

    /// Blank-separated words, split at Unicode scalars: a blank followed by a combining mark
    /// still separates.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                if !current.isEmpty { words.append(String(current)) }
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    /// `KEY:VALUE` with a known key and a value; anything else is a free word.
    static func keyed(_ word: String) -> (key: String, value: String)? {
        let scalars = word.unicodeScalars
        guard let colon = scalars.firstIndex(where: { separators.contains($0) }) else { return nil }
        let key = String(String.UnicodeScalarView(scalars[..<colon])).lowercased()
        let value = String(String.UnicodeScalarView(scalars[scalars.index(after: colon)...]))
        guard !value.isEmpty, statusKeys.contains(key) || districtKeys.contains(key) else { return nil }
        return (key, value)
    }
}
