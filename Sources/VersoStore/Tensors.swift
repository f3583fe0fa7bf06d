// Named float32 tensors stored as chunked little-endian BLOBs, so a load is a few sequential reads.
import Foundation
import GRDB

public struct Tensor: Sendable, Equatable {
    public var name: String
    public var shape: [Int]
    public var values: [Float]
    public init(name: String, shape: [Int], values: [Float]) {
        precondition(
            shape.reduce(1, *) == values.count, "tensor \(name): shape \(shape) does not match \(values.count) values")
        self.name = name
        self.shape = shape
        self.values = values
    }
}

enum TensorStore {
    /// Bytes per BLOB chunk: large enough for few reads, small enough for SQLite's page cache.
    static let chunkBytes = 4 << 20

    // MARK: Writing

    /// Saves `tensor` for a model (and optionally one of its checkpoints), replacing any tensor
    /// of the same name there. NaN or infinity never reaches the store.
    static func save(_ db: Database, modelID: Int64, checkpointID: Int64? = nil, _ tensor: Tensor) throws {
        if let bad = tensor.values.firstIndex(where: { !$0.isFinite }) {
            throw StoreError(
                "refusing to store tensor \(tensor.name): value \(tensor.values[bad]) at index \(bad) is not finite")
        }
        try tensor.values.withUnsafeBytes { bytes in
            try saveRaw(
                db, modelID: modelID, checkpointID: checkpointID, name: tensor.name,
                shape: tensor.shape, dtype: "float32", bytes: bytes)
        }
    }

    /// Saves opaque bytes (e.g. a model's word list as UTF-8) with the same chunking as tensors.
    static func saveBytes(
        _ db: Database, modelID: Int64, checkpointID: Int64? = nil, name: String,
        dtype: String, _ data: [UInt8]
    ) throws {
        try data.withUnsafeBytes { bytes in
            try saveRaw(
                db, modelID: modelID, checkpointID: checkpointID, name: name, shape: [data.count],
                dtype: dtype, bytes: bytes)
        }
    }

    static func saveRaw(
        _ db: Database, modelID: Int64, checkpointID: Int64?, name: String, shape: [Int],
        dtype: String, bytes: UnsafeRawBufferPointer
    ) throws {
        try delete(db, modelID: modelID, checkpointID: checkpointID, name: name)
        let shapeJSON = "[" + shape.map(String.init).joined(separator: ",") + "]"
        try db.execute(
            sql: """
                INSERT INTO tensors (model_id, checkpoint_id, name, shape_json, dtype, byte_count)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [modelID, checkpointID, name, shapeJSON, dtype, bytes.count])
        let tensorID = db.lastInsertedRowID
        var seq = 0, start = 0
        repeat {
            let end = min(start + chunkBytes, bytes.count)
            let data = Data(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            try db.execute(
                sql: "INSERT INTO tensor_chunks (tensor_id, seq, data) VALUES (?, ?, ?)",
                arguments: [tensorID, seq, data])
            seq += 1
            start = end
        } while start < bytes.count
    }

    static func delete(_ db: Database, modelID: Int64, checkpointID: Int64?, name: String) throws {
        try db.execute(
            sql: "DELETE FROM tensors WHERE model_id = ? AND checkpoint_id IS ? AND name = ?",
            arguments: [modelID, checkpointID, name])
    }

    // MARK: Reading

    static func load(_ db: Database, modelID: Int64, checkpointID: Int64? = nil, name: String) throws -> Tensor {
        var values: [Float] = []
        let shape = try loadRaw(db, modelID: modelID, checkpointID: checkpointID, name: name) { byteCount, fill in
            values = [Float](repeating: 0, count: byteCount / MemoryLayout<Float>.size)
            try values.withUnsafeMutableBytes { try fill($0) }
        }
        guard shape.reduce(1, *) == values.count else { throw StoreError("tensor \(name) is corrupt: shape \(shape)") }
        return Tensor(name: name, shape: shape, values: values)
    }

    /// Loads tensor `name` straight into memory that `allocate(byteCount)` returns (one copy, no
    /// intermediate array: what makes a large matrix load fast). Returns the shape.
    static func load(
        _ db: Database, modelID: Int64, checkpointID: Int64? = nil, name: String,
        into allocate: (Int) -> UnsafeMutableRawBufferPointer
    ) throws -> [Int] {
        try loadRaw(db, modelID: modelID, checkpointID: checkpointID, name: name) { byteCount, fill in
            try fill(allocate(byteCount))
        }
    }

    static func loadBytes(_ db: Database, modelID: Int64, checkpointID: Int64? = nil, name: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        _ = try loadRaw(db, modelID: modelID, checkpointID: checkpointID, name: name) { byteCount, fill in
            bytes = [UInt8](repeating: 0, count: byteCount)
            try bytes.withUnsafeMutableBytes { try fill($0) }
        }
        return bytes
    }

    /// Finds tensor `name`, lets `allocate` size the destination, then copies the chunks into it.
    static func loadRaw(
        _ db: Database, modelID: Int64, checkpointID: Int64?, name: String,
        allocate: (Int, (UnsafeMutableRawBufferPointer) throws -> Void) throws -> Void
    ) throws -> [Int] {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT id, shape_json, byte_count FROM tensors
                    WHERE model_id = ? AND checkpoint_id IS ? AND name = ?
                    """, arguments: [modelID, checkpointID, name])
        else {
            throw StoreError("tensor \(name) is missing from the store")
        }
        let id: Int64 = row["id"]
        let shapeJSON: String = row["shape_json"]
        let byteCount: Int = row["byte_count"]
        let shape = shapeJSON.dropFirst().dropLast().split(separator: ",").compactMap { Int($0) }
        try allocate(byteCount) { dest in
            var offset = 0
            // Each chunk is copied once, straight from SQLite's buffer (no intermediate Data).
            let rows = try Row.fetchCursor(
                db, sql: "SELECT data FROM tensor_chunks WHERE tensor_id = ? ORDER BY seq",
                arguments: [id])
            while let row = try rows.next() {
                try row.withUnsafeData(atIndex: 0) { data in
                    guard let chunk = data else { return }
                    guard offset + chunk.count <= dest.count else {
                        throw StoreError("tensor \(name) is corrupt: too many bytes")
                    }
                    chunk.copyBytes(to: UnsafeMutableRawBufferPointer(rebasing: dest[offset..<offset + chunk.count]))
                    offset += chunk.count
                }
            }
            guard offset == byteCount else {
                throw StoreError("tensor \(name) is corrupt: \(offset) of \(byteCount) bytes")
            }
        }
        return shape
    }

    /// Bytes of all tensors of a model, for listings.
    static func totalBytes(_ db: Database, modelID: Int64) throws -> Int64 {
        try Int64.fetchOne(
            db, sql: "SELECT COALESCE(SUM(byte_count), 0) FROM tensors WHERE model_id = ?",
            arguments: [modelID]) ?? 0
    }
}
