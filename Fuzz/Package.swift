// swift-tools-version: 6.0
// libFuzzer targets over Verso's text layer, its fast paths against ICU, vector importers (word2vec,
// GloVe, fastText .bin), index loader and safetensors reader. Build and run with scripts/fuzz
// (swift build -Xswiftc -sanitize=fuzzer,address); kept apart so normal builds never link them.
import PackageDescription

let package = Package(
    name: "VersoFuzz",
    dependencies: [.package(name: "Verso", path: "..")],
    targets: [
        .target(name: "CFuzzDriver"),
        .executableTarget(
            name: "FuzzText", dependencies: ["CFuzzDriver", .product(name: "VersoFuzzing", package: "Verso")]),
        .executableTarget(
            name: "FuzzVectors", dependencies: ["CFuzzDriver", .product(name: "VersoFuzzing", package: "Verso")]),
        .executableTarget(
            name: "FuzzTokens", dependencies: ["CFuzzDriver", .product(name: "VersoFuzzing", package: "Verso")]),
        .executableTarget(
            name: "FuzzIndex", dependencies: ["CFuzzDriver", .product(name: "VersoFuzzing", package: "Verso")]),
        .executableTarget(
            name: "FuzzFastText", dependencies: ["CFuzzDriver", .product(name: "VersoFuzzing", package: "Verso")]),
        .executableTarget(
            name: "FuzzSafetensors", dependencies: ["CFuzzDriver", .product(name: "VersoFuzzing", package: "Verso")]),
    ],
    swiftLanguageModes: [.v6]
)
