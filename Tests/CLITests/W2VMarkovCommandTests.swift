// w2v and markov run as a user runs them: train on generated text, query, score, export and import.
import Foundation
import Testing

/// Sentences where kings and queens, bread and wine fill the same slots.
func spanishCorpus() throws -> String {
    var lines: [String] = []
    let people = ["el rey", "la reina", "el príncipe", "la princesa"], things = ["pan", "vino", "agua", "miel"]
    for i in 0..<800 {
        lines.append(
            "\(people[i % 4].capitalized) come \(things[(i / 4) % 4]) y bebe \(things[(i * 3 + 1) % 4]) en el palacio.")
    }
    return try corpusFile(lines.joined(separator: "\n"))
}

@Suite struct W2VCommandTests {
    @Test func trainQueryEvalExportImport() throws {
        let store = freshStore(), corpus = try spanishCorpus()
        let train = try runTool(
            "w2v",
            [
                "train", corpus, "--name", "palacio", "--dim", "16", "--min-count", "2",
                "--threads", "1", "--epochs", "3", "--store", store,
            ])
        #expect(train.status == 0, "\(train.err)")
        #expect(train.out.hasPrefix("trained palacio:"))

        let near = try runTool("w2v", ["nearest", "Rey", "-n", "3", "--json", "--store", store])
        #expect(near.status == 0, "\(near.err)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(near.out.utf8)) as? [String: Any])
        let words = (list["neighbours"] as? [[String: Any]])?.compactMap { $0["word"] as? String } ?? []
        #expect(words.count == 3 && !words.contains("rey"))

        let oov = try runTool("w2v", ["nearest", "reyy", "--store", store])
        #expect(oov.status != 0)
        #expect(oov.err == "Error: 'reyy' is not in the vocabulary; did you mean 'rey'?\n")

        let analogy = try runTool("w2v", ["analogy", "rey", "hombre", "mujer", "--store", store])
        #expect(analogy.status != 0)  // hombre is not in this corpus
        #expect(analogy.err.hasPrefix("Error: 'hombre' is not in the vocabulary"))

        let questions = try corpusFile(": royal\nrey reina príncipe princesa\nmal formada\nrey reina pan vino\n")
        let eval = try runTool("w2v", ["eval", questions, "--json", "--store", store])
        #expect(eval.status == 0, "\(eval.err)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(eval.out.utf8)) as? [String: Any])
        #expect(report["questions"] as? Int == 2)
        #expect(report["malformed_lines"] as? [Int] == [3])
        #expect(eval.err.contains("malformed lines 3"))

        let exported = NSTemporaryDirectory() + "verso-export-\(UUID().uuidString).bin"
        #expect(try runTool("w2v", ["export", exported, "--format", "binary", "--store", store]).status == 0)
        let imported = try runTool("w2v", ["import", exported, "--name", "copia", "--store", store])
        #expect(imported.status == 0, "\(imported.err)")
        let a = try runTool("w2v", ["similarity", "rey", "reina", "--model", "palacio", "--store", store]).out
        let b = try runTool("w2v", ["similarity", "rey", "reina", "--model", "copia", "--store", store]).out
        #expect(a == b && !a.isEmpty)
    }

    @Test func wrongKindIsAOneLineError() throws {
        let store = freshStore(), corpus = try corpusFile()
        _ = try runTool(
            "charnn",
            ["train", corpus, "--name", "mar", "--max-steps", "2", "--eval-every", "2", "--store", store] + tinyNet)
        let r = try runTool("w2v", ["nearest", "mar", "--model", "mar", "--store", store])
        #expect(r.status != 0)
        #expect(r.err == "Error: model 'mar' is a char-RNN model, not a word2vec model\n")
    }
}

@Suite struct MarkovCommandTests {
    @Test func characterChainTrainsSamplesAndScores() throws {
        let store = freshStore(), corpus = try corpusFile()
        let train = try runTool("markov", ["train", corpus, "--order", "4", "--name", "mar", "--store", store])
        #expect(train.status == 0, "\(train.err)")
        let a = try runTool("markov", ["sample", "--length", "60", "--seed", "la ", "--store", store])
        let b = try runTool("markov", ["sample", "--length", "60", "--seed", "la ", "--store", store])
        #expect(a.status == 0 && a.out == b.out && a.out.hasPrefix("la "))
        let kn = try runTool("markov", ["eval", corpus, "--json", "--store", store])
        let wb = try runTool("markov", ["eval", corpus, "--smoothing", "wb", "--json", "--store", store])
        let k = try #require(try JSONSerialization.jsonObject(with: Data(kn.out.utf8)) as? [String: Any])
        let w = try #require(try JSONSerialization.jsonObject(with: Data(wb.out.utf8)) as? [String: Any])
        #expect(Set(k.keys).isSuperset(of: ["nats_per_char", "bits_per_char", "chars", "unknown_chars"]))
        #expect((k["nats_per_char"] as? Double ?? 9) < 1.0)  // it has seen this very text
        #expect(k["smoothing"] as? String == "kn" && w["smoothing"] as? String == "wb")
    }

    @Test func wordChainWritesSentences() throws {
        let store = freshStore(), corpus = try spanishCorpus()
        #expect(
            try runTool("markov", ["train", corpus, "--unit", "word", "--name", "w", "--store", store]).status == 0)
        let r = try runTool("markov", ["sample", "--sentences", "3", "--store", store])
        #expect(r.status == 0, "\(r.err)")
        let lines = r.out.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.hasSuffix(".") })
    }
}
