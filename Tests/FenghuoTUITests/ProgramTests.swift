import Foundation
import Testing
import TestSupport
import FenghuoTUI

/// A tiny duty-desk model: it shows a title on row 0, logs every message, and asks for
/// effects instead of doing I/O.
///   q          finish
///   l          load "热线" and save #1 (two effects)
///   t          change the title to "调度" (the frame changes)
///   c          move the cursor (the frame's text does not change)
///   x          nothing visible
struct DutyDesk: ProgramModel {
    enum Msg: Equatable {
        case key(Key)
        case resized(Size)
        case tick(Date)
        case loaded(String)
        case saved(Int)
    }

    enum Effect: Equatable {
        case load(String)
        case save(Int)
    }

    var title = "待命"
    var cursorX = 0
    var log: [Msg] = []
    var finished = false

    mutating func update(_ msg: Msg) -> [Effect] {
        log.append(msg)
        switch msg {
        case .key(.char("q")):
            finished = true
        case .key(.char("l")):
            return [.load("热线"), .save(1)]
        case .key(.char("t")):
            title = "调度"
        case .key(.char("c")):
            cursorX += 1
        case .loaded(let name):
            title = name
            return [.save(2)]
        default:
            break
        }
        return []
    }

    func render(into buffer: inout Buffer) -> (x: Int, y: Int)? {
        buffer.write(title, x: 0, y: 0, style: .plain)
        return (cursorX, 0)
    }

    func message(for event: TerminalEvent) -> Msg {
        switch event {
        case .key(let key): .key(key)
        case .resize(let size): .resized(size)
        }
    }

    func tick(_ now: Date) -> Msg { .tick(now) }

    var isFinished: Bool { finished }
}

/// Effects the program performed, in order, with the answers the test scripted.
final class EffectLog {
    var performed: [DutyDesk.Effect] = []

    func perform(_ effect: DutyDesk.Effect) -> [DutyDesk.Msg] {
        performed.append(effect)
        switch effect {
        case .load(let name): return [.loaded(name)]
        case .save(let n): return [.saved(n)]
        }
    }
}

/// A backend that records every draw with its cursor, and whose waiting moves a fake clock
/// on by the timeout (as a real terminal would block for that long).
final class RecordingBackend: TerminalBackend {
    var size: Size
    var colors = 256
    var events: [TerminalEvent]
    var pendingTermination: Int32?
    var now: Date
    private(set) var draws: [(lines: [String], cursor: (x: Int, y: Int)?)] = []
    private(set) var timeouts: [Int] = []

    init(size: Size, events: [TerminalEvent] = [], now: Date = Date(timeIntervalSince1970: 1_700_000_000)) {
        self.size = size
        self.events = events
        self.now = now
    }

    private(set) var bells = 0
    func bell() { bells += 1 }

    func draw(_ buffer: Buffer, cursor: (x: Int, y: Int)?) {
        draws.append((buffer.lines, cursor))
    }

    func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
        timeouts.append(timeoutMilliseconds)
        if !events.isEmpty { return events.removeFirst() }
        now = now.addingTimeInterval(Double(timeoutMilliseconds) / 1000)
        return nil
    }
}

@Suite("Program: the event loop", .ownThread)
struct ProgramTests {
    static let epoch = Date(timeIntervalSince1970: 1_700_000_000)

    func makeProgram(_ backend: any TerminalBackend, effects: EffectLog = EffectLog(),
                     clock: @escaping () -> Date = { ProgramTests.epoch }) -> Program<DutyDesk> {
        Program(model: DutyDesk(), backend: backend, clock: clock, perform: effects.perform)
    }

    @Test func effects_are_performed_and_their_answers_fed_back_in_order() {
        // Given a program and a model that answers "l" with two effects
        let effects = EffectLog()
        let program = makeProgram(TestBackend(size: Size(width: 8, height: 1)), effects: effects)
        // When "l" is sent
        program.send(.key(.char("l")))
        // Then both effects ran in order, their answers came back in that order,
        // and the effect asked for by an answer ran after them
        #expect(effects.performed == [.load("热线"), .save(1), .save(2)])
        #expect(program.model.log == [.key(.char("l")), .loaded("热线"), .saved(1), .saved(2)])
        #expect(program.model.title == "热线")
    }

