import Foundation

/// A contraction hierarchy of a road graph: every node gets a rank (the order it was
/// contracted in), and wherever contracting a node would have broken a fastest path a shortcut
/// arc stands in for it. A fastest path then always climbs in rank and comes down again, so a
/// search only ever goes up: from a unit over `up`, from the incident over `down`, each settling
/// a few hundred nodes where plain Dijkstra settles half the city. Costs are `RoadCost`s
/// (integers), so the answer is the plain search's to the bit; the property tests hold it to that.
public struct RoadHierarchy: Sendable {
    public let nodeCount: Int
    /// Arcs v → w of the graph or its shortcuts with w ranked above v (a search from a source).
    let up: Adjacency
    /// For each arc u → v with u ranked above v, v → u (a search toward a target, reversed).
    let down: Adjacency
    /// Arcs the contraction added.
    public let shortcutCount: Int
    let spaces: SearchSpacePool

    /// Contracts `graph` (a few seconds for 200,000 nodes, milliseconds for the city's 4,000).
    public init(_ graph: RoadGraph) {
        var contraction = Contraction(graph.forward)
        contraction.run()
        defer { contraction.finish() }
        nodeCount = graph.nodeCount
        up = Adjacency(nodeCount: graph.nodeCount, tails: contraction.upTails, heads: contraction.upHeads, costs: contraction.upCosts)
        down = Adjacency(nodeCount: graph.nodeCount, tails: contraction.downTails, heads: contraction.downHeads,
                         costs: contraction.downCosts)
        shortcutCount = contraction.shortcuts
        spaces = SearchSpacePool(nodeCount: graph.nodeCount)
    }
}

/// The contraction itself: nodes taken cheapest first by a lazily updated priority (shortcuts a
/// node would add minus arcs it removes, plus its contracted neighbours and its depth), each
/// replaced by the shortcuts that a bounded witness search cannot do without. A witness search
/// that gives up early only adds a shortcut that was not needed, never loses a path.
struct Contraction {
    struct Arc {
        var node: Int32
        var cost: RoadCost
    }

    /// Arcs among the nodes not yet contracted, both ways round.
    private var outs: [[Arc]]
    private var ins: [[Arc]]
    private var contracted: [Bool]
    private var deletedNeighbours: [Int32]
    private var depth: [Int32]
    private var priority: [Int32]
    private let witness: SearchSpace
    /// The witness search's targets: the nodes whose mark is the current token.
    private let marks: UnsafeMutablePointer<UInt32>
    private var token: UInt32 = 0
    private(set) var upTails: [Int32] = []
    private(set) var upHeads: [Int32] = []
    private(set) var upCosts: [RoadCost] = []
    private(set) var downTails: [Int32] = []
    private(set) var downHeads: [Int32] = []
    private(set) var downCosts: [RoadCost] = []
    private(set) var shortcuts = 0

    /// Nodes a witness search settles at most: when weighing a node, and when contracting it.
    static let weighingSettles = 12
    static let contractingSettles = 400

    init(_ forward: Adjacency) {
        let n = forward.offsets.count - 1
        outs = Array(repeating: [], count: n)
        ins = Array(repeating: [], count: n)
        for v in 0..<n {
            for a in Int(forward.offsets[v])..<Int(forward.offsets[v + 1]) {
                let w = Int(forward.targets[a])
                guard w != v else { continue }
                Self.lower(&outs[v], to: Int32(w), forward.costs[a])
                Self.lower(&ins[w], to: Int32(v), forward.costs[a])
            }
        }
        contracted = Array(repeating: false, count: n)
        deletedNeighbours = Array(repeating: 0, count: n)
        depth = Array(repeating: 0, count: n)
        priority = Array(repeating: 0, count: n)
        witness = SearchSpace(nodeCount: n)
        marks = .allocate(capacity: max(1, n))
        marks.initialize(repeating: 0, count: max(1, n))
    }

    /// Frees the marks (the contraction is a value used once by `RoadHierarchy.init`).
    func finish() { marks.deallocate() }

    /// Sets the arc to `node` in `arcs` to `cost` when it is new or cheaper (parallel arcs keep the cheapest).
    private static func lower(_ arcs: inout [Arc], to node: Int32, _ cost: RoadCost) {
        for i in arcs.indices where arcs[i].node == node {
            if cost < arcs[i].cost { arcs[i].cost = cost }
            return
        }
        arcs.append(Arc(node: node, cost: cost))
    }

    mutating func run() {
        let n = outs.count
        var queue = PriorityQueue()
        for v in 0..<n {
            priority[v] = weigh(v)
            queue.push(priority[v], Int32(v))
        }
        while let (p, v32) = queue.pop() {
            let v = Int(v32)
            guard !contracted[v], p == priority[v] else { continue }
            // Lazy update: weigh it again; when it is no longer the cheapest, it waits its turn.
            let now = weigh(v)
            if now > p, let next = queue.peekPriority(), now > next {
                priority[v] = now
                queue.push(now, v32)
                continue
            }
            let neighbours = contract(v)
            for x in neighbours {
                deletedNeighbours[x] += 1
                depth[x] = max(depth[x], depth[v] + 1)
                priority[x] = weigh(x)
                queue.push(priority[x], Int32(x))
            }
        }
    }

