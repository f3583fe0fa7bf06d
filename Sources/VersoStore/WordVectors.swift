// The plain values of word vectors and their nearest-neighbour index, as the store keeps them.
import Foundation

/// A word2vec model's vectors: each word's unit vector and norm (its raw vector is norm × unit).
/// One float32 copy: queries read unit rows, exports rebuild the raw rows.
public struct WordVectors: Sendable {
    public let dim: Int
    public let unit: [Float]  // V × dim, row-major; zero vectors stay zero
    public let norms: [Float]  // V

    public init(dim: Int, unit: [Float], norms: [Float]) {
        precondition(unit.count == norms.count * dim, "word vectors: \(unit.count) values for \(norms.count) rows")
        self.dim = dim
        self.unit = unit
        self.norms = norms
    }
}

/// One word's row as a query reads it.
public struct WordRow: Sendable, Equatable {
    public let id: Int32
    public let word: String
    public let unit: [Float]

    public init(id: Int32, word: String, unit: [Float]) {
        self.id = id
        self.word = word
        self.unit = unit
    }

    /// The id of a row made for a word outside the vocabulary (a subword model's n-gram vector).
    public static let outOfVocabularyID: Int32 = -1
    public var isOutOfVocabulary: Bool { id == WordRow.outOfVocabularyID }
}

/// Recall@10 against exact search at one probe count, measured when the index was built.
public struct ProbeRecall: Codable, Sendable, Equatable {
    public let probe: Int
    public let recall: Double
    public init(probe: Int, recall: Double) {
        self.probe = probe
        self.recall = recall
    }
}

/// What an IVF index says of itself: its shape, its default probe count and measured recall, the
/// fingerprint of the rows it was built from, and its centroids (lists × dim, unit rows).
public struct VectorIndexHeader: Sendable, Equatable {
    public let method: String
    public let rows: Int
    public let dim: Int
    public let lists: Int
    public let probe: Int
    public let recallAt10: Double
    public let recallCurve: [ProbeRecall]
    public let fingerprint: String
    public let centroids: [Float]

    public init(
        method: String, rows: Int, dim: Int, lists: Int, probe: Int, recallAt10: Double,
        recallCurve: [ProbeRecall], fingerprint: String, centroids: [Float]
    ) {
        self.method = method
        self.rows = rows
        self.dim = dim
        self.lists = lists
        self.probe = probe
        self.recallAt10 = recallAt10
        self.recallCurve = recallCurve
        self.fingerprint = fingerprint
        self.centroids = centroids
    }
}

/// One inverted list: the ids of the rows nearest its centroid, and those rows quantised to int8
/// with one scale per row (row ≈ scale × code).
public struct VectorList: Sendable, Equatable {
    public let ids: [Int32]
    public let scales: [Float]
    public let codes: [Int8]  // ids.count × dim

    public init(ids: [Int32], scales: [Float], codes: [Int8]) {
        self.ids = ids
        self.scales = scales
        self.codes = codes
    }

    /// A list as the store's BLOBs hold it (little-endian int32, float32, int8), whatever their
    /// lengths: checking them against the index is the reader's job (and what is fuzzed).
    public init<Bytes: ContiguousBytes>(idsBlob: Bytes, scalesBlob: Bytes, codesBlob: Bytes) {
        self.init(
            ids: BlobValues.decode(idsBlob), scales: BlobValues.decode(scalesBlob), codes: BlobValues.decode(codesBlob))
    }
}

/// Arrays of fixed-size values to and from the store's little-endian BLOBs.
public enum BlobValues {
    /// The whole values of `bytes`, copied once (a trailing partial value is dropped).
    public static func decode<T: BitwiseCopyable, Bytes: ContiguousBytes>(_ bytes: Bytes) -> [T] {
        bytes.withUnsafeBytes { raw in
            let count = raw.count / MemoryLayout<T>.stride
            return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: raw[0..<count * MemoryLayout<T>.stride]))
                initialized = count
            }
        }
    }
}

/// A whole index, as it is written.
public struct VectorIndex: Sendable {
    public let header: VectorIndexHeader
    public let lists: [VectorList]

    public init(header: VectorIndexHeader, lists: [VectorList]) {
        self.header = header
        self.lists = lists
    }
}
