// charnn train / sample / eval / models run as a user runs them, on a small generated corpus.
import Foundation
import Testing

/// A temporary text file with a repeated verse (accents included) long enough for a few batches.
func corpusFile(_ text: String = String(repeating: "la mar está serena,\nel sol se va.\n", count: 40)) throws -> String
{
    let path = NSTemporaryDirectory() + "verso-corpus-\(UUID().uuidString).txt"
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

let tinyNet = ["--hidden", "16", "--layers", "1", "--seq-length", "10", "--batch-size", "4", "--threads", "1"]

@Suite struct CharNNCommandTests {
    @Test func trainSampleEvalAndList() throws {
        let store = freshStore(), corpus = try corpusFile()
        let train = try runTool(
            "charnn",
            [
                "train", corpus, "--name", "mar", "--max-steps", "30", "--eval-every", "10",
                "--store", store,
            ] + tinyNet)
        #expect(train.status == 0, "\(train.err)")
        #expect(train.out.hasPrefix("trained mar: step 30"))

        let list = try runTool("charnn", ["models", "--json", "--store", store])
        let models = try #require(try JSONSerialization.jsonObject(with: Data(list.out.utf8)) as? [[String: Any]])
        #expect(models.count == 1)
        #expect(models.first?["name"] as? String == "mar")
        #expect((models.first?["best_val_loss"] as? Double ?? 99) < log(Double(17)))

        let a = try runTool(
            "charnn", ["sample", "--seed", "la ", "--length", "40", "--rng-seed", "3", "--store", store])
        let b = try runTool(
            "charnn", ["sample", "--seed", "la ", "--length", "40", "--rng-seed", "3", "--store", store])
        #expect(a.status == 0 && a.out == b.out)
        #expect(a.out.hasPrefix("la "))

        let bare = try runTool("charnn", ["sample", "--temp", "0.6", "--seed", "--length", "20", "--store", store])
        #expect(bare.status == 0, "\(bare.err)")

        let unknown = try runTool("charnn", ["sample", "--seed", "Zß", "--length", "5", "--store", store])
        #expect(unknown.status == 0)
        #expect(unknown.err == "charnn: skipped seed symbols the model has never seen: 'Z' 'ß'\n")

        let eval = try runTool("charnn", ["eval", corpus, "--model", "mar", "--json", "--store", store])
        let scores = try #require(try JSONSerialization.jsonObject(with: Data(eval.out.utf8)) as? [String: Any])
        #expect(Set(scores.keys).isSuperset(of: ["nats_per_char", "bits_per_char", "chars", "unknown_chars"]))
        let nats = try #require(scores["nats_per_char"] as? Double),
            bits = try #require(scores["bits_per_char"] as? Double)
        #expect(abs(bits - nats / log(2)) < 1e-9)
        #expect(scores["unknown_chars"] as? Int == 0)

        // Symbol by symbol: one entry per predicted symbol, each with its bits and 5 expected symbols.
        let perSymbol = try runTool(
            "charnn", ["eval", corpus, "--model", "mar", "--per-symbol", "--json", "--store", store])
        let scored = try #require(try JSONSerialization.jsonObject(with: Data(perSymbol.out.utf8)) as? [String: Any])
        let symbols = try #require(scored["symbols"] as? [[String: Any]])
        #expect(symbols.count == scored["chars"] as? Int && symbols.count == (scores["chars"] as? Int ?? 0))
        #expect(symbols.allSatisfy { ($0["expected"] as? [Any])?.count == 5 && ($0["bits"] as? Double ?? -1) >= 0 })
        let text = try runTool("charnn", ["eval", corpus, "--model", "mar", "--per-symbol", "--store", store])
        #expect(text.status == 0 && text.out.split(separator: "\n").count == symbols.count + 2)
    }

    /// `charnn cells`: the ranking per feature as text and JSON, and its bad input as one line.
    @Test func cellsRanksEveryFeatureAndRefusesBadInput() throws {
        let store = freshStore(), corpus = try corpusFile()
        let train = try runTool(
            "charnn", ["train", corpus, "--name", "mar", "--max-steps", "10", "--store", store] + tinyNet)
        #expect(train.status == 0, "\(train.err)")
        let json = try runTool("charnn", ["cells", "mar", corpus, "--top", "2", "--json", "--store", store])
        #expect(json.status == 0, "\(json.err)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        #expect(report["model"] as? String == "mar" && report["layers"] as? Int == 1 && report["hidden"] as? Int == 16)
        let features = try #require(report["features"] as? [[String: Any]])
        #expect(features.count == 7)
        let line = try #require(features.first { $0["feature"] as? String == "line_length_so_far" })
        #expect((line["cells"] as? [[String: Any]])?.count == 2 && line["varies"] as? Bool == true)
        let gates = (report["saturation"] as? [[String: Any]])?.map { $0["gate"] as? String }
        #expect(gates == ["input", "forget", "output"])
        let text = try runTool("charnn", ["cells", "mar", corpus, "--store", store])
        #expect(text.status == 0 && text.out.contains("line length so far"))
        #expect(text.out.contains("inside quotes") && text.out.contains("(constant in this text)"))
        for (arguments, message) in [
            (["cells", "mar", corpus, "--top", "0"], "Error: --top must be at least 1 (it is 0)"),
            (["cells", "nobody", corpus], "Error: no char-RNN model named 'nobody' in the store"),
        ] {
            let run = try runTool("charnn", arguments + ["--store", store])
            #expect(run.status != 0 && run.err.hasPrefix(message), "\(run.err)")
        }
    }

    @Test func resumeContinuesFromTheLatestCheckpoint() throws {
        let store = freshStore(), corpus = try corpusFile()
        _ = try runTool(
            "charnn",
            ["train", corpus, "--name", "r", "--max-steps", "10", "--eval-every", "5", "--store", store] + tinyNet)
        let resumed = try runTool("charnn", ["train", "--resume", "r", "--max-steps", "20", "--store", store])
        #expect(resumed.status == 0, "\(resumed.err)")
        #expect(resumed.out.hasPrefix("trained r: step 20"))
    }

    @Test func badInputIsAOneLineErrorAndLeavesNoModel() throws {
        let store = freshStore()
        let missing = try runTool("charnn", ["train", "/nonexistent/poems.txt", "--store", store])
        #expect(missing.status != 0)
        #expect(missing.err == "Error: cannot read /nonexistent/poems.txt: no such file\n")

        let emptyFile = try corpusFile("")
        let empty = try runTool("charnn", ["train", emptyFile, "--store", store])
        #expect(empty.status == 1)
        #expect(empty.err == "Error: \(emptyFile) is empty: nothing to train on\n")  // one line, no usage text

        let short = try runTool("charnn", ["train", try corpusFile("hola"), "--store", store])
        #expect(short.status != 0)
        #expect(short.err.contains("shorter than one batch"))

        let badTemp = try runTool("charnn", ["sample", "--temp", "-1", "--store", store])
        #expect(badTemp.status != 0)

        let noModel = try runTool("charnn", ["sample", "--store", store])
        #expect(noModel.status != 0)
        #expect(noModel.err == "Error: the store has no char-RNN model yet; train one first\n")

        let list = try runTool("charnn", ["models", "--store", store])
        #expect(list.out.hasSuffix("0 char-RNN models\n"))
    }

    @Test func retrainingAnExistingNameNeedsForce() throws {
        let store = freshStore(), corpus = try corpusFile()
        let args =
            ["train", corpus, "--name", "x", "--max-steps", "5", "--eval-every", "5", "--store", store] + tinyNet
        #expect(try runTool("charnn", args).status == 0)
        let again = try runTool("charnn", args)
        #expect(again.status != 0)
        #expect(again.err.contains("already exists"))
        #expect(try runTool("charnn", args + ["--force"]).status == 0)
    }
}
