extension RoadGraph {
    /// Settles nodes in increasing travel time TO `target` (Dijkstra over the reversed graph),
    /// calling `visit` for each settled node, the target first at 0 s; `visit` returns false to stop early.
    /// This is the plain search: the reference the contraction hierarchy is held to.
    public func searchToward(_ target: Int, visit: (RoadReach) -> Bool) {
        reverse.search(from: target) { visit(RoadReach(node: $0, cost: $1)) }
    }

    /// Settles nodes in increasing travel time FROM `origin` (Dijkstra over the forward graph).
    public func searchFrom(_ origin: Int, visit: (RoadReach) -> Bool) {
        forward.search(from: origin) { visit(RoadReach(node: $0, cost: $1)) }
    }

    /// The fastest travel time from one node to another; nil when `to` cannot be reached.
    public func travelSeconds(from: Int, to: Int) -> Double? {
        reach(from: from, to: to)?.seconds
    }

    /// The fastest path's time and road length from one node to another; nil when unreachable.
    public func reach(from: Int, to: Int) -> RoadReach? {
        cost(from: from, to: to).map { RoadReach(node: from, cost: $0) }
    }

    /// The fastest (then shortest) path's cost from one node to another, by plain Dijkstra.
    public func cost(from: Int, to: Int) -> RoadCost? {
        var found: RoadCost?
        reverse.search(from: to) { node, cost in
            if node == from { found = cost; return false }
            return true
        }
        return found
    }

    /// The nodes of the fastest (then shortest) path from one node to another, both ends
    /// included; nil when `to` cannot be reached. The simulator drives units along it.
    public func path(from: Int, to: Int) -> [Int]? {
        var next: [Int32: Int32] = [:]
        var reached = false
        reverse.search(from: to, relaxed: { tail, head in next[head] = tail }) { node, _ in
            if node == from { reached = true; return false }
            return true
        }
        guard reached else { return nil }
        var nodes = [from]
        var v = Int32(from)
        while v != Int32(to), let w = next[v] {
            nodes.append(Int(w))
            v = w
        }
        return nodes
    }
}

extension Adjacency {
    /// Dijkstra from `origin` over these rows. `relaxed(v, w)` hears each arc that improved `w`
    /// (its last call for `w` names the settled predecessor); `visit` returns false to stop.
    func search(from origin: Int, relaxed: ((Int32, Int32) -> Void)? = nil, visit: (Int, RoadCost) -> Bool) {
        let n = offsets.count - 1
        precondition(origin >= 0 && origin < n, "node \(origin) is not in a graph of \(n) nodes")
        let space = SearchSpace(nodeCount: n)
        space.reach(origin, .zero)
        offsets.withUnsafeBufferPointer { offsets in
            targets.withUnsafeBufferPointer { targets in
                costs.withUnsafeBufferPointer { arcCosts in
                    while let (cost, v32) = space.settleNext() {
                        let v = Int(v32)
                        guard visit(v, cost) else { return }
                        for a in Int(offsets[v])..<Int(offsets[v + 1]) {
                            let w = targets[a]
                            if space.improve(w, to: cost + arcCosts[a]) { relaxed?(v32, w) }
                        }
                    }
                }
            }
        }
    }
}

/// The per-node state of one search on raw buffers (bounds checks on these arrays doubled the
/// search's time): each node's best cost so far, and a stamp saying whether that cost belongs to
/// this search and whether it is settled. `reset` starts a new search in O(1) by moving the
/// epoch, so a long-lived space (the hierarchy's) never clears its arrays between queries.
/// Only `let`s: the mutable epoch and heap sit behind a pointer, so no access to them pays
/// Swift's dynamic exclusivity check (it cost a third of the contraction's time).
final class SearchSpace {
    private struct State {
        /// `epoch`: reached in this search; `epoch + 1`: settled; anything lower: untouched.
        var epoch: UInt32 = 2
        var heap = MinHeap(capacity: 256)
    }

    private let costs: UnsafeMutablePointer<RoadCost>
    private let stamps: UnsafeMutablePointer<UInt32>
    private let state: UnsafeMutablePointer<State>
    let nodeCount: Int

