// Named float32 tensors stored as chunked little-endian BLOBs, so a load is a few sequential reads.
import Foundation
import GRDB

public struct Tensor: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var values: [Float]
    public init(name: String, shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "tensor \(name): shape \(shape) does not match \(values.count) values")
        self.name = name; self.shape = shape; self.values = values
    }
}

public enum TensorStore {
    /// Bytes per BLOB chunk: large enough for few reads, small enough for SQLite's page cache.
    public static let chunkBytes = 4 << 20

    // MARK: Writing

    /// Saves `tensor` for a model (and optionally one of its checkpoints), replacing any tensor
    /// of the same name there. NaN or infinity never reaches the store.
    public static func save(_ db: Database, modelID: Int64, checkpointID: Int64? = nil, _ tensor: Tensor) throws {
        if let bad = tensor.values.firstIndex(where: { !$0.isFinite }) {
            throw StoreError("refusing to store tensor \(tensor.name): value \(tensor.values[bad]) at index \(bad) is not finite")
        }
        try delete(db, modelID: modelID, checkpointID: checkpointID, name: tensor.name)
        let shapeJSON = "[" + tensor.shape.map(String.init).joined(separator: ",") + "]"
        let byteCount = tensor.values.count * MemoryLayout<Float>.size
        try db.execute(sql: """
            INSERT INTO tensors (model_id, checkpoint_id, name, shape_json, dtype, byte_count)
            VALUES (?, ?, ?, ?, 'float32', ?)
            """, arguments: [modelID, checkpointID, tensor.name, shapeJSON, byteCount])
        let tensorID = db.lastInsertedRowID
        let perChunk = chunkBytes / MemoryLayout<Float>.size
        try tensor.values.withUnsafeBufferPointer { buf in
            var seq = 0
            var start = 0
            repeat {
                let end = min(start + perChunk, buf.count)
                let data = Data(buffer: UnsafeBufferPointer(rebasing: buf[start..<end]))
                try db.execute(sql: "INSERT INTO tensor_chunks (tensor_id, seq, data) VALUES (?, ?, ?)",
                               arguments: [tensorID, seq, data])
                seq += 1
                start = end
            } while start < buf.count
        }
    }

    public static func delete(_ db: Database, modelID: Int64, checkpointID: Int64?, name: String) throws {
        try db.execute(sql: "DELETE FROM tensors WHERE model_id = ? AND checkpoint_id IS ? AND name = ?",
                       arguments: [modelID, checkpointID, name])
    }

    // MARK: Reading

    public static func load(_ db: Database, modelID: Int64, checkpointID: Int64? = nil, name: String) throws -> Tensor {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT id, shape_json, byte_count FROM tensors
            WHERE model_id = ? AND checkpoint_id IS ? AND name = ?
            """, arguments: [modelID, checkpointID, name]) else {
            throw StoreError("tensor \(name) is missing from the store")
        }
        let id: Int64 = row["id"]
        let shapeJSON: String = row["shape_json"]
        let byteCount: Int = row["byte_count"]
        let shape = shapeJSON.dropFirst().dropLast().split(separator: ",").compactMap { Int($0) }
        var values = [Float](repeating: 0, count: byteCount / MemoryLayout<Float>.size)
        var offset = 0
        let chunks = try Data.fetchCursor(db, sql: "SELECT data FROM tensor_chunks WHERE tensor_id = ? ORDER BY seq",
                                          arguments: [id])
        try values.withUnsafeMutableBytes { dest in
            while let chunk = try chunks.next() {
                guard offset + chunk.count <= dest.count else { throw StoreError("tensor \(name) is corrupt: too many bytes") }
                chunk.copyBytes(to: UnsafeMutableRawBufferPointer(rebasing: dest[offset..<offset + chunk.count]))
                offset += chunk.count
            }
        }
        guard offset == byteCount, shape.reduce(1, *) == values.count else {
            throw StoreError("tensor \(name) is corrupt: \(offset) of \(byteCount) bytes")
        }
        return Tensor(name: name, shape: shape, values: values)
    }

    /// Bytes of all tensors of a model, for listings.
    public static func totalBytes(_ db: Database, modelID: Int64) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(byte_count), 0) FROM tensors WHERE model_id = ?",
                           arguments: [modelID]) ?? 0
    }
}