    @Test func terminal_events_become_messages_in_order() {
        // Given scripted keys and a resize, ending with q
        let backend = TestBackend(size: Size(width: 8, height: 2), events: [
            .key(.char("a")), .resize(Size(width: 10, height: 3)), .key(.ctrl("w")), .key(.char("q")),
        ])
        let program = makeProgram(backend)
        // When run
        let signal = program.run()
        // Then the first clock tick came first, then each event as its message
        #expect(signal == nil)
        #expect(program.model.log == [
            .tick(Self.epoch), .key(.char("a")), .resized(Size(width: 10, height: 3)), .key(.ctrl("w")), .key(.char("q")),
        ])
        // And the screen was drawn at the new size
        #expect(backend.buffer.area.size == Size(width: 10, height: 3))
        #expect(backend.lines == ["待命      ", "          ", "          "])
    }

    @Test func effects_asked_for_during_run_are_performed_and_shown() {
        // Given "l" then "q" / When run / Then the effects ran and the answer's title is on screen
        let effects = EffectLog()
        let backend = TestBackend(size: Size(width: 6, height: 1), events: [.key(.char("l")), .key(.char("q"))])
        let program = makeProgram(backend, effects: effects)
        program.run()
        #expect(effects.performed == [.load("热线"), .save(1), .save(2)])
        #expect(backend.lines == ["热线  "])
    }

    @Test func the_backend_draws_only_when_the_frame_changed() {
        // Given keys that change nothing on screen, one that changes the title, then q
        let backend = TestBackend(size: Size(width: 6, height: 1), events: [
            .key(.char("x")), .key(.char("x")), .key(.char("t")), .key(.char("x")), .key(.char("q")),
        ])
        let program = makeProgram(backend)
        // When run
        program.run()
        // Then the backend drew the first frame and the changed one, nothing else
        #expect(backend.frames == 2)
        #expect(backend.lines == ["调度  "])
    }

    @Test func rendering_an_unchanged_model_again_draws_nothing() {
        // Given a drawn frame / When rendered again unchanged / Then no draw; after a change, one draw
        let backend = TestBackend(size: Size(width: 6, height: 1))
        let program = makeProgram(backend)
        program.render()
        program.render()
        #expect(backend.frames == 1)
        program.send(.key(.char("t")))
        program.render()
        #expect(backend.frames == 2)
    }

    @Test func a_resize_redraws_the_whole_screen_even_when_nothing_changed() {
        // Given a resize to the very same size
        let backend = TestBackend(size: Size(width: 6, height: 1), events: [
            .resize(Size(width: 6, height: 1)), .key(.char("q")),
        ])
        makeProgram(backend).run()
        // Then the screen was drawn again after it
        #expect(backend.frames == 2)
    }

    @Test func run_stops_when_the_model_finishes_and_leaves_later_events_unread() {
        // Given q followed by more keys / When run / Then it stops at q and reads no further
        let backend = TestBackend(size: Size(width: 6, height: 1), events: [
            .key(.char("q")), .key(.char("a")), .key(.char("b")),
        ])
        let program = makeProgram(backend)
        #expect(program.run() == nil)
        #expect(program.model.isFinished)
        #expect(backend.events == [.key(.char("a")), .key(.char("b"))])
        #expect(program.model.log == [.tick(Self.epoch), .key(.char("q"))])
    }

    @Test func a_pending_termination_signal_stops_run_and_is_returned() {
        // Given SIGTERM already pending and a key waiting
        let backend = TestBackend(size: Size(width: 6, height: 1), events: [.key(.char("a"))])
        backend.pendingTermination = 15
        let program = makeProgram(backend)
        // When run / Then it returns the signal without reading the key, after one frame
        #expect(program.run() == 15)
        #expect(backend.events == [.key(.char("a"))])
        #expect(program.model.log == [.tick(Self.epoch)])
        #expect(backend.frames == 1)
        #expect(!program.model.isFinished)
    }

    @Test func a_signal_arriving_while_running_stops_run_before_the_next_event() {
        // Given a backend whose SIGHUP arrives while the effects of "l" are performed
        let backend = TestBackend(size: Size(width: 6, height: 1), events: [.key(.char("l")), .key(.char("a"))])
        let effects = EffectLog()
        let program = Program(model: DutyDesk(), backend: backend, clock: { Self.epoch }) { effect in
            backend.pendingTermination = 1
            return effects.perform(effect)
        }
        // When run / Then the signal is returned and "a" is never read
        #expect(program.run() == 1)
        #expect(backend.events == [.key(.char("a"))])
        #expect(program.model.log.last == .saved(2))
        // And the frame "l" produced was drawn before stopping
        #expect(backend.lines == ["热线  "])
    }

    @Test func run_gives_up_after_the_allowed_idle_polls() {
        // Given no input at all / When run with a limit of 3 idle polls / Then it returns nil
        let backend = TestBackend(size: Size(width: 6, height: 1))
        let program = makeProgram(backend)
        #expect(program.run(maxIdlePolls: 3) == nil)
        #expect(!program.model.isFinished)
        #expect(program.model.log == [.tick(Self.epoch)])
    }

    @Test func the_clock_ticks_once_a_second_while_the_terminal_is_idle() {
        // Given a terminal where waiting for input moves the clock on
        let backend = RecordingBackend(size: Size(width: 6, height: 1))
        let start = backend.now
        let program = Program(model: DutyDesk(), backend: backend, clock: { backend.now }, perform: EffectLog().perform)
        // When run for three idle polls
        program.run(maxIdlePolls: 3)
        // Then the program waited up to the next tick each time, and ticked at 0 s, 1 s and 2 s
        #expect(backend.timeouts == [1000, 1000, 1000])
        #expect(program.model.log == [.tick(start), .tick(start + 1), .tick(start + 2)])
    }

    @Test func the_backend_is_given_the_cursor_the_model_asks_for() {
        // Given a model whose render returns a cursor / When run / Then each draw carries it
        let backend = RecordingBackend(size: Size(width: 6, height: 1), events: [.key(.char("t")), .key(.char("q"))])
        let program = Program(model: DutyDesk(), backend: backend, clock: { Self.epoch }, perform: EffectLog().perform)
        program.run()
        #expect(backend.draws.count == 2)
        #expect(backend.draws.map { $0.lines } == [["待命  "], ["调度  "]])
        #expect(backend.draws.last?.cursor?.x == 0)
        #expect(backend.draws.last?.cursor?.y == 0)
    }

    @Test func a_frame_where_only_the_cursor_moved_is_drawn_so_the_terminal_cursor_follows() {
        // Given a key that moves the model's cursor without changing any cell
        let backend = RecordingBackend(size: Size(width: 6, height: 1), events: [.key(.char("c")), .key(.char("q"))])
        let program = Program(model: DutyDesk(), backend: backend, clock: { Self.epoch }, perform: EffectLog().perform)
        // When run
        program.run()
        // Then the backend was told the new cursor position (the terminal cursor, and with it
        // the input method's candidate window, must move)
        #expect(backend.draws.count == 2)
        #expect(backend.draws.last?.cursor?.x == 1)
    }

    @Test func the_test_backend_counts_frames_and_keeps_the_last_one() {
        // Given a TestBackend with one scripted resize / Then it hands the event out once, takes
        // the new size, and keeps the last frame drawn
        let backend = TestBackend(size: Size(width: 4, height: 1), colors: 8, events: [.resize(Size(width: 5, height: 2))])
        #expect(backend.colors == 8)
        #expect(backend.frames == 0)
        #expect(backend.lines == ["    "])
        #expect(backend.nextEvent(timeoutMilliseconds: 0) == .resize(Size(width: 5, height: 2)))
        #expect(backend.size == Size(width: 5, height: 2))
        #expect(backend.nextEvent(timeoutMilliseconds: 0) == nil)
        var frame = Buffer(size: backend.size)
        frame.write("北京", x: 0, y: 1, style: .plain)
        backend.draw(frame, cursor: nil)
        #expect(backend.frames == 1)
        #expect(backend.lines == ["     ", "北京 "])
    }
}

