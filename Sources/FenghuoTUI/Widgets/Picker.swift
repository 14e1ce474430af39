/// Type-ahead over a catalog (districts, incident types, departments): typing filters by code,
/// by label, by a search key, or by pinyin initials (`jbq` finds 江北区), and the value is
/// the chosen candidate's code while the screen shows its label.
public struct Picker: Sendable {
    public struct Candidate: Hashable, Sendable {
        public let code: String
        public let label: String
        public let detail: String?
        /// Other names a query may match (an abbreviation, an English name, a polyphone's
        /// other reading such as "yh" for 银行).
        public let searchKeys: [String]
        /// What a query is matched against, lowercased once: code, label, keys, then the pinyin
        /// initials of label and keys.
        let haystacks: [String]

        public init(code: String, label: String, detail: String? = nil, searchKeys: [String] = []) {
            self.code = code
            self.label = label
            self.detail = detail
            self.searchKeys = searchKeys
            let names = [code, label] + searchKeys
            var haystacks = names.map { $0.lowercased() }
            for name in [label] + searchKeys {
                let initials = PinyinInitials.of(name)
                if !haystacks.contains(initials) { haystacks.append(initials) }
            }
            self.haystacks = haystacks
        }
    }

    public enum Outcome: Equatable, Sendable {
        /// The list opened, or the query changed and the list was filtered again.
        case filtered
        /// The caret moved in the query, or the highlight in the list.
        case moved
        case chose(String)
        /// The chosen value was removed (Backspace on a closed picker).
        case cleared
        /// The list closed without a choice; the value is unchanged.
        case closed
        case ignored
    }

    /// Lines the drop-down shows at most; PgUp/PgDn move by as many.
    public static let listRows = 8

    public let candidates: [Candidate]
    /// The chosen candidate's code.
    public private(set) var chosen: String?
    public private(set) var query = TextInput()
    public private(set) var isOpen = false
    /// Indices into `candidates` of what the query matches, best first.
    public private(set) var matches: [Int]
    /// Index into `matches` of the line Enter takes.
    public private(set) var highlighted = 0

    public init(candidates: [Candidate], chosen: String? = nil) {
        self.candidates = candidates
        self.chosen = candidates.contains { $0.code == chosen } ? chosen : nil
        matches = Array(candidates.indices)
    }

    public var chosenCandidate: Candidate? { candidates.first { $0.code == chosen } }

    public var highlightedCandidate: Candidate? {
        matches.indices.contains(highlighted) ? candidates[matches[highlighted]] : nil
    }

    /// What the field shows: the query while the list is open, else the chosen label.
    public var displayText: String { isOpen ? query.text : chosenCandidate?.label ?? "" }

    /// Indices of the candidates `query` matches: exact matches first, then prefixes, then
    /// substrings, each group in catalog order. An empty query matches everything.
    public static func matching(_ query: String, in candidates: [Candidate]) -> [Int] {
        let q = String(query.lowercased().trimmedOfWhitespace)
        guard !q.isEmpty else { return Array(candidates.indices) }
        var ranked: [(rank: Int, index: Int)] = []
        for (index, candidate) in candidates.enumerated() {
            var best: Int?
            for haystack in candidate.haystacks {
                let rank = haystack == q ? 0 : haystack.hasPrefix(q) ? 1 : haystack.contains(q) ? 2 : nil
                if let rank, rank < (best ?? 3) { best = rank }
            }
            if let best { ranked.append((best, index)) }
        }
        return ranked.sorted { ($0.rank, $0.index) < ($1.rank, $1.index) }.map(\.index)
    }

    /// Opens the list on everything the current query matches, the chosen value highlighted.
    public mutating func open() {
        isOpen = true
        refilter()
        if query.isEmpty, let chosen, let at = matches.firstIndex(where: { candidates[$0].code == chosen }) {
            highlighted = at
        }
    }

