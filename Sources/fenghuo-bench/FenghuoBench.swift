import ArgumentParser
import FenghuoConsole
import FenghuoStore

extension ReplicaReader: ConsoleDataSource {}

/// `fenghuo-bench`: the benchmarks, apart from the product's executable. They start the real
/// `fenghuo` beside this binary for central and agents, and this binary again for the probe.
@main
struct FenghuoBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fenghuo-bench",
        abstract: "The benchmarks (see BENCHMARKS.md); `fenghuo bench` runs this.",
        subcommands: [BenchCommand.self, BenchProbeCommand.self],
        defaultSubcommand: BenchCommand.self)
}
