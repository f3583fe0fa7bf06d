// Analogy accuracy on questions-words files (": section" headers, then "A B C D" lines).
import Foundation
import VersoText

public struct AnalogyReport: Codable, Sendable {
    public struct Section: Codable, Sendable {
        public var accuracy: Double
        public var correct: Int
        public var count: Int
    }
    public var accuracy: Double
    public var questions: Int  // questions evaluated
    public var correct: Int
    public var skipped: Int  // questions with a word outside the (restricted) vocabulary
    public var outOfVocabulary = 0  // questions answered with a word's n-gram vector (subword models)
    public var malformed: [Int]  // line numbers that are neither headers nor four words
    public var sections: [String: Section]
    public var sectionOrder: [String]
}

public enum AnalogyEvaluator {
    /// Answers each question with the best word for B − A + C (so "A B C D": A is to B as C is
    /// to D), searching the `restrict` most frequent words; `normalize` maps words the way training did.
    /// With `outOfVocabulary` (a subword model's unit n-gram vector of a word), A, B and C outside
    /// those words are answered with it; D must be among them to be found, else the question is skipped.
    public static func evaluate(
        path: String, embeddings: Embeddings, method: Embeddings.AnalogyMethod,
        restrict: Int, normalize: (String) throws -> String, outOfVocabulary: ((String) -> [Float]?)? = nil
    ) throws -> AnalogyReport {
        let text = try CorpusReader.readText(path: path)
        var report = AnalogyReport(
            accuracy: 0, questions: 0, correct: 0, skipped: 0, malformed: [], sections: [:], sectionOrder: [])
        var section = "(none)"
        let limit = min(restrict, embeddings.count)
        for (n, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            if line.hasPrefix(":") {
                section = line.dropFirst().trimmingCharacters(in: .whitespaces)
                continue
            }
            let parts = try line.split(separator: " ").map { try normalize(String($0)) }
            guard parts.count == 4 else {
                report.malformed.append(n + 1)
                continue
            }
            let ids = parts.map { embeddings.id($0).flatMap { Int($0) < limit ? $0 : nil } }
            guard ids[3] != nil else {
                report.skipped += 1
                continue
            }
            let rows: [[Float]?] = (0..<3).map { i in
                if let id = ids[i] {
                    return Array(UnsafeBufferPointer(start: embeddings.row(id), count: embeddings.dim))
                }
                return outOfVocabulary?(parts[i])
            }
            guard let b = rows[1], let a = rows[0], let c = rows[2] else {
                report.skipped += 1
                continue
            }
            if ids[..<3].contains(nil) { report.outOfVocabulary += 1 }
            let best = embeddings.analogy(
                b, a, c, exclude: Set(ids[..<3].compactMap { $0 }), method: method, n: 1, restrict: limit)
            let ok = best.first?.word == parts[3]
            if report.sections[section] == nil {
                report.sectionOrder.append(section)
                report.sections[section] = .init(accuracy: 0, correct: 0, count: 0)
            }
            report.sections[section]!.count += 1
            if ok {
                report.sections[section]!.correct += 1
                report.correct += 1
            }
            report.questions += 1
        }
        if report.questions == 0 && report.skipped == 0 {
            throw VectorFileError(
                "\(path) has no analogy questions (lines of four words 'A B C D')"
                    + (report.malformed.isEmpty
                        ? ""
                        : "; malformed lines: " + report.malformed.prefix(10).map(String.init).joined(separator: ", ")))
        }
        for key in report.sections.keys {
            let s = report.sections[key]!
            report.sections[key]!.accuracy = s.count > 0 ? Double(s.correct) / Double(s.count) : 0
        }
        report.accuracy = report.questions > 0 ? Double(report.correct) / Double(report.questions) : 0
        return report
    }
}
