import COpenBLAS
import Foundation

/// The OpenBLAS library this process runs on: which kernel ("core") it uses, why, and how fast.
///
/// OpenBLAS builds with `DYNAMIC_ARCH` pick their kernels once, when the library is loaded, from
/// the CPU they recognise or from `OPENBLAS_CORETYPE`. Debian's 0.3.21 does not recognise recent
/// CPUs (Intel family 6 model 207, AMD family 26, …) and falls back to "Prescott" (SSE3), about a
/// fifth of the speed the CPU can reach. Because the choice is made at load time, it cannot be
/// fixed from inside a running process: `prepareProcess(arguments:)` decides before any work is
/// done and, when the detected kernel is below what the CPU supports, re-executes the program
/// once with `OPENBLAS_CORETYPE` set. A user-set `OPENBLAS_CORETYPE` always wins.
public enum BLASRuntime {
    /// Environment variable the user sets to force a kernel (read by OpenBLAS itself).
    public static let coreTypeVariable = "OPENBLAS_CORETYPE"
    /// Environment variable through which the re-executed process learns that `fmn` chose the
    /// kernel, holding `"<core>|<reason>"`; never set it by hand.
    public static let automaticChoiceVariable = "FMN_OPENBLAS_AUTOMATIC"

    /// Instruction-set tiers that matter for sgemm kernels, in increasing order.
    public enum InstructionTier: Int, Comparable, Sendable, Codable, CustomStringConvertible {
        case sse = 1, avx, avx2, avx512

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

        public var description: String {
            switch self {
            case .sse: "SSE"
            case .avx: "AVX"
            case .avx2: "AVX2+FMA"
            case .avx512: "AVX-512"
            }
        }

        /// Single-precision FLOPs per cycle and core for this tier's widest FMA (two FMA ports).
        public var peakFlopsPerCycle: Double {
            switch self {
            case .sse: 8
            case .avx: 16
            case .avx2: 32
            case .avx512: 64
            }
        }

        /// The OpenBLAS kernel this tool asks for when the library under-detects a CPU of this tier.
        public var preferredCore: String? {
            switch self {
            case .sse: nil
            case .avx: "Sandybridge"
            case .avx2: "Haswell"
            case .avx512: "SkylakeX"
            }
        }

        /// The tier the CPU supports, from its `/proc/cpuinfo` flags.
        public init(cpuFlags flags: Set<String>) {
            let avx512 = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"]
            if avx512.allSatisfy(flags.contains) {
                self = .avx512
            } else if flags.contains("avx2") && flags.contains("fma") {
                self = .avx2
            } else if flags.contains("avx") {
                self = .avx
            } else {
                self = .sse
            }
        }

        /// The tier an OpenBLAS core name's kernels use, or `nil` for a name this table doesn't know
        /// (then the library's own choice is left alone).
        public init?(openBLASCore name: String) {
            switch name.lowercased() {
            case "skylakex", "cooperlake", "sapphirerapids": self = .avx512
            case "haswell", "zen", "excavator", "skylake": self = .avx2
            case "sandybridge", "bulldozer", "piledriver", "steamroller": self = .avx
            case "prescott", "core2", "penryn", "dunnington", "nehalem", "atom", "opteron",
                "opteron_sse3", "barcelona", "bobcat", "katmai", "coppermine", "northwood",
                "banias", "athlon", "generic":
                self = .sse
            default: return nil
            }
        }
    }

    /// What the tool decided about the kernel, and why.
    public struct CoreDecision: Equatable, Sendable {
        /// `OPENBLAS_CORETYPE` to set before re-executing, or `nil` to run as the process is.
        public var coreToRequest: String?
        /// One sentence a person can read in `fmn doctor`.
        public var reason: String
    }

    /// Decides whether the process must be re-executed with another kernel. Pure: no side effects.
    ///
    /// - Parameters:
    ///   - environment: the process environment.
    ///   - cpuFlags: the CPU's feature flags (`/proc/cpuinfo` `flags`).
    ///   - detectedCore: `openblas_get_corename()` in this process.
    /// - Returns: a core to request (re-exec) or `nil`, with the reason.
    public static func decide(
        environment: [String: String], cpuFlags: Set<String>, detectedCore: String
    ) -> CoreDecision {
        let userCore = environment[coreTypeVariable].flatMap { $0.isEmpty ? nil : $0 }
        if let marker = environment[automaticChoiceVariable],
            let separator = marker.firstIndex(of: "|"),
            userCore == String(marker[..<separator])
        {
            return CoreDecision(
                coreToRequest: nil, reason: String(marker[marker.index(after: separator)...]))
        }
        if let userCore {
            guard userCore.lowercased() == detectedCore.lowercased() else {
                return CoreDecision(
                    coreToRequest: nil,
                    reason: "\(coreTypeVariable)=\(userCore) is set in the environment, but "
                        + "OpenBLAS did not take it and runs \(detectedCore); check the name "
                        + "(e.g. SkylakeX, Haswell, Sandybridge)")
            }
            return CoreDecision(
                coreToRequest: nil,
                reason: "\(coreTypeVariable)=\(userCore) is set in the environment; it always wins")
        }
        let cpuTier = InstructionTier(cpuFlags: cpuFlags)
        guard let coreTier = InstructionTier(openBLASCore: detectedCore) else {
            return CoreDecision(
                coreToRequest: nil,
                reason: "OpenBLAS chose \(detectedCore) for this CPU; left as it is")
        }
        if coreTier < cpuTier, let preferred = cpuTier.preferredCore {
            return CoreDecision(
                coreToRequest: preferred,
                reason: "OpenBLAS detected \(detectedCore) (\(coreTier)) but the CPU supports "
                    + "\(cpuTier); fmn set \(coreTypeVariable)=\(preferred) before loading it")
        }
        return CoreDecision(
            coreToRequest: nil,
            reason: "OpenBLAS detected \(detectedCore), matching the CPU's \(cpuTier) support")
    }

