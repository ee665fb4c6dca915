import Foundation

/// Moving a model's weights through `.npz` files, the format PyTorch users can produce with one line.
///
/// Loading is PyTorch's `load_state_dict(strict=True)`: every parameter must be in the file with
/// the model's shape and the file may hold nothing else. Everything is checked before anything is
/// copied, so a failed load leaves the model as it was, and the error lists *all* the differences
/// at once (missing, unexpected, wrong shape) rather than the first — fixing a name mapping is
/// much easier when you see the whole picture.
extension Module {
    /// Replaces this module's parameters with the arrays of the `.npz` at `url`, matched by name.
    public func loadWeights(npz url: URL) throws(NPYError) {
        try loadWeights(NPZ.read(contentsOf: url), source: url.path)
    }

    /// Writes this module's parameters to `url` as an `.npz`, named and ordered like PyTorch's
    /// `state_dict`, so `model.load_state_dict({k: torch.from_numpy(v) for k, v in np.load(path).items()})`
    /// works on the other side.
    public func saveWeights(npz url: URL, dtype: NPYDType = .float64) throws(NPYError) {
        try NPZ.write(stateDict(), to: url, dtype: dtype)
    }

    /// Loads named arrays already read from `source` (the shared half of ``loadWeights(npz:)``).
    func loadWeights(_ entries: [(name: String, tensor: Tensor)], source: String) throws(NPYError) {
        let own = namedParameters
        var file: [String: Tensor] = [:]
        for (name, tensor) in entries { file[name] = tensor }
        let missing = own.map(\.name).filter { file[$0] == nil }
        let ownNames = Set(own.map(\.name))
        let unexpected = entries.map(\.name).filter { !ownNames.contains($0) }
        let wrongShapes = own.compactMap { name, tensor -> ParameterShapeMismatch? in
            guard let found = file[name], found.shape != tensor.shape else { return nil }
            return ParameterShapeMismatch(name: name, expected: tensor.shape, found: found.shape)
        }
        guard missing.isEmpty, unexpected.isEmpty, wrongShapes.isEmpty else {
            throw .stateDictMismatch(source: source, missing: missing, unexpected: unexpected, wrongShapes: wrongShapes)
        }
        do { try loadStateDict(file) } catch {
            // Unreachable after the checks above; reported rather than trapped all the same.
            throw .stateDictMismatch(source: source, missing: [], unexpected: ["(\(error))"], wrongShapes: [])
        }
    }
}
