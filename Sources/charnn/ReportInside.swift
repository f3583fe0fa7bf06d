// The report's look inside: validation text coloured by surprisal, the cells that track its features, and
// how often the gates saturate (Karpathy, Johnson & Fei-Fei 2015).
import CharRNN
import Foundation
import Sampling
import VersoPlot

enum InsideReport {
    /// Characters drawn in each strip: enough to see lines and quotes, few enough to read.
    static let drawn = 1_500
    /// Characters the cells are correlated over.
    static let analysed = 30_000

    /// The section's HTML: the strips, the ranking and the gate-saturation plots.
    static func section(model: CharModel, ids allIDs: [Int32], source: String) -> String {
        let ids = Array(allIDs.prefix(analysed)), shown = Array(ids.prefix(drawn + 1))
        let scores = SymbolScores.score(model, ids: shown)
        let bits = scores.reduce(0) { $0 + $1.bits } / Double(max(scores.count, 1))
        var html = "<h2>Surprisal over the validation text</h2>"
        html += "<p>The first \(scores.count) characters of \(escapeXML(source)), each coloured by the bits the model"
        html += " needed for it (pale: expected; red: 8 bits and more); \(String(format: "%.3f", bits)) bits/char."
        html += " Hover a character for its bits.</p>"
        html += TextStrip.html(
            symbols: scores.map(\.symbol), values: scores.map(\.bits), colouring: .heat(top: 8), unit: " bits")

        let symbols = ids.map { model.vocabulary.symbols[Int($0)] }
        let analysis = CellActivity.analyse(network: model.network, ids: ids, symbols: symbols, top: 3)
        let report = CellReport(model: model.record.name, analysis: analysis)
        html += "<h2>Cells that track the text</h2>"
        html += "<p>Every cell's c and h over the first \(ids.count) characters, correlated with features of the"
        html += " text (<code>charnn cells</code>):</p><pre>\(escapeXML(report.lines.joined(separator: "\n")))</pre>"
        var units: [(FeatureRanking, CellCorrelation)] = []
        for f in analysis.features {
            if let best = f.cells.first, !units.contains(where: { $0.1.unit == best.unit }) { units.append((f, best)) }
        }
        let traces = CellActivity.trace(
            network: model.network, ids: Array(ids.prefix(drawn)), units: units.map(\.1.unit))
        for ((feature, best), trace) in zip(units, traces) {
            let u = best.unit, scale = trace.map { abs(Double($0)) }.max() ?? 1
            html += "<h3>\(escapeXML(feature.title)): layer \(u.layer) cell \(u.cell) (\(u.state.rawValue)),"
            html += String(format: " r = %+.3f</h3>", best.r)
            html += "<p>Blue below 0, red above, full at ±\(String(format: "%.2f", scale)).</p>"
            html += TextStrip.html(
                symbols: Array(symbols.prefix(drawn)), values: trace.map(Double.init),
                colouring: .diverging(scale: scale))
        }
        let gates = CellActivity.gateNames(analysis.cell)
        let plots = gates.map { gate in
            var plot = Plot(
                title: "\(gate.capitalized) gate saturation, one point per cell", x: Axis("fraction of steps < 0.1"),
                y: Axis("fraction of steps > 0.9"),
                series: analysis.saturation.filter { $0.gate == gate }.map { g in
                    Series(
                        name: "layer \(g.layer)", points: zip(g.cellsLeft, g.cellsRight).map { (x: $0, y: $1) },
                        style: .points)
                })
            plot.width = 420
            plot.height = 380
            return plot
        }
        if !plots.isEmpty { html += "<h2>Gate saturation</h2>" + HTMLPage.plots(plots) }
        return html
    }
}
