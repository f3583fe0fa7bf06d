// Verso's forward and backward against PyTorch's, from a committed fixture (scripts/torch/make-reference).
import Foundation
import Testing
import VersoNN
@testable import CharRNN

/// As llm.c checks its layers: the fixture holds a tiny 2-layer LSTM, GRU and RNN written by
/// PyTorch (weights in nn.LSTM's layout, with the vocabulary but no Verso config), one batch, and
/// PyTorch's float64 loss and gradients. Importing the weights and running Verso's own forward and
/// backward on the batch must give the same loss to 1e-5 and every gradient within 1e-4 of the
/// tensor's largest value. A wrong gate order, bias convention or cell formula fails here even
/// when the finite-difference checks pass.
@Suite struct TorchReferenceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func file(_ name: String) throws -> Safetensors {
        try Safetensors(contentsOf: fixtures.appendingPathComponent(name).path)
    }

    @Test(arguments: CellKind.allCases)
    func lossAndGradientsEqualPyTorchs(cell: CellKind) throws {
        let imported = try TorchExchange.read(try Self.file("torch-\(cell.rawValue).safetensors"))
        let reference = try Self.file("torch-\(cell.rawValue)-grads.safetensors")
        #expect(imported.config.network.cell == cell && imported.config.network.layers == 2)
        let inputs = try reference.integers(try #require(reference.entry("inputs")))
        let targets = try reference.integers(try #require(reference.entry("targets")))
        let shape = try #require(reference.entry("inputs")).shape  // [T, B]: row t·B + b, as Verso orders rows
        let network = imported.network
        network.prepare(steps: shape[0], batch: shape[1])
        network.resetState()
        network.params.grads.zero()
        let ids = inputs.map { Int32($0) }, next = targets.map { Int32($0) }
        let (loss, count) = network.forward(inputs: ids, targets: next, dropoutRNG: nil)
        network.backward(inputs: ids, targets: next, scale: 1 / Float(count))
        #expect(count == ids.count)
        let torchLoss = try #require(reference.metadata["loss"].flatMap(Double.init))
        #expect(abs(loss / Double(count) - torchLoss) <= 1e-5, "loss \(loss / Double(count)) against \(torchLoss)")

        let grads = TorchExchange.tensors(of: network, gradients: true)
        let byName = Dictionary(uniqueKeysWithValues: grads.map { ($0.name, $0) })
        for tensor in grads {
            let expectedEntry = try #require(reference.entry("grad." + tensor.name), "no grad.\(tensor.name)")
            #expect(expectedEntry.shape == tensor.shape)
            var expected = try reference.floats(expectedEntry)
            var actual = tensor.values
            if tensor.name.hasPrefix("bias_hh") {
                // Verso's one bias gets the gradient of both of PyTorch's; bias_hh's equals bias_ih's,
                // except in the GRU's n part (inside the reset gate), which Verso does not have.
                actual = byName["bias_ih" + tensor.name.dropFirst("bias_hh".count)]!.values
                if cell == .gru {
                    let kept = 2 * imported.config.network.hidden
                    actual = Array(actual[..<kept])
                    expected = Array(expected[..<kept])
                }
            }
            let scale = expected.map(abs).max() ?? 0
            let error = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
            #expect(scale > 0, "\(tensor.name): PyTorch's gradient is all zero, the check would prove nothing")
            #expect(error <= 1e-4 * scale, "\(cell) \(tensor.name): max error \(error) for largest \(scale)")
        }
    }

    /// The fixture's weights go into the store's layout and back out bit for bit.
    @Test(arguments: CellKind.allCases)
    func pyTorchWeightsComeBackOutUnchanged(cell: CellKind) throws {
        let file = try Self.file("torch-\(cell.rawValue).safetensors")
        let imported = try TorchExchange.read(file)
        for tensor in TorchExchange.tensors(of: imported.network) where !tensor.name.hasPrefix("bias") {
            let original = try file.floats(try #require(file.entry(tensor.name)))
            #expect(original.map(\.bitPattern) == tensor.values.map(\.bitPattern), "\(tensor.name)")
        }
        #expect(imported.vocabulary.symbols == Array("\n ,.abcdefg").map(String.init))
    }
}
