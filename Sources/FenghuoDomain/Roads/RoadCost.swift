/// What a path costs: whole milliseconds, then whole centimetres, compared fastest first and,
/// between equally fast paths, shortest first. Integers make sums exact in any order, so two
/// searches that find the same path (plain Dijkstra, the contraction hierarchy) agree to the bit,
/// and the tie rule makes "the fastest path's length" one number, whatever the search.
public struct RoadCost: Hashable, Sendable, Comparable {
    public var millis: Int64
    public var centimeters: Int64

    public init(millis: Int64, centimeters: Int64) {
        self.millis = millis
        self.centimeters = centimeters
    }

    public static let zero = RoadCost(millis: 0, centimeters: 0)
    /// More than any path: the searches' "not reached".
    static let unreached = RoadCost(millis: .max, centimeters: .max)

    /// An edge's cost: its time (length ÷ speed) rounded up to the millisecond, never below one
    /// (so no road beats its own length at its speed, and every arc takes time), and its length to
    /// the centimetre. With `RoadGraph`'s bounds (≤ 1,000 km, ≥ 1 km/h) an arc costs under
    /// 3.6 × 10⁹ ms and 10⁸ cm, so a path of under 2³¹ arcs cannot overflow.
    init(_ edge: RoadEdge) {
        // The tiny slack keeps a time that is a whole millisecond in exact arithmetic (2.5 s) from
        // rounding up to the next one through the division's last bit.
        millis = max(1, Int64((edge.travelSeconds * 1_000 - 1e-6).rounded(.up)))
        centimeters = max(0, Int64((edge.lengthMeters * 100).rounded()))
    }

    public var seconds: Double { Double(millis) / 1_000 }
    public var meters: Double { Double(centimeters) / 100 }

    @inline(__always)
    public static func + (a: RoadCost, b: RoadCost) -> RoadCost {
        RoadCost(millis: a.millis &+ b.millis, centimeters: a.centimeters &+ b.centimeters)
    }

    @inline(__always)
    public static func < (a: RoadCost, b: RoadCost) -> Bool {
        a.millis < b.millis || (a.millis == b.millis && a.centimeters < b.centimeters)
    }
}

extension RoadReach {
    init(node: Int, cost: RoadCost) {
        self.init(node: node, seconds: cost.seconds, meters: cost.meters)
    }
}
