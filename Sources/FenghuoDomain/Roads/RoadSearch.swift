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
        // Raw buffers: this loop is the recommender's whole cost, and bounds checks on four arrays double it.
        let seconds = UnsafeMutablePointer<Double>.allocate(capacity: n)
        seconds.initialize(repeating: .infinity, count: n)
        let meters = UnsafeMutablePointer<Double>.allocate(capacity: n)
        var heap = MinHeap(capacity: 256)
        defer {
            seconds.deallocate()
            meters.deallocate()
            heap.deallocate()
        }
        seconds[origin] = 0
        meters[origin] = 0
        heap.push(0, Int32(origin))
        offsets.withUnsafeBufferPointer { offsets in
            targets.withUnsafeBufferPointer { targets in
                self.seconds.withUnsafeBufferPointer { arcSeconds in
                    self.meters.withUnsafeBufferPointer { arcMeters in
                        while !heap.isEmpty {
                            let (time, v32) = heap.pop()
                            let v = Int(v32)
                            // Lazy deletion: a stale entry is one whose node has since got faster (or was settled).
                            guard time == seconds[v] else { continue }
                            seconds[v] = -time - 1  // settled; never equal to a later key again
                            guard visit(RoadReach(node: v, seconds: time, meters: meters[v])) else { return }
                            let here = meters[v]
                            for a in Int(offsets[v])..<Int(offsets[v + 1]) {
                                let w = Int(targets[a])
                                let t = time + arcSeconds[a]
                                if t < seconds[w] {
                                    seconds[w] = t
                                    meters[w] = here + arcMeters[a]
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
/// and the stale one skipped when popped. Owns raw memory: the search deallocates it.
struct MinHeap {
    private struct Entry {
        var key: Double
        var value: Int32
    }

    private var entries: UnsafeMutablePointer<Entry>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 4)
        entries = .allocate(capacity: self.capacity)
    }

    func deallocate() { entries.deallocate() }

    var isEmpty: Bool { count == 0 }

    mutating func push(_ key: Double, _ value: Int32) {
        if count == capacity {
            let grown = UnsafeMutablePointer<Entry>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: entries, count: count)
            entries.deallocate()
            entries = grown
            capacity *= 2
        }
        var i = count
        count += 1
        while i > 0 {
            let parent = (i - 1) >> 1
            guard entries[parent].key > key else { break }
            entries[i] = entries[parent]
            i = parent
        }
        (entries + i).initialize(to: Entry(key: key, value: value))
    }

    /// The smallest entry; the heap must not be empty.
    mutating func pop() -> (Double, Int32) {
        let top = entries[0]
        count -= 1
        let last = entries[count]
        var i = 0
        while true {
            var child = 2 * i + 1
            if child >= count { break }
            if child + 1 < count && entries[child + 1].key < entries[child].key { child += 1 }
            guard entries[child].key < last.key else { break }
            entries[i] = entries[child]
            i = child
        }
        if count > 0 { entries[i] = last }
        return (top.key, top.value)
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

extension RoadGraph {
    /// The sum of every arc's travel time, in one linear pass over the reversed rows: the
    /// benchmark's reference, the memory a search of the whole graph could not avoid reading.
    public func sumOfArcSeconds() -> Double {
        var total = 0.0
        reverse.seconds.withUnsafeBufferPointer { seconds in
            reverse.targets.withUnsafeBufferPointer { targets in
                for i in 0..<seconds.count where targets[i] >= 0 { total += seconds[i] }
            }
        }
        return total
    }
}
