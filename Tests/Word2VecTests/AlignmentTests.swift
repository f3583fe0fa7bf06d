// Procrustes alignment of two models and the words that moved between them, on planted rotations.
import Foundation
import Testing
import VersoNN
import VersoRandom
import VersoStore
import VersoText
@testable import Word2Vec

@Suite struct AlignmentTests {
    /// `rows` random unit rows of dimension `dim` named w0, w1, … with falling counts.
    func randomEmbeddings(rows: Int, dim: Int, seed: UInt64) -> Embeddings {
        var rng = SplitMix64(seed: seed)
        let vectors = (0..<(rows * dim)).map { _ in rng.nextFloat() - 0.5 }
        return Embeddings(
            words: (0..<rows).map { "w\($0)" }, counts: (0..<rows).map { 1000 - $0 }, dim: dim, vectors: vectors)
    }

    /// A random orthogonal d × d matrix (the U of a random matrix's SVD).
    func randomRotation(_ d: Int, seed: UInt64) -> [Float] {
        var rng = SplitMix64(seed: seed)
        return LinearAlgebra.svd((0..<(d * d)).map { _ in Double(rng.nextFloat()) - 0.5 }, n: d).u.map(Float.init)
    }

    func rows(_ e: Embeddings) -> [Float] { Array(UnsafeBufferPointer(start: e.normalized.p, count: e.count * e.dim)) }

    @Test func aRotatedCopyAlignsBackAndKeepsItsNeighbours() throws {
        let a = randomEmbeddings(rows: 300, dim: 16, seed: 1)
        let rotation = randomRotation(16, seed: 2)
        let b = Embeddings(
            words: a.words, counts: a.counts, dim: 16,
            vectors: Alignment.rotate(rows(a), rows: 300, dim: 16, by: rotation))
        let alignment = try Alignment.fit(b, onto: a, anchors: 100)
        #expect(alignment.anchors == 100)
        #expect(alignment.meanCosineBefore < 0.5 && abs(alignment.meanCosineAfter - 1) < 1e-4)
        let back = b.rotated(by: alignment)
        for (x, y) in zip(rows(back), rows(a)) { #expect(abs(x - y) < 1e-4) }
        // A rotation keeps B's own neighbours.
        let query = Array(rows(b)[0..<16])
        #expect(b.nearest(to: query, n: 5, exclude: [0]).map(\.word)
            == back.nearest(to: Array(rows(back)[0..<16]), n: 5, exclude: [0]).map(\.word))
    }

    @Test func sharedWordsComeMostFrequentFirst() {
        let a = Embeddings(words: ["el", "rey", "mar"], counts: [9, 5, 1], dim: 1, vectors: [1, 1, 1])
        let b = Embeddings(words: ["mar", "dios", "el"], counts: [9, 5, 1], dim: 1, vectors: [1, 1, 1])
        // el: ranks 0 and 2 → 2; mar: ranks 2 and 0 → 2 (tie: A's rank first); rey is not shared.
        #expect(Alignment.sharedWords(a, b).map { a.words[Int($0.a)] } == ["el", "mar"])
    }

    /// B is A rotated, except that two words got fresh random vectors: they come first, with the
    /// lowest cosines, and their neighbour lists barely overlap.
    @Test func shiftFindsThePlantedWords() throws {
        let a = randomEmbeddings(rows: 400, dim: 24, seed: 3)
        var moved = Alignment.rotate(rows(a), rows: 400, dim: 24, by: randomRotation(24, seed: 4))
        var rng = SplitMix64(seed: 5)
        for word in [7, 42] { for k in 0..<24 { moved[word * 24 + k] = rng.nextFloat() - 0.5 } }
        let b = Embeddings(words: a.words, counts: a.counts, dim: 24, vectors: moved)
        var settings = ShiftSettings()
        settings.n = 3
        settings.anchors = 400
        let report = try SemanticShift.compare(a, named: "a", b, named: "b", settings: settings)
        #expect(report.compared == 400 && report.words.count == 3)
        #expect(Set(report.words.prefix(2).map(\.word)) == ["w7", "w42"])
        #expect(report.words[0].cosine < 0.6 && report.words[2].cosine > 0.95)
        #expect(report.words[2].overlap >= 0.8)  // (a neighbour may be one of the two moved words)
        #expect(report.words[0].neighboursA.count == 10 && report.words[0].neighboursB.count == 10)
        settings.minCount = 2000
        #expect(throws: QueryError.self) { try SemanticShift.compare(a, named: "a", b, named: "b", settings: settings) }
        settings.n = 0
        #expect(throws: QueryError.self) { try settings.validate() }
    }

