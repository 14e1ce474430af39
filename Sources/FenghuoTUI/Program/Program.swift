import Foundation

/// An Elm-architecture model: every change goes through `update`, which returns effects for the
/// loop to run instead of performing I/O itself.
public protocol ProgramModel {
    associatedtype Msg
    associatedtype Effect

    mutating func update(_ msg: Msg) -> [Effect]
    func render(into buffer: inout Buffer) -> (x: Int, y: Int)?
    /// The message for a terminal event (a key, a resize).
    func message(for event: TerminalEvent) -> Msg
    /// The message for the clock's tick (once a second).
    func tick(_ now: Date) -> Msg
    var isFinished: Bool { get }
    /// How many times the model has asked for the terminal bell: the program rings once for
    /// each rise, when it next draws.
    var bells: Int { get }
}

extension ProgramModel {
    public var bells: Int { 0 }
}

/// Runs a model against a backend: reads events, feeds messages through `update`, performs the
/// effects with `perform` (whose answers are messages again), and redraws when the frame changed.
public final class Program<Model: ProgramModel> {
    public private(set) var model: Model
    private let backend: any TerminalBackend
    private let perform: (Model.Effect) -> [Model.Msg]
    /// Where effects run when they run off the loop's thread (nil: in place, as tests want).
    private let effects: EffectQueue<Model.Msg>?
    private let clock: () -> Date
    private var lastFrame: Buffer?
    /// Messages from outside the terminal (another thread's news), drained every turn of the
    /// loop; while one is set the loop waits at most 50 ms for a key.
    public var inbox: (() -> [Model.Msg])?
    private var lastCursor: (x: Int, y: Int)?
    private var bellsRung = 0

    /// With `runEffectsOffLoop`, effects run one after another on a queue of their own and
    /// their answers come back as messages on a later turn of the loop, so no effect (a read,
    /// a call to the agent) ever holds up a key; `send` then returns before they are answered.
    public init(model: Model, backend: any TerminalBackend, clock: @escaping () -> Date = Date.init,
                runEffectsOffLoop: Bool = false,
                perform: @escaping @Sendable (Model.Effect) -> [Model.Msg]) where Model.Effect: Sendable, Model.Msg: Sendable {
        self.model = model
        self.backend = backend
        self.clock = clock
        self.perform = perform
        effects = runEffectsOffLoop ? EffectQueue() : nil
    }

    public init(model: Model, backend: any TerminalBackend, clock: @escaping () -> Date = Date.init,
                perform: @escaping (Model.Effect) -> [Model.Msg]) {
        self.model = model
        self.backend = backend
        self.clock = clock
        self.perform = perform
        effects = nil
    }

    /// Delivers one message and everything its effects answer, in order (effects run off the
    /// loop answer later, through `answers`).
    public func send(_ msg: Model.Msg) {
        var queue = [msg]
        while !queue.isEmpty {
            let next = queue.removeFirst()
            for effect in model.update(next) {
                if let effects {
                    // Only the Sendable initialiser sets `effects`, so these are Sendable.
                    nonisolated(unsafe) let perform = self.perform
                    nonisolated(unsafe) let effect = effect
                    effects.run { perform(effect) }
                } else {
                    queue.append(contentsOf: perform(effect))
                }
            }
        }
    }

    /// Answers of effects run off the loop, delivered in the order the effects were asked for.
    public func deliverAnswers() {
        guard let effects else { return }
        for msg in effects.drain() { send(msg) }
    }

    public func render() {
        var buffer = Buffer(size: backend.size)
        let cursor = model.render(into: &buffer)
        // A frame where only the cursor moved is drawn too: an input method follows the cursor.
        if buffer != lastFrame || cursor?.x != lastCursor?.x || cursor?.y != lastCursor?.y {
            backend.draw(buffer, cursor: cursor)
            lastFrame = buffer
            lastCursor = cursor
        }
        if model.bells > bellsRung {
            bellsRung = model.bells
            backend.bell()
        }
    }

    /// Loops until the model finishes or a termination signal arrives; returns that signal.
    @discardableResult
    public func run(maxIdlePolls: Int? = nil) -> Int32? {
        var nextTick = clock().addingTimeInterval(1)
        var idle = 0
        send(model.tick(clock()))
        render()
        while !model.isFinished {
            if let signal = backend.pendingTermination { return signal }
            // While effects are being answered the loop looks for their answers every 5 ms.
            let idleWait = (effects?.isBusy ?? false) ? 5 : (inbox == nil && effects == nil ? 1000 : 50)
            let wait = max(0, min(idleWait, Int(nextTick.timeIntervalSince(clock()) * 1000)))
            if let event = backend.nextEvent(timeoutMilliseconds: wait) {
                if case .resize = event { lastFrame = nil }  // a resized screen is redrawn whole
                send(model.message(for: event))
                idle = 0
            } else {
                idle += 1
                if let limit = maxIdlePolls, idle >= limit { break }
            }
            for msg in inbox?() ?? [] { send(msg) }
            deliverAnswers()
            let now = clock()
            if now >= nextTick {
                send(model.tick(now))
                nextTick = now.addingTimeInterval(1)
            }
            render()
        }
        return nil
    }
}

/// Effects run in order on a thread of their own; their answers wait here for the loop.
final class EffectQueue<Msg>: @unchecked Sendable {
    private let queue = DispatchQueue(label: "program.effects")
    private let lock = NSLock()
    private var answers: [Msg] = []
    private var pending = 0

    func run(_ work: @escaping @Sendable () -> [Msg]) {
        lock.withLock { pending += 1 }
        queue.async { [self] in
            let msgs = work()
            lock.withLock {
                answers.append(contentsOf: msgs)
                pending -= 1
            }
        }
    }

    var isBusy: Bool { lock.withLock { pending > 0 || !answers.isEmpty } }

    func drain() -> [Msg] {
        lock.withLock {
            defer { answers.removeAll() }
            return answers
        }
    }
}
