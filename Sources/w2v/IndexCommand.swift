// `w2v index NAME`: builds or rebuilds a model's nearest-neighbour index in the store.
import ArgumentParser
import Foundation
import VersoCLI
import VersoStore
import Word2Vec

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build or rebuild a model's nearest-neighbour index (IVF: k-means lists of int8 rows).",
        discussion: """
            Queries then scan the probed lists and re-rank the best candidates from the exact rows.
            `w2v train` and `w2v import` build one for models above 5,000 words; the recall@10 it
            measures against exact search (1,000 sampled words) shows in `w2v models`.
            Examples:
              w2v index wiki
              w2v index wiki --lists 2000 --probe 32
            """)
    @Argument(help: "The model's name.") var name: String
    @Option(help: "Inverted lists (default: √words).") var lists: Int?
    @Option(help: "Lists a query scans by default (default: the fewest reaching recall@10 ≥ 0.95).") var probe: Int?
    @Option(help: "Threads (default: all cores).") var threads: Int?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if let lists, lists < 1 { throw ValidationError("--lists must be positive") }
        if let probe, probe < 1 { throw ValidationError("--probe must be positive") }
        if let threads, threads < 1 { throw ValidationError("--threads must be positive") }
    }

    struct Result: Encodable {
        let model: String, rows: Int, lists: Int, probe: Int, recallAt10: Double, seconds: Double
        let recallCurve: [ProbeRecall]
        enum CodingKeys: String, CodingKey {
            case model, rows, lists, probe, seconds
            case recallAt10 = "recall_at_10"
            case recallCurve = "recall_curve"
        }
    }

    func run() throws {
        let store = try storeOptions.openExisting()
        var options = IVFOptions()
        options.lists = lists
        options.probe = probe
        options.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let started = Date()
        let h = try StopSignals.whileCatching { stop in
            options.stop = stop
            return try W2VModelStore.buildIndex(store: store, name: name, options: options)
        }
        let result = Result(
            model: name, rows: h.rows, lists: h.lists, probe: h.probe, recallAt10: h.recallAt10,
            seconds: Date().timeIntervalSince(started), recallCurve: h.recallCurve)
        if json { return try Output.json(result) }
        let curve = h.recallCurve.map { String(format: "%d: %.3f", $0.probe, $0.recall) }.joined(separator: ", ")
        print(
            String(
                format: "indexed '%@': %d words in %d lists; probe %d, recall@10 %.3f (by probe: %@) in %.1fs",
                name, h.rows, h.lists, h.probe, h.recallAt10, curve, result.seconds))
    }
}
