/// An intake form (new incident, new ticket): labelled text and picker fields, one focused,
/// driven key by key like `TextInput`. It checks only what it can know, required fields; the
/// caller validates the rest after `.submitted` and reports back with `setError(id:_:)`.
public struct Form: Sendable {
    /// The words the form shows, localised by the caller.
    public struct Texts: Sendable {
        /// Beside a required field left empty, e.g. "必填".
        public var required: String
        /// Asked on Esc when something was typed, e.g. "放弃已输入的内容？ y/n".
        public var confirmDiscard: String
        /// In an open picker's list when nothing matches, e.g. "无匹配项".
        public var noMatches: String
        /// On the bottom line while editing, e.g. "Tab 下一项  Enter 提交  Esc 取消".
        public var hint: String
        /// In an empty picker box that has focus, e.g. "输入名称或拼音首字母".
        public var pickerPrompt: String

        public init(required: String, confirmDiscard: String, noMatches: String = "", hint: String = "",
                    pickerPrompt: String = "") {
            self.required = required
            self.confirmDiscard = confirmDiscard
            self.noMatches = noMatches
            self.hint = hint
            self.pickerPrompt = pickerPrompt
        }
    }

    public enum Outcome: Equatable, Sendable {
        /// A field's value changed.
        case edited
        /// Something else changed: the focus, a caret, a picker's query or list.
        case handled
        /// Enter with every required field filled and no errors: read `values`.
        case submitted
        /// Enter with missing or wrong fields: they are marked and the first has the focus.
        case invalid
        /// Esc after typing: the form asks `confirmDiscard` and waits for y or n.
        case confirming
        /// Esc with nothing typed, or y to the question: close the form.
        case cancelled
        /// Enter on a text field's suggestion list: the field now holds the suggestion's label;
        /// this is its code.
        case took(String)
        case ignored
    }

    public private(set) var fields: [Field]
    /// Index into `fields` of the focused one.
    public private(set) var focusedIndex = 0
    public private(set) var isConfirmingDiscard = false
    public var texts: Texts
    /// Suggestions offered under a text field (an address's places), set by the caller as the
    /// text changes: ↑/↓ move in them, Enter takes one, Esc hides them, Tab leaves them.
    public private(set) var suggestions: Picker?
    /// Index into `fields` of the field the suggestions are for.
    public private(set) var suggestionsIndex: Int?

    public init(fields: [Field], texts: Texts) {
        precondition(Set(fields.map(\.id)).count == fields.count, "form field ids must be unique")
        self.fields = fields
        self.texts = texts
    }

    public var focusedField: Field? { fields.indices.contains(focusedIndex) ? fields[focusedIndex] : nil }

    public func value(of id: String) -> String? { fields.first { $0.id == id }?.value }

    public func error(of id: String) -> String? { fields.first { $0.id == id }?.error }

    /// Every field's value by id (a picker's is its code, "" when none is chosen).
    public var values: [String: String] {
        Dictionary(uniqueKeysWithValues: fields.map { ($0.id, $0.value) })
    }

    /// Whether anything differs from what the form started with.
    public var isEdited: Bool { fields.contains { $0.value != $0.initialValue } }

    /// Sets an error beside a field (nil clears it); Enter is refused while any is set.
    public mutating func setError(id: String, _ error: String?) {
        guard let index = fields.firstIndex(where: { $0.id == id }) else { return }
        fields[index].error = error
    }

    /// Sets read-only text beside a field (nil clears it); it never blocks Enter.
    public mutating func setNote(id: String, _ note: String?) {
        guard let index = fields.firstIndex(where: { $0.id == id }) else { return }
        fields[index].note = note
    }

    /// Replaces a field's value from outside (a picker's by code), clearing its error; says
    /// whether the field exists and took the value.
    @discardableResult
    public mutating func setValue(id: String, _ value: String) -> Bool {
        guard let index = fields.firstIndex(where: { $0.id == id }), fields[index].set(value) else { return false }
        fields[index].error = nil
        return true
    }

    /// Offers `candidates` under text field `id` (none: hides the list).
    public mutating func setSuggestions(id: String, _ candidates: [Picker.Candidate]) {
        guard !candidates.isEmpty, let index = fields.firstIndex(where: { $0.id == id }), fields[index].input != nil else {
            suggestions = nil
            suggestionsIndex = nil
            return
        }
        var list = Picker(candidates: candidates)
        list.open()
        suggestions = list
        suggestionsIndex = index
    }

    /// The suggestions showing under the focused field, if any.
    public var openSuggestions: Picker? { suggestionsIndex == focusedIndex ? suggestions : nil }

    public mutating func focus(id: String) {
        if let index = fields.firstIndex(where: { $0.id == id }) { moveFocus(to: index) }
    }

    /// Marks required fields left empty; true when no field has an error.
    public mutating func validate() -> Bool {
        for index in fields.indices where fields[index].isRequired && fields[index].isMissing {
            if fields[index].error == nil { fields[index].error = texts.required }
        }
        return !fields.contains { $0.error != nil }
    }

