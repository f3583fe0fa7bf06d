// The training text kept with a char-RNN or Markov model (zlib), so copy checks need no corpus file.
import CZlib
import Foundation

public enum TrainingText {
    static let artifactName = "training-text"
    static let mediaType = "text/plain; charset=utf-8; zlib"

    /// A training text compressed as the store keeps it: its UTF-8 length (8 bytes, little-endian),
    /// then its zlib stream. The bytes wait in an unlinked temporary file, not in memory, and go
    /// into the store in pieces: a 1 GB corpus costs its trainer no more memory than a small one.
    public final class Compressed: @unchecked Sendable {
        let file: Int32
        public let byteCount: Int

        init(file: Int32, byteCount: Int) {
            self.file = file
            self.byteCount = byteCount
        }

        deinit { close(file) }

        /// `count` bytes from `offset`.
        func read(offset: Int, count: Int) throws -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: count)
            var done = 0
            while done < count {
                let n = bytes.withUnsafeMutableBytes {
                    pread(file, $0.baseAddress! + done, count - done, off_t(offset + done))
                }
                guard n > 0 else { throw StoreError("cannot read the compressed training text back (\(errnoText()))") }
                done += n
            }
            return bytes
        }

        /// All of it (small texts, and tests).
        public var bytes: [UInt8] { get throws { try read(offset: 0, count: byteCount) } }
    }

    /// The whole text at once.
    public static func compress(_ text: String) throws -> Compressed {
        let writer = try Writer()
        try writer.append(text)
        return try writer.finish()
    }

    /// Compresses a training text as it is read: the trainer holds neither the text nor its
    /// compressed bytes.
    public final class Writer {
        private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        private let file: Int32
        private var written = 8  // the length goes first, once known
        private var length: UInt64 = 0
        private var chunk = [UInt8](repeating: 0, count: 1 << 16)
        private var finished = false

        public init() throws {
            var template = Array((NSTemporaryDirectory() + "/verso-training-text-XXXXXX").utf8CString)
            file = mkstemp(&template)
            guard file >= 0 else {
                stream.deallocate()
                throw StoreError("cannot make a temporary file for the training text (\(errnoText()))")
            }
            unlink(String(cString: template))  // gone with the process, whatever happens
            stream.initialize(to: z_stream())
            guard deflateInit_(stream, 6, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                close(file)
                stream.deallocate()
                throw StoreError("cannot start compressing the training text (zlib)")
            }
        }

        deinit {
            deflateEnd(stream)
            stream.deallocate()
            if !finished { close(file) }
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

        /// The compressed text, for `NewModel.trainingText`; the writer is done.
        public func finish() throws -> Compressed {
            precondition(!finished, "a training text is finished once")
            try deflate(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH)
            try withUnsafeBytes(of: length.littleEndian) { try write($0, at: 0) }
            finished = true
            return Compressed(file: file, byteCount: written)
        }

        private func deflate(_ input: UnsafeRawBufferPointer, flush: Int32) throws {
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
                try chunk.withUnsafeBytes { try write(UnsafeRawBufferPointer(rebasing: $0[..<produced]), at: written) }
                written += produced
                let full = produced == chunk.count
                if flush == Z_FINISH ? status == Z_STREAM_END : stream.pointee.avail_in == 0 && !full { return }
            }
        }

        private func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) throws {
            var done = 0
            while done < bytes.count {
                let n = pwrite(file, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
                guard n > 0 else {
                    throw StoreError("cannot write the training text's temporary file (\(errnoText()))")
                }
                done += n
            }
        }
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

private func errnoText() -> String { String(cString: strerror(errno)) }

extension ModelReader {
    /// The text the model was trained on (its training split), or nil for a model trained
    /// before Verso kept it.
    public func trainingText(of model: StoredModel) throws -> String? {
        try artifact(TrainingText.artifactName, of: model).map(TrainingText.decompress)
    }
}
