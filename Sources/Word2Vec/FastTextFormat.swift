// fastText's binary model (.bin, FastText::saveModel): its arguments, dictionary and input matrix, read as a
// stream and written so that fastText's `load_model` and gensim's `load_facebook_model` take it.
import Foundation
import VersoStore
import VersoText

/// fastText's Args as its .bin keeps them (int32 fields, then the subsampling threshold as a double).
public struct FastTextArgs: Sendable, Equatable {
    public enum Loss: Int32, Sendable { case hs = 1, ns, softmax, ova }
    public enum Model: Int32, Sendable { case cbow = 1, sg, sup }
    public var dim: Int32 = 100
    public var ws: Int32 = 5
    public var epoch: Int32 = 5
    public var minCount: Int32 = 5
    public var neg: Int32 = 5
    public var wordNgrams: Int32 = 1
    public var loss = Loss.ns
    public var model = Model.sg
    public var bucket: Int32 = 2_000_000
    public var minn: Int32 = 3
    public var maxn: Int32 = 6
    public var lrUpdateRate: Int32 = 100
    public var t = 1e-4

    public init() {}

    /// The arguments that describe a Verso model (a model of whole words has no n-grams: maxn 0).
    public init(_ config: W2VConfig) {
        dim = Int32(config.dim)
        ws = Int32(config.window)
        epoch = Int32(max(config.epochs, 1))
        minCount = Int32(config.minCount)
        neg = Int32(config.negative)
        loss = config.negative > 0 || !config.hierarchicalSoftmax ? .ns : .hs
        model = config.arch == .cbow ? .cbow : .sg
        bucket = Int32(config.subword?.bucket ?? 0)
        minn = Int32(config.subword?.minn ?? 0)
        maxn = Int32(config.subword?.maxn ?? 0)
        t = config.sample
    }

    /// The Verso settings these arguments stand for: n-grams when maxn > 0 and the model has buckets.
    public var config: W2VConfig {
        var c = W2VConfig()
        c.dim = Int(dim)
        c.window = Int(ws)
        c.epochs = Int(epoch)
        c.minCount = Int(minCount)
        c.negative = loss == .ns ? Int(neg) : 0
        c.hierarchicalSoftmax = loss == .hs
        c.arch = model == .cbow ? .cbow : .skipgram
        c.sample = t
        if maxn > 0 && bucket > 0 { c.subword = SubwordConfig(minn: Int(minn), maxn: Int(maxn), bucket: Int(bucket)) }
        return c
    }
}

/// What a fastText .bin holds that Verso keeps: the arguments, the words with their counts, each
/// word's vector (fastText's getWordVector, V × dim) and the n-gram rows that are not zero.
public struct FastTextModel {
    public var args: FastTextArgs
    public var words: [String]
    public var counts: [Int]
    public var vectors: [Float]
    public var subwords: SubwordMatrix?
}

public enum FastTextFiles {
    static let magic: Int32 = 793_712_314  // FASTTEXT_FILEFORMAT_MAGIC_INT32
    static let version: Int32 = 12
    static let endOfSentence = "</s>"  // fastText's EOS word: its vector is its own row, no n-grams

    /// Whether `bytes` start as a fastText .bin does.
    static func hasMagic(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.count >= 4 && bytes.prefix(4).elementsEqual(withUnsafeBytes(of: magic.littleEndian, Array.init))
    }

    /// The n-gram buckets fastText adds to word `word`'s own row (none for its EOS word).
    static func buckets(of word: String, config: SubwordConfig?) -> [Int32] {
        guard let config, word != endOfSentence else { return [] }
        return FastTextSubwords.buckets(of: word, config: config)
    }

    // MARK: Writing

    /// Writes a model fastText and gensim load: a dictionary of the words, the input matrix (each
    /// word's own row, rebuilt from its stored mean as k·mean − Σ n-gram rows, then every bucket's
    /// row, zero where the model has none) and a zero output matrix (Verso keeps no output vectors,
    /// so the file serves queries, not further training).
    public static func write(
        path: String, config: W2VConfig, words: [String], counts: [Int], vectors: [Float], subwords: SubwordMatrix?
    ) throws {
        let d = config.dim
        var args = FastTextArgs(config)
        let cut = subwords?.config
        (args.bucket, args.minn, args.maxn) = (Int32(cut?.bucket ?? 0), Int32(cut?.minn ?? 0), Int32(cut?.maxn ?? 0))
        let out = try OutputFile(path: path)
        var buffer = BinaryWriter()
        buffer.put(magic)
        buffer.put(version)
        for field in [args.dim, args.ws, args.epoch, args.minCount, args.neg, args.wordNgrams, args.loss.rawValue,
                      args.model.rawValue, args.bucket, args.minn, args.maxn, args.lrUpdateRate] {
            buffer.put(field)
        }
        buffer.put(args.t)
        buffer.put(Int32(words.count))  // size_
        buffer.put(Int32(words.count))  // nwords_
        buffer.put(Int32(0))  // nlabels_
        // ntokens_, saturated: counts read from another file may sum past Int64.
        buffer.put(Int64(counts.reduce(0) { $0.addingReportingOverflow($1).overflow ? .max : $0 + $1 }))
        buffer.put(Int64(-1))  // pruneidx_size_: not pruned
        for (word, count) in zip(words, counts) {
            buffer.bytes += Array(word.utf8) + [0]
            buffer.put(Int64(count))
            buffer.bytes.append(0)  // entry_type::word
        }
        buffer.bytes.append(0)  // quant_
        let bucketCount = Int(args.bucket)
        buffer.put(Int64(words.count + bucketCount))
        buffer.put(Int64(d))
        var own = [Float](repeating: 0, count: d)
        for w in 0..<words.count {
            for k in 0..<d { own[k] = vectors[w * d + k] }
            if let subwords {
                let list = buckets(of: words[w], config: subwords.config), rows = subwords.lookup(list)
                let scale = Float(list.count + 1)
                for k in 0..<d { own[k] *= scale }
                for b in list { if let row = rows[b] { for k in 0..<d { own[k] -= row[k] } } }
            }
            buffer.put(own)
            try buffer.flush(to: out, above: 1 << 20)
        }
        if let subwords {
            let zero = [Float](repeating: 0, count: d), stored = subwords.rows
            var next = 0
            for b in 0..<bucketCount {
                if next < stored.buckets.count && Int(stored.buckets[next]) == b {
                    buffer.put(Array(stored.values[next * d..<(next + 1) * d]))
                    next += 1
                } else {
                    buffer.put(zero)
                }
                try buffer.flush(to: out, above: 1 << 20)
            }
        }
        buffer.bytes.append(0)  // qout
        buffer.put(Int64(words.count))
        buffer.put(Int64(d))
        let zeros = [Float](repeating: 0, count: d)
        for _ in 0..<words.count {
            buffer.put(zeros)
            try buffer.flush(to: out, above: 1 << 20)
        }
        try buffer.flush(to: out, above: 0)
        try out.commit()
    }
}

/// Little-endian fields appended to a byte buffer that is written out in blocks.
struct BinaryWriter {
    var bytes: [UInt8] = []

    mutating func put<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func put(_ value: Double) { put(value.bitPattern) }

    mutating func put(_ row: [Float]) {
        row.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    mutating func flush(to out: OutputFile, above limit: Int) throws {
        guard bytes.count > limit else { return }
        try bytes.withUnsafeBytes { try out.write($0) }
        bytes.removeAll(keepingCapacity: true)
    }
}
