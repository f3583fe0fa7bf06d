// A vector for a text the model has not seen: PV-DBOW's inference passes, or the SIF average, deterministically.
import Foundation
import VersoNN
import VersoRandom
import VersoStore
import VersoText

/// Smooth inverse frequency (Arora, Liang & Ma 2017): a word of unigram probability p(w) weighs
/// a / (a + p(w)); a document is the weighted mean of its words' vectors, less its projection on
/// the first principal component of all the documents.
public struct SIFWeights: Sendable {
    public let weights: [Float]

    public init(counts: [Int], a: Double) {
        let total = Double(max(counts.reduce(0, +), 1))
        weights = counts.map { Float(a / (a + Double($0) / total)) }
    }

    /// (1/n) Σ a/(a + p(w)) · v(w) over the n word ids (a repeated word counts each time) and the
    /// `outside` vectors: words a subword model answers from their n-grams, never counted, so
    /// p(w) = 0 and their weight is a/a = 1.
    public func average(_ ids: [Int32], vectors: [Float], dim d: Int, outside: [[Float]] = []) -> [Float] {
        var mean = [Float](repeating: 0, count: d)
        for id in ids {
            let w = weights[Int(id)], row = Int(id) * d
            for k in 0..<d { mean[k] += w * vectors[row + k] }
        }
        for v in outside { for k in 0..<d { mean[k] += v[k] } }
        let scale = 1 / Float(max(ids.count + outside.count, 1))
        return mean.map { $0 * scale }
    }

    /// The first principal component of the rows (count × d), uncentred as the paper's truncated
    /// SVD: the top eigenvector of XᵀX, by power iteration from a fixed start, its largest
    /// component made positive. Zero for fewer than two rows (one document has no common part).
    public static func firstComponent(_ rows: [Float], count: Int, dim d: Int, iterations: Int = 300) -> [Float] {
        guard count >= 2 else { return [Float](repeating: 0, count: d) }
        var gram = [Float](repeating: 0, count: d * d)
        BLAS.sgemm(transA: true, m: d, n: d, k: count, a: rows, lda: d, b: rows, ldb: d, c: &gram, ldc: d)
        let v = LinearAlgebra.topEigenvector(gram.map(Double.init), n: d, iterations: iterations).vector
        let largest = v.indices.max { abs(v[$0]) < abs(v[$1]) }!
        return v.map { Float(v[largest] < 0 ? -$0 : $0) }
    }

    /// v ← v − (u·v) u for every row.
    public static func remove(_ u: [Float], from rows: inout [Float], dim d: Int) {
        for r in 0..<(rows.count / max(d, 1)) {
            var projection: Float = 0
            for k in 0..<d { projection += u[k] * rows[r * d + k] }
            for k in 0..<d { rows[r * d + k] -= projection * u[k] }
        }
    }
}

/// A text's words as SIF averages them: the ids the vocabulary knows, the raw n-gram vectors a
/// subword source gives the others, and those words by name (once each, in order).
public struct SIFWords {
    public var ids: [Int32] = []
    public var outside: [[Float]] = []
    public var fromNgrams: [String] = []
    public var isEmpty: Bool { ids.isEmpty && outside.isEmpty }
}

/// Cuts texts into `SIFWords`, remembering each unknown word's n-gram vector (or its lack of one).
final class SIFTokens {
    let id: (String) -> Int32?
    let ngramVector: ((String) throws -> [Float]?)?
    private var cache: [String: [Float]?] = [:]

    init(id: @escaping (String) -> Int32?, ngramVector: ((String) throws -> [Float]?)?) {
        self.id = id
        self.ngramVector = ngramVector
    }

    /// The n-gram vector of a word outside the vocabulary; nil without a subword source or a known n-gram.
    func outsideVector(_ word: String) throws -> [Float]? {
        guard let ngramVector else { return nil }
        if let cached = cache[word] { return cached }
        let v = try ngramVector(word)
        cache[word] = v
        return v
    }

    func knows(_ word: String) throws -> Bool { try id(word) != nil || outsideVector(word) != nil }

    func words(_ tokens: [String]) throws -> SIFWords {
        var words = SIFWords(), named = Set<String>()
        for token in tokens {
            if let id = id(token) {
                words.ids.append(id)
            } else if let v = try outsideVector(token) {
                words.outside.append(v)
                if named.insert(token).inserted { words.fromNgrams.append(token) }
            }
        }
        return words
    }
}

/// Everything inference needs from a stored document model, loaded once.
public struct DocInference {
    static let outputTensor = "output"  // PV-DBOW's output vectors (V × d)
    static let componentTensor = "sif_component"  // SIF's removed direction (d)

