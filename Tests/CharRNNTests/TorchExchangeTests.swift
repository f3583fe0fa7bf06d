// charnn export/import: the safetensors file round trip through the store, and what import refuses.
import Foundation
import Testing
import VersoNN
import VersoRandom
import VersoStore
@testable import CharRNN

@Suite struct TorchExchangeTests {
    /// A small model with random weights and biases, stored as `name` in `store`.
    func storeModel(_ cell: CellKind, in store: Store, name: String) throws {
        var config = TrainConfig(network: NetworkConfig(cell: cell, vocabSize: 5, hidden: 6, layers: 2, dropout: 0.25))
        config.batchSize = 3
        let network = StackedRNN(config.network)
        var rng = SplitMix64(seed: 42)
        for k in 0..<network.params.count { network.params.values.p[k] = rng.nextFloat() - 0.5 }
        let vocabulary = CharVocabulary(symbols: ["\n", " ", "a", "é", "👍🏽"], counts: [3, 9, 20, 2, 1])
        let state = TrainingState(
            step: 1200, epoch: 3.5, trainLoss: 1.25, valLoss: 1.5, bestValLoss: 1.5, lr: 2e-3,
            dropoutRNG: SplitMix64(seed: 1), carried: Array(repeating: [Float](repeating: 0, count: 18), count: 4))
        try CharModelStore.writeCheckpoint(
            store: store, name: name, corpus: CorpusInfo(path: "/texts/a.txt", sha256: "ab", bytes: 35),
            config: config, vocabulary: vocabulary, network: network,
            optimizer: Optimizer(.rmsprop, parameterCount: network.params.count), state: state, isBest: true,
            metrics: [])
    }