    /// Applies one key: an open picker's list has it first, then Tab/arrows move, Enter
    /// submits, Esc cancels (asking first if anything was typed), the rest edits the field.
    public mutating func handle(_ key: Key) -> Outcome {
        if isConfirmingDiscard { return answerDiscard(key) }
        guard fields.indices.contains(focusedIndex) else {
            return key == .escape ? .cancelled : .ignored
        }
        if case .picker(let picker) = fields[focusedIndex].editor, picker.isOpen { return handleOpenPicker(key, picker) }
        if let list = openSuggestions, let outcome = handleSuggestions(key, list) { return outcome }
        switch key {
        case .tab: return moveFocus(to: (focusedIndex + 1) % fields.count)
        case .backTab: return moveFocus(to: (focusedIndex + fields.count - 1) % fields.count)
        case .down: return moveFocus(to: min(focusedIndex + 1, fields.count - 1))
        case .up: return moveFocus(to: max(focusedIndex - 1, 0))
        case .enter:
            if validate() { return .submitted }
            moveFocus(to: fields.firstIndex { $0.error != nil } ?? focusedIndex)
            return .invalid
        case .escape, .ctrl("c"):
            guard isEdited else { return .cancelled }
            isConfirmingDiscard = true
            return .confirming
        default:
            return edit(key)
        }
    }

    /// The suggestion list's keys; nil for a key the field itself handles.
    private mutating func handleSuggestions(_ key: Key, _ list: Picker) -> Outcome? {
        var list = list
        switch key {
        case .up, .down, .ctrl("p"), .ctrl("n"), .pageUp, .pageDown:
            _ = list.handle(key)
            suggestions = list
            return .handled
        case .enter:
            guard let chosen = list.highlightedCandidate else { return nil }
            fields[focusedIndex].set(chosen.label)
            fields[focusedIndex].error = nil
            setSuggestions(id: "", [])
            if focusedIndex + 1 < fields.count { moveFocus(to: focusedIndex + 1) }
            return .took(chosen.code)
        case .escape:
            setSuggestions(id: "", [])
            return .handled
        default:
            return nil
        }
    }

    private mutating func answerDiscard(_ key: Key) -> Outcome {
        switch key {
        case .char("y"), .char("Y"):
            isConfirmingDiscard = false
            return .cancelled
        case .char("n"), .char("N"), .escape:
            isConfirmingDiscard = false
            return .handled
        default:
            return .ignored
        }
    }

    /// While a picker's list is open it has the keys, except Tab and Shift-Tab, which leave
    /// the field: taking the only match, if there is just one, else leaving the value as it was.
    /// Enter takes the highlighted match and moves on to the next field.
    private mutating func handleOpenPicker(_ key: Key, _ picker: Picker) -> Outcome {
        var picker = picker
        let before = picker.chosen
        switch key {
        case .tab, .backTab:
            if picker.matches.count == 1 { _ = picker.handle(.enter) } else { picker.close() }
            store(picker, changed: picker.chosen != before)
            let forward = key == .tab
            moveFocus(to: (focusedIndex + (forward ? 1 : fields.count - 1)) % fields.count)
            return picker.chosen != before ? .edited : .handled
        default:
            let outcome = picker.handle(key)
            store(picker, changed: picker.chosen != before)
            switch outcome {
            case .chose where key == .enter:
                // A choice made is a field done: the next one has the keys (typing on would
                // otherwise filter the list again over the choice just made).
                if focusedIndex + 1 < fields.count { moveFocus(to: focusedIndex + 1) }
                return picker.chosen != before ? .edited : .handled
            case .chose, .cleared: return picker.chosen != before ? .edited : .handled
            case .filtered, .moved, .closed: return .handled
            case .ignored: return .ignored
            }
        }
    }

    private mutating func edit(_ key: Key) -> Outcome {
        switch (fields[focusedIndex].editor, fields[focusedIndex].kind) {
        case (.text(var input), .text(let maxLength, _)):
            var key = key
            if case .char(let c) = key {
                guard input.characters.count < maxLength else { return .ignored }
                // A value is one line (the records are tab-separated lines): a pasted line
                // break or tab becomes a space.
                if c.isNewline || c == "\t" { key = .char(" ") }
            }
            let outcome = input.handle(key)
            fields[focusedIndex].editor = .text(input)
            switch outcome {
            case .edited:
                fields[focusedIndex].error = nil
                return .edited
            case .moved: return .handled
            default: return .ignored
            }
        case (.picker(var picker), _):
            let before = picker.chosen
            let outcome = picker.handle(key)
            store(picker, changed: picker.chosen != before)
            switch outcome {
            case .cleared, .chose: return .edited
            case .filtered, .moved, .closed: return .handled
            case .ignored: return .ignored
            }
        default:
            return .ignored
        }
    }

    private mutating func store(_ picker: Picker, changed: Bool) {
        fields[focusedIndex].editor = .picker(picker)
        if changed { fields[focusedIndex].error = nil }
    }

    /// Focus leaves a picker with its list closed, so a half-typed query never lingers.
    @discardableResult
    private mutating func moveFocus(to index: Int) -> Outcome {
        guard index != focusedIndex, fields.indices.contains(index) else { return .ignored }
        // Suggestions belong to the field being typed in; leaving it hides them.
        suggestions = nil
        suggestionsIndex = nil
        if case .picker(var picker) = fields[focusedIndex].editor, picker.isOpen {
            picker.close()
            fields[focusedIndex].editor = .picker(picker)
        }
        focusedIndex = index
        return .handled
    }
}
