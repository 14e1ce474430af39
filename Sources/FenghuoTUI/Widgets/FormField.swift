extension Form {
    /// One row (or a few, for a wrapped text) of a form: a label, a value, and an error.
    public struct Field: Sendable {
        public enum Kind: Equatable, Sendable {
            /// Free text of at most `maxLength` characters, wrapped over `lines` rows.
            case text(maxLength: Int, lines: Int)
            /// One code from a catalog, chosen by type-ahead.
            case picker
        }

        enum Editor: Sendable {
            case text(TextInput)
            case picker(Picker)
        }

        public let id: String
        /// Already localised by the caller.
        public var label: String
        public var isRequired: Bool
        /// Shown beside the field; set by the caller's validation or by the form ("required").
        public internal(set) var error: String?
        /// Read-only text shown beside the field where its error would go (an error hides it),
        /// e.g. what the chosen value implies; set with `Form.setNote(id:_:)`.
        public internal(set) var note: String? = nil
        /// Columns the value box would like inside its brackets; the form narrows it to fit.
        public var width: Int
        public let kind: Kind
        var editor: Editor
        /// The value the field started with: Esc asks before throwing away anything else.
        let initialValue: String

        /// A text field. Longer text (a narrative) wraps over `lines` rows of the box.
        public static func text(_ id: String, label: String, required: Bool = false, maxLength: Int = 40,
                                lines: Int = 1, value: String = "", width: Int? = nil) -> Field {
            let input = TextInput(String(value.prefix(maxLength)))
            // Room for the longest value when it is short, Chinese counting two columns.
            let preferred = width ?? (lines > 1 ? 60 : min(max(maxLength, 4) * 2 + 1, 40))
            return Field(id: id, label: label, isRequired: required, error: nil, width: preferred,
                         kind: .text(maxLength: max(1, maxLength), lines: max(1, lines)),
                         editor: .text(input), initialValue: input.text)
        }

        /// A picker over `candidates`; `value` is a code (an unknown one is dropped).
        public static func picker(_ id: String, label: String, required: Bool = false,
                                  candidates: [Picker.Candidate], value: String? = nil, width: Int? = nil) -> Field {
            let picker = Picker(candidates: candidates, chosen: value)
            let widest = candidates.map(\.label.displayWidth).max() ?? 0
            return Field(id: id, label: label, isRequired: required, error: nil,
                         width: width ?? min(max(widest + 1, 12), 40), kind: .picker,
                         editor: .picker(picker), initialValue: picker.chosen ?? "")
        }

        /// The text, or the chosen code ("" when none).
        public var value: String {
            switch editor {
            case .text(let input): input.text
            case .picker(let picker): picker.chosen ?? ""
            }
        }

        /// A required field counts as missing when it holds only spaces.
        public var isMissing: Bool { value.allSatisfy(\.isWhitespace) }

        public var input: TextInput? {
            if case .text(let input) = editor { input } else { nil }
        }

        public var picker: Picker? {
            if case .picker(let picker) = editor { picker } else { nil }
        }

        /// Rows the field takes on screen.
        public var height: Int {
            if case .text(_, let lines) = kind { lines } else { 1 }
        }

        /// Replaces the value (a code for a picker); says whether it took it.
        @discardableResult
        mutating func set(_ value: String) -> Bool {
            switch (editor, kind) {
            case (.text, .text(let maxLength, _)):
                editor = .text(TextInput(String(value.prefix(maxLength))))
                return true
            case (.picker(var picker), _):
                guard picker.choose(value.isEmpty ? nil : value) else { return false }
                editor = .picker(picker)
                return true
            default:
                return false
            }
        }
    }
}
