// `<tool> models [list|corpus|rm]`: the store's models of one kind, shared by charnn, w2v and markov.
import ArgumentParser
import Foundation
import VersoStore

/// Ties a command to the kind of model its tool works with.
public protocol ModelKindTag { static var kind: ModelKind { get } }
public enum CharRNNKind: ModelKindTag { public static var kind: ModelKind { .charnn } }
public enum Word2VecKind: ModelKindTag { public static var kind: ModelKind { .w2v } }
public enum MarkovKind: ModelKindTag { public static var kind: ModelKind { .markov } }
public enum DocumentKind: ModelKindTag { public static var kind: ModelKind { .docs } }
public enum MixtureKind: ModelKindTag { public static var kind: ModelKind { .mixture } }

public struct ModelsCommand<K: ModelKindTag>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: K.kind == .mixture ? "mixtures" : "models",
            abstract: "List the store's \(K.kind.displayName) models, show what one was trained on, remove one.",
            subcommands: [ModelsList<K>.self, ModelsCorpus<K>.self, ModelsRemove<K>.self],
            defaultSubcommand: ModelsList<K>.self)
    }
    public init() {}
}

public struct ModelsList<K: ModelKindTag>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: "List the store's \(K.kind.displayName) models.")
    }
    @OptionGroup public var storeOptions: StoreOptions
    @Flag(help: "Print JSON instead of a table.") public var json = false
    public init() {}

    public func run() throws {
        let store = try storeOptions.openForReading()
        let models = try store.summaries(of: K.kind)
        if json { return try Output.json(models) }
        // word2vec models show their index's recall, document models their document count, where
        // charnn shows a validation loss.
        let rows = models.map { m in
            let last: String
            switch K.kind {
            case .w2v: last = m.indexRecallAt10.map { Output.decimal($0, places: 3) } ?? "exact only"
            case .docs: last = m.documents.map(String.init) ?? "-"
            default: last = m.bestValLoss.map { Output.decimal($0, places: 4) } ?? "-"
            }
            return [m.name, Output.bytes(m.bytes), m.created, m.corpus, last]
        }
        let lastHeader = ["w2v": "INDEX RECALL@10", "docs": "DOCUMENTS"][K.kind.rawValue] ?? "BEST VAL LOSS"
        print(
            Output.table(headers: ["NAME", "SIZE", "CREATED", "CORPUS", lastHeader], rows: rows, rightAligned: [1, 4]))
        print("\(models.count) \(K.kind.displayName) model\(models.count == 1 ? "" : "s")")
    }
}

public struct ModelsCorpus<K: ModelKindTag>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "corpus",
            abstract: "Show the text a \(K.kind.displayName) model was trained on: every file with its SHA-256.",
            discussion: "Files that --lenient skipped are listed with the reason.")
    }
    @OptionGroup public var storeOptions: StoreOptions
    @Argument(help: "The model's name.") public var name: String
    @Flag(help: "Print JSON.") public var json = false
    public init() {}

    public func run() throws {
        let store = try storeOptions.openForReading()
        let corpus = try store.read { try $0.model(named: name, kind: K.kind) }.corpus
        if json { return try Output.json(corpus) }
        print("corpus  \(corpus.path)\nsha256  \(corpus.sha256)\nbytes   \(corpus.bytes)")
        guard !corpus.members.isEmpty else { return print("(files not recorded: the model predates store v4)") }
        let rows = corpus.members.map { m in
            [m.path, String(m.bytes), m.sha256.isEmpty ? "-" : m.sha256, m.skipped.map { "skipped: " + $0 } ?? ""]
        }
        print(Output.table(headers: ["FILE", "BYTES", "SHA-256", ""], rows: rows, rightAligned: [1]))
    }
}

public struct ModelsRemove<K: ModelKindTag>: ParsableCommand {
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "rm", abstract: "Remove a \(K.kind.displayName) model and everything stored with it.")
    }
    @OptionGroup public var storeOptions: StoreOptions
    @Argument(help: "The model's name.") public var name: String
    public init() {}

    public func run() throws {
        let store = try storeOptions.openExisting()
        let givenBack = try store.removeModel(named: name, kind: K.kind)
        let free = try store.freeBytes()
        let space =
            free > 0
            ? "; \(Output.bytes(free)) stay free inside the store for new models (`verso store compact` gives "
                + "them back to the disk)"
            : "; \(Output.bytes(givenBack)) given back to the disk"
        print("removed \(K.kind.displayName) model '\(ModelName.printable(name))'" + space)
    }
}
