// The repository's word-vector side: a query reads one word's row, a few lists, a few candidates.
import Foundation
import GRDB

extension Store {
    /// Replaces a word2vec model's index in one transaction (the model itself is untouched).
    public func saveVectorIndex(_ index: VectorIndex, for model: StoredModel) throws {
        try writeDatabase { db in
            guard try ModelRecord.fetchOne(db, key: model.id) != nil else {
                throw StoreError("model '\(model.name)' was removed while its index was built")
            }
            try VectorIndexTable.save(db, modelID: model.id, index)
        }
    }
}

extension ModelReader {
    /// One word's id and unit vector (through the SQL index on the vocabulary), or nil.
    public func wordRow(_ word: String, of model: StoredModel) throws -> WordRow? {
        try WordVectorTable.row(db, modelID: model.id, word: word)
    }

    /// The unit rows of the `limit` most frequent words (all without one), copied into memory
    /// that `allocate(rows)` returns; returns the row count.
    public func unitMatrix(
        of model: StoredModel, dim: Int, limit: Int? = nil, into allocate: (Int) -> UnsafeMutablePointer<Float>
    ) throws -> Int {
        try WordVectorTable.matrix(db, modelID: model.id, dim: dim, limit: limit, into: allocate)
    }

    public func vectorNorms(of model: StoredModel) throws -> [Float] {
        try WordVectorTable.norms(db, modelID: model.id)
    }

    /// The `limit` most frequent words, most frequent first.
    public func frequentWords(of model: StoredModel, limit: Int) throws -> [String] {
        try WordVectorTable.tokens(db, modelID: model.id, limit: limit)
    }

    /// The model's index header, with its recall curve unless `withCurve` is false.
    public func vectorIndexHeader(of model: StoredModel, withCurve: Bool = true) throws -> VectorIndexHeader? {
        try VectorIndexTable.header(db, modelID: model.id, withCurve: withCurve)
    }

    /// The inverted lists numbered `numbers`, in that order (nil for a list the store lacks).
    public func vectorLists(_ numbers: [Int], of model: StoredModel) throws -> [VectorList?] {
        try VectorIndexTable.lists(db, modelID: model.id, numbers: numbers)
    }
}
