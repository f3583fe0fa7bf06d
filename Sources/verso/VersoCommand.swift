// `verso`: the web playground and HTTP API over the store (`verso serve`).
import ArgumentParser
import Foundation
import VersoCLI
import VersoServer

@main
struct VersoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verso",
        abstract: "Verso's web playground and HTTP API, over the models in the store.",
        discussion: """
            Examples:
              verso serve                      # then open http://127.0.0.1:8080
              verso serve --port 9000 --store demo.sqlite
            """,
        version: Verso.version,
        subcommands: [ServeCommand.self])
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the playground page and the JSON API; models load on first use and stay loaded.",
        discussion: "The store is opened read-only. Ctrl-C stops the server.")
    @Option(help: "Address to listen on (loopback unless you say otherwise).") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Samples generated at once (default: the number of cores).") var workers: Int?
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        if let workers, workers < 1 { throw ValidationError("--workers must be positive") }
    }

    func run() async throws {
        Verso.startProcess()  // before the server's threads: the malloc settings
        var config = ServerConfig()
        config.storePath = storeOptions.store
        config.host = host
        config.port = port
        if let workers { config.samplingWorkers = workers }
        let app = try VersoServer.application(config)
        Output.note("verso: serving http://\(host):\(port) (Ctrl-C stops)")
        try await app.runService()
    }
}
