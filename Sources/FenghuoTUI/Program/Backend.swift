/// What the program loop needs from a terminal. `NcursesBackend` is the real one; tests use
/// `TestBackend`, so no widget or pane ever depends on curses.
public protocol TerminalBackend: AnyObject {
    var size: Size { get }
    /// Colours the terminal can show (0 when colour is off).
    var colors: Int { get }
    /// Shows `buffer`; `cursor` is where the terminal cursor should sit, if anywhere.
    func draw(_ buffer: Buffer, cursor: (x: Int, y: Int)?)
    /// Waits up to `timeoutMilliseconds` for input; nil when nothing came.
    func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent?
    /// A termination signal (SIGTERM, SIGHUP, SIGINT) that arrived, if any.
    var pendingTermination: Int32? { get }
    /// Rings the terminal bell (an urgent call came in).
    func bell()
}

/// An in-memory terminal for tests: scripted events in, the last drawn buffer out.
public final class TestBackend: TerminalBackend {
    public var size: Size
    public var colors: Int
    public private(set) var buffer: Buffer
    public private(set) var frames = 0
    public private(set) var bellsRung = 0
    public var events: [TerminalEvent]
    public var pendingTermination: Int32?

    public init(size: Size, colors: Int = 256, events: [TerminalEvent] = []) {
        self.size = size
        self.colors = colors
        self.events = events
        buffer = Buffer(size: size)
    }

    public func draw(_ buffer: Buffer, cursor: (x: Int, y: Int)?) {
        self.buffer = buffer
        frames += 1
    }

    public func bell() { bellsRung += 1 }

    public func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
        guard !events.isEmpty else { return nil }
        let event = events.removeFirst()
        if case .resize(let s) = event { size = s }
        return event
    }

    /// The screen as text, one string a row.
    public var lines: [String] { buffer.lines }
}
