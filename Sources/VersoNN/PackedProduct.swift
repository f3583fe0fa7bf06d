// Products by a weight matrix that is fixed for a whole chunk: oneDNN's matmul on weights packed once.
import CDNNL

/// Y[M×N] = X[M×K] · W (or Y += X · W), where W is a K×N weight matrix, or the transpose of a
/// stored N×K one. `pack` copies W into oneDNN's blocked layout once per chunk; every `multiply`
/// of that chunk then reads it as it is. One LSTM time step (25 × 2048 × 512 on one core) runs at
/// 210–220 GFLOP/s this way, against 125–175 for `dnnl_sgemm`, which repacks W on every call
/// (scripts/bench-gemm). Like `BLAS`, each product runs on its caller's thread; an instance belongs
/// to one thread at a time, and its results do not depend on any other work in the process.
final class PackedProduct {
    let rows: Int, inner: Int, columns: Int
    private let primitive: dnnl_primitive_t
    private let reorder: dnnl_primitive_t
    private let stream: dnnl_stream_t
    // The user's X, Y and W (handles set on each call), the packed W, and the primitive's scratchpad.
    private let source: dnnl_memory_t, destination: dnnl_memory_t, weights: dnnl_memory_t
    private let packed: dnnl_memory_t, scratchpad: dnnl_memory_t
    private let packedStorage: UnsafeMutableRawPointer, scratchStorage: UnsafeMutableRawPointer

    /// `transposedWeights`: W is the transpose of the row-major N×K matrix that `pack` is given.
    /// `accumulate`: Y += X·W instead of Y = X·W.
    init(rows M: Int, inner K: Int, columns N: Int, transposedWeights: Bool = false, accumulate: Bool = false) {
        precondition(M > 0 && K > 0 && N > 0, "an empty product \(M)×\(K)×\(N)")
        rows = M
        inner = K
        columns = N
        BLAS.oneThreadPerCall()  // the kernels oneDNN picks depend on the threads it may use
        let engine = OneDNN.engine
        let sourceMD = OneDNN.descriptor([M, K], tag: dnnl_ab)
        let destinationMD = OneDNN.descriptor([M, N], tag: dnnl_ab)
        let weightsMD = OneDNN.descriptor([K, N], tag: transposedWeights ? dnnl_ba : dnnl_ab)
        var anyWeightsMD = OneDNN.descriptor([K, N], tag: dnnl_format_tag_any)

        var attributes: dnnl_primitive_attr_t?
        OneDNN.check(dnnl_primitive_attr_create(&attributes), "attributes")
        defer { dnnl_primitive_attr_destroy(attributes) }
        OneDNN.check(dnnl_primitive_attr_set_scratchpad_mode(attributes, dnnl_scratchpad_mode_user), "scratchpad")
        if accumulate {
            var postOps: dnnl_post_ops_t?
            OneDNN.check(dnnl_post_ops_create(&postOps), "post-ops")
            defer { dnnl_post_ops_destroy(postOps) }
            OneDNN.check(dnnl_post_ops_append_sum(postOps, 1), "sum post-op")
            OneDNN.check(dnnl_primitive_attr_set_post_ops(attributes, postOps), "post-ops")
        }
        var description = dnnl_matmul_desc_t()
        var sourceCopy = sourceMD, destinationCopy = destinationMD
        OneDNN.check(
            dnnl_matmul_desc_init(&description, &sourceCopy, &anyWeightsMD, nil, &destinationCopy),
            "matmul \(M)×\(K)×\(N)")
        var matmulPD: dnnl_primitive_desc_t?
        OneDNN.check(
            dnnl_primitive_desc_create(&matmulPD, &description, attributes, engine, nil), "matmul \(M)×\(K)×\(N)")
        defer { dnnl_primitive_desc_destroy(matmulPD) }
        var packedMD = dnnl_primitive_desc_query_md(matmulPD, dnnl_query_weights_md, 0)!.pointee
        var scratchMD = dnnl_primitive_desc_query_md(matmulPD, dnnl_query_scratchpad_md, 0)!.pointee
        var made: dnnl_primitive_t?
        OneDNN.check(dnnl_primitive_create(&made, matmulPD), "matmul primitive")
        primitive = made!

        var userWeightsMD = weightsMD
        var reorderPD: dnnl_primitive_desc_t?
        OneDNN.check(
            dnnl_reorder_primitive_desc_create(&reorderPD, &userWeightsMD, engine, &packedMD, engine, nil), "reorder")
        defer { dnnl_primitive_desc_destroy(reorderPD) }
        OneDNN.check(dnnl_primitive_create(&made, reorderPD), "reorder primitive")
        reorder = made!

        packedStorage = .allocate(byteCount: max(dnnl_memory_desc_get_size(&packedMD), 64), alignment: 64)
        scratchStorage = .allocate(byteCount: max(dnnl_memory_desc_get_size(&scratchMD), 64), alignment: 64)
        source = OneDNN.memory(sourceMD, nil)
        destination = OneDNN.memory(destinationMD, nil)
        weights = OneDNN.memory(weightsMD, nil)
        packed = OneDNN.memory(packedMD, packedStorage)
        scratchpad = OneDNN.memory(scratchMD, scratchStorage)
        var madeStream: dnnl_stream_t?
        OneDNN.check(dnnl_stream_create(&madeStream, engine, dnnl_stream_default_flags.rawValue), "stream")
        stream = madeStream!
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_destroy(reorder)
        dnnl_stream_destroy(stream)
        for memory in [source, destination, weights, packed, scratchpad] { dnnl_memory_destroy(memory) }
        packedStorage.deallocate()
        scratchStorage.deallocate()
    }