    /// Closes the list, forgetting the query; the value is unchanged.
    public mutating func close() {
        isOpen = false
        query = TextInput()
        refilter()
    }

    /// Sets the value to `code` if the catalog has it (nil clears); says whether it did.
    @discardableResult
    public mutating func choose(_ code: String?) -> Bool {
        guard code == nil || candidates.contains(where: { $0.code == code }) else { return false }
        chosen = code
        close()
        return true
    }

    public mutating func handle(_ key: Key) -> Outcome {
        guard isOpen else { return handleClosed(key) }
        switch key {
        case .up, .ctrl("p"): return moveHighlight(by: -1)
        case .down, .ctrl("n"): return moveHighlight(by: 1)
        case .pageUp: return moveHighlight(by: -Self.listRows)
        case .pageDown: return moveHighlight(by: Self.listRows)
        case .enter:
            guard let candidate = highlightedCandidate else { return .ignored }
            choose(candidate.code)
            return .chose(candidate.code)
        case .escape, .ctrl("c"):
            close()
            return .closed
        case .tab, .backTab:
            return .ignored
        default:
            switch query.handle(key) {
            case .edited:
                refilter()
                return .filtered
            case .moved: return .moved
            default: return .ignored
            }
        }
    }

    private mutating func handleClosed(_ key: Key) -> Outcome {
        switch key {
        case .char(" "):
            // Space on a closed picker shows the whole catalog: a way in without knowing a name.
            open()
            return .filtered
        case .char(let c) where !c.isWhitespace:
            query = TextInput(String(c))
            open()
            return .filtered
        case .backspace, .delete, .ctrl("h"), .ctrl("d"), .ctrl("u"):
            guard chosen != nil else { return .ignored }
            chosen = nil
            return .cleared
        default:
            return .ignored
        }
    }

    private mutating func moveHighlight(by delta: Int) -> Outcome {
        guard !matches.isEmpty else { return .ignored }
        let next = max(0, min(matches.count - 1, highlighted + delta))
        guard next != highlighted else { return .ignored }
        highlighted = next
        return .moved
    }

    private mutating func refilter() {
        matches = Self.matching(query.text, in: candidates)
        highlighted = 0
    }
}

extension Picker {
    /// Columns the widest line of the list needs (over the whole catalog, so the list keeps
    /// its width while the query narrows it).
    public var widestLine: Int {
        candidates.map { $0.label.displayWidth + ($0.detail.map { 2 + $0.displayWidth } ?? 0) }.max() ?? 0
    }

    /// Draws the open list: a frame with the count of matches, the matches scrolled to the
    /// highlight, or `emptyText` when nothing matches. Clears what was under it.
    public func renderList(in area: Rect, into buffer: inout Buffer, theme: Theme, emptyText: String) {
        guard area.width >= 3, area.height >= 3 else { return }
        buffer.fill(area, style: theme[.base])
        let count = "\(matches.count)/\(candidates.count)"
        Block(titleRight: [Span(count, theme[.borderFocused])], borderStyle: theme[.borderFocused])
            .render(in: area, into: &buffer)
        let inner = Block.inner(area)
        if matches.isEmpty {
            buffer.write(emptyText.truncated(toWidth: inner.width), x: inner.x, y: inner.y,
                         style: theme[.muted].over(theme[.base]), clip: inner)
            return
        }
        let items = matches.map { index -> ListView.Item in
            let candidate = candidates[index]
            var spans = [Span(candidate.label, theme[.base])]
            if let detail = candidate.detail { spans.append(Span("  " + detail, theme[.muted])) }
            return ListView.Item(spans)
        }
        ListView(items: items, selected: highlighted, focused: true).render(in: inner, into: &buffer, theme: theme)
    }
}

extension StringProtocol {
    /// Without leading and trailing whitespace (what Foundation's trimming gives, without it).
    var trimmedOfWhitespace: SubSequence {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return self[endIndex...] }
        return self[first...last]
    }
}
