// Golden outputs of the command-line tools, run as the user runs them (built binaries, fresh stores).
import Foundation
import Testing
import VersoStore

/// Runs a built Verso tool with `arguments`; returns its exit status, stdout and stderr.
func runTool(
    _ tool: String, _ arguments: [String], environment: [String: String] = [:]
) throws -> (status: Int32, out: String, err: String) {
    try runProcess(productsDirectory().appendingPathComponent(tool), arguments, environment: environment)
}

/// Runs `executable` with `arguments` and the environment plus `environment`; returns its exit
/// status, stdout and stderr.
func runProcess(
    _ executable: URL, _ arguments: [String], environment: [String: String] = [:]
) throws -> (status: Int32, out: String, err: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
        process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self)
    )
}

/// The build folder holding the tools: the test bundle's own folder (.build/debug).
func productsDirectory() -> URL {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("charnn").path) && dir.path != "/" {
        dir.deleteLastPathComponent()
    }
    return dir
}

func freshStore() -> String { NSTemporaryDirectory() + "verso-cli-\(UUID().uuidString).sqlite" }

/// A store that exists and holds no model (as training or an import leaves it, before its model).
func emptyStore() throws -> String {
    let path = freshStore()
    _ = try Store(path: path)
    return path
}

@Suite struct ModelsCommandTests {
    @Test(arguments: [("charnn", "char-RNN"), ("w2v", "word2vec"), ("markov", "Markov")])
    func emptyStorePrintsAnEmptyTable(tool: String, kind: String) throws {
        let r = try runTool(tool, ["models", "--store", try emptyStore()])
        #expect(r.status == 0)
        let last = tool == "w2v" ? "INDEX RECALL@10" : "BEST VAL LOSS"
        #expect(r.out == "NAME  SIZE  CREATED  CORPUS  \(last)\n0 \(kind) models\n")
    }

    @Test func emptyStoreAsJSONIsAnEmptyArray() throws {
        let r = try runTool("charnn", ["models", "list", "--json", "--store", try emptyStore()])
        #expect(r.status == 0)
        let parsed = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [Any]
        #expect(parsed?.isEmpty == true)
    }

    @Test func storeComesFromTheEnvironment() throws {
        let path = try emptyStore()
        let r = try runTool("w2v", ["models"], environment: ["VERSO_STORE": path])
        #expect(r.status == 0)
        #expect(r.out.hasSuffix("0 word2vec models\n"))
    }

    /// A query or `models` never creates a store: a mistyped path is said, not made.
    @Test(arguments: [["charnn", "models"], ["w2v", "nearest", "rey"], ["markov", "sample"], ["w2v", "models", "rm", "x"]])
    func aMissingStoreIsSaidAndNotCreated(command: [String]) throws {
        let path = freshStore()
        let r = try runTool(command[0], Array(command.dropFirst()) + ["--store", path])
        #expect(r.status == 1)
        #expect(r.err == "Error: no store at \(path): nothing has been trained or imported into it yet\n")
        #expect(!FileManager.default.fileExists(atPath: path))
        let fromEnvironment = try runTool("w2v", ["models"], environment: ["VERSO_STORE": path])
        #expect(fromEnvironment.err.contains("no store at \(path)"))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func nonSQLiteStoreIsAOneLineError() throws {
        let path = freshStore()
        try Data("not a database".utf8).write(to: URL(fileURLWithPath: path))
        let r = try runTool("markov", ["models", "--store", path])
        #expect(r.status != 0)
        #expect(r.err.contains("not a Verso store"))
        #expect(r.err.split(separator: "\n").count == 1)
    }

    @Test func removingAnUnknownModelFails() throws {
        let r = try runTool("charnn", ["models", "rm", "ghost", "--store", try emptyStore()])
        #expect(r.status != 0)
        #expect(r.err == "Error: no char-RNN model named 'ghost' in the store\n")
    }

    @Test func versionFlag() throws {
        let r = try runTool("w2v", ["--version"])
        #expect(r.status == 0)
        #expect(r.out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }
}

/// The v1 fixture store, migrated by the tools themselves: every kind of model answers.
@Suite struct MigratedStoreCommandTests {
    @Test func modelsOfAVersion1StoreAnswerAfterMigration() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../VersoStoreTests/Fixtures/store-v1.sqlite").standardizedFileURL.path
        let store = freshStore()
        try FileManager.default.createDirectory(
            atPath: (store as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture, toPath: store)
        let sample = try runTool("charnn", ["sample", "--model", "c", "--length", "30", "--store", store])
        #expect(sample.status == 0, "\(sample.err)")
        let near = try runTool("w2v", ["nearest", "que", "--model", "w", "-n", "3", "--store", store])
        #expect(near.status == 0, "\(near.err)")
        let markov = try runTool("markov", ["sample", "--model", "mw", "--sentences", "2", "--store", store])
        #expect(markov.status == 0, "\(markov.err)")
        let report = NSTemporaryDirectory() + "verso-\(UUID().uuidString)/report.html"
        let page = try runTool("charnn", ["report", "c", "--out", report, "--store", store])
        #expect(page.status == 0, "\(page.err)")
        let html = try String(contentsOfFile: report, encoding: .utf8)
        #expect(html.contains("charnn compare"))  // the table, read from its new home
        // Its first row (the held-out reference) has no score: the columns come from every row.
        #expect(html.contains("<th>bits_per_char</th>") && html.contains("<th>chars_per_s</th>"))
    }
}
