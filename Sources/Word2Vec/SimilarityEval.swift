// Word-similarity evaluation: Spearman's ρ of a model's cosines against human scores ("w1 w2 score").
import Evaluation
import Foundation

public struct SimilarityReport: Encodable, Sendable {
    public var spearman: Double
    public var pairs: Int  // pairs scored
    public var total: Int  // well-formed pairs in the file
    public var outOfVocabulary: Int  // scored pairs with a word answered from its n-grams (subword models)
    public var malformed: [Int]  // line numbers that are not 'word1 word2 score'
    /// Pairs scored over pairs in the file: models compare fairly only on the same pairs.
    public var coverage: Double { total > 0 ? Double(pairs) / Double(total) : 0 }

    enum CodingKeys: String, CodingKey {
        case spearman, pairs, total, coverage, malformed
        case outOfVocabulary = "out_of_vocabulary"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(spearman.isFinite ? spearman : nil, forKey: .spearman)
        try c.encode(pairs, forKey: .pairs)
        try c.encode(total, forKey: .total)
        try c.encode(coverage, forKey: .coverage)
        try c.encode(outOfVocabulary, forKey: .outOfVocabulary)
        try c.encode(malformed, forKey: .malformed)
    }
}

public enum SimilarityEvaluator {
    /// Scores each pair of `text` (tab, space or comma separated; '#' starts a comment) whose words
    /// `source` knows (a subword model knows every word with a known n-gram); `normalize` maps
    /// words the way training did. Throws when the text holds no pair at all.
    public static func evaluate(
        text: String, source: any WordVectorSource, normalize: (String) throws -> String
    ) throws -> SimilarityReport {
        var human: [Double] = [], model: [Double] = []
        var report = SimilarityReport(spearman: .nan, pairs: 0, total: 0, outOfVocabulary: 0, malformed: [])
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let f = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
            guard f.count >= 3, let score = Double(f[2]) else {
                report.malformed.append(n + 1)
                continue
            }
            report.total += 1
            let words = [try normalize(String(f[0])), try normalize(String(f[1]))]
            guard let a = try? source.row(words[0]), let b = try? source.row(words[1]) else { continue }
            human.append(score)
            model.append(Double(zip(a.unit, b.unit).reduce(Float(0)) { $0 + $1.0 * $1.1 }))
            if a.isOutOfVocabulary || b.isOutOfVocabulary { report.outOfVocabulary += 1 }
        }
        guard report.total > 0 else {
            throw VectorFileError("there are no word pairs (lines 'word1 word2 score') in the similarity file")
        }
        report.pairs = human.count
        report.spearman = Statistics.spearman(human, model)
        return report
    }
}
