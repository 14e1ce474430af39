import Foundation
import Testing
import TestSupport

/// `fenghuo bench --tiny`: every scenario runs on the real binaries at a size that proves it
/// works, and its own checks (row counts, no loss) hold. Speed is judged by `make bench`, not here.
@Suite("Benchmarks run", .serialized, .processes)
struct BenchTests {
    @Test func every_scenario_runs_at_a_tiny_size_and_loses_nothing() async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("fenghuo-bench-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: work) }
        let run = try await Binary.runDetached(["bench", "--tiny", "--json", "--work", work.path])
        #expect(run.status == 0, "\(run.output.suffix(3000))")
        let figures = run.output.split(separator: "\n").compactMap { line -> [String: Any]? in
            guard line.hasPrefix("{") else { return nil }
            return try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        }
        let scenarios = Set(figures.compactMap { $0["scenario"] as? String })
        #expect(scenarios == ["sync", "latency", "push", "tui", "dashboard", "recommend"], "\(run.output.suffix(2000))")
        for figure in figures {
            let median = figure["median"] as? Double ?? -1
            #expect(median > 0, "\(figure)")
            #expect(figure["target"] as? String != nil)
        }
    }
}
