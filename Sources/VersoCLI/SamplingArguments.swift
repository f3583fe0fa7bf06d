// The sampling options `charnn sample` and `markov sample` share: top-k, nucleus, repetition
// penalty, stop strings and how many samples.
import ArgumentParser
import VersoRandom

public struct SamplingArguments: ParsableArguments {
    @Option(help: "Sample only among the K most likely symbols (0: all).") public var topK = 0
    @Option(help: "Sample only within the nucleus: the fewest most likely symbols whose probability reaches P.")
    public var topP: Float = 1
    @Option(
        help: ArgumentHelp(
            "Make symbols seen in the last --repetition-window symbols less likely (CTRL's penalty; 1: off).",
            discussion: "Their scores (logits; a Markov model's log-probabilities) are divided by R when positive "
                + "and multiplied by R when not. For characters this penalizes letters, not words: see the README."))
    public var repetitionPenalty: Float = 1
    @Option(help: "How many symbols back the repetition penalty looks (the seed included).")
    public var repetitionWindow = 64
    @Option(help: "End the sample before this text, which is not printed (repeatable; \\n and \\t understood).")
    public var stop: [String] = []
    @Option(help: "Samples from the same seed, with consecutive --rng-seed values.") public var count = 1

    public init() {}

    public func validate() throws {
        guard topK >= 0 else { throw ValidationError("--top-k must be ≥ 0") }
        guard topP > 0 && topP <= 1 else { throw ValidationError("--top-p must be in (0, 1]") }
        guard repetitionPenalty >= 1, repetitionPenalty.isFinite, repetitionWindow >= 1 else {
            throw ValidationError("--repetition-penalty must be ≥ 1 and --repetition-window ≥ 1")
        }
        guard (1...1000).contains(count) else { throw ValidationError("--count must be between 1 and 1000") }
    }

    /// The rules at temperature `t`.
    public func rules(temperature t: Float) -> SamplingRules {
        var rules = SamplingRules(temperature: t, topK: topK, topP: topP)
        rules.repetitionPenalty = repetitionPenalty
        rules.repetitionWindow = repetitionWindow
        return rules
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
