import Foundation

/// Reading and writing single arrays in NumPy's `.npy` format.
///
/// `.npy` is the lingua franca for moving numbers out of Python: `np.save`, PyTorch's
/// `t.numpy()`, and every `.npz` member. rnnlab reads it into a `Double` tensor and writes it so
/// `np.load` gets the same array back. See ``NPYHeader`` for the byte layout and ``NPYDType`` for
/// which element types convert and how exactly.
///
/// Everything read from a file is validated before it is trusted: the header is parsed, not
/// pattern-matched; the element count is computed with overflow checks; the data length must
/// match the shape exactly before anything is allocated. A bad file is an ``NPYError`` naming it,
/// never a crash.
public enum NPY {
    /// Reads the `.npy` file at `url` into a tensor.
    public static func read(contentsOf url: URL) throws(NPYError) -> Tensor {
        try read(data: readFile(url), source: url.path)
    }

    /// Reads `.npy` bytes into a tensor; `source` names them in errors (a path, `w.npz[x.npy]`, …).
    public static func read(data: Data, source: String) throws(NPYError) -> Tensor {
        let header = try NPYHeader.parse(data, source: source)
        guard let dtype = NPYDType(descr: unquote(header.descr)) else {
            throw .unsupportedDType(source: source, descr: header.descr)
        }
        // Column-major and row-major are the same bytes when at most one axis is longer than 1.
        if header.fortranOrder && header.shape.filter({ $0 > 1 }).count > 1 {
            throw .fortranOrder(source: source, shape: header.shape)
        }
        // The same check every tensor's shape passes: zero sizes do not excuse the others, or
        // (0, 2⁶²) would load and sum over axis 0 to a (2⁶²,) tensor with no storage behind it.
        guard let count = Shape.checkedCount(header.shape) else {
            throw .malformedHeader(source: source, reason: "shape \(formatShape(header.shape)) is too large: "
                + "its nonzero sizes multiply to more than \(Shape.maxCount) elements, the most a tensor can hold")
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
        guard !overflow else {
            throw .malformedHeader(source: source, reason: "shape \(formatShape(header.shape)) of \(dtype.name) has more bytes than can be addressed")
        }
        let available = data.count - header.dataOffset
        guard available >= byteCount else {
            throw .truncated(source: source, part: "data for shape \(formatShape(header.shape)) of \(dtype.name)", needed: byteCount, available: available)
        }
        guard available == byteCount else { throw .trailingBytes(source: source, count: available - byteCount) }
        // The decoded doubles are made while the file's bytes are still held (a float32 or int8
        // array grows two to eight times as it becomes doubles).
        try NPY.checkBudget(bytes: count * 8 + data.count, source: source)  // count ≤ Shape.maxCount: no overflow
        // `withUnsafeBytes` only rethrows untyped errors, so the typed one is carried out by hand.
        let decoded = data.withUnsafeBytes { raw in
            Result { () throws(NPYError) -> [Double] in
                try dtype.decode(UnsafeRawBufferPointer(rebasing: raw[header.dataOffset...]), count: count, source: source, shape: header.shape)
            }
        }
        let storage = try decoded.get()
        do { return try Tensor(shape: header.shape, storage: storage) } catch {
            throw .malformedHeader(source: source, reason: "shape \(formatShape(header.shape)) does not match its \(storage.count) elements")
        }
    }

    /// Writes `tensor` to `url` as `.npy` (replacing any file there), in `dtype` (float64 unless
    /// asked: it is what rnnlab computes in, so nothing is lost).
    public static func write(_ tensor: Tensor, to url: URL, dtype: NPYDType = .float64) throws(NPYError) {
        try writeFile(encode(tensor, dtype: dtype, source: url.path), to: url)
    }

    /// The `.npy` bytes of `tensor` in `dtype`, byte-for-byte what `np.save` writes for the same
    /// array. Throws if a value cannot be stored in `dtype`; `source` names the destination in that error.
    public static func encode(_ tensor: Tensor, dtype: NPYDType = .float64, source: String = "tensor") throws(NPYError) -> Data {
        let body = try dtype.encode(tensor.storage, source: source, shape: tensor.shape)
        var out = NPYHeader.encode(descr: dtype.descr, shape: tensor.shape)
        out.append(body)
        return out
    }

    // MARK: - Files

    /// Largest file read: every element of the largest tensor as float64, plus room for headers
    /// (an `.npz` of several such arrays is refused; none could be built anyway).
    static let readLimit = Shape.maxCount * 8 + (1 << 20)

    /// The whole file, or a ``NPYError/fileAccess(path:reason:)`` that says why not. Only regular
    /// files are read: `/dev/zero` or a FIFO is named for what it is instead of read forever.
    static func readFile(_ url: URL) throws(NPYError) -> Data {
        do { return try SafeFile.read(url.path, limit: readLimit) } catch {
            if Cancellation.isRequested { throw .interrupted }
            throw .fileAccess(path: url.path, reason: error.reason)
        }
    }

    /// Throws ``NPYError/overMemoryBudget(source:needed:budget:inUse:)`` unless `bytes` fit in the budget.
    static func checkBudget(bytes: Int, source: String) throws(NPYError) {
        do { try MemoryBudget.check(bytes: bytes, for: source) } catch let TensorError.overMemoryBudget(_, needed, budget, inUse) {
            throw .overMemoryBudget(source: source, needed: needed, budget: budget, inUse: inUse)
        } catch {
            throw .malformedHeader(source: source, reason: "\(error)")  // check throws nothing else
        }
    }

    /// Writes atomically, so a failed or interrupted save never leaves half a weight file behind;
    /// through a symbolic link to its file, and never over a device, FIFO or directory.
    static func writeFile(_ data: Data, to url: URL) throws(NPYError) {
        do { try SafeFile.write(data, to: url.path) } catch {
            throw .fileAccess(path: url.path, reason: error.reason)
        }
    }

    /// `'<f8'` → `<f8` (the header keeps Python's quoting for error messages).
    static func unquote(_ repr: String) -> String {
        guard repr.count >= 2, let q = repr.first, q == "'" || q == "\"", repr.last == q else { return repr }
        return String(repr.dropFirst().dropLast())
    }
}
