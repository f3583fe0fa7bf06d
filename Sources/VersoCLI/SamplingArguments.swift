// The sampling options `charnn sample` and `markov sample` share, decoded into the library's one
// SamplingSettings, and the printing of what the sampling loop reports.
import ArgumentParser
import Evaluation
import Foundation
import Sampling

public struct SamplingArguments: ParsableArguments {
    @Option(help: "Temperature T ≥ 0: p ∝ exp(score/T); 0 picks the most likely.")
    public var temp = SamplingSettings.defaultTemperature
    @Option(help: "Several temperatures, one sample each from the same seed (e.g. 0.2,0.5,0.8,1.0).")
    public var temps: String?
    @Option(help: "Sample only among the K most likely symbols (0: all).") public var topK = SamplingSettings().topK
    @Option(help: "Sample only within the nucleus: the fewest most likely symbols whose probability reaches P.")
    public var topP = SamplingSettings().topP
    @Option(
        help: ArgumentHelp(
            "Make symbols seen in the last --repetition-window symbols less likely (CTRL's penalty; 1: off).",
            discussion: "Their scores (logits; a Markov model's log-probabilities) are divided by R when positive "
                + "and multiplied by R when not. For characters this penalizes letters, not words: see the README."))
    public var repetitionPenalty = SamplingSettings().repetitionPenalty
    @Option(help: "How many symbols back the repetition penalty looks (the seed included).")
    public var repetitionWindow = SamplingSettings().repetitionWindow
    @Option(help: "End the sample before this text, which is not printed (repeatable; \\n and \\t understood).")
    public var stop: [String] = []
    @Option(help: "Samples from the same seed, with consecutive --rng-seed values.") public var count = 1
    @Option(help: "Beam search of width W: the most likely continuation of --length symbols, deterministic.")
    public var beam: Int?
    @Option(help: "Symbols to generate after the seed.") public var length = SamplingSettings().length
    @Option(help: "Random seed for sampling (same seed, same text).") public var rngSeed = SamplingSettings().rngSeed
    @Flag(help: "Also print the share of 20-character windows copied from the training text, and of real words.")
    public var novelty = false

    public init() {}

    /// The settings these options give (seeds and beam set by the command).
    public func settings() throws -> SamplingSettings {
        var s = SamplingSettings()
        if let temps {
            let values = temps.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !values.isEmpty, values.allSatisfy({ $0 != nil }) else {
                throw ValidationError("'\(temps)' is not a comma-separated list of temperatures")
            }
            s.temperatures = values.map { $0! }
        } else {
            s.temperature = temp
        }
        s.topK = topK
        s.topP = topP
        s.repetitionPenalty = repetitionPenalty
        s.repetitionWindow = repetitionWindow
        s.stops = stops
        s.count = count
        s.length = length
        s.rngSeed = rngSeed
        s.beamWidth = beam
        return s
    }

    public func validate() throws { try SamplingArguments.check(settings()) }

    /// The library's refusal as the command's one-line error.
    public static func check(_ settings: SamplingSettings) throws {
        do { try settings.validate() } catch let error as SettingsError { throw InputError(error.message) }
    }

    /// The stop strings with `\n`, `\t` and `\\` as a shell user types them.
    public var stops: [String] { stop.map(SamplingArguments.unescape) }

    static func unescape(_ text: String) -> String {
        var out = ""
        var escaped = false
        for ch in text {
            if escaped {
                out += ch == "n" ? "\n" : ch == "t" ? "\t" : ch == "\\" ? "\\" : "\\" + String(ch)
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else {
                out.append(ch)
            }
        }
        return escaped ? out + "\\" : out
    }
}

/// Prints what the sampling loop reports: a heading before each of several samples, the text as
/// it comes (in pieces of 64 bytes), nothing at all for `--json`.
public final class SamplePrinter {
    let quiet: Bool
    let several: Bool
    let byTemperature: Bool
    var buffer = ""
    var printed = 0

    public init(settings: SamplingSettings, quiet: Bool) {
        self.quiet = quiet
        several = settings.temperatures.count * settings.count > 1 && settings.beamWidth == nil
        byTemperature = settings.temperatures.count > 1
        total = settings.count
    }
    let total: Int

    public func report(_ event: SampleEvent) {
        guard !quiet else { return }
        switch event {
        case .begin(let index, let t, let rngSeed):
            guard several else { return }
            let k = index % total
            let what = byTemperature ? "temperature \(String(format: "%g", t))" : "sample \(k + 1) of \(total)"
            print("\(index == 0 ? "" : "\n")--- \(what)\(total > 1 ? ", rng seed \(rngSeed)" : "") ---")
        case .text(_, let piece):
            buffer += piece
            if buffer.utf8.count >= 64 {
                print(buffer, terminator: "")
                fflush(nil)
                buffer = ""
            }
        case .end:
            print(buffer)
            buffer = ""
        }
    }

    /// `--novelty`: the copy and real-word figures of each sample, on standard error.
    public static func noteChecks(_ samples: [GeneratedSample], against check: SampleCheck) {
        fflush(nil)  // the samples first, then the notes
        for s in samples {
            let f = check.check(s.symbols)
            let words = f.realWords.map { String(format: "%.1f%% real words", 100 * $0) } ?? "no words"
            Output.note(
                String(
                    format: "novelty at temperature %@: %.1f%% of 20-character windows copied from the training text; %@",
                    String(format: "%g", s.temperature), 100 * f.copied, words))
        }
    }
}
