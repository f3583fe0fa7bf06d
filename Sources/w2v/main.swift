// `w2v`: train word2vec embeddings and query them (nearest words, analogies).
import ArgumentParser
import VersoCLI

struct W2V: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "w2v",
        abstract: "word2vec embeddings (skip-gram, CBOW), kept and queried in the Verso store.",
        discussion: """
            Examples:
              w2v train corpus.txt
              w2v nearest rey
              w2v analogy rey hombre mujer
              w2v docs train cuentos/ --name cuentos --unit paragraph
              w2v models
            """,
        version: Verso.version,
        subcommands: [
            TrainCommand.self, NearestCommand.self, AnalogyCommand.self, SimilarityCommand.self,
            DoesntMatchCommand.self, EvalCommand.self, EvalSimilarityCommand.self, ExportCommand.self,
            ImportCommand.self, IndexCommand.self, ReportCommand.self, TokensCommand.self,
            ModelsCommand<Word2VecKind>.self, DocsCommand.self, PhrasesCommand.self, AlignCommand.self,
            ShiftCommand.self,
        ])
}

Verso.startProcess()
Verso.main(W2V.self, Verso.arguments())
