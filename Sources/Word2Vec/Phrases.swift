// word2phrase's phrases (Mikolov et al. 2013): bigrams scored (count(ab) − δ) / (count(a) · count(b)) × N,
// joined as a_b; each further pass runs on the joined text, so a second one finds trigrams.
import Evaluation
import VersoStore

/// How phrases are learned (stored as the phrase model's JSON config).
public struct PhraseConfig: Codable, Sendable, Equatable {
    public var passes = 2
    /// The last pass's threshold; each earlier pass doubles it (word2phrase's demo: 200, then 100).
    public var threshold = 100.0
    /// δ of the score, and the least count of each word of a pair (word2phrase's -min-count).
    public var minCount = 5
    public var keepCase = false

    public init() {}

    /// Errors name the value that is wrong.
    public func validate() throws {
        guard passes >= 1 && passes <= 8 else {
            throw PhraseError("the number of passes (\(passes)) must be between 1 and 8")
        }
        guard threshold > 0 && threshold.isFinite else {
            throw PhraseError("the phrase threshold (\(threshold)) must be a positive number")
        }
        guard minCount >= 1 else { throw PhraseError("the minimum count (\(minCount)) must be at least 1") }
    }

    /// The threshold of pass `pass` (0-based).
    public func threshold(ofPass pass: Int) -> Double {
        threshold * Double(1 << max(0, passes - 1 - pass))
    }
}

public struct PhraseError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The phrases learned, pass by pass: pass p joins its pairs in the text pass p − 1 left.
public struct PhraseTable: Sendable, Equatable {
    public var passes: [[Phrase]]

    public init(passes: [[Phrase]]) { self.passes = passes }

    /// Every phrase, most frequent first (ties by score, then by spelling).
    public var ranked: [Phrase] {
        passes.joined().sorted { ($0.count, $0.score, $1.joined) > ($1.count, $1.score, $0.joined) }
    }
}

extension Phrase {
    public static let joiner = "_"
    /// The token the phrase becomes: "nueva_york".
    public var joined: String { left + Phrase.joiner + right }
}

public enum PhraseLearner {
    /// Learns `config.passes` passes of phrases from `corpus` (its lines bound the pairs).
    public static func learn(_ corpus: EncodedCorpus, config: PhraseConfig) -> PhraseTable {
        var stream = PhraseStream(corpus)
        var passes: [[Phrase]] = []
        for pass in 0..<config.passes {
            let found = stream.score(minCount: config.minCount, threshold: config.threshold(ofPass: pass))
            passes.append(found.map { $0.phrase })
            stream.join(Set(found.map { $0.key }))
        }
        return PhraseTable(passes: passes)
    }

    /// `corpus` with `table`'s phrases joined, pass by pass, as `learn` joined them.
    public static func join(_ corpus: EncodedCorpus, table: PhraseTable) throws -> EncodedCorpus {
        var stream = PhraseStream(corpus)
        for phrases in table.passes {
            var keys = Set<UInt64>()
            for p in phrases {
                guard let a = stream.index[p.left], let b = stream.index[p.right] else { continue }
                keys.insert(PhraseStream.key(a, b))
            }
            stream.join(keys)
        }
        return try EncodedCorpus(
            ids: stream.ids, words: stream.words, counts: stream.counts, replacements: corpus.replacements)
    }
}

/// The corpus as ids in memory, with its words and their counts, joined pass by pass.
struct PhraseStream {
    var ids: [Int32]
    var words: [String]
    var counts: [Int]
    var index: [String: Int32]

    init(_ corpus: EncodedCorpus) {
        ids = corpus.isEmpty ? [] : Array(UnsafeBufferPointer(start: corpus.ids, count: corpus.idCount))
        words = corpus.rawWords
        counts = corpus.rawCounts
        index = Dictionary(uniqueKeysWithValues: words.enumerated().map { ($1, Int32($0)) })
    }

    @inline(__always) static func key(_ a: Int32, _ b: Int32) -> UInt64 { UInt64(UInt32(a)) << 32 | UInt64(UInt32(b)) }

    /// The pairs that score above `threshold`, each word seen at least `minCount` times (word2phrase's
    /// rule), in the order of the pair's key.
    func score(minCount: Int, threshold: Double) -> [(key: UInt64, phrase: Phrase)] {
        var pairs = IntHashMap(capacity: 1 << 20)
        var previous = EncodedCorpus.lineEnd
        for id in ids {
            if id >= 0 && previous >= 0 && counts[Int(previous)] >= minCount && counts[Int(id)] >= minCount {
                pairs.add(Self.key(previous, id), 1)
            }
            previous = id
        }
        let total = Double(counts.reduce(0, +)), delta = Double(minCount)
        var found: [(key: UInt64, phrase: Phrase)] = []
        pairs.forEach { key, count in
            let a = Int(key >> 32), b = Int(key & 0xFFFF_FFFF)
            let score = (Double(count) - delta) / Double(counts[a]) / Double(counts[b]) * total
            guard score > threshold else { return }
            found.append((key, Phrase(left: words[a], right: words[b], count: Int(count), score: score)))
        }
        return found.sorted { $0.key < $1.key }
    }

    /// Joins the pairs of `keys` left to right, as word2phrase writes its output: a word joined to the
    /// one before it does not start a pair of its own in the same pass.
    mutating func join(_ keys: Set<UInt64>) {
        guard !keys.isEmpty else { return }
        var joinedID: [UInt64: Int32] = [:]
        var out: [Int32] = []
        out.reserveCapacity(ids.count)
        var i = 0
        while i < ids.count {
            let a = ids[i]
            if a >= 0, i + 1 < ids.count, ids[i + 1] >= 0, keys.contains(Self.key(a, ids[i + 1])) {
                let key = Self.key(a, ids[i + 1])
                let id: Int32
                if let known = joinedID[key] {
                    id = known
                } else {
                    let word = words[Int(a)] + Phrase.joiner + words[Int(ids[i + 1])]
                    id = index[word] ?? Int32(words.count)
                    if id == Int32(words.count) {
                        words.append(word)
                        counts.append(0)
                        index[word] = id
                    }
                    joinedID[key] = id
                }
                counts[Int(a)] -= 1
                counts[Int(ids[i + 1])] -= 1
                counts[Int(id)] += 1
                out.append(id)
                i += 2
            } else {
                out.append(a)
                i += 1
            }
        }
        ids = out
    }
}