    init(nodeCount: Int) {
        self.nodeCount = nodeCount
        let size = max(1, nodeCount)
        costs = .allocate(capacity: size)
        costs.initialize(repeating: .unreached, count: size)
        stamps = .allocate(capacity: size)
        stamps.initialize(repeating: 0, count: size)
        state = .allocate(capacity: 1)
        state.initialize(to: State())
    }

    deinit {
        costs.deallocate()
        stamps.deallocate()
        state.pointee.heap.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    func reset() {
        state.pointee.heap.removeAll()
        if state.pointee.epoch >= UInt32.max - 2 {
            stamps.update(repeating: 0, count: max(1, nodeCount))
            state.pointee.epoch = 2
        } else {
            state.pointee.epoch += 2
        }
    }

    /// This search's best cost to `v` so far, settled or not; nil when not reached.
    @inline(__always)
    func cost(_ v: Int) -> RoadCost? { stamps[v] >= state.pointee.epoch ? costs[v] : nil }

    /// Starts (or joins) the search at `v` with `cost`.
    func reach(_ v: Int, _ cost: RoadCost) { _ = improve(Int32(v), to: cost) }

    /// Lowers `w`'s cost to `cost` when that is better and `w` is not settled; true when it did.
    @inline(__always)
    func improve(_ w32: Int32, to cost: RoadCost) -> Bool {
        let w = Int(w32)
        let stamp = stamps[w], epoch = state.pointee.epoch
        if stamp == epoch + 1 || (stamp == epoch && !(cost < costs[w])) { return false }
        stamps[w] = epoch
        costs[w] = cost
        state.pointee.heap.push(cost, w32)
        return true
    }

    /// The cheapest reached node not yet settled, now settled; nil when none is left.
    /// Lazy deletion: an entry whose node has since got cheaper (or was settled) is skipped.
    @inline(__always)
    func settleNext() -> (RoadCost, Int32)? {
        let epoch = state.pointee.epoch
        while !state.pointee.heap.isEmpty {
            let (cost, v32) = state.pointee.heap.pop()
            let v = Int(v32)
            guard stamps[v] == epoch, cost == costs[v] else { continue }
            stamps[v] = epoch + 1
            return (cost, v32)
        }
        return nil
    }
}

/// A binary min-heap of (cost, node) without decrease-key: a cheaper entry is pushed again
/// and the stale one skipped when popped. Owns raw memory: its owner deallocates it.
struct MinHeap {
    private struct Entry {
        var key: RoadCost
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

    mutating func removeAll() { count = 0 }

    mutating func push(_ key: RoadCost, _ value: Int32) {
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
            guard key < entries[parent].key else { break }
            entries[i] = entries[parent]
            i = parent
        }
        (entries + i).initialize(to: Entry(key: key, value: value))
    }

    /// Removes and returns the smallest entry; the heap must not be empty.
    mutating func pop() -> (RoadCost, Int32) {
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
    /// The directed arcs leaving node `v`: head node, travel seconds and metres (whole
    /// milliseconds and centimetres, as every search counts them).
    public func arcs(from v: Int) -> [(to: Int, seconds: Double, meters: Double)] {
        (Int(forward.offsets[v])..<Int(forward.offsets[v + 1])).map {
            (Int(forward.targets[$0]), forward.costs[$0].seconds, forward.costs[$0].meters)
        }
    }

    /// The directed arcs leaving node `v` with their exact costs.
    public func arcCosts(from v: Int) -> [(to: Int, cost: RoadCost)] {
        (Int(forward.offsets[v])..<Int(forward.offsets[v + 1])).map { (Int(forward.targets[$0]), forward.costs[$0]) }
    }
}

extension RoadGraph {
    /// The sum of every arc's travel time, in one linear pass over the reversed rows: the
    /// benchmark's reference, the memory a search of the whole graph could not avoid reading.
    public func sumOfArcSeconds() -> Double {
        var total: Int64 = 0
        reverse.costs.withUnsafeBufferPointer { costs in
            reverse.targets.withUnsafeBufferPointer { targets in
                for i in 0..<costs.count where targets[i] >= 0 { total &+= costs[i].millis }
            }
        }
        return Double(total) / 1_000
    }
}
