// fastText's subwords: the hash and n-grams against gensim's port of fastText, the update against
// finite differences, reproducible training, and vectors for words outside the vocabulary.
import Foundation
import Testing
import VersoRandom
import VersoStore
import VersoText
@testable import Word2Vec

@Suite struct SubwordTests {
    /// Reference values from gensim 4.4.0's `ft_hash_bytes`, `compute_ngrams_bytes` and
    /// `ft_ngram_hashes(word, 3, 6, 2000000)`, which reproduce Facebook's fastText (its signed bytes).
    @Test func hashIsFastTextsFNV1aWithSignedBytes() {
        #expect(FastTextSubwords.hash(Array("a".utf8)) == 3_826_002_220)  // 0xe40c292c, FNV-1a's own test value
        #expect(FastTextSubwords.hash(Array("foobar".utf8)) == 3_214_735_720)
        #expect(FastTextSubwords.hash(Array("niño".utf8)) == 513_433_629)
        #expect(FastTextSubwords.hash(Array("canción".utf8)) == 2_378_387_827)
        #expect(FastTextSubwords.hash(Array("🙂x".utf8)) == 3_065_014_345)
        #expect(FastTextSubwords.hash(Array("<niño>".utf8)) == 1_138_581_311)
    }

    @Test func ngramsComeInFastTextsOrderByCharacters() {
        #expect(
            FastTextSubwords.ngrams(of: "niño", minn: 3, maxn: 6) == [
                "<ni", "<niñ", "<niño", "<niño>", "niñ", "niño", "niño>", "iño", "iño>", "ño>",
            ])
        #expect(FastTextSubwords.ngrams(of: "🙂x", minn: 3, maxn: 6) == ["<🙂x", "<🙂x>", "🙂x>"])
        #expect(FastTextSubwords.ngrams(of: "á", minn: 3, maxn: 6) == ["<á>"])
        // One-character n-grams never include the lone boundary marks.
        #expect(FastTextSubwords.ngrams(of: "ab", minn: 1, maxn: 1) == ["a", "b"])
    }

    @Test func bucketsMatchFastText() {
        let config = SubwordConfig()
        #expect(
            FastTextSubwords.buckets(of: "niño", config: config) == [
                1_585_938, 154_038, 1_677_339, 581_311, 250_336, 1_433_629, 527_257, 1_903_433, 957_909, 1_308_308,
            ])
        #expect(FastTextSubwords.buckets(of: "🙂x", config: config) == [953_323, 932_303, 707_029])
        #expect(FastTextSubwords.buckets(of: "el", config: config) == [8674, 353_620, 1_757_102])
    }

    @Test func settingsAreValidatedNamingTheValue() {
        #expect(throws: (any Error).self) { try SubwordConfig(minn: 0).validate() }
        #expect(throws: (any Error).self) { try SubwordConfig(minn: 5, maxn: 4).validate() }
        #expect(throws: (any Error).self) { try SubwordConfig(bucket: 0).validate() }
        let error = #expect(throws: W2VTrainingError.self) { try SubwordConfig(minn: 5, maxn: 4).validate() }
        #expect(error?.description.contains("(4)") == true)
    }

    @Test func rowsListEachWordsOwnRowThenItsUsedBuckets() {
        let config = SubwordConfig(minn: 3, maxn: 4, bucket: 1000)
        let rows = SubwordRows(words: ["niño", "niña"], config: config)
        let used = Set(["niño", "niña"].flatMap { FastTextSubwords.buckets(of: $0, config: config) })
        #expect(rows.buckets == used.sorted())
        #expect(rows.inputRows == 2 + used.count)
        let niño = rows.rows(of: 0)
        #expect(niño.first == 0)
        let expected = FastTextSubwords.buckets(of: "niño", config: config).map {
            2 + Int32(rows.buckets.firstIndex(of: $0)!)
        }
        #expect(Array(niño.dropFirst()) == expected)
    }

    @Test func aWordOutsideTheVocabularyIsTheMeanOfItsKnownNgramsOverAllOfThem() throws {
        let config = SubwordConfig(minn: 3, maxn: 3, bucket: 100)
        let all = FastTextSubwords.buckets(of: "sol", config: config)  // "<so", "sol", "ol>"
        #expect(all.count == 3)
        let known = Array(Set(all.prefix(2))).sorted()
        let values: [Float] = known.enumerated().flatMap { i, _ in [Float(i + 1), 2 * Float(i + 1)] }
        let matrix = SubwordMatrix(config: config, dim: 2, buckets: known, values: values)
        var sum: [Float] = [0, 0]
        for b in all { if let r = known.firstIndex(of: b) { sum[0] += values[2 * r]; sum[1] += values[2 * r + 1] } }
        #expect(matrix.vector(of: "sol") == [sum[0] / 3, sum[1] / 3])
        let row = try #require(try OutOfVocabularyRows(matrix).row("sol"))
        #expect(row.isOutOfVocabulary)
        #expect(abs(row.unit[0] * row.unit[0] + row.unit[1] * row.unit[1] - 1) < 1e-6)
        let unknown = SubwordMatrix(config: config, dim: 2, buckets: [], values: [])
        #expect(unknown.vector(of: "sol") == nil)
    }

    @Test func similarityEvaluationReportsCoverageOnTheFilesPairs() throws {
        let e = Embeddings(words: ["rey", "reina", "pan"], counts: [3, 2, 1], dim: 2, vectors: [1, 0, 0.9, 0.1, 0, 1])
        let text = "# comment\nrey reina 9\nrey pan 1\nreina pan 2\nrey sapo 5\nnot a pair\n"
        let r = try SimilarityEvaluator.evaluate(text: text, source: e) { $0 }
        #expect(r.total == 4 && r.pairs == 3 && r.malformed == [6] && r.outOfVocabulary == 0)
        #expect(r.coverage == 0.75)
        #expect(abs(r.spearman - 1) < 1e-12)  // 9 > 2 > 1, and cosines 0.99 > 0.11 > 0
        #expect(throws: VectorFileError.self) {
            try SimilarityEvaluator.evaluate(text: "# nothing\n", source: e) { $0 }
        }
    }

    /// One skip-gram pair through hierarchical softmax: each of the context word's rows moves by
    /// α·n times minus its own gradient (fastText adds the whole step of the mean to every row), each
    /// Huffman node by α times minus its gradient; gradients by central differences of the exact loss.
    @Test func skipGramPairMatchesFiniteDifferences() throws {
        var config = W2VConfig()
        config.dim = 6
        config.minCount = 1
        config.sample = 0
        config.threads = 1
        config.hierarchicalSoftmax = true
        config.negative = 0
        config.kernel = .classic
        config.subword = SubwordConfig(minn: 2, maxn: 3, bucket: 40)  // small: buckets collide, rows repeat
        let corpus = try EncodedCorpus(Corpus([try plantedCorpus()]), options: .init())
        let vocab = W2VVocabulary.build(counts: corpus.counts, minCount: 1, maxVocab: nil)
        let trainer = W2VTrainer(config: config, corpus: corpus, vocabulary: vocab)
        trainer.sigmoid = SigmoidTable(size: 12_000_000)  // σ off by under 3e-7, not the C tool's 0.003
        let d = config.dim, w = trainer.weights, tree = try #require(trainer.huffman)
        var rng = SplitMix64(seed: 3)
        for k in 0..<(vocab.count - 1) * d { w.outputHS[k] = rng.nextFloat() - 0.5 }
        for k in 0..<w.inputRows * d { w.input[k] *= 10 }  // away from zero, so σ is not flat at ½
        let context = Int32(vocab.words.firstIndex(of: "horse")!)
        let target = Int32(vocab.words.firstIndex(of: "eats")!)
        let rows = Array(try #require(trainer.subwords).rows(of: context))
        let points = tree.points[Int(target)], codes = tree.codes[Int(target)]

        func loss() -> Double {
            var h = [Double](repeating: 0, count: d)
            for r in rows { for k in 0..<d { h[k] += Double(w.input[Int(r) * d + k]) / Double(rows.count) } }
            var l = 0.0
            for (p, code) in zip(points, codes) {
                let f = (0..<d).reduce(0.0) { $0 + h[$1] * Double(w.outputHS[Int(p) * d + $1]) }
                let sign = code == 0 ? 1.0 : -1.0  // code 0: the word lies left, label 1
                l += log(1 + exp(-sign * f))
            }
            return l
        }
        func gradient(_ p: UnsafeMutablePointer<Float>) -> Double {
            let saved = p.pointee, eps: Float = 1e-2
            p.pointee = saved + eps
            let up = loss()
            p.pointee = saved - eps
            let down = loss()
            p.pointee = saved
            return (up - down) / Double(2 * eps)
        }
        let alpha: Float = 0.05
        let inputRows = Array(Set(rows)).sorted()
        let expectedInput = inputRows.map { r in (0..<d).map { k in gradient(w.input + Int(r) * d + k) } }
        let expectedOutput = points.map { p in (0..<d).map { k in gradient(w.outputHS + Int(p) * d + k) } }
        let beforeInput = inputRows.map { r in (0..<d).map { w.input[Int(r) * d + $0] } }
        let beforeOutput = points.map { p in (0..<d).map { w.outputHS[Int(p) * d + $0] } }
        Worker(trainer: trainer, weights: w, rng: SplitMix64(seed: 1)).trainPair(
            context: context, target: target, alpha: alpha)
        func close(_ moved: Float, _ step: Double) -> Bool { abs(Double(moved) - step) <= 0.01 * abs(step) + 2e-7 }
        var checked = 0
        for (i, r) in inputRows.enumerated() {
            for k in 0..<d {
                let moved = w.input[Int(r) * d + k] - beforeInput[i][k]
                let step = -Double(alpha) * Double(rows.count) * expectedInput[i][k]
                #expect(close(moved, step), "input row \(r)[\(k)]: moved \(moved), expected \(step)")
                if abs(step) > 1e-4 { checked += 1 }
            }
        }
        for (j, p) in points.enumerated() {
            for k in 0..<d {
                let moved = w.outputHS[Int(p) * d + k] - beforeOutput[j][k]
                let step = -Double(alpha) * expectedOutput[j][k]
                #expect(close(moved, step), "node \(p)[\(k)]: moved \(moved), expected \(step)")
            }
        }
        #expect(checked > d)  // the gradient did reach the rows
    }

    @Test(arguments: [W2VConfig.Architecture.skipgram, .cbow])
    func subwordTrainingIsReproducibleAndGroupsThePlantedSets(arch: W2VConfig.Architecture) throws {
        let path = try plantedCorpus()
        let configure: (inout W2VConfig) -> Void = {
            $0.arch = arch
            $0.threads = 2
            $0.subword = SubwordConfig(minn: 3, maxn: 5, bucket: 10_000)
        }
        let (a, vocab) = try train(path, configure: configure)
        let (b, _) = try train(path, configure: configure)
        #expect(a.vectors == b.vectors)
        #expect(a.subwordMatrix?.rows == b.subwordMatrix?.rows)
        let e = Embeddings(words: vocab.words, counts: vocab.counts, dim: 16, vectors: a.vectors)
        let animals: Set = ["cat", "dog", "horse", "cow"], fruits: Set = ["apple", "pear", "plum", "fig"]
        var right = 0
        for w in animals.union(fruits) {
            let top = try e.nearest(positive: [w], negative: [], n: 3).map(\.word)
            right += top.filter { (animals.contains(w) ? animals : fruits).contains($0) }.count
        }
        #expect(right >= 18, "\(arch): \(right) of 24 top-3 in the same set")
    }

    /// Train, store, query: a misspelling outside the vocabulary is answered from its n-grams, and
    /// the repository keeps only the buckets the vocabulary uses.
    @Test func storedSubwordModelAnswersWordsOutsideItsVocabulary() throws {
        let dir = NSTemporaryDirectory() + "verso-subword-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let store = try Store(path: dir + "/store.sqlite")
        var config = plantedConfig()
        config.subword = SubwordConfig(minn: 3, maxn: 5)  // 2M buckets: "qqqq" shares none with the words
        _ = try W2VTraining.run(
            store: store, name: "ft", text: Corpus([try plantedCorpus()]), config: config, replacing: false)
        try W2VModelStore.withVectors(store: store, name: "ft", exact: true, warn: { _ in }) { _, _, source in
            let horses = try source.row("horses")
            #expect(horses.isOutOfVocabulary)
            #expect(try !source.row("horse").isOutOfVocabulary)
            #expect(source.outOfVocabulary(["horse", "horses"]) == ["horses"])
            #expect(try source.similarity("horses", "horse") > 0.5)
            let error = #expect(throws: QueryError.self) { try source.row("qqqq") }
            #expect(error?.description.contains("none of its character n-grams is known") == true)
        }
        let matrix = try #require(
            try store.read { reader -> SubwordMatrix? in
                let record = try reader.model(named: "ft", kind: .w2v)
                return try W2VModelStore.subwords(reader, record, config: config)
            })
        let words = ["the", "a", "cat", "dog", "horse", "cow", "apple", "pear", "plum", "fig", "eats", "feeds"]
        let used = Set(words.flatMap { FastTextSubwords.buckets(of: $0, config: config.subword!) })
        #expect(matrix.rows.buckets == used.sorted())
        let served = try W2VModelStore.serve(store: store, name: "ft") { _ in }
        let fromQuery = try W2VModelStore.withVectors(store: store, name: "ft", exact: true, warn: { _ in }) {
            _, _, source in try source.row("horses").unit
        }
        #expect(try served.row("horses").unit == fromQuery)
        // 3CosMul reads an unknown word as the other queries do, and leaves only the known ones out.
        let cosMul = try served.analogyCosMul("horses", "horse", "cow", n: 3)
        let direct = served.model.embeddings.analogy(
            fromQuery, try served.row("horse").unit, try served.row("cow").unit,
            exclude: [try served.row("horse").id, try served.row("cow").id], method: .mul, n: 3)
        #expect(cosMul.map(\.word) == direct.map(\.word) && cosMul.count == 3)
        #expect(!cosMul.contains { $0.word == "horse" || $0.word == "cow" })
    }
}
