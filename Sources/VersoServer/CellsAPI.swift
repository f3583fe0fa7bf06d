// What a char-RNN's cells track in a text, over HTTP: the Cells tab's ranking and its coloured text.
import CharRNN
import Foundation
import Hummingbird
import VersoText

extension API {
    struct CellsRequest: Decodable, Sendable {
        let model: String?
        let text: String
        /// The unit to trace: layer and cell (and c or h), or the strongest unit of `feature`.
        let layer: Int?
        let cell: Int?
        let state: CellUnit.State?
        let feature: TextFeature?
        let top: Int?
    }

    /// The answer: `charnn cells --json` of the text, its symbols, and one unit's value at each.
    struct CellsAnswer: Encodable {
        let report: CellReport
        let symbols: [String]
        let trace: CellUnit
        let values: [Float]

        enum CodingKeys: String, CodingKey { case symbols, trace, values }

        func encode(to encoder: any Encoder) throws {
            try report.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(symbols, forKey: .symbols)
            try c.encode(trace, forKey: .trace)
            try c.encode(values, forKey: .values)
        }
    }

    /// `POST /api/charnn/cells`, `{model, text, layer?, cell?, state?, feature?, top?}`.
    func cells(_ request: Request) async throws -> Response {
        let body: ByteBuffer
        do { body = try await request.body.collect(upTo: config.maxBodyBytes) } catch {
            throw APIError(.contentTooLarge, "the request body is over \(config.maxBodyBytes / 1024) KB")
        }
        let asked = try JSONDecoder().decode(CellsRequest.self, from: Data(buffer: body))
        let top = asked.top ?? CellActivity.defaultTop
        guard (1...100).contains(top) else { throw APIError.badRequest("field 'top': from 1 to 100 (it is \(top))") }
        let served = try await cache.charModel(asked.model)
        let network = served.model.charModel.network.config
        if let layer = asked.layer, !(0..<network.layers).contains(layer) {
            throw APIError.badRequest("field 'layer': from 0 to \(network.layers - 1) (it is \(layer))")
        }
        if let cell = asked.cell, !(0..<network.hidden).contains(cell) {
            throw APIError.badRequest("field 'cell': from 0 to \(network.hidden - 1) (it is \(cell))")
        }
        if asked.state == .c && network.cell != .lstm {
            throw APIError.badRequest("field 'state': a \(network.cell.rawValue.uppercased()) has no cell state c")
        }
        let limit = config.maxLength
        let answer = try await pool.run {
            let model = served.model.charModel
            let ids = try Self.ids(of: try CharacterPipeline().symbols(of: asked.text), limit: limit) {
                model.vocabulary.id($0)
            }
            let symbols = ids.map { model.vocabulary.symbols[Int($0)] }
            let analysis = CellActivity.analyse(network: model.network, ids: ids, symbols: symbols, top: top)
            let unit = Self.tracedUnit(asked, analysis: analysis)
            return CellsAnswer(
                report: CellReport(model: served.model.name, analysis: analysis), symbols: symbols, trace: unit,
                values: CellActivity.trace(network: model.network, ids: ids, units: [unit])[0])
        }
        return try jsonResponse(answer)
    }

    /// The unit asked for; else the strongest of the feature asked for; else the strongest overall.
    static func tracedUnit(_ asked: CellsRequest, analysis: CellAnalysis) -> CellUnit {
        if asked.layer != nil || asked.cell != nil {
            return CellUnit(
                layer: asked.layer ?? 0, cell: asked.cell ?? 0,
                state: asked.state ?? (analysis.cell == .lstm ? .c : .h))
        }
        let rankings = analysis.features.filter { asked.feature == nil || $0.feature == asked.feature }
        let strongest = rankings.compactMap(\.cells.first).max { abs($0.r) < abs($1.r) }
        return strongest?.unit ?? CellUnit(layer: 0, cell: 0, state: .h)
    }
}