    /// Makes this process run on the fastest kernel the CPU supports, re-executing it at most once.
    ///
    /// Call first thing in `main`, before any work. When the library under-detects the CPU and the
    /// user has not set `OPENBLAS_CORETYPE`, this replaces the process image (`execv` of
    /// `/proc/self/exe` with the same arguments) with `OPENBLAS_CORETYPE` set; if that fails, the
    /// process goes on with the slower kernel and `fmn doctor` shows it.
    public static func prepareProcess(arguments: [String] = CommandLine.arguments) {
        let environment = ProcessInfo.processInfo.environment
        let decision = decide(
            environment: environment, cpuFlags: cpuFlags(), detectedCore: coreName)
        guard let core = decision.coreToRequest else { return }
        setenv(coreTypeVariable, core, 1)
        setenv(automaticChoiceVariable, "\(core)|\(decision.reason)", 1)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", &argv)
        // Only reached when execv failed: keep running on the detected kernel.
        unsetenv(coreTypeVariable)
        unsetenv(automaticChoiceVariable)
    }

    /// Why the kernel in use was chosen (for `fmn doctor`).
    public static var currentReason: String {
        decide(
            environment: ProcessInfo.processInfo.environment, cpuFlags: cpuFlags(),
            detectedCore: coreName
        ).reason
    }

    /// The kernel OpenBLAS runs on in this process (`openblas_get_corename()`), e.g. "SkylakeX".
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's build configuration string (`openblas_get_config()`).
    public static var configuration: String {
        guard let config = openblas_get_config() else { return "" }
        return String(cString: config).trimmingCharacters(in: .whitespaces)
    }

    /// The OpenBLAS version, read from its configuration string ("OpenBLAS 0.3.21 …").
    public static var version: String {
        let words = configuration.split(separator: " ")
        if let index = words.firstIndex(of: "OpenBLAS"), index + 1 < words.count {
            return String(words[index + 1])
        }
        return "unknown"
    }

    /// Threads OpenBLAS uses for one call.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// The CPU's feature flags from `/proc/cpuinfo` (empty where that file doesn't exist).
    public static func cpuFlags(cpuinfo: String? = nil) -> Set<String> {
        let text = cpuinfo ?? (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix("flags") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
        }
        return []
    }

    /// The CPU's model name and clock from `/proc/cpuinfo`, when known.
    public static func cpuDescription() -> (model: String, megahertz: Double?) {
        let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        var model = "unknown"
        var megahertz: Double?
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if key == "model name", model == "unknown" { model = value }
            if key == "cpu MHz", megahertz == nil { megahertz = Double(value) }
        }
        return (model, megahertz)
    }

    /// Measures single-precision matrix multiplication, `C = A·B` with `A, B, C` of `n × n`.
    ///
    /// One untimed warm-up call, then `repetitions` timed calls of `Matmul.gemm` (OpenBLAS
    /// `sgemm` in row blocks on every core, as ForgetMeNot runs it).
    /// - Returns: the rate of each timed call in GFLOP/s (`2·n³ / seconds / 1e9`).
    public static func measureSgemm(size n: Int = 1024, repetitions: Int = 7) -> [Double] {
        precondition(
            n > 0 && repetitions > 0, "measureSgemm: size \(n), repetitions \(repetitions)")
        var rng = BenchmarkInputGenerator(seed: 1)
        let a = (0..<(n * n)).map { _ in Float(rng.nextUnit()) - 0.5 }
        let b = (0..<(n * n)).map { _ in Float(rng.nextUnit()) - 0.5 }
        var c = [Float](repeating: 0, count: n * n)
        func multiply() {
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        Matmul.gemm(
                            m: n, n: n, k: n, a: a.baseAddress!, lda: n, b: b.baseAddress!,
                            ldb: n, c: c.baseAddress!, ldc: n)
                    }
                }
            }
        }
        multiply()
        var rates: [Double] = []
        for _ in 0..<repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            multiply()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            rates.append(2 * Double(n) * Double(n) * Double(n) / seconds / 1e9)
        }
        return rates
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014), private to the benchmark inputs above.
private struct BenchmarkInputGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1) with 53 random bits.
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
