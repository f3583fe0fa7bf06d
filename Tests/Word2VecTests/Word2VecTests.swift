// word2vec: Huffman codes, subsampling, negative sampling, a planted-structure corpus, formats, queries.
import Foundation
import Testing
import VersoNN
import VersoRandom
import VersoText
@testable import Word2Vec

@Suite struct VocabularyTests {
    @Test func huffmanCodesOfAKnownDistribution() {
        // Worked by hand with the C tool's two-queue construction (root first).
        let tree = HuffmanTree(counts: [40, 30, 15, 10, 5])
        #expect(tree.codes == [[0], [1, 1], [1, 0, 1], [1, 0, 0, 1], [1, 0, 0, 0]])
        #expect(tree.points == [[3], [3, 2], [3, 2, 1], [3, 2, 1, 0], [3, 2, 1, 0]])
        let kraft = tree.codes.reduce(0.0) { $0 + pow(2, -Double($1.count)) }
        #expect(kraft == 1)
    }

    @Test func subsamplingProbabilities() {
        let v = W2VVocabulary(words: ["de", "rey"], counts: [1000, 10])
        let keep = v.keepProbabilities(sample: 1e-3)
        #expect(abs(keep[0] - 0.0327905) < 1e-6)  // (√(1000/1.01) + 1)·1.01/1000
        #expect(abs(keep[1] - 0.4188058) < 1e-6)  // (√(10/1.01) + 1)·1.01/10
        #expect(v.keepProbabilities(sample: 0) == [1, 1])
    }

    @Test func vocabularyOrderAndCutoffs() {
        let v = W2VVocabulary.build(counts: ["b": 3, "a": 3, "c": 9, "d": 1], minCount: 2, maxVocab: nil)
        #expect(v.words == ["c", "a", "b"])
        #expect(W2VVocabulary.build(counts: ["b": 3, "a": 3, "c": 9], minCount: 1, maxVocab: 2).words == ["c", "a"])
    }

