// Sampling controls as a writer uses them: nucleus, stop strings, several samples, seeds from
// files and standard input, beam search; the same options on markov sample.
import Foundation
import Testing

@Suite struct SamplingCommandTests {
    /// A store with a char-RNN and a character Markov model of paragraphs separated by blank lines.
    func trainedStore() throws -> (store: String, corpus: String) {
        let store = freshStore()
        let paragraph = "la mar está serena,\nel sol se va.\n\n"
        let corpus = try corpusFile(String(repeating: paragraph, count: 40))
        let train = try runTool(
            "charnn", ["train", corpus, "--name", "mar", "--max-steps", "60", "--store", store] + tinyNet)
        #expect(train.status == 0, "\(train.err)")
        let markov = try runTool("markov", ["train", corpus, "--name", "mar-m", "--order", "4", "--store", store])
        #expect(markov.status == 0, "\(markov.err)")
        return (store, corpus)
    }

    @Test func countStopTopPAndSeedsFromFilesAndStdin() throws {
        let (store, _) = try trainedStore()
        let three = try runTool(
            "charnn",
            [
                "sample", "--top-p", "0.9", "--stop", "\\n\\n", "--count", "3", "--seed", "la", "--length", "400",
                "--json", "--store", store,
            ])
        #expect(three.status == 0, "\(three.err)")
        let samples = try #require(try JSONSerialization.jsonObject(with: Data(three.out.utf8)) as? [[String: Any]])
        #expect(samples.map { $0["rng_seed"] as? Int } == [1, 2, 3])
        for sample in samples {
            let text = try #require(sample["text"] as? String)
            #expect(text.hasPrefix("la") && !text.contains("\n\n"), "\(text)")
            #expect(sample["stopped_by"] as? String == "\n\n", "\(text)")
        }
        // --seed - and --seed-file give what --seed gives.
        let direct = try runTool("charnn", ["sample", "--seed", "el sol", "--length", "30", "--store", store])
        let piped = try shell("printf 'el sol' | charnn sample --seed - --length 30 --store '\(store)'")
        let seedFile = try corpusFile("el sol")
        let filed = try runTool("charnn", ["sample", "--seed-file", seedFile, "--length", "30", "--store", store])
        #expect(direct.status == 0 && piped.out == direct.out && filed.out == direct.out, "\(piped.err)")
        // Beam search: deterministic, the seed first, its log-probability reported.
        let beam = try runTool("charnn", ["sample", "--beam", "4", "--seed", "la", "--length", "20", "--store", store])
        let again = try runTool(
            "charnn", ["sample", "--beam", "4", "--seed", "la", "--length", "20", "--rng-seed", "9", "--store", store])
        #expect(beam.status == 0 && beam.out == again.out && beam.out.hasPrefix("la"), "\(beam.err)")
        #expect(beam.err.hasPrefix("charnn: beam 4: ln P = -"), "\(beam.err)")
        let refused = try runTool("charnn", ["sample", "--beam", "4", "--count", "2", "--store", store])
        #expect(refused.status != 0 && refused.err.contains("beam search gives one deterministic text"))
    }

    @Test func markovSampleTakesTheSameControls() throws {
        let (store, _) = try trainedStore()
        let r = try runTool(
            "markov",
            [
                "sample", "--model", "mar-m", "--top-k", "3", "--top-p", "0.9", "--repetition-penalty", "1.2",
                "--stop", "\\n\\n", "--count", "2", "--seed", "la", "--length", "300", "--store", store,
            ])
        #expect(r.status == 0, "\(r.err)")
        let parts = r.out.components(separatedBy: "--- sample ")
        #expect(parts.count == 3, "\(r.out)")
        for part in parts.dropFirst() {
            // The sample is the part's second line on; the blank line after it separates samples.
            let text = (part.split(separator: "\n", maxSplits: 1).last.map(String.init) ?? "")
                .trimmingCharacters(in: .newlines)
            #expect(text.hasPrefix("la") && !text.contains("\n\n"), "\(part)")
        }
        let bad = try runTool("markov", ["sample", "--model", "mar-m", "--top-p", "0", "--store", store])
        #expect(bad.status != 0 && bad.err.contains("top-p 0.0 is not in (0, 1]"))
    }
}
