// swift-tools-version: 6.1
// Speed benchmarks of Analysis and Reporting (not tests): `swift run -c release AnalysisBench`.
// Sources/Metrics, Sources/Analysis and Sources/Reporting are symlinks to the main package's modules.
import PackageDescription

let package = Package(
    name: "AnalysisBenchmarks",
    targets: [
        .target(name: "Metrics"),
        .target(name: "Analysis", dependencies: ["Metrics"]),
        .target(name: "Reporting", dependencies: ["Analysis"]),
        .executableTarget(name: "AnalysisBench", dependencies: ["Metrics", "Analysis", "Reporting"]),
    ],
    swiftLanguageModes: [.v6]
)
