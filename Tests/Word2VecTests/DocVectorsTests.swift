// Document vectors: units, PV-DBOW on planted topics, SIF against a hand computation, deterministic inference.
import Foundation
import Testing
import VersoRandom
import VersoStore
import VersoText
@testable import Word2Vec

/// A folder of three topics × 3 files × 6 paragraphs: each paragraph draws half its words from
/// its topic's ten and half from ten words every topic shares.
func plantedDocuments() throws -> (folder: String, topicOf: (DocumentSource) -> String) {
    let topics = [
        "sea": "sea wave ship sail harbour tide reef boat anchor shore",
        "war": "army battle sword soldier siege cannon general march enemy fort",
        "food": "bread cheese wine soup oven kitchen cook pepper honey apple",
    ]
    let common = "the a of and to in was it he she".split(separator: " ").map(String.init)
    let folder = NSTemporaryDirectory() + "verso-docs-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    var rng = SplitMix64(seed: 11)
    for (topic, list) in topics {
        let words = list.split(separator: " ").map(String.init)
        for file in 0..<3 {
            let paragraphs = (0..<6).map { _ in
                (0..<60).map { _ in
                    rng.next() % 2 == 0 ? words[Int(rng.next() % 10)] : common[Int(rng.next() % 10)]
                }.joined(separator: " ")
            }
            try (paragraphs.joined(separator: "\n\n") + "\n").write(
                toFile: "\(folder)/\(topic)\(file).txt", atomically: true, encoding: .utf8)
        }
    }
    return (folder, { source in String(source.path.split(separator: "/").last!.dropLast(5)) })
}

func documentStore() throws -> Store {
    try Store(path: NSTemporaryDirectory() + "verso-docs-\(UUID().uuidString).sqlite")
}

@Suite struct DocumentUnitTests {
    @Test func paragraphsLinesAndFiles() {
        let text = "  One line.\nSecond line.\n \t \nThird\r\n\n\nlast"
        let paragraphs = DocumentUnit.paragraph.split(text).map {
            String(text.utf8.dropFirst($0.offset).prefix($0.length))!
        }
        #expect(paragraphs == ["One line.\nSecond line.", "Third", "last"])
        let lines = DocumentUnit.line.split(text).map { String(text.utf8.dropFirst($0.offset).prefix($0.length))! }
        #expect(lines == ["One line.", "Second line.", "Third", "last"])
        #expect(DocumentUnit.file.split(text).map(\.offset) == [2])
        #expect(DocumentUnit.paragraph.split(" \n\n \n").isEmpty)
    }
}

@Suite struct DocVectorTests {
    @Test func pvDBOWPutsEachDocumentNearItsOwnTopic() throws {
        let (folder, topicOf) = try plantedDocuments()
        let store = try documentStore()
        var config = DocConfig()
        config.minCount = 2
        config.threads = 1
        config.epochs = 20
        let run = try DocTraining.run(
            store: store, name: "planted", text: try Corpus([folder]), config: config, replacing: false)
        #expect(run.documents == 54)
        var agree = 0
        for id in 0..<54 {
            let (query, matches) = try DocQueries.similar(
                store: store, name: "planted", document: String(id), n: 1, exact: true, warn: { _ in })
            #expect(matches[0].id != id)
            if topicOf(sourceOf(matches[0])) == topicOf(sourceOf(query)) { agree += 1 }
        }
        #expect(agree == 54)
        // The words nearest a document are its topic's.
        let words = try DocQueries.words(store: store, name: "planted", document: "0", n: 30).map(\.word)
        let first = try DocQueries.similar(store: store, name: "planted", document: "0", n: 1, exact: true) { _ in }
        let topic = topicOf(sourceOf(first.query))
        let own = ["sea": "reef", "war": "siege", "food": "pepper"][topic]!
        #expect(words.contains(own))
    }

    /// A model's documents searched through an IVF index (built here by hand: training indexes
    /// only models of more than 5,000 documents) give what an exact scan gives.
    @Test func theIndexServesDocuments() throws {
        let (folder, _) = try plantedDocuments()
        let store = try documentStore()
        var config = DocConfig()
        config.minCount = 2
        _ = try DocTraining.run(store: store, name: "ix", text: try Corpus([folder]), config: config, replacing: false)
        let model = try store.read { try $0.model(named: "ix", kind: .docs) }
        let documents = try store.read { try DocQueries.documentEmbeddings($0, model, dim: 100) }
        var options = IVFOptions()
        options.lists = 4
        options.probe = 4
        let index = try IVFIndex.build(unit: documents.normalized.p, rows: 54, dim: 100, options: options)
        try store.saveVectorIndex(index, for: model)
        var warnings: [String] = []
        for id in [0, 20, 40] {
            let exact = try DocQueries.similar(store: store, name: "ix", document: String(id), n: 5, exact: true) { _ in
            }
            let indexed = try DocQueries.similar(store: store, name: "ix", document: String(id), n: 5, exact: false) {
                warnings.append($0)
            }
            #expect(indexed.matches.map(\.id) == exact.matches.map(\.id))
        }
        #expect(warnings.isEmpty)
    }