    public let config: DocConfig
    let index: [String: Int32]
    let counts: [Int]
    let wordVectors: [Float]  // V × d: PV-DBOW's output vectors, or SIF's raw word vectors
    let component: [Float]
    let sif: SIFWeights
    // PV-DBOW: subsampling, negatives and σ as in training.
    let keep: [Float]
    let negatives: AliasTable
    let sigmoid = SigmoidTable()
    let tokenizer: WordTokenizer
    /// SIF over a subword model: a word outside the vocabulary averaged in with its n-grams' vector,
    /// read by bucket from the rows the document model keeps. Lives as long as `reader`'s read.
    let outside: SIFTokens?

    init(reader: ModelReader, model: StoredModel, config: DocConfig) throws {
        self.config = config
        let (words, counts) = try reader.vocabulary(of: model)
        var index: [String: Int32] = [:]
        for (i, w) in words.enumerated() { index[w] = Int32(i) }
        self.index = index
        self.counts = counts
        sif = SIFWeights(counts: counts, a: config.sifA)
        keep = W2VVocabulary(words: words, counts: counts).keepProbabilities(sample: config.sample)
        negatives = AliasTable.unigram(counts: counts)
        tokenizer = try WordTokenizer(.init(keepCase: config.keepCase))
        let d = config.dim
        switch config.method {
        case .dbow:
            let output = try reader.tensor(Self.outputTensor, of: model)
            guard output.shape == [words.count, d] else {
                throw StoreError("model '\(model.name)' is corrupt: output vectors \(output.shape)")
            }
            wordVectors = output.values
            component = []
        case .sif:
            let norms = try reader.vectorNorms(of: model)
            var unit = [Float](repeating: 0, count: words.count * d)
            _ = try unit.withUnsafeMutableBufferPointer { buffer in
                try reader.unitMatrix(of: model, dim: d) { _ in buffer.baseAddress! }
            }
            for r in 0..<words.count { for k in 0..<d { unit[r * d + k] *= norms[r] } }
            wordVectors = unit
            component = try reader.tensor(Self.componentTensor, of: model).values
        }
        let vocabulary = index
        outside = config.subword.map { subword in
            SIFTokens(id: { vocabulary[$0] }) { word in
                try subword.vector(of: word, dim: d) { try reader.ngramRows($0, of: model, dim: d) }
            }
        }
    }

    /// The ids of the tokens the model knows, in order.
    func known(_ tokens: [String]) -> [Int32] { tokens.compactMap { index[$0] } }

    /// The document vector of `tokens` (not unit length), with the words it took from n-grams (SIF
    /// over a subword model): the same tokens give the same bits on every call. nil when the model
    /// knows no token.
    public func vector(for tokens: [String]) throws -> (vector: [Float], fromNgrams: [String])? {
        switch config.method {
        case .sif:
            let words = try outside?.words(tokens) ?? SIFWords(ids: known(tokens))
            guard !words.isEmpty else { return nil }
            var v = sif.average(words.ids, vectors: wordVectors, dim: config.dim, outside: words.outside)
            if component.count == config.dim { SIFWeights.remove(component, from: &v, dim: config.dim) }
            return (v, words.fromNgrams)
        case .dbow:
            let ids = known(tokens)
            guard !ids.isEmpty else { return nil }
            return (dbow(ids, seed: Self.seed(tokens, config.rngSeed)), [])
        }
    }

    /// gensim's infer_vector for PV-DBOW: a fresh vector, U[−0.5, 0.5)/d from a seed of the text,
    /// trained for the model's epochs against the frozen output vectors (α from the model's start
    /// down to 1e-4, subsampling and negatives as in training).
    func dbow(_ ids: [Int32], seed: UInt64) -> [Float] {
        let d = config.dim
        var rng = SplitMix64(seed: seed)
        var doc = (0..<d).map { _ in (rng.nextFloat() - 0.5) / Float(d) }
        var gradient = [Float](repeating: 0, count: d)
        let epochs = max(config.epochs, 1)
        wordVectors.withUnsafeBufferPointer { output in
            for epoch in 0..<epochs {
                let alpha = config.alpha + (1e-4 - config.alpha) * Float(epoch) / Float(max(epochs - 1, 1))
                for word in ids {
                    let k = keep[Int(word)]
                    if k < 1 && k < rng.nextFloat() { continue }
                    for j in 0..<d { gradient[j] = 0 }
                    for sample in 0...config.negative {
                        let target = sample == 0 ? word : negatives.draw(&rng)
                        if sample > 0 && target == word { continue }
                        let u = output.baseAddress! + Int(target) * d
                        let g = ((sample == 0 ? 1 : 0) - sigmoid(dot(doc, u, d))) * alpha
                        axpy(g, u, &gradient, d)
                    }
                    for j in 0..<d { doc[j] += gradient[j] }
                }
            }
        }
        return doc
    }

    /// A seed from the text's tokens (FNV-1a over their bytes) and the model's seed.
    static func seed(_ tokens: [String], _ modelSeed: UInt64) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for token in tokens {
            for byte in token.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01B3
            }
            hash ^= 0x20
            hash = hash &* 0x100_0000_01B3
        }
        return hash ^ modelSeed
    }
}
