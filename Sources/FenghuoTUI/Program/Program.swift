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
}

/// Runs a model against a backend: reads events, feeds messages through `update`, performs the
/// effects with `perform` (whose answers are messages again), and redraws when the frame changed.
public final class Program<Model: ProgramModel> {
    public private(set) var model: Model
    private let backend: any TerminalBackend
    private let perform: (Model.Effect) -> [Model.Msg]
    private let clock: () -> Date
    private var lastFrame: Buffer?
    /// Messages from outside the terminal (another thread's news), drained every turn of the
    /// loop; while one is set the loop waits at most 50 ms for a key.
    public var inbox: (() -> [Model.Msg])?
    private var lastCursor: (x: Int, y: Int)?

    public init(model: Model, backend: any TerminalBackend, clock: @escaping () -> Date = Date.init,
                perform: @escaping (Model.Effect) -> [Model.Msg]) {
        self.model = model
        self.backend = backend
        self.clock = clock
        self.perform = perform
    }

    /// Delivers one message and everything its effects answer, in order.
    public func send(_ msg: Model.Msg) {
        var queue = [msg]
        while !queue.isEmpty {
            let next = queue.removeFirst()
            for effect in model.update(next) { queue.append(contentsOf: perform(effect)) }
        }
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
            let wait = max(0, min(inbox == nil ? 1000 : 50, Int(nextTick.timeIntervalSince(clock()) * 1000)))
            if let event = backend.nextEvent(timeoutMilliseconds: wait) {
                if case .resize = event { lastFrame = nil }  // a resized screen is redrawn whole
                send(model.message(for: event))
                idle = 0
            } else {
                idle += 1
                if let limit = maxIdlePolls, idle >= limit { break }
            }
            for msg in inbox?() ?? [] { send(msg) }
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
