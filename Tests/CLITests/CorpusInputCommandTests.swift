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
}