    /// Two corpora alike but for one word's contexts: in the second, "animal3" keeps company with the
    /// sea instead of the fruits. Trained apart, it is the word that moved most.
    @Test func shiftFindsTheWordWhoseContextsChanged() throws {
        var rng = SplitMix64(seed: 12)
        // Twenty words of each kind, so that the anchors outnumber the 16 dimensions.
        let animals = (0..<20).map { "animal\($0)" }, fruits = (0..<20).map { "fruit\($0)" }
        let sea = (0..<20).map { "sea\($0)" }
        let pick = { (list: [String]) in list[Int(rng.next() % UInt64(list.count))] }
        var a: [String] = [], b: [String] = []
        for _ in 0..<12000 {
            let animal = pick(animals), fruit = pick(fruits), thing = pick(sea), other = pick(sea)
            let line = rng.next() % 2 == 0 ? "the \(animal) eats the \(fruit)" : "a \(fruit) feeds a \(animal)"
            a.append(line)
            b.append(animal == "animal3" ? "the animal3 rides the \(thing)" : line)
            a.append("the \(thing) rocks the \(other)")
            b.append("the \(thing) rocks the \(other)")
        }
        let store = try Store(path: NSTemporaryDirectory() + "verso-shift-\(UUID().uuidString).sqlite")
        for (name, lines) in [("a", a), ("b", b)] {
            let path = NSTemporaryDirectory() + "verso-shift-\(UUID().uuidString).txt"
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            _ = try W2VTraining.run(
                store: store, name: name, text: try Corpus([path]), config: plantedConfig(), replacing: false)
        }
        var settings = ShiftSettings()
        settings.n = 3
        settings.neighbours = 3
        let report = try SemanticShift.compare(store: store, a: "a", b: "b", settings: settings)
        #expect(report.words.first?.word == "animal3")
        #expect(report.words[0].cosine < report.words[1].cosine)
    }

    @Test func alignedModelsAreStoredAndQueried() throws {
        let store = try Store(path: NSTemporaryDirectory() + "verso-align-\(UUID().uuidString).sqlite")
        let a = randomEmbeddings(rows: 200, dim: 8, seed: 6)
        let rotation = randomRotation(8, seed: 7)
        var config = W2VConfig()
        config.dim = 8
        for (name, unit) in [("a", rows(a)), ("b", Alignment.rotate(rows(a), rows: 200, dim: 8, by: rotation))] {
            try W2VModelStore.save(
                store: store, name: name, corpus: CorpusInfo(path: name, sha256: "", bytes: 0), config: config,
                words: a.words, counts: a.counts,
                vectors: WordVectors(dim: 8, unit: unit, norms: Array(repeating: 2, count: 200)),
                metrics: [], replacing: false, threads: 1)
        }
        let summary = try ModelAlignment.run(
            store: store, a: "a", b: "b", name: "b-on-a", anchors: 50, replacing: false)
        #expect(summary.anchors == 50 && summary.cosineAfter > 0.9999)
        let aligned = try W2VModelStore.load(store: store, name: "b-on-a")
        for (x, y) in zip(rows(aligned.embeddings), rows(a)) { #expect(abs(x - y) < 1e-4) }
        #expect(try store.read { try $0.vectorNorms(of: aligned.record) } == Array(repeating: 2, count: 200))
        #expect(throws: StoreError.self) {
            try ModelAlignment.run(store: store, a: "a", b: "b", name: "b-on-a", replacing: false)
        }
    }
}
