// The training text kept with a char-RNN or Markov model (zlib), so copy checks need no corpus file.
import CZlib
import Foundation

public enum TrainingText {
    static let artifactName = "training-text"
    static let mediaType = "text/plain; charset=utf-8; zlib"

    /// The text's UTF-8 length (8 bytes, little-endian), then its zlib stream.
    public static func compress(_ text: String) throws -> Blob {
        let input = Array(text.utf8)
        var size = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: 8 + Int(size))
        withUnsafeBytes(of: UInt64(input.count).littleEndian) { output.replaceSubrange(0..<8, with: $0) }
        let status = output.withUnsafeMutableBufferPointer { out in
            compress2(out.baseAddress! + 8, &size, input, uLong(input.count), 6)
        }
        guard status == Z_OK else { throw StoreError("cannot compress the training text (zlib status \(status))") }
        return Blob(name: artifactName, dtype: mediaType, bytes: Array(output.prefix(8 + Int(size))))
    }

    static func decompress(_ bytes: [UInt8]) throws -> String {
        guard bytes.count >= 8 else { throw StoreError("the stored training text is truncated") }
        let length = bytes.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length < 1 << 34 else { throw StoreError("the stored training text is corrupt") }
        var size = uLongf(length)
        var output = [UInt8](repeating: 0, count: Int(length))
        let status = bytes.withUnsafeBufferPointer { b in
            output.withUnsafeMutableBufferPointer {
                uncompress($0.baseAddress, &size, b.baseAddress! + 8, uLong(b.count - 8))
            }
        }
        guard status == Z_OK, size == uLongf(length) else { throw StoreError("the stored training text is corrupt") }
        return String(decoding: output, as: UTF8.self)
    }
}

extension TrainingText {
    /// Compresses a training text as it is read, so that a trainer holds only the compressed
    /// bytes (about a third of a text's size), never the text: what `compress` writes, a piece
    /// at a time.
    public final class Writer {
        private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        private var output: [UInt8] = Array(repeating: 0, count: 8)  // the length goes first
        private var length: UInt64 = 0
        private var finished = false

        public init() throws {
            stream.initialize(to: z_stream())
            guard deflateInit_(stream, 6, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                stream.deallocate()
                throw StoreError("cannot start compressing the training text (zlib)")
            }
        }

        deinit {
            deflateEnd(stream)
            stream.deallocate()
        }

        /// Adds the next bytes of the text.
        public func append(_ bytes: UnsafeRawBufferPointer) throws {
            length += UInt64(bytes.count)
            try deflate(bytes, flush: Z_NO_FLUSH)
        }

        public func append(_ text: String) throws {
            var text = text
            try text.withUTF8 { try append(UnsafeRawBufferPointer($0)) }
        }

        /// The compressed text, for `NewModel.trainingText`.
        public func finish() throws -> Blob {
            precondition(!finished, "a training text is finished once")
            finished = true
            try deflate(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH)
            withUnsafeBytes(of: length.littleEndian) { output.replaceSubrange(0..<8, with: $0) }
            return Blob(name: artifactName, dtype: mediaType, bytes: output)
        }

        private func deflate(_ input: UnsafeRawBufferPointer, flush: Int32) throws {
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            stream.pointee.next_in = UnsafeMutablePointer(
                mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(input.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = uInt(out.count)
                    let status = CZlib.deflate(stream, flush)
                    return (status, out.count - Int(stream.pointee.avail_out))
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                    throw StoreError("cannot compress the training text (zlib status \(status))")
                }
                output.append(contentsOf: chunk[..<produced])
                let done =
                    flush == Z_FINISH ? status == Z_STREAM_END : stream.pointee.avail_in == 0 && produced < chunk.count
                if done { return }
            }
        }
    }
}

extension ModelReader {
    /// The text the model was trained on (its training split), or nil for a model trained
    /// before Verso kept it.
    public func trainingText(of model: StoredModel) throws -> String? {
        try artifact(TrainingText.artifactName, of: model).map(TrainingText.decompress)
    }
}
