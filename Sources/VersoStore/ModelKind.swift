// The kinds of model that share the store.

public enum ModelKind: String, Sendable, CaseIterable, Codable {
    case charnn, w2v, markov, docs, mixture, phrases

    public var displayName: String {
        switch self {
        case .charnn: "char-RNN"
        case .w2v: "word2vec"
        case .markov: "Markov"
        case .docs: "document-vector"
        case .mixture: "mixture"
        case .phrases: "phrase"
        }
    }
}
