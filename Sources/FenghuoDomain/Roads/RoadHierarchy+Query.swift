extension RoadHierarchy {
    /// The cost of the fastest (then shortest) path from each of `sources` to `target`, in the
    /// sources' order; nil for a source that cannot reach it. One upward search from the target
    /// over `down` marks its cone; then one upward search a distinct source, stopped as soon as
    /// nothing it has left can beat the best meeting found. Both searches stall on demand: a node
    /// that a higher neighbour already reaches more cheaply is not expanded.
    public func costs(from sources: [Int], toward target: Int) -> [RoadCost?] {
        precondition(target >= 0 && target < nodeCount, "node \(target) is not in a hierarchy of \(nodeCount) nodes")
        return spaces.withSpaces { cone, search in
            cone.reset()
            cone.reach(target, .zero)
            return up.offsets.withUnsafeBufferPointer { upOffsets in
                up.targets.withUnsafeBufferPointer { upTargets in
                    up.costs.withUnsafeBufferPointer { upCosts in
                        down.offsets.withUnsafeBufferPointer { downOffsets in
                            down.targets.withUnsafeBufferPointer { downTargets in
                                down.costs.withUnsafeBufferPointer { downCosts in
                                    let upward = Rows(offsets: upOffsets, targets: upTargets, costs: upCosts)
                                    let downward = Rows(offsets: downOffsets, targets: downTargets, costs: downCosts)
                                    // Toward the target: climb `down`; a stall looks over `up` (the other way round).
                                    Self.climb(cone, over: downward, stallingBy: upward, until: nil)
                                    var answers: [Int: RoadCost?] = [:]
                                    return sources.map { source in
                                        precondition(source >= 0 && source < nodeCount, "node \(source) is not in a hierarchy of \(nodeCount) nodes")
                                        if let known = answers[source] { return known }
                                        search.reset()
                                        search.reach(source, .zero)
                                        let best = Self.climb(search, over: upward, stallingBy: downward, until: cone)
                                        let answer: RoadCost? = best == .unreached ? nil : best
                                        answers[source] = answer
                                        return answer
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The fastest (then shortest) path's cost from `source` to `target`; nil when unreachable.
    public func cost(from source: Int, to target: Int) -> RoadCost? {
        costs(from: [source], toward: target)[0]
    }

    /// Rows of an `Adjacency` as raw buffers, for the query's inner loop.
    struct Rows {
        let offsets: UnsafeBufferPointer<Int32>
        let targets: UnsafeBufferPointer<Int32>
        let costs: UnsafeBufferPointer<RoadCost>
    }

    /// One upward search in `space` (already started) over `rows`, stalling a node when an arc
    /// of `stall` from a node already reached shows a cheaper way in. With `meeting` (a finished
    /// search from the other end), it stops once no node left can beat the cheapest meeting and
    /// returns that meeting's cost (`.unreached` for none); without, it runs to the top.
    @discardableResult
    static func climb(_ space: SearchSpace, over rows: Rows, stallingBy stall: Rows, until meeting: SearchSpace?) -> RoadCost {
        var best = RoadCost.unreached
        while let (cost, v32) = space.settleNext() {
            if meeting != nil, !(cost < best) { break }
            let v = Int(v32)
            if let other = meeting?.cost(v), cost + other < best { best = cost + other }
            var stalled = false
            for a in Int(stall.offsets[v])..<Int(stall.offsets[v + 1]) {
                if let higher = space.cost(Int(stall.targets[a])), higher + stall.costs[a] < cost {
                    stalled = true
                    break
                }
            }
            if stalled { continue }
            for a in Int(rows.offsets[v])..<Int(rows.offsets[v + 1]) {
                _ = space.improve(rows.targets[a], to: cost + rows.costs[a])
            }
        }
        return best
    }
}
