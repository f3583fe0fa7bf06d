// `charnn export` and `charnn import`: a char-RNN to and from safetensors in PyTorch's nn.LSTM layout.
import ArgumentParser
import CharRNN
import Foundation
import VersoCLI
import VersoNN
import VersoStore
import VersoText

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a char-RNN as safetensors, laid out as PyTorch's nn.LSTM/nn.GRU/nn.RNN state dict.",
        discussion: """
            The vocabulary, the training config and the checkpoint go in the header's metadata;
            scripts/torch/charrnn.py evaluates, samples and trains the file in PyTorch. Example:
              charnn export poetry poetry.safetensors
            """)

    @Argument(help: "The model's name.") var model: String
    @Argument(help: "The .safetensors file to write.") var output: String
    @Option(help: "Checkpoint: best or latest.") var checkpoint: CheckpointLabel = .best
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try storeOptions.openForReading()
        let loaded = try CharModelStore.load(store: store, name: model, label: checkpoint)
        let data = try TorchExchange.export(loaded)
        // Missing folders are created, and the file appears whole or not at all.
        let file = try OutputFile(path: output)
        try data.withUnsafeBytes { try file.write($0) }
        try file.commit()
        let summary = ExchangeSummary(
            model: loaded.record.name, file: output, bytes: data.count, network: loaded.config.network,
            symbols: loaded.vocabulary.count, checkpoint: loaded.checkpoint)
        if json { return try Output.json(summary) }
        print("\(summary.line) → \(output) (\(data.count) bytes)")
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Store a char-RNN from safetensors (charnn export's, or PyTorch's with the same names and metadata).",
        discussion: """
            The model samples, evaluates and fine-tunes (--init-from) like one trained here. Example:
              charnn import poetry-torch.safetensors --name poetry-torch
            """)

    @Argument(help: "The .safetensors file to read.") var file: String
    @Option(help: "The name to store the model under.") var name: String
    @Flag(help: "Replace a char-RNN of that name.") var force = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try storeOptions.openForWriting()
        let imported: TorchExchange.Imported
        do {
            imported = try TorchExchange.read(try Safetensors(contentsOf: file))
        } catch let error as SafetensorsError {
            throw InputError("\(file): \(error.description)")
        }
        try TorchExchange.store(imported, in: store, name: name, source: file, replacing: force)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        let summary = ExchangeSummary(
            model: name, file: file, bytes: bytes, network: imported.config.network,
            symbols: imported.vocabulary.count, checkpoint: imported.checkpoint)
        if json { return try Output.json(summary) }
        print("imported \(summary.line) from \(file)")
    }
}

/// What export and import print.
struct ExchangeSummary: Encodable {
    let model: String, file: String, bytes: Int
    let cell: String, layers: Int, hidden: Int, symbols: Int
    let step: Int, valLoss: Double?

    init(model: String, file: String, bytes: Int, network: NetworkConfig, symbols: Int, checkpoint: Checkpoint) {
        self.model = model
        self.file = file
        self.bytes = bytes
        cell = network.cell.rawValue
        layers = network.layers
        hidden = network.hidden
        self.symbols = symbols
        step = checkpoint.step
        valLoss = checkpoint.valLoss
    }

    var line: String {
        "\(model): \(layers)×\(hidden) \(cell), \(symbols) symbols, step \(step)"
            + (valLoss.map { ", val " + Output.decimal($0, places: 4) + " nats/char" } ?? "")
    }
}