    @Test func aliasTableFollowsTheUnigramPower() {
        let table = AliasTable.unigram(counts: [1000, 100, 10])
        var rng = SplitMix64(seed: 9)
        var hits = [0, 0, 0]
        let draws = 200_000
        for _ in 0..<draws { hits[Int(table.draw(&rng))] += 1 }
        let w = [1000.0, 100, 10].map { pow($0, 0.75) }, total = w.reduce(0, +)
        for i in 0..<3 { #expect(abs(Double(hits[i]) / Double(draws) - w[i] / total) < 0.005) }
    }
}

/// Sentences "the X sees the Y": animals and fruits never share a slot, so the vectors should
/// group each set (the distributional hypothesis at its simplest).
func plantedCorpus() throws -> String {
    let animals = ["cat", "dog", "horse", "cow"], fruits = ["apple", "pear", "plum", "fig"]
    var rng = SplitMix64(seed: 5)
    var lines: [String] = []
    for _ in 0..<3000 {
        let a = animals[Int(rng.next() % 4)], f = fruits[Int(rng.next() % 4)]
        lines.append(rng.next() % 2 == 0 ? "the \(a) eats the \(f)" : "a \(f) feeds a \(a)")
    }
    let path = NSTemporaryDirectory() + "verso-w2v-\(UUID().uuidString).txt"
    try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// The small settings the planted-corpus tests train with: 16 dimensions, every word kept.
func plantedConfig() -> W2VConfig {
    var config = W2VConfig()
    config.dim = 16
    config.window = 3
    config.minCount = 1
    config.sample = 0
    config.epochs = 5
    config.threads = 1
    return config
}

func train(
    _ path: String, wordsPerRound: Int? = nil, configure: (inout W2VConfig) -> Void
) throws -> (W2VTrainer, W2VVocabulary) {
    var config = plantedConfig()
    configure(&config)
    let corpus = try EncodedCorpus(Corpus([path]), options: .init())
    let vocab = W2VVocabulary.build(counts: corpus.counts, minCount: config.minCount, maxVocab: nil)
    let trainer =
        if let wordsPerRound {
            W2VTrainer(config: config, corpus: corpus, vocabulary: vocab, wordsPerRound: wordsPerRound)
        } else {
            W2VTrainer(config: config, corpus: corpus, vocabulary: vocab)
        }
    try trainer.train()
    return (trainer, vocab)
}

@Suite struct TrainingTests {
    @Test(arguments: [
        (W2VConfig.Architecture.skipgram, false, W2VConfig.Kernel.batched, 1), (.skipgram, false, .classic, 1),
        (.cbow, false, .classic, 1), (.skipgram, true, .classic, 1),
        (.skipgram, false, .batched, 3), (.skipgram, false, .classic, 4), (.cbow, true, .classic, 2),
    ])
    func plantedSetsAreNearestNeighbours(
        arch: W2VConfig.Architecture, hs: Bool, kernel: W2VConfig.Kernel, threads: Int
    ) throws {
        let path = try plantedCorpus()
        let (trainer, vocab) = try train(path) {
            $0.arch = arch
            $0.hierarchicalSoftmax = hs
            $0.negative = hs ? 0 : 5
            $0.kernel = kernel
            $0.threads = threads
        }
        let e = Embeddings(
            words: vocab.words, counts: vocab.counts, dim: 16, vectors: trainer.vectors)
        let animals: Set = ["cat", "dog", "horse", "cow"], fruits: Set = ["apple", "pear", "plum", "fig"]
        var right = 0
        for w in animals.union(fruits) {
            let top = try e.nearest(positive: [w], negative: [], n: 3).map(\.word)
            let mine = animals.contains(w) ? animals : fruits
            right += top.filter { mine.contains($0) }.count
        }
        #expect(right >= 22, "\(arch) hs=\(hs) \(kernel) ×\(threads): \(right) of 24 top-3 in the same set")
    }

    @Test func oneThreadAndOneSeedAreBitIdentical() throws {
        let path = try plantedCorpus()
        let a = try train(path) { $0.rngSeed = 3 }.0.vectors, b = try train(path) { $0.rngSeed = 3 }.0.vectors
        #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
        let c = try train(path) { $0.rngSeed = 4 }.0.vectors
        #expect(a != c)
    }

    /// Threads train replicas and merge them in a fixed order, so a seed and a thread count give
    /// the same bits, also when two such runs share the process's cores.
    @Test func threadedRunsGiveTheSameBitsEvenWhenRunConcurrently() throws {
        let path = try plantedCorpus()
        @Sendable func run(seed: UInt64) throws -> [UInt32] {
            try train(path, wordsPerRound: 700) {
                $0.rngSeed = seed
                $0.threads = 3
                $0.negative = 3
                $0.hierarchicalSoftmax = true
            }.0.vectors.map(\.bitPattern)
        }
        let alone = try run(seed: 9)
        let together = ConcurrentResults(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { i in together.store(try? run(seed: 9), at: i) }
        #expect(together.values[0] == alone)
        #expect(together.values[1] == alone)
        #expect(try run(seed: 10) != alone)
    }

    /// The merge adds every replica's change to the base: base + Σ (copy − base).
    @Test func mergeSumsTheReplicasChanges() {
        let base = WeightSet(vocabularySize: 2, dim: 2)
        for k in 0..<4 {
            base.input[k] = Float(k)
            base.outputNeg[k] = 10
            base.outputHS[k % 2] = 0
        }
        let replicas = Replicas(base: base, threads: 3, negative: true, hierarchicalSoftmax: false)
        replicas.copies[0].input[1] += 1
        replicas.copies[1].input[1] += 2
        replicas.copies[2].input[3] -= 4
        replicas.copies[2].outputNeg[0] = 7
        // Each copy lists the rows it changed (input row 0 is listed by copy 1 without a change).
        let touched = (0..<3).map { _ in [TouchedRows(2), TouchedRows(2), TouchedRows(1)] }
        touched[0][0].mark(0)
        touched[1][0].mark(0)
        touched[1][0].mark(0)
        touched[2][0].mark(1)
        touched[2][1].mark(0)
        replicas.merge(touched: touched)
        #expect(Array(UnsafeBufferPointer(start: base.input, count: 4)) == [0, 4, 2, -1])
        #expect(Array(UnsafeBufferPointer(start: base.outputNeg, count: 4)) == [7, 10, 10, 10])
        for copy in replicas.copies {
            #expect(Array(UnsafeBufferPointer(start: copy.input, count: 4)) == [0, 4, 2, -1])
        }
        #expect(touched.allSatisfy { $0.allSatisfy(\.rows.isEmpty) })  // cleared for the next round
        // A row no copy lists is left alone, even where a copy differs (it cannot, in training).
        replicas.copies[0].input[0] = 100
        replicas.merge(touched: touched)
        #expect(base.input[0] == 0)
        replicas.deallocate()
        base.deallocate()
    }
}

@Suite struct QueryTests {
    /// Four 2-d words where a − b + c points exactly at a itself unless a, b and c are excluded.
    func toy() -> Embeddings {
        let v: [Float] = [1, 0, 0, 1, 0.9, 0.1, 0.7, 0.7]
        return Embeddings(
            words: ["rey", "hombre", "mujer", "reina"], counts: [4, 3, 2, 1], dim: 2, vectors: v)
    }

    @Test func analogyExcludesItsQuestionWords() throws {
        let e = toy()
        for method in Embeddings.AnalogyMethod.allCases {
            let answers = try e.analogy("rey", "hombre", "mujer", method: method, n: 3).map(\.word)
            #expect(answers == ["reina"], "\(method)")
        }
        #expect(try e.nearest(positive: ["rey"], negative: [], n: 10).map(\.word).contains("rey") == false)
    }

    @Test func unknownWordsNameThemselvesAndSuggestSpellings() {
        #expect(
            throws: QueryError(
                description: "'reyy' is not in the vocabulary; did you mean 'rey'?", unknownWord: "reyy",
                suggestions: ["rey"])
        ) {
            _ = try toy().require("reyy")
        }
        #expect(
            throws: QueryError(description: "'zzzzzzzz' is not in the vocabulary", unknownWord: "zzzzzzzz")
        ) {
            _ = try toy().require("zzzzzzzz")
        }
    }

    @Test func exportImportRoundTripIsBitExact() throws {
        var rng = SplitMix64(seed: 1)
        let words = ["rey", "reina", "niño", "a b"].dropLast().map { $0 }
        let vectors = (0..<(words.count * 5)).map { _ in rng.nextFloat() * 2 - 1 } + []
        for format in VectorFormat.allCases {
            let path = NSTemporaryDirectory() + "verso-vec-\(UUID().uuidString)"
            try VectorFiles.write(path: path, format: format, words: words, dim: 5, vectors: vectors)
            let back = try VectorFiles.read(path: path).vectors
            #expect(back.words == words)
            #expect(back.dim == 5)
            #expect(back.vectors.map(\.bitPattern) == vectors.map(\.bitPattern), "\(format)")
        }
    }

    /// A word with a space would read back from a word2vec file as other words (the fuzzer found a
    /// .bin doing so): text and binary refuse it and write nothing; GloVe and fastText's .bin keep it.
    @Test func wordsAFormatCannotHoldAreRefused() throws {
        let words = ["rey", "nueva york"], vectors: [Float] = [1, 2, 3, 4]
        for format in VectorFormat.allCases {
            let path = NSTemporaryDirectory() + "verso-vec-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: path) }
            if format == .text || format == .binary {
                #expect(throws: VectorFileError.self, "\(format)") {
                    try VectorFiles.write(path: path, format: format, words: words, dim: 2, vectors: vectors)
                }
                #expect(!FileManager.default.fileExists(atPath: path))
            } else {
                try VectorFiles.write(path: path, format: format, words: words, dim: 2, vectors: vectors)
                #expect(try VectorFiles.read(path: path, format: format).vectors.words == words, "\(format)")
            }
        }
    }

