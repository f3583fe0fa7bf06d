// What a char-RNN's cells track: every cell's c and h over a text, ranked by correlation with features of the
// text, and how often each gate saturates (Karpathy, Johnson & Fei-Fei 2015, "Visualizing and Understanding
// Recurrent Networks", Fig. 4 for the saturation).
import Foundation
import VersoNN

/// One unit of the network: a layer's cell, by its memory c (LSTM only) or its output h.
public struct CellUnit: Codable, Hashable, Sendable {
    public enum State: String, Codable, Sendable, CaseIterable { case c, h }
    public let layer: Int
    public let cell: Int
    public let state: State
    public init(layer: Int, cell: Int, state: State) {
        self.layer = layer
        self.cell = cell
        self.state = state
    }
}

/// A unit and its Pearson correlation with a feature over the text.
public struct CellCorrelation: Codable, Sendable, Equatable {
    public let unit: CellUnit
    public let r: Double
}

/// The units most correlated with one feature, strongest |r| first.
public struct FeatureRanking: Codable, Sendable {
    public let feature: TextFeature
    public let title: String
    /// False when the feature is constant over the text (no quotes in it, say): no unit can track it.
    public let varies: Bool
    public let cells: [CellCorrelation]
}

/// How often one gate of a layer saturates: the fraction of steps each cell's gate spends below
/// 0.1 (left) and above 0.9 (right), and their means over the layer's cells.
public struct GateSaturation: Codable, Sendable {
    public let layer: Int
    public let gate: String
    public let left: Double
    public let right: Double
    public let cellsLeft: [Double]
    public let cellsRight: [Double]

    enum CodingKeys: String, CodingKey {
        case layer, gate, left, right
        case cellsLeft = "cells_left"
        case cellsRight = "cells_right"
    }
}

/// What `charnn cells` reports and `/api/charnn/cells` answers.
public struct CellAnalysis: Codable, Sendable {
    public let cell: CellKind
    public let layers: Int
    public let hidden: Int
    public let chars: Int
    public let features: [FeatureRanking]
    public let saturation: [GateSaturation]
}

public enum CellActivity {
    /// How many units each feature lists unless told otherwise.
    public static let defaultTop = 5
    /// Karpathy et al.'s thresholds: a gate below 0.1 is left-, above 0.9 right-saturated.
    public static let saturation: (left: Float, right: Float) = (0.1, 0.9)

    /// The gates a cell kind has, by name, in the order of its activations (the tanh RNN has none).
    public static func gateNames(_ cell: CellKind) -> [String] {
        switch cell {
        case .lstm: ["input", "forget", "output"]
        case .gru: ["reset", "update"]
        case .rnn: []
        }
    }

    /// Runs `network` over `ids` (one stream from a zero state, one symbol at a time; `symbols[t]`
    /// is the symbol of `ids[t]`) and ranks every unit by |r| with each feature of the text.
    public static func analyse(
        network: StackedRNN, ids: [Int32], symbols: [String], top: Int = defaultTop
    ) -> CellAnalysis {
        precondition(ids.count == symbols.count, "one symbol per id")
        let config = network.config, L = config.layers, H = config.hidden
        let states: [CellUnit.State] = config.cell == .lstm ? [.c, .h] : [.h]
        let units = (0..<L).flatMap { l in
            states.flatMap { s in (0..<H).map { CellUnit(layer: l, cell: $0, state: s) } }
        }
        let U = units.count, features = TextFeature.allCases, F = features.count
        let featureValues = features.map { $0.values(of: symbols) }
        let gates = gateNames(config.cell).count
        var sumX = [Double](repeating: 0, count: U), sumXX = sumX
        var sumXY = [Double](repeating: 0, count: F * U)
        var left = [Int](repeating: 0, count: L * gates * H), right = left
        var row = [Float](repeating: 0, count: U)
        let stream = StreamState(network)
        for (t, id) in ids.enumerated() {
            row.withUnsafeMutableBufferPointer { r in
                stream.feed(id) { step in
                    let base = step.layer * states.count * H
                    if let c = step.c { (r.baseAddress! + base).update(from: c, count: H) }
                    (r.baseAddress! + base + (states.count - 1) * H).update(from: step.h, count: H)
                    for g in 0..<gates {
                        let a = step.gates + g * H, o = (step.layer * gates + g) * H
                        for j in 0..<H {
                            if a[j] < saturation.left { left[o + j] += 1 }
                            if a[j] > saturation.right { right[o + j] += 1 }
                        }
                    }
                }
            }
            for u in 0..<U {
                let x = Double(row[u])
                sumX[u] += x
                sumXX[u] += x * x
            }
            for f in 0..<F {
                let y = featureValues[f][t]
                if y == 0 { continue }
                for u in 0..<U { sumXY[f * U + u] += Double(row[u]) * y }
            }
        }
        let n = Double(ids.count)
        let rankings = features.enumerated().map { f, feature in
            let y = featureValues[f]
            let sumY = y.reduce(0, +), sumYY = y.reduce(0) { $0 + $1 * $1 }
            let varY = n * sumYY - sumY * sumY
            guard ids.count > 1, varY > 1e-9 * max(1, n * sumYY) else {
                return FeatureRanking(feature: feature, title: feature.title, varies: false, cells: [])
            }
            let r = (0..<U).map { u -> Double in
                let varX = n * sumXX[u] - sumX[u] * sumX[u]
                guard varX > 1e-9 * max(1, n * sumXX[u]) else { return 0 }
                return (n * sumXY[f * U + u] - sumX[u] * sumY) / (varX * varY).squareRoot()
            }
            let best = (0..<U).sorted { abs(r[$0]) != abs(r[$1]) ? abs(r[$0]) > abs(r[$1]) : $0 < $1 }.prefix(top)
            return FeatureRanking(
                feature: feature, title: feature.title, varies: true,
                cells: best.map { CellCorrelation(unit: units[$0], r: r[$0]) })
        }
        let names = gateNames(config.cell)
        let saturated = (0..<L).flatMap { l in
            names.enumerated().map { g, name in
                let o = (l * gates + g) * H
                let cellsLeft = (0..<H).map { Double(left[o + $0]) / max(n, 1) }
                let cellsRight = (0..<H).map { Double(right[o + $0]) / max(n, 1) }
                return GateSaturation(
                    layer: l, gate: name, left: cellsLeft.reduce(0, +) / Double(H),
                    right: cellsRight.reduce(0, +) / Double(H), cellsLeft: cellsLeft, cellsRight: cellsRight)
            }
        }
        return CellAnalysis(
            cell: config.cell, layers: L, hidden: H, chars: ids.count, features: rankings, saturation: saturated)
    }

