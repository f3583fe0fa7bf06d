// `w2v index`, `--exact`, `--probe` and the recall column, run as a user runs them on imported vectors.
import Foundation
import Testing

@Suite struct W2VIndexCommandTests {
    /// 600 words of 8 dimensions in 12 tight groups, as a word2vec text file.
    func groupedVectorFile() throws -> String {
        var lines = ["600 8"]
        for w in 0..<600 {
            let group = w % 12
            let values: [Double] = (0..<8).map { (k: Int) -> Double in
                let centre = Double((group * 7 + k * 3) % 11) - 5
                let jitter = Double((w * 31 + k * 17) % 13)
                return centre + 0.01 * jitter
            }
            lines.append("w\(w) " + values.map { String(format: "%.4f", $0) }.joined(separator: " "))
        }
        let path = NSTemporaryDirectory() + "verso-index-\(UUID().uuidString).txt"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func indexThenQueryAgreesWithExactAndShowsItsRecall() throws {
        let store = freshStore()
        let file = try groupedVectorFile()
        #expect(try runTool("w2v", ["import", file, "--name", "g", "--store", store]).status == 0)
        let before = try runTool("w2v", ["models", "--store", store])
        #expect(before.out.contains("exact only"), "\(before.out)")
        let built = try runTool("w2v", ["index", "g", "--lists", "12", "--store", store])
        #expect(built.status == 0, "\(built.err)")
        #expect(built.out.hasPrefix("indexed 'g': 600 words in 12 lists; probe "), "\(built.out)")
        let listed = try runTool("w2v", ["models", "--json", "--store", store])
        #expect(listed.out.contains("\"index_recall_at_10\""), "\(listed.out)")
        for word in ["w0", "w5", "w123"] {
            let fast = try runTool("w2v", ["nearest", word, "-n", "5", "--store", store])
            let slow = try runTool("w2v", ["nearest", word, "-n", "5", "--exact", "--store", store])
            #expect(fast.status == 0 && slow.status == 0, "\(fast.err)\(slow.err)")
            #expect(fast.err.isEmpty, "no warning for a sound index: \(fast.err)")
            let scanAll = try runTool("w2v", ["nearest", word, "-n", "5", "--probe", "12", "--store", store])
            #expect(scanAll.out == slow.out, "probing every list is exact search")
        }
        let unknown = try runTool("w2v", ["nearest", "w9999", "--store", store])
        #expect(unknown.status != 0 && unknown.err.hasPrefix("Error: 'w9999' is not in the vocabulary"))
        let badProbe = try runTool("w2v", ["nearest", "w1", "--probe", "0", "--store", store])
        #expect(badProbe.status != 0 && badProbe.err.contains("--probe must be positive"), "\(badProbe.err)")
        let noModel = try runTool("w2v", ["index", "nope", "--store", store])
        #expect(noModel.status == 1 && noModel.err.hasPrefix("Error: no word2vec model named 'nope'"), "\(noModel.err)")
    }
}
