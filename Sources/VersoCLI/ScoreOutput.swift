// `eval --per-symbol`'s output, for every kind of model: JSON, or a heading and one line per symbol.
import Foundation
import Sampling

extension Output {
    public static func scores(_ scored: ScoredText, json: Bool) throws {
        if json { return try Output.json(scored) }
        print(
            String(
                format: "%@: %.4f bits/char over %d chars, scored as one stream", scored.model, scored.bitsPerChar,
                scored.chars))
        print("symbol\tbits\texpected")
        for line in scored.lines { print(line) }
    }
}
