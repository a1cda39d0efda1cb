import ArgumentParser

/// `fmn bench`: speed measurements, each a subcommand (`fmn bench metrics`, …), to compare with
/// the Python/PyTorch figures of `../shared/bench` measured on the same machine.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure how fast ForgetMeNot runs its workloads.",
        discussion: """
            Each subcommand times one workload in this process and prints its rate, next to the \
            reference implementation's rate when you pass it. Build in release mode first.
            """,
        subcommands: [
            BenchMetricsCommand.self,
            BenchTokenizeCommand.self,
            BenchForwardCommand.self,
            BenchStoreCommand.self,
            BenchTrainCommand.self,
            BenchProbeCommand.self,
        ]
    )
}
