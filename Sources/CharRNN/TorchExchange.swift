// A char-RNN in PyTorch's nn.LSTM/GRU/RNN layout, as safetensors: export, checked import, and into the store.
import Foundation
import VersoNN
import VersoRandom
import VersoStore

/// The exchange file: tensors named and laid out as the state dict of PyTorch's `nn.LSTM` (or
/// `nn.GRU`, `nn.RNN`) over one-hot input, `weight_ih_l{k}` [G·H, I], `weight_hh_l{k}` [G·H, H],
/// `bias_ih_l{k}` and `bias_hh_l{k}` [G·H], gates in PyTorch's order, then an `nn.Linear` decoder,
/// `decoder.weight` [V, H] and `decoder.bias` [V]; the vocabulary, the training config and the
/// checkpoint in the header's metadata. Verso keeps one bias per gate (PyTorch's two, summed), its
/// LSTM gates as i, f, o, g, and its weights transposed (x·W).
public enum TorchExchange {
    public static let format = "verso-charrnn/1"
    /// Beyond these a file is refused as absurd before anything is allocated.
    static let maxLayers = 16, maxHidden = 16_384, maxVocabulary = 1 << 20

    /// PyTorch's gate order for `cell`, as the metadata's `gate_order` names it.
    public static func gateOrder(_ cell: CellKind) -> String {
        switch cell {
        case .lstm: "i,f,g,o"
        case .gru: "r,z,n"
        case .rnn: "h"
        }
    }

    /// Verso's block for PyTorch's gate block `g` (the LSTM swaps g and o; the others agree).
    static func versoGate(_ g: Int, _ cell: CellKind) -> Int { cell == .lstm ? [0, 1, 3, 2][g] : g }

    // MARK: Tensors

    /// The network's weights, or with `gradients` their gradients, under PyTorch's names and layout.
    /// A gradient's `bias_hh` is zero: Verso's one bias takes the gradient `bias_ih` gets.
    public static func tensors(of network: StackedRNN, gradients: Bool = false) -> [Safetensors.Tensor] {
        let params = network.params, shape = network.config
        let source = gradients ? params.grads.p : params.values.p
        func pointer(_ name: String) -> UnsafeMutablePointer<Float> { source + params.slice(name)!.offset }
        let H = shape.hidden, G = shape.cell.gates, V = shape.vocabSize
        var out: [Safetensors.Tensor] = []
        for l in 0..<shape.layers {
            let inputs = l == 0 ? V : H
            out.append(
                .init(
                    name: "weight_ih_l\(l)", shape: [G * H, inputs],
                    values: torchLayout(pointer("layer\(l).Wx"), rows: inputs, shape)))
            out.append(
                .init(
                    name: "weight_hh_l\(l)", shape: [G * H, H],
                    values: torchLayout(pointer("layer\(l).Wh"), rows: H, shape)))
            out.append(
                .init(
                    name: "bias_ih_l\(l)", shape: [G * H], values: torchLayout(pointer("layer\(l).b"), rows: 1, shape)))
            out.append(.init(name: "bias_hh_l\(l)", shape: [G * H], values: [Float](repeating: 0, count: G * H)))
        }
        var decoder = [Float](repeating: 0, count: V * H)
        let wy = pointer("decoder.W")  // H × V
        for v in 0..<V { for h in 0..<H { decoder[v * H + h] = wy[h * V + v] } }
        out.append(.init(name: "decoder.weight", shape: [V, H], values: decoder))
        out.append(
            .init(
                name: "decoder.bias", shape: [V],
                values: Array(UnsafeBufferPointer(start: pointer("decoder.b"), count: V))))
        return out
    }

    /// w (rows × G·H, Verso's gate blocks) → PyTorch's (G·H × rows, its gate blocks).
    static func torchLayout(_ w: UnsafePointer<Float>, rows: Int, _ shape: NetworkConfig) -> [Float] {
        let H = shape.hidden, G = shape.cell.gates
        var out = [Float](repeating: 0, count: G * H * rows)
        for g in 0..<G {
            let block = versoGate(g, shape.cell) * H
            for j in 0..<H { for r in 0..<rows { out[(g * H + j) * rows + r] = w[r * G * H + block + j] } }
        }
        return out
    }