    /// A file larger than the reader's block streams through whole; `limit` keeps the first words.
    @Test func largeFilesStreamAndLimitKeepsTheFirstWords() throws {
        var rng = SplitMix64(seed: 2)
        let words = (0..<3000).map { "w\($0)" }, dim = 500  // 6 MB of binary rows
        let vectors = (0..<(words.count * dim)).map { _ in rng.nextFloat() - 0.5 }
        let path = NSTemporaryDirectory() + "verso-vec-\(UUID().uuidString)"
        try VectorFiles.write(path: path, format: .binary, words: words, dim: dim, vectors: vectors)
        let all = try VectorFiles.read(path: path).vectors
        #expect(all.words == words && all.vectors == vectors)
        let first = try VectorFiles.read(path: path, limit: 10).vectors
        #expect(first.words == Array(words.prefix(10)) && first.vectors == Array(vectors.prefix(10 * dim)))
    }

    /// GoogleNews-style Latin-1 words: read as Latin-1 (and counted) by default, refused as UTF-8.
    @Test func latin1WordsAreDetectedOrRefused() throws {
        let path = NSTemporaryDirectory() + "verso-vec-\(UUID().uuidString)"
        var bytes = Array("2 2\nni".utf8) + [0xF1, 0x6F] + Array(" 1 2\nrey 3 4\n".utf8)  // "niño" in Latin-1
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let (read, notes) = try VectorFiles.read(path: path)
        #expect(read.words == ["niño", "rey"] && notes.latin1Words == 1)
        #expect(throws: VectorFileError.self) { try VectorFiles.read(path: path, encoding: .utf8) }
        bytes = Array("1 2\nniño 1 2\n".utf8)
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        #expect(try VectorFiles.read(path: path, encoding: .latin1).vectors.words == ["niÃ±o"])
    }

