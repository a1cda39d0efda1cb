import ArgumentParser
import Foundation
import Tensors
import Tracking
import Transformer

/// `fmn doctor`: the libraries this tool runs on, the BLAS kernel in use and how fast it is.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Show library versions, the BLAS kernel in use and a measured sgemm rate.",
        discussion: """
            Measures cblas_sgemm on 1024×1024×1024 matrices (one warm-up, then several timed \
            repetitions; the median is reported in GFLOP/s) and compares it with the CPU's \
            theoretical peak. A warning is printed when the rate is far below that peak or when \
            OpenBLAS runs a kernel older than the CPU supports. Set OPENBLAS_CORETYPE to force a \
            kernel; fmn never overrides a value you set.
            """)

    @Flag(name: .long, help: "Print one JSON object.")
    var json = false

    @Option(name: .long, help: "Timed sgemm repetitions (median reported).")
    var repetitions = 7

    @Option(name: .long, help: "Matrix size n for the n×n×n sgemm.")
    var size = 1024

    func validate() throws {
        guard repetitions > 0 else { throw ValidationError("--repetitions must be > 0") }
        guard size > 0 else { throw ValidationError("--size must be > 0") }
    }

    func run() throws {
        let report = DoctorReport.measure(size: size, repetitions: repetitions)
        if json {
            print(try report.jsonString())
        } else {
            print(report.text)
        }
    }
}

/// What `fmn doctor` found, shaped as its JSON output (`blas.core`, `blas.sgemm_gflops`, …).
struct DoctorReport: Encodable {
    struct BLAS: Encodable {
        var library = "OpenBLAS"
        var version: String
        var core: String
        var coreReason: String
        var threads: Int
        var sgemmGFLOPS: Double
        var sgemmRuns: [Double]
        var sgemmSize: Int
        var expectedPeakGFLOPS: Double?

        enum CodingKeys: String, CodingKey {
            case library, version, core, threads
            case coreReason = "core_reason"
            case sgemmGFLOPS = "sgemm_gflops"
            case sgemmRuns = "sgemm_runs_gflops"
            case sgemmSize = "sgemm_size"
            case expectedPeakGFLOPS = "expected_peak_gflops"
        }
    }

    struct CPU: Encodable {
        var model: String
        var cores: Int
        var megahertz: Double?
        var instructionTier: String

        enum CodingKeys: String, CodingKey {
            case model, cores, megahertz
            case instructionTier = "instruction_tier"
        }
    }

    var fmn: String
    var libgit2: String
    var sqlite: String
    var blas: BLAS
    var cpu: CPU
    /// The build of the SIMD inference kernels in use: "avx2" or "baseline" (`KernelDispatch`).
    var kernels: String
    var warnings: [String]

    static func measure(size: Int, repetitions: Int) -> DoctorReport {
        let flags = BLASRuntime.cpuFlags()
        let tier = BLASRuntime.InstructionTier(cpuFlags: flags)
        let (model, megahertz) = BLASRuntime.cpuDescription()
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let threads = BLASRuntime.threadCount
        let runs = BLASRuntime.measureSgemm(size: size, repetitions: repetitions)
        let median = runs.sorted()[runs.count / 2]
        // fmn runs one single-threaded sgemm per core side by side (`Matmul`).
        let peak = megahertz.map { Double(cores) * $0 / 1000 * tier.peakFlopsPerCycle }
        let core = BLASRuntime.coreName
        var warnings: [String] = []
        if let coreTier = BLASRuntime.InstructionTier(openBLASCore: core), coreTier < tier {
            warnings.append(
                "OpenBLAS runs the \(core) kernel (\(coreTier)) but this CPU supports \(tier): "
                    + "unset OPENBLAS_CORETYPE to let fmn choose, or set it to "
                    + "\(tier.preferredCore ?? core).")
        }
        if let peak, median < 0.4 * peak {
            warnings.append(
                String(
                    format: "sgemm runs at %.0f GFLOP/s, under 40%% of this CPU's estimated peak "
                        + "(%.0f GFLOP/s): check OPENBLAS_CORETYPE and other load on the machine.",
                    median, peak))
        }
        let sqlite: String
        do {
            sqlite = try TrackingLibraries.sqliteVersion()
        } catch {
            sqlite = "unavailable (\(error))"
        }
        return DoctorReport(
            fmn: ToolVersion.current,
            libgit2: TrackingLibraries.libgit2Version(),
            sqlite: sqlite,
            blas: BLAS(
                version: BLASRuntime.version, core: core, coreReason: BLASRuntime.currentReason,
                threads: threads, sgemmGFLOPS: median, sgemmRuns: runs, sgemmSize: size,
                expectedPeakGFLOPS: peak),
            cpu: CPU(
                model: model, cores: cores, megahertz: megahertz,
                instructionTier: tier.description),
            kernels: KernelDispatch.name, warnings: warnings)
    }

    func jsonString() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    var text: String {
        var lines = [
            "fmn       \(fmn)",
            "libgit2   \(libgit2)",
            "SQLite    \(sqlite)",
            "OpenBLAS  \(blas.version)",
            "  core    \(blas.core): \(blas.coreReason)",
            "  threads \(blas.threads) per call; fmn splits products over its cores",
        ]
        var sgemm = String(
            format: "  sgemm   %.1f GFLOP/s (%d³, median of %d)", blas.sgemmGFLOPS, blas.sgemmSize,
            blas.sgemmRuns.count)
        if let peak = blas.expectedPeakGFLOPS {
            sgemm += String(format: "; estimated peak %.0f GFLOP/s", peak)
        }
        lines.append(sgemm)
        let clock = cpu.megahertz.map { String(format: " at %.0f MHz", $0) } ?? ""
        lines.append("CPU       \(cpu.model), \(cpu.cores) cores\(clock), \(cpu.instructionTier)")
        lines.append(
            "kernels   \(kernels) (attention, log-softmax and SwiGLU; "
                + (kernels == "avx2" ? "built for AVX2 + FMA)" : "baseline x86-64 build)"))
        lines += warnings.map { "warning: \($0)" }
        return lines.joined(separator: "\n")
    }
}
