// Fuzz body for the safetensors reader and the char-RNN import on top of it (issue 17).
import CharRNN
import Foundation
import VersoNN

extension FuzzBodies {
    /// Any bytes give a file or an error; a file that parses has tensors tiling its data, each
    /// readable at its shape; a model that imports exports again and imports to the same weights.
    public static func safetensors(_ bytes: [UInt8]) {
        guard let file = try? Safetensors(data: Data(bytes)) else { return }
        var end = 0
        for entry in file.entries {
            let values: Int
            switch entry.dtype {
            case .i32, .i64: values = (try? file.integers(entry))?.count ?? -1
            default: values = (try? file.floats(entry))?.count ?? -1
            }
            precondition(values == entry.count, "tensor \(entry.name) does not read at its shape")
            end += entry.count * entry.dtype.size
        }
        precondition(8 + end <= bytes.count, "the tensors claim more bytes than the file has")
        guard let imported = try? TorchExchange.read(file) else { return }
        let tensors = TorchExchange.tensors(of: imported.network)
        let again = Safetensors.encode(tensors, metadata: file.metadata)
        guard let back = try? TorchExchange.read(try Safetensors(data: again)) else {
            preconditionFailure("an imported model does not import again once exported")
        }
        precondition(
            back.network.params.values.array.map(\.bitPattern)
                == imported.network.params.values.array.map(\.bitPattern),
            "export and import changed a weight")
    }
}