    /// Each of `units`' value at every symbol of `ids` (one stream from a zero state, as `analyse`
    /// runs it), to draw over the text; a c of a cell without one reads as its h.
    public static func trace(network: StackedRNN, ids: [Int32], units: [CellUnit]) -> [[Float]] {
        var traces = units.map { _ in [Float](repeating: 0, count: ids.count) }
        let stream = StreamState(network)
        for (t, id) in ids.enumerated() {
            stream.feed(id) { step in
                for (k, unit) in units.enumerated() where unit.layer == step.layer {
                    traces[k][t] = (unit.state == .c ? step.c ?? step.h : step.h)[unit.cell]
                }
            }
        }
        return traces
    }
}

/// The analysis of a named model as `charnn cells --json` prints it and the API answers it.
public struct CellReport: Encodable, Sendable {
    public let model: String
    public let analysis: CellAnalysis

    public init(model: String, analysis: CellAnalysis) {
        self.model = model
        self.analysis = analysis
    }

    enum CodingKeys: String, CodingKey { case model }

    /// The analysis's fields beside the model's name, in one object.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try analysis.encode(to: encoder)
    }

    /// The report as text: per feature its strongest units (layer:cell state, r), then each
    /// layer's gates as the mean fractions of steps left- and right-saturated.
    public var lines: [String] {
        let a = analysis
        var out = ["\(model): \(a.layers) × \(a.hidden) \(a.cell.rawValue.uppercased()) cells over \(a.chars) chars"]
        out.append("units most correlated with each feature (layer:cell state, Pearson r):")
        let width = a.features.map(\.title.count).max() ?? 0
        for f in a.features {
            let title = f.title + String(repeating: " ", count: width - f.title.count)
            let cells = f.cells.map { "\($0.unit.layer):\($0.unit.cell) \($0.unit.state.rawValue) \(signed($0.r))" }
            out.append("  \(title)  " + (f.varies ? cells.joined(separator: "   ") : "(constant in this text)"))
        }
        if !a.saturation.isEmpty {
            let (l, r) = CellActivity.saturation
            out.append("gates saturated (mean fraction of steps below \(l) / above \(r)):")
            for layer in 0..<a.layers {
                let gates = a.saturation.filter { $0.layer == layer }
                out.append(
                    "  layer \(layer)  "
                        + gates.map { "\($0.gate) \(fixed($0.left, 3)) / \(fixed($0.right, 3))" }
                        .joined(separator: "   "))
            }
        }
        return out
    }

    private func signed(_ x: Double) -> String { (x < 0 ? "−" : "+") + fixed(abs(x), 3) }
    private func fixed(_ x: Double, _ places: Int) -> String { String(format: "%.\(places)f", x) }
}
