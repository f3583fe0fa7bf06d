// swift-tools-version: 6.0
// Verso: char-RNN, word2vec and Markov text models in one Swift package, one SQLite store.
import PackageDescription

let package = Package(
    name: "Verso",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "charnn", targets: ["charnn"]),
        .executable(name: "w2v", targets: ["w2v"]),
        .executable(name: "markov", targets: ["markov"]),
        .library(name: "VersoFuzzing", targets: ["VersoFuzzing"]),   // for the libFuzzer package in Fuzz/
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // MARK: System-library shims
        .systemLibrary(name: "CICU", pkgConfig: "icu-i18n",
                       providers: [.apt(["libicu-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),

        // MARK: Libraries
        .target(name: "VersoText", dependencies: ["CICU"]),
        .target(name: "VersoStore", dependencies: [
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "VersoNN", dependencies: ["CBLAS"],
                swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        .target(name: "Evaluation", dependencies: ["VersoText"]),
        .target(name: "CharRNN", dependencies: ["VersoNN", "VersoText", "VersoStore", "Evaluation",
                                          .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "Word2Vec", dependencies: ["VersoNN", "VersoText", "VersoStore",
                                           .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "Markov", dependencies: ["VersoText", "VersoStore", "Evaluation", "VersoNN",
                                         .product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "VersoPlot"),
        .target(name: "VersoFuzzing", dependencies: ["VersoText", "Word2Vec"]),
        .target(name: "VersoCLI", dependencies: [
            "VersoStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: Command-line tools
        .executableTarget(name: "charnn", dependencies: [
            "CharRNN", "Markov", "Evaluation", "VersoCLI", "VersoNN", "VersoStore", "VersoPlot",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "w2v", dependencies: [
            "Word2Vec", "VersoCLI", "VersoPlot", "VersoText", "VersoStore", "VersoNN",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "markov", dependencies: [
            "Markov", "VersoCLI", "Evaluation", "VersoNN", "VersoStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // MARK: Tests
        .testTarget(name: "VersoTextTests", dependencies: ["VersoText"]),
        .testTarget(name: "VersoStoreTests", dependencies: ["VersoStore"]),
        .testTarget(name: "VersoNNTests", dependencies: ["VersoNN"]),
        .testTarget(name: "CharRNNTests", dependencies: ["CharRNN"]),
        .testTarget(name: "Word2VecTests", dependencies: ["Word2Vec"]),
        .testTarget(name: "VersoFuzzingTests", dependencies: ["VersoFuzzing"]),
        .testTarget(name: "MarkovTests", dependencies: ["Markov"]),
        .testTarget(name: "VersoPlotTests", dependencies: ["VersoPlot"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "VersoNN"]),
        .testTarget(name: "CLITests", dependencies: ["charnn", "w2v", "markov"]),
    ],
    swiftLanguageModes: [.v6]
)
