// `markov`: the Markov-chain baseline, trained and compared with the LSTM on held-out text.
import ArgumentParser
import VersoCLI

struct MarkovTool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "markov",
        abstract: "Character and word Markov-chain text models, kept in the Verso store.",
        discussion: """
            Examples:
              markov train poetry.txt --order 6
              markov models
            """,
        version: Verso.version,
        subcommands: [TrainCommand.self, SampleCommand.self, EvalCommand.self, ModelsCommand<MarkovKind>.self])
}

Verso.startProcess()
Verso.main(MarkovTool.self, Verso.arguments())