@Suite("Program: effects off the loop", .ownThread)
struct ProgramEffectsOffLoopTests {
    @Test func a_slow_effect_does_not_hold_up_the_next_key_and_its_answer_arrives_later() async throws {
        // Given effects that block until released
        let gate = DispatchSemaphore(value: 0)
        let program = Program(model: DutyDesk(), backend: TestBackend(size: Size(width: 8, height: 1)),
                              clock: { ProgramTests.epoch }, runEffectsOffLoop: true) { (effect: DutyDesk.Effect) -> [DutyDesk.Msg] in
            gate.wait()
            switch effect {
            case .load(let name): return [.loaded(name)]
            case .save(let n): return [.saved(n)]
            }
        }
        // When "l" asks for two slow effects, and "t" follows at once
        program.send(.key(.char("l")))
        program.send(.key(.char("t")))
        // Then the second key was handled while the effects were still blocked
        #expect(program.model.log == [.key(.char("l")), .key(.char("t"))])
        #expect(program.model.title == "调度")
        // And once released, the answers come back in order on a later turn of the loop
        for _ in 0..<3 { gate.signal() }
        var waited = 0
        while program.model.log.count < 5, waited < 1000 {
            program.deliverAnswers()
            waited += 1
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(program.model.log == [.key(.char("l")), .key(.char("t")), .loaded("热线"), .saved(1), .saved(2)])
    }
}
