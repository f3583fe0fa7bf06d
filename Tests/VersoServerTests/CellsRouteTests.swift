// The cells route answers what the library computes: the same ranking, and the traced unit's values.
import CharRNN
import Foundation
import Hummingbird
import HummingbirdTesting
import Mixture
import Testing
import VersoStore
import VersoText
@testable import VersoServer

@Suite struct CellsRouteTests {
    @Test func cellsAnswerTheLibrarysRankingAndTrace() async throws {
        let text = "el sol y la luz.\nel mar y el niño\n"
        let store = try Store(path: Fixture.shared.storePath, forReading: true)
        let model = try CharGenerator.load(store: store, name: "rhyme").charModel
        let symbols = try CharacterPipeline().symbols(of: text)
        let ids = model.vocabulary.encode(symbols).ids
        let analysis = CellActivity.analyse(network: model.network, ids: ids, symbols: symbols, top: 3)
        let unit = CellUnit(layer: 1, cell: 2, state: .h)
        let expected = CellActivity.trace(network: model.network, ids: ids, units: [unit])[0]
        try await testApp().test(.router) { client in
            let asked: [String: Any] = ["model": "rhyme", "text": text, "top": 3, "layer": 1, "cell": 2, "state": "h"]
            try await client.execute(uri: "/api/charnn/cells", method: .post, body: try post(asked)) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                #expect(body["symbols"] as? [String] == symbols && body["chars"] as? Int == symbols.count)
                let values = try #require(body["values"] as? [Double])
                #expect(zip(values, expected).allSatisfy { abs($0 - Double($1)) < 1e-6 } && values.count == ids.count)
                let features = try #require(body["features"] as? [[String: Any]])
                #expect(features.map { $0["feature"] as? String } == analysis.features.map(\.feature.rawValue))
                for (answer, ranking) in zip(features, analysis.features) {
                    let cells = try #require(answer["cells"] as? [[String: Any]])
                    let shown = cells.map { ($0["unit"] as? [String: Any])?["cell"] as? Int }
                    #expect(shown == ranking.cells.map(\.unit.cell))
                    #expect(zip(cells, ranking.cells).allSatisfy { abs(($0["r"] as? Double ?? 9) - $1.r) < 1e-9 })
                }
                #expect((body["saturation"] as? [[String: Any]])?.count == 6)  // 2 layers × 3 gates
            }
            // A feature asked for traces its strongest unit; a mixture is analysed through its char-RNN.
            let byFeature: [String: Any] = ["model": "rhyme-mix", "text": text, "feature": "vowel"]
            try await client.execute(uri: "/api/charnn/cells", method: .post, body: try post(byFeature)) { response in
                #expect(response.status == .ok)
                let body = try json(response.body)
                let strongest = analysis.features.first { $0.feature == .vowel }!.cells[0].unit
                let trace = try #require(body["trace"] as? [String: Any])
                #expect(trace["layer"] as? Int == strongest.layer && trace["cell"] as? Int == strongest.cell)
                #expect(trace["state"] as? String == strongest.state.rawValue)
            }
            for bad: [String: Any] in [
                ["model": "rhyme", "text": text, "layer": 2], ["model": "rhyme", "text": text, "cell": -1],
                ["model": "rhyme", "text": text, "top": 0], ["model": "rhyme", "text": text, "feature": "rhyme"],
                ["model": "rhyme", "text": "e"], ["model": "rhyme-markov", "text": text],
            ] {
                try await client.execute(uri: "/api/charnn/cells", method: .post, body: try post(bad)) { response in
                    #expect((400..<500).contains(Int(response.status.code)), "\(bad)")
                    let body = try json(response.body)
                    #expect(body["error"] is String)
                }
            }
        }
    }
}

@Suite struct WordMapRouteTests {
    @Test func mapsAWordAndItsNeighboursByEitherMethod() async throws {
        try await testApp().test(.router) { client in
            for method in ["tsne", "pca"] {
                try await client.execute(
                    uri: "/api/w2v/map?model=words-a&model=words-b&word=w1&n=6&method=\(method)", method: .get
                ) { response in
                    #expect(response.status == .ok)
                    let results = try #require(try json(response.body)["results"] as? [[String: Any]])
                    #expect(results.map { $0["model"] as? String } == ["words-a", "words-b"])
                    for r in results {
                        let points = try #require(r["points"] as? [[String: Any]])
                        #expect(points.count == 7 && points[0]["word"] as? String == "w1")
                        #expect(points.map { $0["query"] as? Bool } == [true] + Array(repeating: false, count: 6))
                        #expect(points.allSatisfy { ($0["x"] as? Double)?.isFinite == true })
                        #expect(Set(points.map { $0["word"] as? String ?? "" }).count == 7)
                    }
                }
            }
            for bad in ["word=w1&method=umap", "method=pca", "word=w1&n=0", "word=zzzzzz"] {
                try await client.execute(uri: "/api/w2v/map?model=words-a&\(bad)", method: .get) { response in
                    #expect((400..<500).contains(Int(response.status.code)), "\(bad)")
                }
            }
        }
    }
}
