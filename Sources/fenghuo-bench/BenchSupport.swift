import ArgumentParser
import FenghuoProtocol
import FenghuoSync
import Foundation

/// One measured figure: median and p99 over samples, beside the reference measured in the same
/// run and the target it is judged by.
struct BenchFigure: Codable {
    let scenario: String
    let metric: String
    let unit: String
    let median: Double
    /// For times: the 99th percentile (higher is worse). For rates: the 1st (lower is worse).
    let p99: Double
    let samples: Int
    let reference: String?
    let referenceMedian: Double?
    let target: String
    let pass: Bool?
}

enum Stats {
    /// Nearest-rank percentile of `values` (0…100).
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }

    static func median(_ values: [Double]) -> Double { percentile(values, 50) }
}

func waitForHealth(_ base: URL, timeout: TimeInterval = 30) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if let data = try? Data(contentsOf: base.appendingPathComponent("healthz")), !data.isEmpty { return }
        Thread.sleep(forTimeInterval: 0.05)
    }
    throw ValidationError("central at \(base) did not answer /healthz in \(Int(timeout)) s")
}
