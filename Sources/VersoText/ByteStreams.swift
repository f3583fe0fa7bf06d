// Where corpus bytes come from: files, standard input, and gzip, xz or bzip2 decompressed as read.
#if canImport(Glibc)
    import Glibc
#endif
import CBZip2
import CLZMA
import CZlib

/// Bytes read in order; `read` returns 0 at the end.
protocol ByteStream: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// A file (or standard input, "-") read with read(2); `consumed` counts its bytes, for progress.
final class FileStream: ByteStream {
    let name: String
    let descriptor: Int32
    private(set) var consumed = 0
    /// Sees every byte read, when set (the member's fingerprint).
    var digest: (any MemberDigest)?

    init(path: String) throws {
        name = path == "-" ? "standard input" : path
        descriptor = path == "-" ? STDIN_FILENO : open(path, O_RDONLY)
        guard descriptor >= 0 else { throw TextError("cannot read \(path): \(String(cString: strerror(errno)))") }
    }

    deinit { if descriptor != STDIN_FILENO { close(descriptor) } }

    /// Reads and drops up to 64 KB (so a digest sees the whole file); false at the end.
    func drain() throws -> Bool {
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        return try scratch.withUnsafeMutableBytes { try read(into: $0) } > 0
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if n >= 0 {
                consumed += n
                if n > 0, let digest { digest.update(UnsafeRawBufferPointer(rebasing: buffer[..<n])) }
                return n
            }
            if errno != EINTR { throw TextError("cannot read \(name): \(String(cString: strerror(errno)))") }
        }
    }
}

/// One step of a decompressor: consume some of `input`, write some of `output`, say whether a
/// compressed stream ended there (another may follow: concatenated .gz and .bz2 files).
protocol Decompressor: AnyObject {
    func step(
        _ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer, inputEnds: Bool
    ) throws -> (read: Int, written: Int, streamEnded: Bool)
    /// Ready for the next concatenated stream.
    func restart() throws
    func free()
}

/// A compressed file decompressed as it is read, in 64 KB reads: no temporary copy.
final class DecompressingStream<D: Decompressor>: ByteStream {
    let source: FileStream
    private let decompressor: D
    private let input = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
    private var start = 0, end = 0
    private var sourceDone = false, finished = false

    init(_ source: FileStream, _ decompressor: D) {
        self.source = source
        self.decompressor = decompressor
    }

    deinit {
        decompressor.free()
        input.deallocate()
    }

    func read(into output: UnsafeMutableRawBufferPointer) throws -> Int {
        var written = 0
        while written == 0 && !finished {
            if start == end && !sourceDone { try refill() }
            let step = try decompressor.step(
                UnsafeRawBufferPointer(rebasing: input[start..<end]),
                UnsafeMutableRawBufferPointer(rebasing: output[written...]), inputEnds: sourceDone)
            start += step.read
            written += step.written
            if step.streamEnded {
                if start == end && !sourceDone { try refill() }
                if start == end { finished = true } else { try decompressor.restart() }
            } else if step.read == 0 && step.written == 0 && start == end && sourceDone {
                throw TextError("\(source.name) is truncated: its compressed data ends before its stream does")
            }
        }
        return written
    }

    private func refill() throws {
        start = 0
        end = try source.read(into: input)
        sourceDone = end == 0
    }
}

/// zlib keeps a pointer back to its stream and checks it: each decompressor's stream lives at
/// one heap address for its whole life (a Swift struct would move).
final class GzipDecompressor: Decompressor {
    let name: String
    let z = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)

    init(name: String) throws {
        self.name = name
        z.initialize(to: z_stream())
        try start()
    }

    private func start() throws {
        // 15 + 32: a window of 2^15 and either header, gzip or zlib.
        guard inflateInit2_(z, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw TextError("cannot start decompressing \(name) (zlib)")
        }
    }

    func restart() throws {
        guard inflateReset(z) == Z_OK else { throw TextError("cannot go on decompressing \(name) (zlib)") }
    }

    func step(
        _ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer, inputEnds: Bool
    ) throws -> (read: Int, written: Int, streamEnded: Bool) {
        z.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        z.pointee.avail_in = uInt(input.count)
        z.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        z.pointee.avail_out = uInt(output.count)
        let status = inflate(z, Z_NO_FLUSH)
        let read = input.count - Int(z.pointee.avail_in), written = output.count - Int(z.pointee.avail_out)
        if status == Z_STREAM_END { return (read, written, true) }
        guard status == Z_OK || status == Z_BUF_ERROR else {
            let detail = z.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
            throw TextError("\(name) is not valid gzip data (zlib: \(detail))")
        }
        return (read, written, false)
    }

    func free() {
        inflateEnd(z)
        z.deallocate()
    }
}

