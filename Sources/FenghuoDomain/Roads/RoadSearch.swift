extension RoadGraph {
    /// Settles nodes in increasing travel time TO `target` (Dijkstra over the reversed graph),
    /// calling `visit` for each settled node, the target first at 0 s; `visit` returns false to stop early.
    public func searchToward(_ target: Int, visit: (RoadReach) -> Bool) {
        reverse.search(from: target, visit: visit)
    }

    /// Settles nodes in increasing travel time FROM `origin` (Dijkstra over the forward graph).
    public func searchFrom(_ origin: Int, visit: (RoadReach) -> Bool) {
        forward.search(from: origin, visit: visit)
    }

    /// The fastest travel time from one node to another; nil when `to` cannot be reached.
    public func travelSeconds(from: Int, to: Int) -> Double? {
        reach(from: from, to: to)?.seconds
    }

    /// The fastest path's time and road length from one node to another; nil when unreachable.
    public func reach(from: Int, to: Int) -> RoadReach? {
        var found: RoadReach?
        searchToward(to) { reach in
            if reach.node == from { found = reach; return false }
            return true
        }
        return found.map { RoadReach(node: from, seconds: $0.seconds, meters: $0.meters) }
    }
}

extension Adjacency {
    func search(from origin: Int, visit: (RoadReach) -> Bool) {
        let n = offsets.count - 1
        precondition(origin >= 0 && origin < n, "node \(origin) is not in a graph of \(n) nodes")
        var seconds = [Double](repeating: .infinity, count: n)
        var meters = [Double](repeating: 0, count: n)
        var heap = MinHeap()
        seconds[origin] = 0
        heap.push(0, Int32(origin))
        offsets.withUnsafeBufferPointer { offsets in
            targets.withUnsafeBufferPointer { targets in
                self.seconds.withUnsafeBufferPointer { arcSeconds in
                    self.meters.withUnsafeBufferPointer { arcMeters in
                        while let (time, v32) = heap.pop() {
                            let v = Int(v32)
                            // Lazy deletion: a stale entry is one whose node has since got faster (or was settled).
                            guard time == seconds[v] else { continue }
                            seconds[v] = -time - 1  // settled; never equal to a later key again
                            guard visit(RoadReach(node: v, seconds: time, meters: meters[v])) else { return }
                            for a in Int(offsets[v])..<Int(offsets[v + 1]) {
                                let w = Int(targets[a])
                                let t = time + arcSeconds[a]
                                if t < seconds[w] {
                                    seconds[w] = t
                                    meters[w] = meters[v] + arcMeters[a]
                                    heap.push(t, targets[a])
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A binary min-heap of (seconds, node) without decrease-key: a faster entry is pushed again
/// and the stale one skipped when popped.
struct MinHeap {
    private var keys: [Double] = []
    private var values: [Int32] = []

    init() {
        keys.reserveCapacity(64)
        values.reserveCapacity(64)
    }

    var isEmpty: Bool { keys.isEmpty }

    mutating func push(_ key: Double, _ value: Int32) {
        var i = keys.count
        keys.append(key)
        values.append(value)
        while i > 0 {
            let parent = (i - 1) >> 1
            guard keys[parent] > key else { break }
            keys[i] = keys[parent]
            values[i] = values[parent]
            i = parent
        }
        keys[i] = key
        values[i] = value
    }

    mutating func pop() -> (Double, Int32)? {
        guard let lastKey = keys.popLast(), let lastValue = values.popLast() else { return nil }
        guard !keys.isEmpty else { return (lastKey, lastValue) }
        let top = (keys[0], values[0])
        let n = keys.count
        var i = 0
        while true {
            var child = 2 * i + 1
            if child >= n { break }
            if child + 1 < n && keys[child + 1] < keys[child] { child += 1 }
            guard keys[child] < lastKey else { break }
            keys[i] = keys[child]
            values[i] = values[child]
            i = child
        }
        keys[i] = lastKey
        values[i] = lastValue
        return top
    }
}

extension RoadGraph {
    /// The directed arcs leaving node `v`: head node and travel seconds (for checks and the simulator's driving).
    public func arcs(from v: Int) -> [(to: Int, seconds: Double, meters: Double)] {
        (Int(forward.offsets[v])..<Int(forward.offsets[v + 1])).map {
            (Int(forward.targets[$0]), forward.seconds[$0], forward.meters[$0])
        }
    }
}
