// `charnn mix` end to end: a mixture made from a trained char-RNN samples, scores (each part beside
// it), lists and compares like a char-RNN; `--init-from` takes a text with new symbols.
import Foundation
import Testing

@Suite struct MixCommandTests {
    @Test func mixSampleEvalCompareAndList() throws {
        let store = freshStore()
        let corpus = try corpusFile()
        let train = try runTool("charnn", ["train", corpus, "--name", "mar", "--max-steps", "40", "--store", store] + tinyNet)
        #expect(train.status == 0, "\(train.err)")
        let mix = try runTool("charnn", ["mix", "mar", "--order", "4", "--json", "--store", store])
        #expect(mix.status == 0, "\(mix.err)")
        let made = try #require(try JSONSerialization.jsonObject(with: Data(mix.out.utf8)) as? [String: Any])
        #expect(made["name"] as? String == "mar-mix" && made["method"] as? String == "logistic")
        let validation = try #require(made["validation"] as? [String: Double])
        #expect(validation["mixture"]! < validation["lstm"]!)  // the chain knows this repeated text
        let eval = try runTool("charnn", ["eval", corpus, "--model", "mar-mix", "--json", "--store", store])
        #expect(eval.status == 0, "\(eval.err)")
        let scored = try #require(try JSONSerialization.jsonObject(with: Data(eval.out.utf8)) as? [String: Any])
        let parts = try #require(scored["parts"] as? [String: [String: Double]])
        #expect(Set(parts.keys) == ["lstm", "markov"])
        let a = try runTool(
            "charnn", ["sample", "--model", "mar-mix", "--seed", "la ", "--length", "80", "--novelty", "--store", store])
        let b = try runTool("charnn", ["sample", "--model", "mar-mix", "--seed", "la ", "--length", "80", "--store", store])
        #expect(a.status == 0 && a.out == b.out && a.out.hasPrefix("la "), "\(a.err)")
        #expect(a.err.contains("real words"), "\(a.err)")
        let list = try runTool("charnn", ["mixtures", "--store", store])
        #expect(list.out.contains("mar-mix") && list.out.contains("1 mixture model"), "\(list.out)")
        let listed = try runTool("charnn", ["mixtures", "--json", "--store", store])
        let summaries = try #require(try JSONSerialization.jsonObject(with: Data(listed.out.utf8)) as? [[String: Any]])
        let shownLoss = try #require(summaries.first?["best_val_loss"] as? Double, "\(listed.out)")
        #expect(abs(shownLoss - validation["mixture"]!) < 1e-6)  // the loss it was made with, not "-"
        let compare = try runTool(
            "charnn",
            ["compare", corpus, "--model", "mar", "--model", "mar-mix", "--max-order", "3", "--length", "200", "--json",
             "--store", store])
        #expect(compare.status == 0, "\(compare.err)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(compare.out.utf8)) as? [[String: Any]])
        #expect(rows.count == 1 + 3 + 2 && (rows.last?["model"] as? String ?? "").hasPrefix("mixture mar-mix"))
        #expect(rows.dropFirst().allSatisfy { ($0["real_words"] as? [Double])?.count == 3 })
        let table = try runTool(
            "charnn", ["compare", corpus, "--model", "mar", "--max-order", "2", "--length", "100", "--store", store])
        #expect(table.status == 0 && !table.err.contains("\r"), "no progress line in a pipe: \(table.err)")
        let bad = try runTool("charnn", ["mix", "mar", "--order", "40", "--store", store])
        #expect(bad.status != 0 && bad.err.contains("Markov order 40 is not between 1 and 32"), "\(bad.err)")
    }

    @Test func initFromTakesATextWithNewSymbols() throws {
        let store = freshStore()
        let base = try runTool("charnn", ["train", try corpusFile(), "--name", "base", "--max-steps", "5", "--store", store] + tinyNet)
        #expect(base.status == 0, "\(base.err)")
        let more = try corpusFile(String(repeating: "¡qué luz, Ñandú!\n", count: 60))
        let tuned = try runTool(
            "charnn", ["train", more, "--init-from", "base", "--name", "tuned", "--max-steps", "5", "--store", store] + tinyNet)
        #expect(tuned.status == 0, "\(tuned.err)")
        #expect(tuned.err.contains("symbols new to 'base' get fresh weights") && tuned.err.contains("'Ñ'"), "\(tuned.err)")
        let sample = try runTool("charnn", ["sample", "--model", "tuned", "--seed", "¡Ñ", "--length", "20", "--store", store])
        #expect(sample.status == 0 && sample.out.hasPrefix("¡Ñ"), "\(sample.err)")
    }
}
