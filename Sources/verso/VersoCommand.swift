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
              verso store compact              # give removed models' space back to the disk
            """,
        version: Verso.version,
        subcommands: [ServeCommand.self, StoreCommand.self])

    /// `--port -1` reads as a (refused) number, not a missing value.
    static func main() async { await main(Verso.arguments()) }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the playground page and the JSON API; models load on first use and stay loaded.",
        discussion: "The store is opened read-only. Ctrl-C stops the server.")
    @Option(help: "Address to listen on (loopback unless you say otherwise).") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @Option(help: "Samples generated at once (default: the number of cores).") var workers: Int?
    @Option(help: "Seconds a connection has to send its request head (default 10).") var headerTimeout: Double?
    @Option(help: "Seconds a connection may stay silent before it is closed (default 60).") var idleTimeout: Double?
    @Option(help: "Open connections at most; more wait until one closes (default 512).") var maxConnections: Int?
    @Option(help: "Seconds a sample may take; it then ends with what it has (default 30).") var requestTimeout: Double?
    @OptionGroup var storeOptions: StoreOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        if let workers, workers < 1 { throw ValidationError("--workers must be positive") }
        let timeouts = [
            ("--header-timeout", headerTimeout), ("--idle-timeout", idleTimeout), ("--request-timeout", requestTimeout),
        ]
        for (flag, value) in timeouts {
            if let value, !(value > 0 && value <= 86_400) {
                throw ValidationError("\(flag) must be between 0 and 86400 seconds")
            }
        }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be positive") }
    }

    func run() async throws {
        Verso.startProcess(stopSignals: false)  // before the server's threads: the malloc settings
        var config = ServerConfig()
        config.storePath = storeOptions.store
        config.host = host
        config.port = port
        if let workers { config.samplingWorkers = workers }
        if let headerTimeout { config.headerSeconds = headerTimeout }
        if let idleTimeout { config.idleSeconds = idleTimeout }
        if let maxConnections { config.maxConnections = maxConnections }
        if let requestTimeout { config.requestSeconds = requestTimeout }
        let (host, port) = (self.host, self.port)
        let app = try VersoServer.application(config) {
            if !ServeCommand.isLoopback(host) {
                Output.note(
                    "verso: warning: listening on \(host), not loopback: anyone who can reach this machine can use "
                        + "the playground and the API (there is no login)")
            }
            Output.note("verso: serving http://\(host):\(port) (Ctrl-C stops)")
        }
        do { try await app.runService() } catch {
            // A taken port or an unknown host: one line, before anything said it was serving.
            if let line = VersoServer.startupFailure(error, host: host, port: port) { throw InputError(line) }
            throw error
        }
    }
}

extension ServeCommand {
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}

struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Look after the store file.", subcommands: [CompactCommand.self])
}

struct CompactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Give the space of removed models back to the disk (SQLite's VACUUM).",
        discussion: """
            `models rm` leaves a removed model's pages free inside the store, where the next models
            reuse them. This rewrites the store without them; other commands wait meanwhile.
            """)
    @OptionGroup var storeOptions: StoreOptions

    func run() throws {
        let store = try storeOptions.openExisting()
        let (before, after) = try store.compact()
        print("compacted \(store.path): \(Output.bytes(before)) -> \(Output.bytes(after))")
    }
}
