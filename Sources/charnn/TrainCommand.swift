// `charnn train FILE`: trains (or resumes, or fine-tunes) a char-RNN into the store.
import ArgumentParser
import CharRNN
import Evaluation
import Foundation
import Mixture
import VersoCLI
import VersoNN
import VersoRandom
import VersoStore
import VersoText

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Train a character-level LSTM/GRU/RNN on text files.",
        discussion: """
            Defaults follow Karpathy's char-rnn. Examples:
              charnn train poetry.txt --time-limit 10m
              charnn train poetry.txt --time-limit 30m --auto
              charnn train shakespeare.txt --layers 3 --hidden 512 --dropout 0.5 --name bard
              charnn train --resume bard --max-steps 20000
              charnn train more-poems.txt --init-from poetry --name poetry-ft
            Ctrl-C stops at the next step, keeps a checkpoint there and prints the command that continues
            exactly where it stopped (a second Ctrl-C stops at once).
            """)

    @OptionGroup var corpus: CorpusArguments  // optional with --resume
    @Option(help: "Cell type: lstm, gru or rnn.") var model: CellKind = .lstm
    @Option(help: "Recurrent layers (default 2).") var layers: Int?
    @Option(help: "Hidden units per layer (default 128).") var hidden: Int?
    @Option(help: "Steps of truncated backpropagation through time.") var seqLength = 50
    @Option(help: "Parallel streams per batch.") var batchSize = 50
    @Option(help: "Dropout after each recurrent layer (0 ≤ p < 1; default 0).") var dropout: Float?
    @Flag(help: "Locked (variational) dropout: one mask per stream and unit for a whole --seq-length chunk.")
    var lockedDropout = false
    @Option(help: "Drop input symbols: each stream drops each symbol for a whole chunk (0 ≤ p < 1).")
    var inputDropout: Float?
    @Option(help: "DropConnect on the recurrent weights, one mask per chunk (0 ≤ p < 1).") var dropconnect: Float?
    @Option(
        help: ArgumentHelp(
            "Average the weights (an EMA with this decay, e.g. 0.999).",
            discussion: "Evaluated at every checkpoint, kept as the 'averaged' checkpoint, and taken as the best "
                + "checkpoint when it scores lower."))
    var ema: Double?
    @Option(help: "Weight initialisation: glorot or uniform (±0.08, as char-rnn).") var initialisation:
        NetworkConfig.Initialisation = .glorot
    @Option(help: "Optimiser: rmsprop or adam.") var optimizer: OptimizerKind = .rmsprop
    @Option(help: "Learning rate (default 2e-3; with --resume, replaces the model's).") var lr: Float?
    @Option(help: "RMSprop's squared-gradient decay.") var decayRate: Float = 0.95
    @Option(help: "Learning-rate decay per epoch after --lr-decay-after.") var lrDecay: Float = 0.97
    @Option(help: "Epochs at the full learning rate.") var lrDecayAfter = 10
    @Option(help: "Gradient clipping threshold (0: none).") var gradClip: Float = 5
    @Option(help: "Clip each gradient (value, as char-rnn) or their global norm (norm).") var clip: ClipMode = .value
    @Option(help: "Max-norm constraint on each unit's incoming weights.") var maxNorm: Float?
    @Option(help: "Fraction of the text, at its end, held out for validation.") var valFrac = 0.1
    @Option(help: "Validate on this text instead (file, folder or compressed); all of FILE then trains.")
    var valFile: String?
    @Option(help: "Epochs to train.") var epochs = 50.0
    @Option(help: "Stop after this many steps.") var maxSteps: Int?
    @Option(help: "Stop after this long (e.g. 90s, 10m, 1h).") var timeLimit: String?
    @Option(help: "Evaluate and checkpoint every N steps (default 1000).") var evalEvery: Int?
    @Flag(
        help: ArgumentHelp(
            "Size the model to the text and --time-limit: layers, hidden size, dropout, steps, evaluations and a "
                + "cosine learning-rate schedule, from a short throughput probe; prints what it chose and why."))
    var auto = false
    @Option(help: "Threads, each training its share of the streams (default: all cores).") var threads: Int?
    @Option(help: "Seed for initialisation and dropout.") var rngSeed: UInt64 = 123
    @Option(help: "Model name (default: the file's base name).") var name: String?
    @Option(help: "Continue the model NAME from its latest checkpoint.") var resume: String?
    @Option(help: "Start from the weights and vocabulary of model NAME (fine-tuning).") var initFrom: String?
    @Flag(help: "Replace an existing model of the same name.") var force = false
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        if corpus.files.isEmpty && resume == nil {
            throw ValidationError("give the text to train on (or --resume NAME)")
        }
        if resume != nil && initFrom != nil { throw ValidationError("--resume and --init-from cannot be combined") }
        guard (layers ?? 1) >= 1, (hidden ?? 1) >= 1, seqLength >= 1, batchSize >= 1 else {
            throw ValidationError("--layers, --hidden, --seq-length and --batch-size must be at least 1")
        }
        for (flag, p) in [("--dropout", dropout), ("--input-dropout", inputDropout), ("--dropconnect", dropconnect)] {
            if let p, !(p >= 0 && p < 1) { throw ValidationError("\(flag) must be in [0, 1)") }
        }
        if let ema, !(ema >= 0 && ema < 1) { throw ValidationError("--ema must be in [0, 1)") }
        if auto { try validateAuto() }
        if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be positive") }
        guard valFrac >= 0 && valFrac < 1 else { throw ValidationError("--val-frac must be in [0, 1)") }
        guard epochs > 0, (evalEvery ?? 1) >= 1 else {
            throw ValidationError("--epochs and --eval-every must be positive")
        }
        if let t = timeLimit {
            guard let seconds = parseDuration(t) else {
                throw ValidationError("--time-limit '\(t)' is not a duration like 90s, 10m or 1h")
            }
            guard seconds > 0 else { throw ValidationError("--time-limit must be longer than 0s") }
        }
        if let m = maxNorm, m <= 0 { throw ValidationError("--max-norm must be positive") }
        // Zero steps would train nothing and store no model.
        if let maxSteps, maxSteps < 1 { throw ValidationError("--max-steps must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let resume { try validateResume(resume) }
    }

    /// --resume goes on with the model as it was built: the options that would change it are
    /// refused, not silently ignored.
    func validateResume(_ name: String) throws {
        let fixed = [
            "--model", "--layers", "--hidden", "--seq-length", "--batch-size", "--dropout", "--locked-dropout",
            "--input-dropout", "--dropconnect", "--ema", "--initialisation", "--optimizer", "--decay-rate",
            "--lr-decay", "--lr-decay-after", "--grad-clip", "--clip", "--max-norm", "--val-frac", "--val-file",
            "--rng-seed", "--name", "--force",
        ]
        if let flag = fixed.first(where: Verso.givenOnCommandLine) {
            throw InputError(
                "--resume continues '\(name)' as it was built, so \(flag) cannot change "
                    + "(--max-steps, --epochs, --lr, --threads, --eval-every and --time-limit can); "
                    + "to train a new model from its weights use --init-from \(name) --name NEW")
        }
    }

    /// --auto sizes a new model to a time limit, and chooses the options it would contradict.
    func validateAuto() throws {
        guard timeLimit != nil else { throw InputError("--auto needs a --time-limit to size the model to") }
        if resume != nil || initFrom != nil {
            throw InputError("--auto sizes a new model: it cannot be combined with --resume or --init-from")
        }
        let chosen: [(String, Bool)] = [
            ("--layers", layers != nil), ("--hidden", hidden != nil), ("--dropout", dropout != nil),
            ("--max-steps", maxSteps != nil), ("--eval-every", evalEvery != nil),
        ]
        if let (flag, _) = chosen.first(where: { $0.1 }) {
            throw InputError("--auto chooses \(flag) itself: give one or the other")
        }
    }

    func run() throws {
        let started = Date()
        let stop = StopSignals.catchForLongWork()
        let store = try storeOptions.openForWriting()
        let trainer: Trainer
        if let resumeName = resume {
            let text = corpus.files.isEmpty ? nil : try corpus.open(program: "charnn")
            trainer = try TrainingSetup.resume(store: store, name: resumeName, corpus: text) { config in
                if let maxSteps { config.maxSteps = maxSteps }
                if let lr { config.learningRate = lr }
                if let threads { config.threads = threads }
                if let evalEvery { config.evalEvery = evalEvery }  // when to look, not what is learnt
                if epochs != 50 { config.epochs = epochs }
            }
        } else {
            trainer = try TrainingSetup.newModel(
                store: store, corpus: try corpus.open(program: "charnn"), name: name ?? corpus.defaultName,
                config: trainConfig(), initFrom: initFrom, replacing: force,
                autoSeconds: auto ? timeLimit.flatMap(parseDuration) : nil)
        }
        if !trainer.addedSymbols.isEmpty {
            let shown = trainer.addedSymbols.prefix(10).map { s in
                "'" + s.unicodeScalars.map { $0.escaped(asASCII: false) }.joined() + "'"
            }.joined(separator: " ")
            Output.note(
                "charnn: \(trainer.addedSymbols.count) symbols new to '\(initFrom ?? "")' get fresh weights: \(shown)"
                    + (trainer.addedSymbols.count > 10 ? " …" : ""))
        }
        if let choice = trainer.autoChoice {
            print(TrainCommand.describe(choice))
            fflush(nil)  // before the run, also when stdout is a file or a pipe
        }
        let tty = Output.stderrIsTTY
        if tty { trainer.onProgress = { Output.progress(TrainCommand.progressLine($0)) } }
        defer { if tty { Output.progress(nil) } }  // the summary (or the error) replaces the progress line
        trainer.stopRequest = stop
        // The limit counts from the command's start: reading the text and --auto's probe spend it too.
        let limit = timeLimit.flatMap(parseDuration)
        do {
            try trainer.run(timeLimit: limit.map { $0 - Date().timeIntervalSince(started) })
        } catch let interrupted as Interrupted {
            let next = goOn(after: interrupted, trainer: trainer, limit: limit, started: started)
            throw StopSignals.report(interrupted, next: next)
        }
        if tty { Output.progress(nil) }
        let s = trainer.state
        let val = s.valLoss.map { String(format: "%.4f nats/char (%.3f bits/char)", $0, $0 / log(2)) } ?? "-"
        print(
            String(
                format: "trained %@: step %d (epoch %.2f), train loss %.4f nats/char, val loss %@, best val %@, "
                    + "%.0f chars/s",
                trainer.name, s.step, s.epoch, s.trainLoss ?? .nan, val,
                s.bestValLoss.map { String(format: "%.4f", $0) } ?? "-", trainer.charsPerSecond))
        if auto { try mixIfItHelps(store: store, lstm: trainer.name) }
    }

    /// The command that continues an interrupted run: `--resume` with what the model does not keep
    /// (the store, the time left); or the same command again when nothing was kept.
    func goOn(after interrupted: Interrupted, trainer: Trainer, limit: Double?, started: Date) -> String {
        guard interrupted.step != nil else { return StopSignals.startAgain }
        var words = ["train", "--resume", trainer.name]
        if let store = storeOptions.store { words += ["--store", store] }
        if let limit {
            let left = Int((limit - Date().timeIntervalSince(started)).rounded(.up))
            if left > 0 { words += ["--time-limit", "\(left)s"] }
        }
        return "continue with: " + StopSignals.program + " " + StopSignals.shellWords(words)
    }

    /// --auto's last choice: a mixture with a Markov chain, kept when it predicts the validation
    /// part better than the char-RNN alone (its first 50,000 symbols, so a large text costs little).
    func mixIfItHelps(store: Store, lstm: String) throws {
        var request = MixtureStore.Request(lstm: lstm, name: lstm + "-mix")
        request.validationLimit = 50_000
        request.replacing = true
        if let kind = try store.kindOfModel(named: request.name), kind != .mixture {
            return Output.note("charnn: auto: no mixture: '\(request.name)' is a \(kind.displayName) model")
        }
        let pipeline = try CharacterPipeline()
        guard let made = try MixtureStore.mixIfItHelps(store: store, request, pipeline: pipeline),
            let v = made.validation
        else {
            return print(
                "auto: no mixture: a Markov chain of order \(request.order) did not help on the validation part")
        }
        print(
            String(
                format: "auto: mixed %@ with a Markov chain of order %d: validation %.4f nats/char against the "
                    + "char-RNN's %.4f in the same pass (sample and score it as --model %@)",
                made.model.name, made.model.markov.config.order, v.mixture.natsPerChar, v.lstm.natsPerChar,
                made.model.name))
    }

    static func progressLine(_ p: Trainer.Progress) -> String {
        String(
            format: "step %d/%d  epoch %.2f  loss %.3f  val %@  %.0f chars/s  ETA %@",
            p.step, p.totalSteps, p.epoch, p.trainLoss, p.valLoss.map { String(format: "%.3f", $0) } ?? "-",
            p.charsPerSecond, formatSeconds(p.secondsLeft))
    }

    /// The options as one TrainConfig (the vocabulary size comes from the corpus).
    func trainConfig() -> TrainConfig {
        var c = TrainConfig(
            network: NetworkConfig(
                cell: model, vocabSize: 0, hidden: hidden ?? 128, layers: layers ?? 2, dropout: dropout ?? 0,
                initialisation: initialisation))
        c.seqLength = seqLength
        c.batchSize = batchSize
        c.optimizer = optimizer
        c.learningRate = lr ?? 2e-3
        c.rmspropAlpha = decayRate
        c.lrDecay = lrDecay
        c.lrDecayAfter = lrDecayAfter
        c.gradClip = gradClip
        c.clipMode = clip
        c.maxNorm = maxNorm
        c.valFrac = valFile == nil ? valFrac : 0
        c.valFile = valFile
        c.epochs = epochs
        c.maxSteps = maxSteps
        c.evalEvery = evalEvery ?? 1000
        c.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
        c.rngSeed = rngSeed
        c.network.lockedDropout = lockedDropout ? true : nil
        c.network.inputDropout = inputDropout
        c.network.dropConnect = dropconnect
        c.weightAverage = ema
        return c
    }
}

extension TrainCommand {
    /// --auto's choice as the lines it prints: the probe, then each choice with its reason.
    static func describe(_ choice: AutoSizing.Choice) -> String {
        let probes = choice.probes.map { "\($0.layers)×\($0.hidden) \(Int($0.charsPerSecond))" }
        let network = choice.config.network
        return
            ([
                "auto: \(network.layers)×\(network.hidden) \(network.cell.rawValue), dropout \(network.dropout), "
                    + "\(choice.config.maxSteps ?? 0) steps",
                "  probe, training chars/s on this machine: " + probes.joined(separator: ", "),
            ]
            + choice.reasons.map { "  " + $0 }).joined(separator: "\n")
    }
}

func formatSeconds(_ s: Double) -> String {
    guard s.isFinite else { return "?" }
    let t = Int(s)
    return t >= 3600 ? "\(t / 3600)h\(t % 3600 / 60)m" : t >= 60 ? "\(t / 60)m\(t % 60)s" : "\(t)s"
}

extension CellKind: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension ClipMode: ExpressibleByArgument {}
extension NetworkConfig.Initialisation: ExpressibleByArgument {}
extension CheckpointLabel: ExpressibleByArgument {}
