extension Table {
    /// Each column's width in `total` cells with `spacing` between shown columns; 0 for a
    /// column that does not fit. The rules, in order:
    /// 1. While the shown columns' minimums and gaps overflow, the least valuable column goes
    ///    (lowest priority; among equals the rightmost). One column is always kept.
    /// 2. Every shown column gets its minimum; the rest brings columns up to their ideal, most
    ///    valuable first, so the least valuable is the one left short.
    /// 3. The rest is shared by `grow` weight up to each `max`; what a capped column cannot take
    ///    goes to the others. Room no column can take is left blank at the right.
    public static func widths(_ columns: [Column], in total: Int, spacing: Int = 1) -> [Int] {
        guard !columns.isEmpty, total > 0 else { return columns.map { _ in 0 } }
        // Most valuable first: higher priority, then further left.
        let byValue = columns.indices.sorted {
            columns[$0].priority != columns[$1].priority ? columns[$0].priority > columns[$1].priority : $0 < $1
        }
        var shown = byValue
        func need(_ set: [Int]) -> Int { set.reduce(0) { $0 + columns[$1].min } + spacing * max(0, set.count - 1) }
        while shown.count > 1, need(shown) > total { shown.removeLast() }

        var widths = columns.map { _ in 0 }
        for i in shown { widths[i] = min(columns[i].min, total) }
        var room = max(0, total - need(shown))
        for i in shown where room > 0 {
            let give = min(room, columns[i].ideal - widths[i])
            widths[i] += give
            room -= give
        }
        // Share by weight; a column that reaches its cap leaves the sharing and the next round
        // divides what it could not take among the rest.
        while room > 0 {
            let growing = shown.filter { columns[$0].grow > 0 && widths[$0] < (columns[$0].max ?? Int.max) }
            guard !growing.isEmpty else { break }
            let weight = growing.reduce(0) { $0 + columns[$1].grow }
            let fair = growing.map { room * columns[$0].grow / weight }
            // What the division leaves over (fewer cells than columns) goes one each to the
            // most valuable.
            var spare = room - fair.reduce(0, +)
            var given = 0
            for (n, i) in growing.enumerated() {
                var give = fair[n]
                if spare > 0 {
                    give += 1
                    spare -= 1
                }
                give = min(give, (columns[i].max ?? Int.max) - widths[i])
                widths[i] += give
                given += give
            }
            guard given > 0 else { break }
            room -= given
        }
        return widths
    }
}