    /// Vector files that would load inconsistent models are refused, each with its reason.
    @Test(arguments: [
        ("2 2\nw 1 2\nw 3 4\n", "appears twice"), ("1 2\nw nan 1\n", "NaN or infinite"),
        ("1 2\nw 1 x 2\n", "has 2 numbers"), ("2.4 5\nw 0\n", "first line must be"),
        ("999999999999 100\n", "more than the file can hold"), ("1 3\nw 1 2\n", "has 2 numbers"),
    ])
    func malformedVectorFilesAreRefused(file: String, reason: String) {
        #expect {
            _ = try VectorFiles.parse(Array(file.utf8), name: "v.txt")
        } throws: { error in
            "\(error)".contains(reason)
        }
    }

    @Test func analogyFileWithMalformedLines() throws {
        let path = NSTemporaryDirectory() + "verso-q-\(UUID().uuidString).txt"
        try ": family\nhombre rey mujer reina\nHombre Rey Mujer Reina\nbroken line\nhombre rey mujer princesa\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        let n = try Normalizer(.init(caseFold: true))
        let r = try AnalogyEvaluator.evaluate(path: path, embeddings: toy(), method: .add, restrict: 30000) {
            try n.normalize($0)
        }
        #expect(r.questions == 2 && r.correct == 2 && r.skipped == 1)
        #expect(r.malformed == [4])
        #expect(r.accuracy == 1)
    }
}

@Suite struct SigmoidTableTests {
    /// Just below 6 the table index rounds up to its size in float arithmetic; that used to trap
    /// (the rare crash of the 200 MB long-line training, whose saturated dot products land there).
    @Test func everyInputInRangeHasAnEntry() {
        let sigmoid = SigmoidTable()
        var f = SigmoidTable.maxExp.nextDown
        for _ in 0..<1000 {
            let s = sigmoid(f)
            #expect(s > 0.99 && s <= 1)
            f = f.nextDown
        }
        #expect(sigmoid(-SigmoidTable.maxExp.nextDown) < 0.01)
        #expect(sigmoid(0) > 0.49 && sigmoid(0) < 0.51)
    }
}

/// Results written by concurrent iterations, each into its own slot.
final class ConcurrentResults: @unchecked Sendable {
    var values: [[UInt32]?]

    init(count: Int) {
        values = Array(repeating: nil, count: count)
    }

    func store(_ value: [UInt32]?, at index: Int) {
        values.withUnsafeMutableBufferPointer { $0[index] = value }
    }
}
