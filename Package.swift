// swift-tools-version: 6.1
// ForgetMeNot: measures what a fine-tune made a language model forget.
//
// Module graph (arrows point down only; see ../shared/STYLE.md §1):
//   fmn → Pipeline → {Training, Probes, Tracking, Analysis, Reporting}
//   Reporting → Analysis → Metrics;  Probes → {Tensors, Transformer, Tokenizers, Metrics}
//   Training → Transformer → {Tensors, TensorsAVX2, Checkpoints};  TensorsAVX2 → Tensors → COpenBLAS;  Tracking → {GRDB, CLibGit2}

import PackageDescription

// TensorsAVX2 compiles the hottest inference kernels again for AVX2 + FMA; the rest of the
// package targets baseline x86-64 and `KernelDispatch` picks a build at run time.
#if arch(x86_64)
    let avx2Settings: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
    let avx2Settings: [SwiftSetting] = []
#endif

let package = Package(
    name: "ForgetMeNot",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fmn", targets: ["fmn"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
    ],
    targets: [
        // System libraries (GRDB's pattern: pkgConfig + apt provider).
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CLibGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),

        .target(name: "Tensors", dependencies: ["COpenBLAS"]),
        .target(name: "Checkpoints", dependencies: ["Tensors"]),
        .target(name: "Tokenizers"),
        .target(name: "TensorsAVX2", dependencies: ["Tensors"], swiftSettings: avx2Settings),
        .target(name: "Transformer", dependencies: ["Tensors", "TensorsAVX2", "Checkpoints"]),
        .target(name: "Training", dependencies: ["Transformer", "Tokenizers", "Checkpoints"]),
        .target(name: "Metrics"),
        .target(
            name: "Probes",
            dependencies: [
                "Tensors", "Transformer", "Tokenizers", "Metrics",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(
            name: "Tracking",
            dependencies: [
                "CLibGit2", "Checkpoints",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(name: "Analysis", dependencies: ["Metrics"]),
        .target(name: "Reporting", dependencies: ["Analysis"]),
        .target(
            name: "Pipeline",
            dependencies: [
                "Training", "Probes", "Tracking", "Analysis", "Reporting",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .executableTarget(
            name: "fmn",
            dependencies: [
                "Pipeline", "Tensors", "Checkpoints", "Tokenizers", "Transformer", "Training",
                "Metrics", "Probes", "Tracking", "Analysis", "Reporting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "TensorsTests", dependencies: ["Tensors", "TensorsAVX2", "TestSupport"]),
        .testTarget(name: "CheckpointsTests", dependencies: ["Checkpoints", "TestSupport"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "TestSupport"]),
        .testTarget(name: "TransformerTests", dependencies: ["Transformer", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "TestSupport"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "TestSupport"]),
        .testTarget(name: "ProbesTests", dependencies: ["Probes", "TestSupport"]),
        .testTarget(name: "TrackingTests", dependencies: ["Tracking", "TestSupport"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis", "TestSupport"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "TestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "TestSupport"]),
        .testTarget(name: "fmnTests", dependencies: ["TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