    /// PyTorch's (G·H × rows) → w (rows × G·H).
    static func versoLayout(_ t: [Float], into w: UnsafeMutablePointer<Float>, rows: Int, _ shape: NetworkConfig) {
        let H = shape.hidden, G = shape.cell.gates
        for g in 0..<G {
            let block = versoGate(g, shape.cell) * H
            for j in 0..<H { for r in 0..<rows { w[r * G * H + block + j] = t[(g * H + j) * rows + r] } }
        }
    }

    // MARK: Export

    /// What the metadata says of the checkpoint the weights come from.
    struct CheckpointFacts: Codable {
        var step: Int
        var epoch: Double
        var train_loss: Double?
        var val_loss: Double?
        var lr: Double?
    }

    /// The exchange file of `model`; the same model always gives the same bytes.
    public static func export(_ model: CharModel) throws -> Data {
        let network = model.config.network
        let c = model.checkpoint
        let facts = CheckpointFacts(
            step: c.step, epoch: c.epoch, train_loss: c.trainLoss, val_loss: c.valLoss, lr: c.lr)
        let metadata = [
            "format": format, "cell": network.cell.rawValue, "layers": "\(network.layers)",
            "hidden": "\(network.hidden)", "vocab_size": "\(network.vocabSize)",
            "gate_order": gateOrder(network.cell), "dropout": "\(network.dropout)",
            "seq_length": "\(model.config.seqLength)", "batch_size": "\(model.config.batchSize)",
            "vocabulary": try json(model.vocabulary.symbols), "symbol_counts": try json(model.vocabulary.counts),
            "config": try json(model.config), "corpus": try json(model.record.corpus), "checkpoint": try json(facts),
        ]
        return Safetensors.encode(tensors(of: model.network), metadata: metadata)
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    // MARK: Import

    /// A checked exchange file: everything a stored char-RNN needs.
    public struct Imported {
        public let config: TrainConfig
        public let vocabulary: CharVocabulary
        public let network: StackedRNN
        public let checkpoint: Checkpoint
        public let corpus: CorpusInfo?
    }

    /// Reads an exchange file, ours or one PyTorch wrote with the same names and metadata (at
    /// least `vocabulary`); refuses in one line what does not make a model.
    public static func read(_ file: Safetensors) throws -> Imported {
        let meta = file.metadata
        if let given = meta["format"], !given.hasPrefix("verso-charrnn/") {
            throw SafetensorsError("format '\(given)' is not \(format)")
        }
        let symbols = try decode([String].self, meta["vocabulary"], "vocabulary", required: true)!
        guard !symbols.isEmpty, symbols.count <= maxVocabulary, Set(symbols).count == symbols.count,
            !symbols.contains("")
        else { throw SafetensorsError("the vocabulary must be 1 to \(maxVocabulary) distinct non-empty symbols") }
        let counts = try decode([Int].self, meta["symbol_counts"], "symbol_counts") ?? symbols.map { _ in 0 }
        guard counts.count == symbols.count else {
            throw SafetensorsError("symbol_counts has \(counts.count) counts for \(symbols.count) symbols")
        }
        let shape = try inferShape(file, vocabulary: symbols.count)
        if let cell = meta["cell"], cell != shape.cell.rawValue {
            throw SafetensorsError("metadata says cell '\(cell)', the tensors are a \(shape.cell.rawValue)")
        }
        if let order = meta["gate_order"], order != gateOrder(shape.cell) {
            throw SafetensorsError(
                "gate_order '\(order)' is unknown: a \(shape.cell.rawValue) is read in PyTorch's order "
                    + "'\(gateOrder(shape.cell))'")
        }
        var config = try decode(TrainConfig.self, meta["config"], "config") ?? TrainConfig(network: shape)
        guard config.network.cell == shape.cell, config.network.layers == shape.layers,
            config.network.hidden == shape.hidden, config.network.vocabSize == shape.vocabSize
        else { throw SafetensorsError("the config's network does not match the tensors") }
        if meta["config"] == nil, let dropout = meta["dropout"].flatMap(Float.init), (0..<1).contains(dropout) {
            config.network.dropout = dropout
        }
        try checkTensors(file, shape)
        let network = StackedRNN(config.network)
        try load(file, into: network)
        let facts =
            try decode(CheckpointFacts.self, meta["checkpoint"], "checkpoint") ?? CheckpointFacts(step: 0, epoch: 0)
        let checkpoint = Checkpoint(
            step: facts.step, epoch: facts.epoch, trainLoss: facts.train_loss, valLoss: facts.val_loss, lr: facts.lr,
            resumeState: nil)
        return Imported(
            config: config, vocabulary: CharVocabulary(symbols: symbols, counts: counts), network: network,
            checkpoint: checkpoint, corpus: try decode(CorpusInfo.self, meta["corpus"], "corpus"))
    }

    static func decode<T: Decodable>(
        _ type: T.Type, _ text: String?, _ key: String, required: Bool = false
    ) throws -> T? {
        guard let text else {
            if required { throw SafetensorsError("the metadata has no \(key)") }
            return nil
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw SafetensorsError("the metadata's \(key) is not what Verso writes there")
        }
    }

    /// Cell, layers and hidden size from the tensors: layers are the consecutive `weight_ih_l{k}`,
    /// the gate count is weight_hh_l0's rows over its columns.
    static func inferShape(_ file: Safetensors, vocabulary V: Int) throws -> NetworkConfig {
        guard let hh = file.entry("weight_hh_l0"), hh.shape.count == 2, hh.shape[1] > 0 else {
            throw SafetensorsError(
                "no tensor weight_hh_l0 [G·H, H]: not the state dict of a PyTorch nn.LSTM, nn.GRU or nn.RNN")
        }
        let H = hh.shape[1]
        let cells: [Int: CellKind] = [4: .lstm, 3: .gru, 1: .rnn]
        guard hh.shape[0] % H == 0, let cell = cells[hh.shape[0] / H] else {
            throw SafetensorsError("weight_hh_l0 has shape \(hh.shape): not 4, 3 or 1 gates of a square matrix")
        }
        var layers = 0
        while layers <= maxLayers && file.entry("weight_ih_l\(layers)") != nil { layers += 1 }
        guard (1...maxLayers).contains(layers), H <= maxHidden else {
            throw SafetensorsError(
                "\(layers) layers of \(H) units is outside 1–\(maxLayers) layers, ≤ \(maxHidden) units")
        }
        return NetworkConfig(cell: cell, vocabSize: V, hidden: H, layers: layers, dropout: 0)
    }

    /// The tensors a network of `shape` is made of, with their shapes in PyTorch's layout.
    static func expectedTensors(_ shape: NetworkConfig) -> [(name: String, shape: [Int])] {
        let H = shape.hidden, G = shape.cell.gates, V = shape.vocabSize
        var out: [(name: String, shape: [Int])] = []
        for l in 0..<shape.layers {
            out.append(("weight_ih_l\(l)", [G * H, l == 0 ? V : H]))
            out.append(("weight_hh_l\(l)", [G * H, H]))
            out.append(("bias_ih_l\(l)", [G * H]))
            out.append(("bias_hh_l\(l)", [G * H]))
        }
        return out + [("decoder.weight", [V, H]), ("decoder.bias", [V])]
    }

    /// Every tensor of `shape` is there at its shape and nothing else is: checked before a
    /// network is allocated, so a header cannot make Verso allocate what the file does not hold.
    static func checkTensors(_ file: Safetensors, _ shape: NetworkConfig) throws {
        let expected = expectedTensors(shape)
        for (name, dims) in expected {
            guard let entry = file.entry(name) else { throw SafetensorsError("missing tensor \(name) \(dims)") }
            guard entry.shape == dims else {
                throw SafetensorsError("tensor \(name) has shape \(entry.shape), expected \(dims)")
            }
        }
        let names = Set(expected.map(\.name))
        if let extra = file.entries.map(\.name).filter({ !names.contains($0) }).sorted().first {
            throw SafetensorsError("unexpected tensor \(extra) for a \(shape.layers)-layer \(shape.cell.rawValue)")
        }
    }

    /// The checked tensors, finite, into `network`.
    static func load(_ file: Safetensors, into network: StackedRNN) throws {
        let shape = network.config, params = network.params
        let H = shape.hidden, V = shape.vocabSize
        func values(_ name: String) throws -> [Float] {
            let out = try file.floats(file.entry(name)!)
            guard out.allSatisfy(\.isFinite) else { throw SafetensorsError("tensor \(name) holds NaN or infinity") }
            return out
        }
        func pointer(_ name: String) -> UnsafeMutablePointer<Float> { params.value(params.slice(name)!.offset) }
        for l in 0..<shape.layers {
            let inputs = l == 0 ? V : H
            versoLayout(try values("weight_ih_l\(l)"), into: pointer("layer\(l).Wx"), rows: inputs, shape)
            versoLayout(try values("weight_hh_l\(l)"), into: pointer("layer\(l).Wh"), rows: H, shape)
            let ih = try values("bias_ih_l\(l)"), hh = try values("bias_hh_l\(l)")
            if shape.cell == .gru, hh[(2 * H)...].contains(where: { $0 != 0 }) {
                throw SafetensorsError(
                    "bias_hh_l\(l) has a non-zero n part: Verso's GRU has no recurrent bias inside the reset gate "
                        + "(scripts/torch/charrnn.py keeps it at zero)")
            }
            // One bias per gate; adding a zero keeps the bits (a −0 stays −0).
            versoLayout(zip(ih, hh).map { $1 == 0 ? $0 : $0 + $1 }, into: pointer("layer\(l).b"), rows: 1, shape)
        }
        let decoder = try values("decoder.weight")
        let wy = pointer("decoder.W")
        for v in 0..<V { for h in 0..<H { wy[h * V + v] = decoder[v * H + h] } }
        try values("decoder.bias").withUnsafeBufferPointer {
            pointer("decoder.b").update(from: $0.baseAddress!, count: V)
        }
    }

    // MARK: Into the store

    /// Stores `imported` as char-RNN `name`: its best and latest checkpoint hold the weights, the
    /// latest also fresh optimiser moments and a zero carried state, so it samples, evaluates,
    /// fine-tunes (`--init-from`) and resumes like a model trained here. One transaction.
    public static func store(
        _ imported: Imported, in store: Store, name: String, source path: String, replacing: Bool
    ) throws {
        try store.checkNameAvailable(name, for: .charnn, replacing: replacing)
        let config = imported.config, network = imported.network
        let optimizer = Optimizer(config.optimizer, parameterCount: network.params.count, alpha: config.rmspropAlpha)
        let zeros = [Float](repeating: 0, count: config.batchSize * config.network.hidden)
        let c = imported.checkpoint
        let state = TrainingState(
            step: c.step, epoch: c.epoch, trainLoss: c.trainLoss, valLoss: c.valLoss, bestValLoss: c.valLoss,
            lr: Float(c.lr ?? Double(config.learningRate)), dropoutRNG: SplitMix64(seed: config.rngSeed),
            carried: Array(repeating: zeros, count: 2 * config.network.layers))
        try CharModelStore.writeCheckpoint(
            store: store, name: name, corpus: try imported.corpus ?? CorpusInfo.of(file: path), config: config,
            vocabulary: imported.vocabulary, network: network, optimizer: optimizer, state: state, isBest: true,
            metrics: [], replacing: replacing)
    }
}
