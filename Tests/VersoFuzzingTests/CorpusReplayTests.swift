// Replays every input the fuzzers kept (Fuzz/corpus) through the same bodies, so a crash the
// fuzzer once found stays fixed. A broken invariant stops the test process, failing the run.
import Foundation
import Testing
import VersoFuzzing

@Suite struct CorpusReplayTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Fuzz/corpus").standardized

    static func inputs(_ target: String) throws -> [[UInt8]] {
        let dir = corpus.appendingPathComponent(target)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        return try names.map { [UInt8](try Data(contentsOf: dir.appendingPathComponent($0))) }
    }

    @Test func textCorpusReplays() throws {
        let inputs = try Self.inputs("text")
        #expect(inputs.count >= 10)
        for input in inputs { FuzzBodies.text(input) }
    }

    /// The fast tokenizer against ICU on the inputs kept for it and on those kept for the text layer.
    @Test func tokensCorpusReplays() throws {
        let inputs = try Self.inputs("tokens") + Self.inputs("text")
        #expect(inputs.count >= 10)
        for input in inputs { FuzzBodies.fastPaths(input) }
    }

    @Test func vectorCorpusReplays() throws {
        let inputs = try Self.inputs("vectors")
        #expect(inputs.count >= 5)
        for input in inputs { FuzzBodies.vectors(input) }
    }

    /// fastText .bin models: the committed seeds (whole words, and subwords with 16 buckets) and what the fuzzer kept.
    @Test func fastTextCorpusReplays() throws {
        let inputs = try Self.inputs("fasttext")
        #expect(inputs.count >= 2)
        for input in inputs { FuzzBodies.fastText(input) }
    }

    @Test func indexCorpusReplays() throws {
        let inputs = try Self.inputs("index")
        #expect(inputs.count >= 5)
        for input in inputs { FuzzBodies.index(input) }
    }

    @Test func safetensorsCorpusReplays() throws {
        let inputs = try Self.inputs("safetensors")
        #expect(inputs.count >= 5)
        for input in inputs { FuzzBodies.safetensors(input) }
    }
}
