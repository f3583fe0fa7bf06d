// `w2v align A B --name N` and `w2v shift A B`: two models in one space, and the words that moved.
import ArgumentParser
import Foundation
import VersoCLI
import VersoStore
import Word2Vec

struct AlignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "align", abstract: "Store model B rotated into model A's space (orthogonal Procrustes).",
        discussion: """
            The rotation best maps B's unit vectors of the most frequent words both models know onto
            A's (the SVD of their cross-covariance). B's own neighbours do not change; its vectors
            become comparable with A's, word for word. The aligned model is indexed and queried like
            any other.
            Example: w2v align novelas biblia-rv1909 --name biblia-on-novelas
            """)
    @Argument(help: "Model A, whose space is kept.") var a: String
    @Argument(help: "Model B, rotated.") var b: String
    @Option(help: "The aligned model's name.") var name: String
    @Option(help: "How many of the most frequent shared words fit the rotation.")
    var anchors = Alignment.defaultAnchors
    @Flag(help: "Replace a model of that name.") var force = false
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try storeOptions.openExisting()
        let summary = try StopSignals.whileCatching { stop in
            try ModelAlignment.run(
                store: store, a: a, b: b, name: name, anchors: anchors, replacing: force,
                threads: ProcessInfo.processInfo.activeProcessorCount, stop: stop)
        }
        if json { return try Output.json(summary) }
        print(
            String(
                format: "made %@: '%@' (%d words) rotated onto '%@' on %d shared words; "
                    + "their mean cosine %.4f before, %.4f after (%.1fs)",
                summary.name, summary.model, summary.words, summary.onto, summary.anchors, summary.cosineBefore,
                summary.cosineAfter, summary.seconds))
    }
}

struct ShiftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shift", abstract: "The shared words whose meaning moved most between two models.",
        discussion: """
            B is aligned onto A (as `w2v align` does, on the fly); each shared word both corpora
            counted --min-count times is scored by the cosine of its two vectors, lowest first, with
            the overlap of its neighbours in each model (which needs no alignment) and both lists.
            Example: w2v shift novelas biblia-rv1909 -n 20
            """)
    @Argument(help: "Model A.") var a: String
    @Argument(help: "Model B.") var b: String
    @Option(name: .shortAndLong, help: "How many words.") var n = ShiftSettings().n
    @Option(help: "Compare only words each corpus counted this often.") var minCount = ShiftSettings().minCount
    @Option(help: "How many of the most frequent shared words fit the rotation.") var anchors = ShiftSettings().anchors
    @Option(help: "Neighbours listed per word in each model.") var neighbours = ShiftSettings().neighbours
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var storeOptions: StoreOptions

    var settings: ShiftSettings {
        var s = ShiftSettings()
        s.n = n
        s.minCount = minCount
        s.anchors = anchors
        s.neighbours = neighbours
        return s
    }

    func validate() throws {
        do { try settings.validate() } catch let error as QueryError { throw ValidationError(error.description) }
    }

    func run() throws {
        let store = try storeOptions.openForReading()
        let report = try SemanticShift.compare(store: store, a: a, b: b, settings: settings)
        if json { return try Output.json(report) }
        print(
            String(
                format: "'%@' aligned onto '%@' on %d shared words (mean cosine %.4f); %d words compared",
                report.b, report.a, report.anchors, report.anchorCosine, report.compared))
        let rows = report.words.map { w in
            [
                w.word, Output.decimal(Double(w.cosine), places: 4), Output.decimal(w.overlap, places: 2),
                w.neighboursA.prefix(5).map(\.word).joined(separator: " "),
                w.neighboursB.prefix(5).map(\.word).joined(separator: " "),
            ]
        }
        print(
            Output.table(
                headers: ["word", "cosine", "overlap", "in \(report.a)", "in \(report.b)"], rows: rows,
                rightAligned: [1, 2]))
    }
}