    @Test(arguments: CellKind.allCases)
    func exportImportExportGivesTheSameBytes(cell: CellKind) throws {
        let store = try tempStore()
        try storeModel(cell, in: store, name: "a")
        let original = try CharModelStore.load(store: store, name: "a")
        let first = try TorchExchange.export(original)
        let imported = try TorchExchange.read(try Safetensors(data: first))
        try TorchExchange.store(imported, in: store, name: "b", source: "/nowhere", replacing: false)
        let back = try CharModelStore.load(store: store, name: "b")
        #expect(try TorchExchange.export(back) == first)
        #expect(back.config == original.config && back.vocabulary == original.vocabulary)
        #expect(back.record.corpus == original.record.corpus && back.checkpoint.valLoss == 1.5)
        #expect(back.network.params.values.array == original.network.params.values.array)
        // The imported model resumes like one trained here (fresh moments, a zero carried state).
        let optimizer = Optimizer(.rmsprop, parameterCount: back.network.params.count)
        let state = try CharModelStore.restoreTraining(store: store, model: back, optimizer: optimizer)
        #expect(state.step == 1200 && state.carried?.count == 4)
        #expect(throws: StoreError.self) {
            try TorchExchange.store(imported, in: store, name: "b", source: "/nowhere", replacing: false)
        }
    }

    /// PyTorch's layout: weight_ih_l0 is [4H, V] with gates i, f, g, o; Verso's Wx is [V, 4H] with i, f, o, g.
    @Test func lstmGatesAreReorderedAndTransposed() throws {
        let store = try tempStore()
        try storeModel(.lstm, in: store, name: "a")
        let model = try CharModelStore.load(store: store, name: "a")
        let file = try Safetensors(data: try TorchExchange.export(model))
        let torch = try file.floats(try #require(file.entry("weight_ih_l0")))
        let params = model.network.params
        let wx = params.value(params.slice("layer0.Wx")!.offset)
        let H = 6, V = 5
        for (torchGate, versoGate) in [(0, 0), (1, 1), (2, 3), (3, 2)] {
            for j in 0..<H {
                for v in 0..<V { #expect(torch[(torchGate * H + j) * V + v] == wx[v * 4 * H + versoGate * H + j]) }
            }
        }
        #expect(file.metadata["gate_order"] == "i,f,g,o")
        #expect(file.metadata["vocabulary"] == #"["\n"," ","a","é","👍🏽"]"#)
    }

    /// Each broken file is refused with a line naming the problem.
    @Test func importRefusesWhatIsNotAModel() throws {
        let store = try tempStore()
        try storeModel(.gru, in: store, name: "a")
        let good = try TorchExchange.export(try CharModelStore.load(store: store, name: "a"))
        let file = try Safetensors(data: good)
        let tensors = TorchExchange.tensors(of: try TorchExchange.read(file).network)
        func rewritten(_ change: (inout [Safetensors.Tensor], inout [String: String]) -> Void) -> Data {
            var t = tensors, m = file.metadata
            change(&t, &m)
            return Safetensors.encode(t, metadata: m)
        }
        func header(_ json: String, data: Int) -> Data {
            var bytes = Data()
            withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
            return bytes + Data(json.utf8) + Data(count: data)
        }
        func replacing(
            _ name: String, shape: [Int], values: [Float]
        ) -> (inout [Safetensors.Tensor], inout [String: String]) -> Void {
            { t, _ in t[t.firstIndex { $0.name == name }!] = .init(name: name, shape: shape, values: values) }
        }
        let cases: [(Data, String)] = [
            (good.prefix(5), "too short"),
            (Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F]) + Data(count: 8), "absurd"),
            (Data([200, 0, 0, 0, 0, 0, 0, 0, 0x7B]), "runs past the end"),
            (header("[1, 2]", data: 0), "not a JSON object"),
            (header(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, data: 12), "without holes"),
            (header(#"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: 8), "needs 12 bytes"),
            (header(#"{"x":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#, data: 1), "dtype U8"),
            (header(#"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: 16), "cover 8 of the data's 16"),
            (
                header(#"{"x":{"dtype":"F32","shape":[1048576,1048576,1048576],"data_offsets":[0,4]}}"#, data: 4),
                "larger than"
            ),
            (rewritten { t, _ in t.removeLast() }, "missing tensor decoder.bias"),
            (rewritten(replacing("decoder.bias", shape: [4], values: [0, 0, 0, 0])), "decoder.bias has shape [4]"),
            (rewritten { _, m in m["gate_order"] = "u,r,n" }, "gate_order 'u,r,n' is unknown"),
            (rewritten { _, m in m["vocabulary"] = nil }, "no vocabulary"),
            (rewritten { _, m in m["vocabulary"] = #"["a","a","b","c","d"]"# }, "distinct"),
            (rewritten { _, m in m["cell"] = "lstm" }, "metadata says cell 'lstm'"),
            (rewritten { _, m in m["format"] = "keras" }, "format 'keras'"),
            (rewritten { _, m in m["config"] = "{}" }, "the metadata's config"),
            (
                rewritten(replacing("bias_hh_l1", shape: [18], values: (0..<18).map { $0 >= 12 ? 1 : 0 })),
                "non-zero n part"
            ),
            (rewritten(replacing("decoder.bias", shape: [5], values: [0, .nan, 0, 0, 0])), "NaN"),
            (
                rewritten { t, _ in t.append(.init(name: "rnn.weight_ih_l0", shape: [1], values: [0])) },
                "unexpected tensor"
            ),
            (rewritten { t, _ in t.removeAll { $0.name == "weight_hh_l0" } }, "no tensor weight_hh_l0"),
        ]
        for (bytes, expected) in cases {
            do {
                _ = try TorchExchange.read(try Safetensors(data: bytes))
                Issue.record("accepted a file that should fail with '\(expected)'")
            } catch let error as SafetensorsError {
                #expect(error.description.contains(expected), "'\(error.description)' lacks '\(expected)'")
                #expect(!error.description.contains("\n"))
            }
        }
        #expect(try CharModelStore.load(store: store, name: "a").record.name == "a")
    }

    /// 17 layers is past the limit; the file is refused before a network is built.
    @Test func tooManyLayersAreRefused() throws {
        var tensors: [Safetensors.Tensor] = []
        for l in 0..<17 {
            tensors.append(.init(name: "weight_ih_l\(l)", shape: [1, 1], values: [0]))
            tensors.append(.init(name: "weight_hh_l\(l)", shape: [1, 1], values: [0]))
        }
        let data = Safetensors.encode(tensors, metadata: ["vocabulary": #"["a"]"#])
        #expect(throws: SafetensorsError.self) { try TorchExchange.read(try Safetensors(data: data)) }
    }
}
