// swift-tools-version: 6.0
// Verso: char-RNN, word2vec and Markov text models in one Swift package, one SQLite store.
import PackageDescription

let package = Package(
    name: "Verso",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "charnn", targets: ["charnn"]),
        .executable(name: "w2v", targets: ["w2v"]),
        .executable(name: "markov", targets: ["markov"]),
        .executable(name: "verso", targets: ["verso"]),
        .library(name: "VersoFuzzing", targets: ["VersoFuzzing"]),  // for the libFuzzer package in Fuzz/
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Hummingbird's own dependencies, named for the server's connection handlers.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // MARK: System-library shims
        .systemLibrary(
            name: "CICU", pkgConfig: "icu-i18n",
            providers: [.apt(["libicu-dev"])]),
        .systemLibrary(name: "CDNNL", providers: [.apt(["libdnnl-dev"])]),  // oneDNN: every matrix product
        .target(name: "CProcess"),
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLZMA", providers: [.apt(["liblzma-dev"])]),
        .systemLibrary(name: "CBZip2", providers: [.apt(["libbz2-dev"])]),

        // MARK: Libraries
        .target(name: "VersoText", dependencies: ["CICU", "CZlib", "CLZMA", "CBZip2"]),
        .target(name: "VersoRandom"),
        .target(
            name: "VersoStore",
            dependencies: [
                "CZlib", "VersoText",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),  // incremental blob I/O
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .target(
            name: "VersoNN", dependencies: ["CDNNL", "VersoRandom"],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        .target(name: "Evaluation"),
        .target(name: "Sampling", dependencies: ["VersoRandom", "VersoText"]),
        .target(
            name: "CharRNN", dependencies: ["VersoNN", "VersoRandom", "VersoText", "VersoStore", "Evaluation", "Sampling"]),
        .target(name: "Word2Vec", dependencies: ["VersoNN", "VersoRandom", "VersoText", "VersoStore", "Evaluation"]),
        .target(name: "Markov", dependencies: ["VersoText", "VersoStore", "Evaluation", "VersoRandom", "Sampling"]),
        .target(
            name: "Mixture",
            dependencies: ["CharRNN", "Markov", "Sampling", "Evaluation", "VersoNN", "VersoStore", "VersoText"]),
        .target(name: "VersoPlot"),
        .target(name: "VersoFuzzing", dependencies: ["VersoText", "VersoStore", "Word2Vec", "CharRNN", "VersoNN"]),
        .target(
            name: "VersoServer",
            dependencies: [
                "CharRNN", "Markov", "Mixture", "Sampling", "Word2Vec", "Evaluation", "VersoStore", "VersoText",
                "VersoRandom", "VersoPlot", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            resources: [
                .embedInCode("Page/index.html"), .embedInCode("Page/app.js"), .embedInCode("Page/read.js"),
                .embedInCode("Page/cells.js"), .embedInCode("Page/map.js"), .embedInCode("Page/style.css"),
                .embedInCode("Page/openapi.json"),
            ]),
        .target(
            name: "VersoCLI",
            dependencies: [
                "VersoStore", "VersoText", "VersoRandom", "Sampling", "Evaluation", "CProcess",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // MARK: Command-line tools
        .executableTarget(
            name: "charnn",
            dependencies: [
                "CharRNN", "Markov", "Mixture", "Sampling", "Evaluation", "VersoCLI", "VersoNN", "VersoRandom",
                "VersoStore", "VersoPlot", "VersoText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "w2v",
            dependencies: [
                "Word2Vec", "Evaluation", "VersoCLI", "VersoPlot", "VersoText", "VersoStore", "VersoNN",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "markov",
            dependencies: [
                "Markov", "Sampling", "VersoCLI", "Evaluation", "VersoRandom", "VersoStore", "VersoText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .executableTarget(
            name: "verso",
            dependencies: [
                "VersoServer", "VersoCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // MARK: Tests
        .testTarget(name: "VersoTextTests", dependencies: ["VersoText"]),
        .testTarget(name: "VersoStoreTests", dependencies: ["VersoStore", "VersoText"], exclude: ["Fixtures"]),
        // Sets what every command sets in main, at the test process's start.
        .testTarget(name: "VersoNNTests", dependencies: ["VersoNN", "VersoRandom"]),
        .testTarget(
            name: "CharRNNTests", dependencies: ["CharRNN", "Sampling", "VersoRandom", "VersoText"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "MixtureTests", dependencies: ["Mixture", "CharRNN", "Evaluation", "Markov", "Sampling", "VersoNN", "VersoStore", "VersoText"]),
        .testTarget(name: "Word2VecTests", dependencies: ["Word2Vec", "VersoRandom"]),
        .testTarget(name: "VersoFuzzingTests", dependencies: ["VersoFuzzing"]),
        .testTarget(name: "MarkovTests", dependencies: ["Markov", "Sampling", "VersoRandom", "VersoText"]),
        .testTarget(name: "VersoPlotTests", dependencies: ["VersoPlot"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "VersoNN", "VersoRandom"]),
        .testTarget(
            name: "VersoServerTests",
            dependencies: [
                "VersoServer", "VersoStore", "CharRNN", "Markov", "Mixture", "Sampling", "Word2Vec", "VersoRandom",
                "VersoText", .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        .testTarget(name: "CLITests", dependencies: ["charnn", "w2v", "markov", "VersoCLI", "VersoRandom", "VersoStore"]),
    ],
    swiftLanguageModes: [.v6]
)