    /// Packs W (K×N row-major, or N×K when the weights are transposed) for the products that follow.
    func pack(_ w: UnsafePointer<Float>) {
        BLAS.oneThreadPerCall()
        OneDNN.check(dnnl_memory_set_data_handle(weights, UnsafeMutableRawPointer(mutating: w)), "weights")
        var arguments = [
            dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: weights), dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: packed),
        ]
        OneDNN.check(dnnl_primitive_execute(reorder, stream, 2, &arguments), "packing the weights")
    }

    /// Y = X · W (or Y += X · W) with the W packed last; X is M×K and Y M×N, both row-major and dense.
    func multiply(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>) {
        BLAS.oneThreadPerCall()
        OneDNN.check(dnnl_memory_set_data_handle(source, UnsafeMutableRawPointer(mutating: x)), "source")
        OneDNN.check(dnnl_memory_set_data_handle(destination, y), "destination")
        var arguments = [
            dnnl_exec_arg_t(arg: DNNL_ARG_SRC, memory: source), dnnl_exec_arg_t(arg: DNNL_ARG_WEIGHTS, memory: packed),
            dnnl_exec_arg_t(arg: DNNL_ARG_DST, memory: destination),
            dnnl_exec_arg_t(arg: DNNL_ARG_SCRATCHPAD, memory: scratchpad),
        ]
        OneDNN.check(dnnl_primitive_execute(primitive, stream, 4, &arguments), "matmul \(rows)×\(inner)×\(columns)")
    }
}

/// The CPU engine every primitive is made on, and the C API's small helpers.
enum OneDNN {
    nonisolated(unsafe) static let engine: dnnl_engine_t = {
        var engine: dnnl_engine_t?
        check(dnnl_engine_create(&engine, dnnl_cpu, 0), "the CPU engine")
        return engine!
    }()

    static func descriptor(_ dims: [Int], tag: dnnl_format_tag_t) -> dnnl_memory_desc_t {
        var md = dnnl_memory_desc_t()
        var sizes = dnnl_dims_t(Int64(dims[0]), Int64(dims[1]), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let status = withUnsafePointer(to: &sizes) {
            $0.withMemoryRebound(to: Int64.self, capacity: 2) {
                dnnl_memory_desc_init_by_tag(&md, 2, $0, dnnl_f32, tag)
            }
        }
        check(status, "a \(dims) descriptor")
        return md
    }

    static func memory(_ md: dnnl_memory_desc_t, _ storage: UnsafeMutableRawPointer?) -> dnnl_memory_t {
        var md = md
        var memory: dnnl_memory_t?
        check(dnnl_memory_create(&memory, &md, engine, storage), "memory")
        return memory!
    }

    /// oneDNN refuses only what Verso gets wrong (a shape, an unsupported layout): a programming error.
    static func check(_ status: dnnl_status_t, _ what: @autoclosure () -> String) {
        precondition(status == dnnl_success, "oneDNN refused \(what()): status \(status.rawValue)")
    }
}