    /// The node's priority: lower is contracted sooner.
    private mutating func weigh(_ v: Int) -> Int32 {
        let added = shortcutsNeeded(v, settles: Self.weighingSettles, add: false)
        let removed = ins[v].count + outs[v].count
        return Int32(8 * (added - removed)) + deletedNeighbours[v] + depth[v]
    }

    /// Contracts `v`: its shortcuts added, its arcs moved into the hierarchy; returns its neighbours.
    private mutating func contract(_ v: Int) -> [Int] {
        _ = shortcutsNeeded(v, settles: Self.contractingSettles, add: true)
        let v32 = Int32(v)
        var neighbours: [Int] = []
        for arc in outs[v] {
            upTails.append(v32)
            upHeads.append(arc.node)
            upCosts.append(arc.cost)
            ins[Int(arc.node)].removeAll { $0.node == v32 }
            neighbours.append(Int(arc.node))
        }
        for arc in ins[v] {
            downTails.append(v32)
            downHeads.append(arc.node)
            downCosts.append(arc.cost)
            outs[Int(arc.node)].removeAll { $0.node == v32 }
            if !neighbours.contains(Int(arc.node)) { neighbours.append(Int(arc.node)) }
        }
        outs[v] = []
        ins[v] = []
        contracted[v] = true
        return neighbours
    }

    /// How many shortcuts contracting `v` needs (adding them when `add`): one u → w for each
    /// path u → v → w that no other path of at most its cost, avoiding v, replaces.
    private mutating func shortcutsNeeded(_ v: Int, settles: Int, add: Bool) -> Int {
        let into = ins[v], outOf = outs[v]
        guard !into.isEmpty, !outOf.isEmpty else { return 0 }
        var needed = 0
        for incoming in into {
            let u = incoming.node
            var limit = RoadCost.zero
            for outgoing in outOf where outgoing.node != u && limit < outgoing.cost { limit = outgoing.cost }
            guard limit != .zero else { continue }
            token &+= 1
            var targets = 0
            for outgoing in outOf where outgoing.node != u && marks[Int(outgoing.node)] != token {
                marks[Int(outgoing.node)] = token
                targets += 1
            }
            searchWitnesses(from: Int(u), avoiding: v, limit: incoming.cost + limit, settles: settles, targets: targets)
            for outgoing in outOf where outgoing.node != u {
                let via = incoming.cost + outgoing.cost
                if let found = witness.cost(Int(outgoing.node)), !(via < found) { continue }
                needed += 1
                if add {
                    Self.lower(&outs[Int(u)], to: outgoing.node, via)
                    Self.lower(&ins[Int(outgoing.node)], to: u, via)
                    shortcuts += 1
                }
            }
        }
        return needed
    }

    /// Dijkstra from `u` among the remaining nodes other than `avoiding`, up to `limit` or
    /// `settles` nodes, or until the `targets` nodes marked with `token` are all settled.
    private func searchWitnesses(from u: Int, avoiding v: Int, limit: RoadCost, settles: Int, targets: Int) {
        witness.reset()
        witness.reach(u, .zero)
        var settled = 0, left = targets
        let v32 = Int32(v)
        while let (cost, x) = witness.settleNext() {
            settled += 1
            if limit < cost || settled > settles { return }
            if marks[Int(x)] == token {
                left -= 1
                if left == 0 { return }
            }
            for arc in outs[Int(x)] where arc.node != v32 {
                _ = witness.improve(arc.node, to: cost + arc.cost)
            }
        }
    }
}

/// A binary min-heap of (priority, node) for the contraction order.
private struct PriorityQueue {
    private var entries: [(Int32, Int32)] = []

    mutating func push(_ p: Int32, _ v: Int32) {
        entries.append((p, v))
        var i = entries.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard entries[i] < entries[parent] else { break }
            entries.swapAt(i, parent)
            i = parent
        }
    }

    func peekPriority() -> Int32? { entries.first?.0 }

    mutating func pop() -> (Int32, Int32)? {
        guard let top = entries.first else { return nil }
        let last = entries.removeLast()
        guard !entries.isEmpty else { return top }
        entries[0] = last
        var i = 0
        while true {
            var child = 2 * i + 1
            if child >= entries.count { break }
            if child + 1 < entries.count && entries[child + 1] < entries[child] { child += 1 }
            guard entries[child] < entries[i] else { break }
            entries.swapAt(i, child)
            i = child
        }
        return top
    }
}

/// Search spaces of the hierarchy's size, lent to one query at a time (queries may run on
/// several threads; a space is 12 bytes a node, too much to allocate per query on a big graph).
final class SearchSpacePool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [SearchSpace] = []
    private let nodeCount: Int

    init(nodeCount: Int) { self.nodeCount = nodeCount }

    func withSpaces<T>(_ body: (SearchSpace, SearchSpace) -> T) -> T {
        let (a, b) = lock.withLock { () -> (SearchSpace?, SearchSpace?) in (free.popLast(), free.popLast()) }
        let first = a ?? SearchSpace(nodeCount: nodeCount), second = b ?? SearchSpace(nodeCount: nodeCount)
        defer { lock.withLock { free.append(contentsOf: [first, second]) } }
        return body(first, second)
    }
}