final class XzDecompressor: Decompressor {
    let name: String
    let s = UnsafeMutablePointer<lzma_stream>.allocate(capacity: 1)

    init(name: String) throws {
        self.name = name
        s.initialize(to: lzma_stream())
        // Concatenated: one decoder reads every stream of a concatenated .xz file.
        guard lzma_stream_decoder(s, UInt64.max, verso_lzma_concatenated) == LZMA_OK else {
            throw TextError("cannot start decompressing \(name) (liblzma)")
        }
    }

    func restart() throws {}  // the concatenated decoder never reports the end of one stream

    func step(
        _ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer, inputEnds: Bool
    ) throws -> (read: Int, written: Int, streamEnded: Bool) {
        s.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        s.pointee.avail_in = input.count
        s.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: UInt8.self)
        s.pointee.avail_out = output.count
        let status = lzma_code(s, inputEnds ? LZMA_FINISH : LZMA_RUN)
        let read = input.count - s.pointee.avail_in, written = output.count - s.pointee.avail_out
        if status == LZMA_STREAM_END { return (read, written, true) }
        guard status == LZMA_OK || status == LZMA_BUF_ERROR else {
            throw TextError("\(name) is not valid xz data (liblzma status \(status.rawValue))")
        }
        return (read, written, false)
    }

    func free() {
        lzma_end(s)
        s.deallocate()
    }
}

final class Bzip2Decompressor: Decompressor {
    let name: String
    let s = UnsafeMutablePointer<bz_stream>.allocate(capacity: 1)

    init(name: String) throws {
        self.name = name
        s.initialize(to: bz_stream())
        try start()
    }

    private func start() throws {
        guard BZ2_bzDecompressInit(s, 0, 0) == BZ_OK else {
            throw TextError("cannot start decompressing \(name) (libbz2)")
        }
    }

    func restart() throws {
        BZ2_bzDecompressEnd(s)
        s.pointee = bz_stream()
        try start()
    }

    func step(
        _ input: UnsafeRawBufferPointer, _ output: UnsafeMutableRawBufferPointer, inputEnds: Bool
    ) throws -> (read: Int, written: Int, streamEnded: Bool) {
        s.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: CChar.self))
        s.pointee.avail_in = UInt32(input.count)
        s.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: CChar.self)
        s.pointee.avail_out = UInt32(output.count)
        let status = BZ2_bzDecompress(s)
        let read = input.count - Int(s.pointee.avail_in), written = output.count - Int(s.pointee.avail_out)
        if status == BZ_STREAM_END { return (read, written, true) }
        guard status == BZ_OK else { throw TextError("\(name) is not valid bzip2 data (libbz2 status \(status))") }
        return (read, written, false)
    }

    func free() {
        BZ2_bzDecompressEnd(s)
        s.deallocate()
    }
}

/// Opens one corpus member: decompressed by its extension (.gz, .xz, .bz2), else as it is.
func openMember(_ path: String) throws -> (stream: ByteStream, file: FileStream) {
    let file = try FileStream(path: path)
    if path.hasSuffix(".gz") { return (DecompressingStream(file, try GzipDecompressor(name: path)), file) }
    if path.hasSuffix(".xz") { return (DecompressingStream(file, try XzDecompressor(name: path)), file) }
    if path.hasSuffix(".bz2") { return (DecompressingStream(file, try Bzip2Decompressor(name: path)), file) }
    return (file, file)
}
