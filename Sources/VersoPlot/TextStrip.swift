// A text drawn character by character with a value as each character's background: surprisal, a cell's state.
import Foundation

public enum TextStrip {
    /// How a value becomes a colour.
    public enum Colouring: Sendable {
        /// Pale yellow at 0 to deep red at `top` and more (bits of surprisal), as the playground's Read tab.
        case heat(top: Double)
        /// Blue below 0, white at 0, red above, full at ±`scale`, as its Cells tab.
        case diverging(scale: Double)
    }

    /// `symbols` in a <pre>, each in a span coloured by its value, with the value as its title.
    public static func html(symbols: [String], values: [Double], colouring: Colouring, unit: String = "") -> String {
        var out = "<pre class=\"strip\">"
        for (symbol, value) in zip(symbols, values) {
            let shown = symbol == "\n" ? "␤" : symbol
            let title = escapeXML(shown) + ": " + String(format: "%.3f", value) + unit
            out += "<span style=\"background:\(colour(value, colouring))\" title=\"\(title)\">"
            out += escapeXML(symbol) + "</span>"
        }
        return out + "</pre>"
    }

    static func colour(_ value: Double, _ colouring: Colouring) -> String {
        switch colouring {
        case .heat(let top):
            let t = min(max(value, 0) / top, 1)
            return "hsl(\(Int((55 - 55 * t).rounded())),95%,\(Int((96 - 42 * t).rounded()))%)"
        case .diverging(let scale):
            let t = max(-1, min(1, value / max(scale, 1e-9)))
            return "hsl(\(t < 0 ? 215 : 5),85%,\(Int((100 - 45 * abs(t)).rounded()))%)"
        }
    }
}