    @Test func inferenceIsDeterministicAndFindsTheTopic() throws {
        let (folder, topicOf) = try plantedDocuments()
        let store = try documentStore()
        var config = DocConfig()
        config.minCount = 2
        config.threads = 2
        config.epochs = 20
        _ = try DocTraining.run(store: store, name: "p", text: try Corpus([folder]), config: config, replacing: false)
        let text = "the siege of the fort and the cannon of the army; a general and his soldier march on the enemy"
        let a = try DocQueries.infer(store: store, name: "p", text: text, label: "t")
        let b = try DocQueries.infer(store: store, name: "p", text: text, label: "t")
        #expect(a.vector.map(\.bitPattern) == b.vector.map(\.bitPattern) && a.outOfVocabulary == nil)
        let other = try DocQueries.infer(store: store, name: "p", text: text + " sword", label: "t")
        #expect(other.vector != a.vector)
        let found = try DocQueries.similar(store: store, name: "p", text: text, label: "t", n: 5, exact: true) { _ in }
        #expect(found.documents.allSatisfy { topicOf(sourceOf($0)) == "war" })
        #expect(throws: QueryError.self) {
            try DocQueries.infer(store: store, name: "p", text: "zzz qqq", label: "t")
        }
    }

    @Test func trainingTwiceGivesTheSameBits() throws {
        let (folder, _) = try plantedDocuments()
        let store = try documentStore()
        var config = DocConfig()
        config.minCount = 2
        config.threads = 2
        for name in ["one", "two"] {
            _ = try DocTraining.run(
                store: store, name: name, text: try Corpus([folder]), config: config, replacing: false)
        }
        let rows = try ["one", "two"].map { name in
            try store.read { reader in
                let model = try reader.model(named: name, kind: .docs)
                return try reader.vectorRows(Array(0..<54), of: model, table: .documents).flatMap(\.unit)
            }
        }
        #expect(rows[0].map(\.bitPattern) == rows[1].map(\.bitPattern))
    }

    @Test func sifWeightsAveragesAndTheRemovedComponent() {
        // p = (6/10, 3/10, 1/10); a = 0.1: weights 0.1/0.7, 0.1/0.4, 0.1/0.2.
        let sif = SIFWeights(counts: [6, 3, 1], a: 0.1)
        let expected: [Double] = [1.0 / 7, 1.0 / 4, 1.0 / 2]
        for k in 0..<3 { #expect(abs(Double(sif.weights[k]) - expected[k]) < 1e-6) }
        let vectors: [Float] = [1, 0, 0, 2, 4, 4]  // three words of dimension 2
        let mean = sif.average([0, 2, 2], vectors: vectors, dim: 2)  // (1/7·(1,0) + 2·1/2·(4,4)) / 3
        #expect(abs(mean[0] - Float((1 / 7.0 + 4) / 3)) < 1e-6)
        #expect(abs(mean[1] - Float(4.0 / 3)) < 1e-6)
        // Rows 5u, 10u, 5u + e and 5u − e, with u = (0.6, 0.8) and e = (−0.4, 0.3) ⟂ u: XᵀX =
        // 175·uuᵀ + 0.5·eeᵀ/|e|², whose top eigenvector is u; removing it from 5u + e leaves e.
        let rows: [Float] = [3, 4, 6, 8, 2.6, 4.3, 3.4, 3.7]
        let u = SIFWeights.firstComponent(rows, count: 4, dim: 2)
        #expect(abs(u[0] - 0.6) < 1e-5 && abs(u[1] - 0.8) < 1e-5)
        var removed: [Float] = [2.6, 4.3]
        SIFWeights.remove(u, from: &removed, dim: 2)
        #expect(abs(removed[0] + 0.4) < 1e-4 && abs(removed[1] - 0.3) < 1e-4)
        #expect(SIFWeights.firstComponent([1, 2], count: 1, dim: 2) == [0, 0])
    }

    @Test func sifFromAWordModel() throws {
        let (folder, topicOf) = try plantedDocuments()
        let store = try documentStore()
        var words = W2VConfig()
        words.minCount = 2
        words.epochs = 20
        _ = try W2VTraining.run(
            store: store, name: "words", text: try Corpus([folder]), config: words, replacing: false)
        var config = DocConfig()
        config.method = .sif
        config.source = "words"
        _ = try DocTraining.run(store: store, name: "sif", text: try Corpus([folder]), config: config, replacing: false)
        let found = try DocQueries.similar(
            store: store, name: "sif", text: "bread and cheese and wine in the kitchen", label: "t", n: 5, exact: true
        ) { _ in }
        #expect(found.documents.allSatisfy { topicOf(sourceOf($0)) == "food" })
    }

    /// SIF over a subword model averages in a word outside the vocabulary with its n-grams' vector,
    /// at weight a/(a + 0) = 1, names it, and keeps answering after the word model is gone.
    @Test func sifOverASubwordModelAnswersUnknownWords() throws {
        let (folder, topicOf) = try plantedDocuments()
        let store = try documentStore()
        var words = W2VConfig()
        words.minCount = 2
        words.epochs = 10
        words.threads = 1
        words.subword = SubwordConfig(minn: 3, maxn: 5, bucket: 50_000)
        _ = try W2VTraining.run(store: store, name: "sub", text: try Corpus([folder]), config: words, replacing: false)
        let source = try W2VModelStore.load(store: store, name: "sub")
        let matrix = try #require(try W2VModelStore.subwords(store: store, model: source))
        var config = DocConfig()
        config.method = .sif
        config.source = "sub"
        _ = try DocTraining.run(store: store, name: "sif", text: try Corpus([folder]), config: config, replacing: false)
        #expect(try store.removeModel(named: "sub", kind: .w2v) > 0)

        // One unknown word alone: its n-gram vector less its projection on the removed component.
        let alone = try DocQueries.infer(store: store, name: "sif", text: "kitchens", label: "t")
        #expect(alone.outOfVocabulary == ["kitchens"])
        let component = try store.read { reader in
            try reader.tensor(DocInference.componentTensor, of: try reader.model(named: "sif", kind: .docs)).values
        }
        var expected = try #require(matrix.vector(of: "kitchens"))
        SIFWeights.remove(component, from: &expected, dim: expected.count)
        for k in expected.indices { #expect(abs(alone.vector[k] - expected[k]) <= 1e-5 * max(1, abs(expected[k]))) }

        // Mixed with known words, the unknown ones are named once and move the vector toward their topic.
        let text = "bread and cheese and cheeses and kitchens in the kitchens"
        let found = try DocQueries.similar(
            store: store, name: "sif", text: text, label: "t", n: 5, exact: true) { _ in }
        #expect(found.outOfVocabulary == ["cheeses", "kitchens"])
        #expect(found.documents.allSatisfy { topicOf(sourceOf($0)) == "food" })
        // A word with no known n-gram is left out; a text of only such words is one error.
        #expect(matrix.vector(of: "xqzj") == nil)
        #expect(throws: QueryError.self) { try DocQueries.infer(store: store, name: "sif", text: "xqzj", label: "t") }
    }

    @Test func badInputIsOneLineAndLeavesNothing() throws {
        let store = try documentStore()
        let empty = NSTemporaryDirectory() + "verso-docs-empty-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        try "  \n\n \n".write(toFile: empty + "/blank.txt", atomically: true, encoding: .utf8)
        var config = DocConfig()
        config.minCount = 1
        #expect(throws: W2VTrainingError.self) {
            try DocTraining.run(store: store, name: "e", text: try Corpus([empty]), config: config, replacing: false)
        }
        try "uno dos\n\ntres".write(toFile: empty + "/rare.txt", atomically: true, encoding: .utf8)
        config.minCount = 5
        #expect(throws: W2VTrainingError.self) {
            try DocTraining.run(store: store, name: "e", text: try Corpus([empty]), config: config, replacing: false)
        }
        #expect(try store.kindOfModel(named: "e") == nil)
    }
}

