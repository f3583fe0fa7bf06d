// `charnn`: train, sample and evaluate character-level LSTM/GRU/RNN text generators.
import ArgumentParser
import VersoCLI

struct CharNN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "charnn",
        abstract: "Character-level recurrent text generators (char-rnn), kept in the Verso store.",
        discussion: """
            Examples:
              charnn train poetry.txt
              charnn sample --temp 0.6 --seed "The sea"
              charnn models
              charnn mix poetry --order 6 --name poetry-mix
              charnn models rm poetry
              charnn export poetry poetry.safetensors
            """,
        version: Verso.version,
        subcommands: [
            TrainCommand.self, SampleCommand.self, EvalCommand.self, CompareCommand.self, ReportCommand.self,
            CellsCommand.self, SymbolsCommand.self, ExportCommand.self, ImportCommand.self, MixCommand.self,
            ModelsCommand<CharRNNKind>.self, ModelsCommand<MixtureKind>.self,
        ])
}

Verso.startProcess()
Verso.main(CharNN.self, Verso.arguments())
