import ArgumentParser

/// The `fmn` command: measures what a fine-tune made a language model forget.
struct ForgetMeNot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmn",
        abstract: "Measure what fine-tuning made a language model forget.",
        discussion: """
            ForgetMeNot versions checkpoints in git, runs a fixed probe suite before and after \
            each fine-tune, records every score in SQLite, renders regression reports and gates \
            adapter merges. The store lives in ./.fmn unless --store says otherwise.
            """,
        version: ToolVersion.current,
        subcommands: [
            DoctorCommand.self,
            RunCommand.self,
            ScoreCommand.self,
            BenchCommand.self,
            TokenizeCommand.self,
            GenerateCommand.self,
            LossCommand.self,
            InitCommand.self,
            LogCommand.self,
            ShowCommand.self,
            CheckoutCommand.self,
            FsckCommand.self,
            DebugStoreCommand.self,
            TrainCommand.self,
            ProbeCommand.self,
            GateCommand.self,
            MergeCommand.self,
            ReportCommand.self,
        ]
    )
}

/// The tool's version, recorded with every probe run and checkpoint.
enum ToolVersion {
    static let current = "0.1.0"
}
