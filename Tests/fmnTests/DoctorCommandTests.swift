import Foundation
import TestSupport
import Testing

/// Runs the built `fmn` with an exact environment and returns (exit status, stdout, stderr).
func runFMN(
    _ arguments: [String], environment: [String: String]? = nil,
    currentDirectory: URL? = nil, input: Data? = nil
) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = Fixtures.fmnBinary
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let inputPipe = Pipe()
    process.standardInput = inputPipe
    try process.run()
    if let input { inputPipe.fileHandleForWriting.write(input) }
    try? inputPipe.fileHandleForWriting.close()
    // Read both pipes concurrently so a chatty child never blocks on a full pipe.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return (
        process.terminationStatus, String(decoding: outData, as: UTF8.self),
        String(decoding: errData, as: UTF8.self)
    )
}

/// The current environment without the given variables.
func environment(removing names: [String], adding extra: [String: String] = [:]) -> [String: String]
{
    var environment = ProcessInfo.processInfo.environment
    for name in names { environment.removeValue(forKey: name) }
    environment.merge(extra) { _, new in new }
    return environment
}

@Suite struct DoctorCommandTests {
    func doctorJSON(_ environment: [String: String]) throws -> [String: Any] {
        let result = try runFMN(
            ["doctor", "--json", "--size", "256", "--repetitions", "3"], environment: environment)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func jsonHasTheDocumentedFields() throws {
        let json = try doctorJSON(environment(removing: []))
        #expect((json["libgit2"] as? String)?.isEmpty == false)
        #expect((json["sqlite"] as? String)?.hasPrefix("3.") == true)
        let blas = try #require(json["blas"] as? [String: Any])
        #expect((blas["core"] as? String)?.isEmpty == false)
        #expect((blas["threads"] as? Int ?? 0) >= 1)
        #expect((blas["sgemm_gflops"] as? Double ?? 0) > 0)
    }

    @Test func kernelBuildFollowsTheCPUAndCanBeForcedToBaseline() throws {
        let flags =
            try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("flags") }?
            .split(separator: " ").map(String.init) ?? []
        let automatic = try doctorJSON(environment(removing: ["FMN_KERNELS"]))
        let expected = flags.contains("avx2") && flags.contains("fma") ? "avx2" : "baseline"
        #expect(automatic["kernels"] as? String == expected)
        let forced = try doctorJSON(environment(removing: [], adding: ["FMN_KERNELS": "baseline"]))
        #expect(forced["kernels"] as? String == "baseline")
    }

    @Test func usersOwnCoreTypeIsRespected() throws {
        // Sandybridge (AVX) runs on every x86-64 CPU this project targets and is never fmn's
        // automatic choice on an AVX2 or AVX-512 machine, so seeing it proves the user's value won.
        let env = environment(
            removing: ["FMN_OPENBLAS_AUTOMATIC"], adding: ["OPENBLAS_CORETYPE": "Sandybridge"])
        let blas = try #require(try doctorJSON(env)["blas"] as? [String: Any])
        #expect(blas["core"] as? String == "Sandybridge")
        #expect((blas["core_reason"] as? String)?.contains("OPENBLAS_CORETYPE=Sandybridge") == true)
    }

    @Test func withoutCoreTypeTheKernelMatchesTheCPU() throws {
        let env = environment(removing: ["OPENBLAS_CORETYPE", "FMN_OPENBLAS_AUTOMATIC"])
        let json = try doctorJSON(env)
        let blas = try #require(json["blas"] as? [String: Any])
        let cpu = try #require(json["cpu"] as? [String: Any])
        #expect(blas["core"] as? String != "Prescott")
        // On an AVX-512 CPU the kernel must be an AVX-512 one, whether OpenBLAS found it by
        // itself (e.g. Cooperlake) or fmn chose it (SkylakeX).
        if cpu["instruction_tier"] as? String == "AVX-512" {
            #expect(
                ["SkylakeX", "Cooperlake", "SapphireRapids"].contains(blas["core"] as? String ?? "")
            )
        }
    }

    @Test func versionAndHelpWork() throws {
        let version = try runFMN(["--version"])
        #expect(version.status == 0)
        #expect(
            version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".")
                .count == 3)
        let help = try runFMN(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("doctor"))
    }
}
