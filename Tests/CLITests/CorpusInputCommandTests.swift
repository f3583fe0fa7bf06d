// Corpora given as folders, compressed files and standard input, through the built tools.
import Foundation
import Testing

/// Runs `script` in /bin/sh with the built tools first on PATH.
func shell(_ script: String) throws -> (status: Int32, out: String, err: String) {
    let path = productsDirectory().path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    return try runProcess(URL(fileURLWithPath: "/bin/sh"), ["-c", script], environment: ["PATH": path])
}

@Suite struct CorpusInputCommandTests {
    @Test func tokensReadsStandardInputAndCompressedFiles() throws {
        let dir = NSTemporaryDirectory() + "verso-cli-input-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "El Niño\ncanta.\n".write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        let piped = try shell("printf 'El Niño\\ncanta.\\n' | w2v tokens -")
        #expect(piped.status == 0)
        let plain = try shell("w2v tokens '\(dir)/a.txt'")
        #expect(piped.out == plain.out && !plain.out.isEmpty)
        let zipped = try shell("gzip -k '\(dir)/a.txt' && w2v tokens '\(dir)/a.txt.gz'")
        #expect(zipped.out == plain.out)
    }

    /// Every trainer takes a folder, a compressed file and standard input, and names its model
    /// after the corpus without extensions.
    @Test func trainersTakeFoldersCompressedFilesAndStdin() throws {
        let dir = NSTemporaryDirectory() + "verso-cli-corpus-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir + "/texts/more", withIntermediateDirectories: true)
        let line = "el mar y la luz del sol en la canción del niño"
        for (i, path) in ["texts/a.txt", "texts/more/b.txt"].enumerated() {
            try (0..<200).map { "\(line) \($0 + i)" }.joined(separator: "\n").write(
                toFile: dir + "/" + path, atomically: true, encoding: .utf8)
        }
        let store = dir + "/verso.sqlite"
        let script = """
            set -e
            cd '\(dir)'
            w2v train texts --dim 8 --epochs 1 --min-count 1 --store verso.sqlite
            xz -k texts/a.txt && markov train texts/a.txt.xz --order 3 --store verso.sqlite
            cat texts/a.txt | charnn train - --max-steps 2 --hidden 8 --layers 1 --seq-length 8 --batch-size 2 \
              --store verso.sqlite
            """
        let r = try shell(script)
        #expect(r.status == 0, "\(r.err)")
        let models = try shell(
            "w2v models --json --store '\(store)'; markov models --json --store '\(store)';"
                + " charnn models --json --store '\(store)'")
        for name in ["\"texts\"", "\"a\"", "\"stdin\""] { #expect(models.out.contains(name), "\(name)") }
        #expect(models.out.contains(dir + "/texts"))  // a folder is recorded by its path
    }

    /// --val-file validates on another text (all of the corpus trains); one it cannot score is refused.
    @Test func charnnValidatesOnAValidationFile() throws {
        let dir = NSTemporaryDirectory() + "verso-cli-valfile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try String(repeating: "el mar y la luz del sol\n", count: 100).write(
            toFile: dir + "/train.txt", atomically: true, encoding: .utf8)
        try "la luz del mar\n".write(toFile: dir + "/val.txt", atomically: true, encoding: .utf8)
        try "¡zumo!\n".write(toFile: dir + "/odd.txt", atomically: true, encoding: .utf8)
        let flags =
            "--max-steps 2 --eval-every 1 --hidden 8 --layers 1 --seq-length 4 --batch-size 2 --store verso.sqlite"
        let ok = try shell("cd '\(dir)' && charnn train train.txt --val-file val.txt \(flags)")
        #expect(ok.status == 0, "\(ok.err)")
        #expect(ok.out.contains("val loss") && !ok.out.contains("val loss -"), "\(ok.out)")
        let refused = try shell("cd '\(dir)' && charnn train train.txt --val-file odd.txt --name odd \(flags)")
        #expect(refused.status != 0)
        #expect(refused.err.contains("Error: the validation file odd.txt has"), "\(refused.err)")
    }

    /// Several texts train one model; --lenient skips a bad one and says so; `models corpus`
    /// lists every file with its SHA-256, standard input included.
    @Test func severalTextsLenientSkipsAndTheRecordedMembers() throws {
        let dir = NSTemporaryDirectory() + "verso-cli-members-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let text = (0..<100).map { "el mar y la luz del sol \($0)" }.joined(separator: "\n") + "\n"
        try text.write(toFile: dir + "/a.txt", atomically: true, encoding: .utf8)
        try text.write(toFile: dir + "/b.txt", atomically: true, encoding: .utf8)
        try Data([0x6F, 0x6B, 0x0A, 0xFF]).write(to: URL(fileURLWithPath: dir + "/bad.txt"))
        let refused = try shell("cd '\(dir)' && markov train a.txt bad.txt b.txt --store s.sqlite")
        #expect(refused.status != 0)
        #expect(
            refused.err == "Error: bad.txt is not valid UTF-8: bad byte at byte offset 3 (--lenient skips the file)\n")
        let lenient = try shell("cd '\(dir)' && markov train a.txt bad.txt b.txt --lenient --name ab --store s.sqlite")
        #expect(lenient.status == 0, "\(lenient.err)")
        #expect(lenient.err.contains("markov: skipped bad.txt is not valid UTF-8: bad byte at byte offset 3"))
        let stdin = try shell(
            "cd '\(dir)' && cat a.txt | w2v train - b.txt --dim 4 --epochs 1 --min-count 1 --store s.sqlite")
        #expect(stdin.status == 0, "\(stdin.err)")
        let shown = try shell(
            "cd '\(dir)' && markov models corpus ab --json --store s.sqlite && sha256sum a.txt bad.txt"
                + " && w2v models corpus stdin --store s.sqlite")
        #expect(shown.status == 0, "\(shown.err)")
        let sums = shown.out.split(separator: "\n").filter { $0.hasSuffix("a.txt") || $0.hasSuffix("bad.txt") }
        for line in sums { #expect(shown.out.contains("\"sha256\" : \"\(line.prefix(64))\"")) }
        #expect(shown.out.contains("\"skipped\" : \"bad.txt is not valid UTF-8"))
        // Standard input is a member like the others: a.txt's bytes, a.txt's SHA-256.
        let aSum = String(sums.first { $0.hasSuffix(" a.txt") }?.prefix(64) ?? "?")
        #expect(shown.out.split(separator: "\n").contains { $0.hasPrefix("-  ") && $0.contains(aSum) }, "\(shown.out)")
    }
}
