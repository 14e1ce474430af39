/// Splits a rectangle into parts along one axis, by constraints (as in ratatui).
public struct Layout: Sendable {
    public enum Direction: Sendable { case horizontal, vertical }

    public enum Constraint: Hashable, Sendable {
        /// Exactly n cells (less if space runs out).
        case length(Int)
        /// A share of the whole.
        case percentage(Int)
        /// numerator/denominator of the whole.
        case ratio(Int, Int)
        /// At least n cells; grows like `fill(1)` beyond that.
        case min(Int)
        /// Up to n cells; takes what is left after the others, capped.
        case max(Int)
        /// Takes what is left, shared among fills by weight.
        case fill(Int)
    }

    public let direction: Direction
    public let constraints: [Constraint]
    public let spacing: Int

    public init(_ direction: Direction, _ constraints: [Constraint], spacing: Int = 0) {
        self.direction = direction
        self.constraints = constraints
        self.spacing = spacing
    }

    public static func vertical(_ constraints: [Constraint], spacing: Int = 0) -> Layout {
        Layout(.vertical, constraints, spacing: spacing)
    }

    public static func horizontal(_ constraints: [Constraint], spacing: Int = 0) -> Layout {
        Layout(.horizontal, constraints, spacing: spacing)
    }

    public func split(_ area: Rect) -> [Rect] {
        let total = direction == .horizontal ? area.width : area.height
        let gaps = spacing * Swift.max(0, constraints.count - 1)
        let available = Swift.max(0, total - gaps)
        var sizes = constraints.map { c -> Int in
            switch c {
            case .length(let n): n
            case .percentage(let p): available * p / 100
            case .ratio(let a, let b): b == 0 ? 0 : available * a / b
            case .min(let n): n
            case .max, .fill: 0
            }
        }
        // Fixed parts first; if they overflow, cut from the last ones.
        var used = sizes.reduce(0, +)
        var index = sizes.count - 1
        while used > available, index >= 0 {
            let cut = Swift.min(sizes[index], used - available)
            sizes[index] -= cut
            used -= cut
            index -= 1
        }
        // What is left goes to max (up to their cap) then to fill and min by weight.
        var left = available - used
        for (i, c) in constraints.enumerated() {
            if case .max(let cap) = c {
                let give = Swift.min(cap, left)
                sizes[i] = give
                left -= give
            }
        }
        let weights = constraints.map { c -> Int in
            switch c {
            case .fill(let w): Swift.max(w, 0)
            case .min: 1
            default: 0
            }
        }
        let weightSum = weights.reduce(0, +)
        if weightSum > 0, left > 0 {
            var given = 0
            let lastWeighted = weights.lastIndex { $0 > 0 }!
            for (i, w) in weights.enumerated() where w > 0 {
                let share = i == lastWeighted ? left - given : left * w / weightSum
                sizes[i] += share
                given += share
            }
        }
        var rects: [Rect] = []
        var offset = 0
        for size in sizes {
            switch direction {
            case .horizontal: rects.append(Rect(x: area.x + offset, y: area.y, width: size, height: area.height))
            case .vertical: rects.append(Rect(x: area.x, y: area.y + offset, width: area.width, height: size))
            }
            offset += size + spacing
        }
        return rects
    }
}