func sourceOf(_ match: DocumentMatch) -> DocumentSource {
    DocumentSource(path: match.path, offset: match.offset, length: match.length, words: match.words, preview: "")
}

@Suite struct StopRequestTests {
    /// Raised after a few polls, a stop ends word2vec training, document training, an import and an
    /// index build with `Interrupted`, and none of them writes a model.
    @Test func stoppedWorkWritesNothing() throws {
        let store = try documentStore()
        let corpus = try Corpus([try plantedCorpus()])
        final class Polls: @unchecked Sendable { var left = 3 }
        func soon() -> StopRequest {
            let polls = Polls()
            return StopRequest {
                polls.left -= 1
                return polls.left < 0 ? 15 : 0
            }
        }
        var config = W2VConfig()
        config.epochs = 50
        config.threads = 2
        #expect(throws: Interrupted.self) {
            try W2VTraining.run(store: store, name: "w", text: corpus, config: config, replacing: false, stop: soon())
        }
        config.threads = 1
        #expect(throws: Interrupted.self) {
            try W2VTraining.run(store: store, name: "w", text: corpus, config: config, replacing: false, stop: soon())
        }
        let (folder, _) = try plantedDocuments()
        var docs = DocConfig()
        docs.epochs = 200
        #expect(throws: Interrupted.self) {
            try DocTraining.run(store: store, name: "d", text: try Corpus([folder]), config: docs, replacing: false,
                                stop: soon())
        }
        for name in ["w", "d"] { #expect(try store.kindOfModel(named: name) == nil) }
        // Unstopped, the same run keeps its model.
        config.epochs = 1
        _ = try W2VTraining.run(store: store, name: "w", text: corpus, config: config, replacing: false)
        #expect(try store.kindOfModel(named: "w") == .w2v)
        var options = IVFOptions()
        options.stop = StopRequest { 2 }
        #expect(throws: Interrupted.self) { try W2VModelStore.buildIndex(store: store, name: "w", options: options) }
    }
}
