import Foundation

/// How long the properties run and from which seed, set from outside so `make test` runs them
/// briefly, `make fuzz` at length, and a failure found by either can be replayed:
/// `FENGHUO_FUZZ_SEED=N swift test --filter FenghuoFuzzTests` draws the same inputs again.
enum Fuzz {
    /// Inputs per property (cheap properties take all of them, slow ones a share).
    static let iterations: Int = {
        guard let text = ProcessInfo.processInfo.environment["FENGHUO_FUZZ_ITERATIONS"] else { return 300 }
        guard let n = Int(text), n > 0 else { fatalError("FENGHUO_FUZZ_ITERATIONS='\(text)' is not a positive whole number") }
        return n
    }()

    /// Random unless given; printed before any input is drawn and in every failure.
    static let seed: UInt64 = {
        guard let text = ProcessInfo.processInfo.environment["FENGHUO_FUZZ_SEED"] else { return UInt64.random(in: 1...UInt64.max) }
        guard let n = UInt64(text) else { fatalError("FENGHUO_FUZZ_SEED='\(text)' is not a whole number") }
        return n
    }()

    /// Printed once, before the first input: a crash kills the process, and this line says
    /// how to draw the same inputs again.
    static let announced: Void = {
        print("fuzz: FENGHUO_FUZZ_SEED=\(seed) FENGHUO_FUZZ_ITERATIONS=\(iterations) (set both to replay these inputs)")
    }()

    /// One input taking longer than this is a hang (inputs are bounded: nothing legitimate comes close).
    static let slowInput: Duration = .seconds(5)

    /// FNV-1a of the property's name: each property draws its own stream, whatever runs beside it.
    static func stream(_ name: String) -> UInt64 {
        name.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }
}

/// A property that does not hold for one input: what was expected, and the input that broke it.
struct Falsified: Error, CustomStringConvertible {
    let description: String
}

/// Stops the property at this input unless `condition` holds.
func require(_ condition: Bool, _ what: @autoclosure () -> String) throws(Falsified) {
    if !condition { throw Falsified(description: what()) }
}

/// What a property run found: the inputs it held for and, when one broke it, why, with the
/// seed that replays that input. Each test `#expect`s `held`, with this as the comment.
struct PropertyCheck: CustomStringConvertible {
    let name: String
    /// Inputs drawn, the breaking one included.
    let inputs: Int
    /// The first input's failure and how to replay it; nil when the property held for all.
    let falsified: String?

    var held: Bool { falsified == nil }

    var description: String { falsified ?? "\(name): held for \(inputs) inputs of FENGHUO_FUZZ_SEED=\(Fuzz.seed)" }
}

/// Runs `property` on `Fuzz.iterations × share` inputs, each drawn from its own generator
/// (seeded from the run's seed, the property's name and the input's number, so input #i is the
/// same whatever the count). Stops at the first input that falsifies it, throws anything, or
/// takes longer than `Fuzz.slowInput`, and says which with the seed that replays it; a crash
/// kills the process after the seed was printed.
func checkProperty(_ name: String, share: Double = 1, _ property: (inout FuzzRandom) throws -> Void) -> PropertyCheck {
    let count = max(1, Int(Double(Fuzz.iterations) * share))
    let stream = Fuzz.seed ^ Fuzz.stream(name)
    Fuzz.announced
    let clock = ContinuousClock()
    for i in 0..<count {
        var seeder = FuzzRandom(seed: stream &+ UInt64(i))
        var random = FuzzRandom(seed: seeder.next())
        let start = clock.now
        let replay = "input #\(i) of FENGHUO_FUZZ_SEED=\(Fuzz.seed) (replay: FENGHUO_FUZZ_SEED=\(Fuzz.seed) swift test --filter FenghuoFuzzTests)"
        func broken(_ why: String) -> PropertyCheck { PropertyCheck(name: name, inputs: i + 1, falsified: "\(name): \(why) — \(replay)") }
        do {
            try property(&random)
        } catch let falsified as Falsified {
            return broken("\(falsified)")
        } catch {
            return broken("threw \(type(of: error)): \(error)")
        }
        let took = clock.now - start
        if took > Fuzz.slowInput { return broken("one input took \(took)") }
    }
    return PropertyCheck(name: name, inputs: count, falsified: nil)
}
