// `w2v train FILE`: skip-gram/CBOW word2vec from a text file into the store.
import ArgumentParser
import Foundation
import VersoCLI
import VersoNN
import VersoStore
import VersoText
import Word2Vec

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train word2vec vectors on text files.",
        discussion: """
            Tokens come from ICU word breaks after NFC and case folding. Examples:
              w2v train corpus.txt
              w2v train part1.txt.gz part2.txt.gz wiki/ --lenient
              w2v train novelas.txt --arch cbow --dim 300 --window 8 --name novelas
              w2v train biblia.txt --hs --negative 0 --threads 1 --rng-seed 7
              w2v train novelas.txt --subword --name novelas-ft   (fastText: vectors for unseen words)
              w2v train novelas.txt --phrases frases --name novelas-frases   (after w2v phrases … --name frases)
              w2v train more-novels/ --update novelas   (grows model novelas; keeps the old one as novelas@before)
            """)

    @OptionGroup var corpus: CorpusArguments
    @Option(help: "skipgram or cbow.") var arch: W2VConfig.Architecture = .skipgram
    @Option(help: "Vector dimension.") var dim = 100
    @Option(help: "Maximum context distance, randomly shrunk per word (default: from the corpus's size).")
    var window: Int?
    @Option(help: "Negative samples per word (0: none).") var negative = 5
    @Flag(help: "Hierarchical softmax over a Huffman tree.") var hs = false
    @Option(help: "Skip-gram update: batched (pWord2Vec, shared negatives per window) or classic (the C tool's loop).")
    var kernel: W2VConfig.Kernel = .batched
    @Option(help: "Drop words seen fewer times (default: from the corpus's size, 5 or 10).") var minCount: Int?
    @Option(help: "Keep at most this many words (most frequent).") var maxVocab: Int?
    @Option(help: "Subsampling threshold for frequent words (0: off).") var sample = 1e-3
    @Option(help: "Passes over the corpus (default: from the corpus's size, 5 to 20).") var epochs: Int?
    @Option(help: "Starting learning rate (default 0.025 skip-gram, 0.05 CBOW and --subword).") var alpha: Float?
    @Option(help: "Threads (default: all cores), each training a replica merged every round.") var threads: Int?
    @Option(help: "Random seed (with the same --threads: bit-identical vectors).") var rngSeed: UInt64 = 1
    @Flag(help: "Keep letter case (default: Unicode case folding).") var keepCase = false
    @Flag(help: "fastText's subwords: a word is the mean of its row and its character n-grams' rows.")
    var subword = false
    @Option(help: "Shortest n-gram, in characters (with --subword).") var minn = SubwordConfig().minn
    @Option(help: "Longest n-gram, in characters (with --subword).") var maxn = SubwordConfig().maxn
    @Option(help: "Hash buckets the n-grams share (with --subword).") var bucket = SubwordConfig().bucket
    @Option(help: "Join the pairs of this phrase model (w2v phrases) while reading: 'nueva york' → nueva_york.")
    var phrases: String?
    @Option(help: "Model name (default: the file's base name).") var name: String?
    @Flag(help: "Replace an existing model of the same name.") var force = false
    @Option(
        help: ArgumentHelp(
            "Grow this model with the files instead: new words get rows, old rows go on from their values; "
                + "its own settings are kept (only --epochs and --threads apply).", valueName: "name"))
    var update: String?
    @Flag(inversion: .prefixedNo, help: "With --update, keep the model as it was under NAME@before.")
    var keepBefore = true
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        try corpus.requireFiles()
        guard dim > 0, window ?? 1 > 0, epochs ?? 1 > 0, minCount ?? 1 >= 1 else {
            throw ValidationError("--dim, --window, --epochs and --min-count must be positive")
        }
        guard negative >= 0, negative > 0 || hs else { throw ValidationError("use --negative N > 0, --hs, or both") }
        guard sample >= 0 else { throw ValidationError("--sample must be ≥ 0") }
        if let a = alpha, !(a > 0) { throw ValidationError("--alpha must be positive") }
        if let t = threads, t < 1 { throw ValidationError("--threads must be at least 1") }
        do { try subwords?.validate() } catch { throw InputError("\(error)") }
        if update != nil {
            let settings = [
                "--name", "--force", "--subword", "--phrases", "--arch", "--dim", "--window", "--negative", "--hs",
                "--kernel", "--min-count", "--max-vocab", "--sample", "--alpha", "--rng-seed", "--keep-case",
                "--minn", "--maxn", "--bucket",
            ]
            if let given = settings.first(where: Verso.givenOnCommandLine) {
                throw ValidationError("--update keeps the model's own settings: leave out \(given)")
            }
        }
    }

    var subwords: SubwordConfig? { subword ? SubwordConfig(minn: minn, maxn: maxn, bucket: bucket) : nil }

    func run() throws {
        let store = try storeOptions.openForWriting()
        if let update { return try grow(update, store: store) }
        let name = self.name ?? corpus.defaultName
        var config = W2VConfig()
        config.arch = arch
        config.dim = dim
        if let window { config.window = window }
        config.negative = negative
        config.hierarchicalSoftmax = hs
        config.kernel = kernel
        if let minCount { config.minCount = minCount }
        config.maxVocab = maxVocab
        config.sample = sample
        if let epochs { config.epochs = epochs }
        var sizing: W2VConfig.CorpusSizing = []
        if epochs == nil { sizing.insert(.epochs) }
        if window == nil { sizing.insert(.window) }
        if minCount == nil { sizing.insert(.minCount) }
        config.alpha = alpha
        config.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        config.rngSeed = rngSeed
        config.keepCase = keepCase
        config.subword = subwords
        config.phrases = phrases

        let progress = TrainingProgress()
        let run = try StopSignals.whileCatching { stop in try W2VTraining.run(
            store: store, name: name, text: try corpus.open(program: "w2v"), config: config, replacing: force,
            sizing: sizing, reading: progress.reading, training: progress.training, stop: stop) }
        progress.end()
        if run.replacements > 0 {
            Output.note("w2v: replaced \(run.replacements) invalid UTF-8 sequences with U+FFFD")
        }
        let named = [
            sizing.contains(.epochs) ? "epochs" : nil, sizing.contains(.window) ? "window" : nil,
            sizing.contains(.minCount) ? "min-count" : nil,
        ].compactMap { $0 }
        let chosen = named.count < 2 ? named.joined() : named.dropLast().joined(separator: ", ") + " and " + named.last!
        let sized = chosen.isEmpty ? "" : " (\(chosen) chosen for \(run.words) words)"
        print(
            String(
                format: "trained %@: %d words, vocabulary %d, dim %d, %d epochs, window %d, min-count %d%@ "
                    + "in %.1fs (%.0f words/s; reading %.1fs)", name, run.words, run.vocabularySize, config.dim,
                run.config.epochs,
                run.config.window, run.config.minCount, sized, run.trainSeconds, run.wordsPerSecond, run.readSeconds))
    }

    /// `--update NAME`: grows the model with the files.
    func grow(_ model: String, store: Store) throws {
        let progress = TrainingProgress()
        let grown = try StopSignals.whileCatching { stop in try W2VTraining.update(
            store: store, name: model, text: try corpus.open(program: "w2v"),
            threads: threads ?? ProcessInfo.processInfo.activeProcessorCount, epochs: epochs,
            keepingPreviousAs: keepBefore ? model + "@before" : nil, reading: progress.reading,
            training: progress.training, stop: stop) }
        progress.end()
        let run = grown.run
        if !grown.outputsKept {
            Output.note(
                "w2v: '\(model)' kept no output layer (imported, or trained before Verso kept it): "
                    + "it restarted at zero")
        }
        let fresh = grown.newWords.prefix(8).joined(separator: ", ") + (grown.newWords.count > 8 ? ", …" : "")
        let index = grown.indexRebuilt.map { $0 ? "; index rebuilt" : "; index kept its lists' centroids" } ?? ""
        let kept = grown.previousName.map { "; the model as it was is '\($0)'" } ?? ""
        print(
            String(
                format: "updated %@: %d more words, vocabulary %d (%d new%@), %d epochs in %.1fs (%.0f words/s)%@%@",
                model, run.words, run.vocabularySize, grown.newWords.count, fresh.isEmpty ? "" : ": " + fresh,
                run.config.epochs, run.trainSeconds, run.wordsPerSecond, index, kept))
    }
}

/// Reading and training progress on a TTY (nothing in a pipe).
final class TrainingProgress: @unchecked Sendable {
    let tty = Output.stderrIsTTY
    let started = Date()

    var reading: (Int, Int) -> Void {
        { [tty] done, total in
            guard tty else { return }
            Output.progress(String(format: "reading %.0f%%", 100 * Double(done) / Double(max(total, 1))))
        }
    }

    var training: @Sendable (Double, Double, Float) -> Void {
        { [tty, started] fraction, rate, alpha in
            guard tty else { return }
            let elapsed = Date().timeIntervalSince(started)
            let left = fraction > 0 ? elapsed * (1 - fraction) / fraction : .nan
            Output.progress(
                String(
                    format: "training %5.1f%%  %.0f words/s  alpha %.5f  ETA %.0fs", 100 * fraction, rate, alpha, left))
        }
    }

    func end() { if tty { Output.progress(nil) } }
}

extension W2VConfig.Architecture: ExpressibleByArgument {}
extension W2VConfig.Kernel: ExpressibleByArgument {}
extension Embeddings.AnalogyMethod: ExpressibleByArgument {}
