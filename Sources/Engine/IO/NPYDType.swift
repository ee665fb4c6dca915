import Foundation

/// The NumPy element types rnnlab converts to and from its `Double` tensors, named by their `.npy`
/// `descr` string (`'<f8'`, `'|u1'`, …).
///
/// Only little-endian types are listed: every machine rnnlab runs on is little-endian, and a
/// big-endian file is rare enough that a clear error plus the one-line NumPy fix (`a.astype('<f8')`)
/// serves better than a byte-swapping path nobody tests. Single-byte types have no byte order,
/// so NumPy writes them with `|`.
///
/// Reading is exact or fails: every float32 and every integer up to 2^53 is a `Double`; an int64
/// beyond that is reported rather than silently rounded. Writing float32 rounds to nearest (that is
/// what float32 means) but refuses finite values beyond float32's range; writing an integer type
/// refuses non-integral, non-finite and out-of-range values, naming the first offending element.
public enum NPYDType: String, CaseIterable, Sendable {
    case float64 = "<f8"
    case float32 = "<f4"
    case int64 = "<i8"
    case int32 = "<i4"
    case int16 = "<i2"
    case int8 = "|i1"
    case uint64 = "<u8"
    case uint32 = "<u4"
    case uint16 = "<u2"
    case uint8 = "|u1"
    case bool = "|b1"

    /// The header's `descr` string.
    public var descr: String { rawValue }

    /// NumPy's name for the type (`np.float64`, …).
    public var name: String {
        switch self {
        case .float64: "float64"
        case .float32: "float32"
        case .int64: "int64"
        case .int32: "int32"
        case .int16: "int16"
        case .int8: "int8"
        case .uint64: "uint64"
        case .uint32: "uint32"
        case .uint16: "uint16"
        case .uint8: "uint8"
        case .bool: "bool"
        }
    }

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .float64, .int64, .uint64: 8
        case .float32, .int32, .uint32: 4
        case .int16, .uint16: 2
        case .int8, .uint8, .bool: 1
        }
    }

    /// The type a header's `descr` names, or nil if rnnlab cannot read it. Single-byte types are
    /// accepted with any byte-order character, since they have none.
    public init?(descr: String) {
        if let exact = NPYDType(rawValue: descr) { self = exact; return }
        guard descr.count == 3, let order = descr.first, "<>=|".contains(order),
              let oneByte = NPYDType(rawValue: "|" + descr.dropFirst()), oneByte.itemSize == 1 else { return nil }
        self = oneByte
    }

    /// For error messages: what rnnlab reads.
    static let supportedList = allCases.map(\.descr).joined(separator: ", ")

    /// `'>f8'` → "big-endian float64", `'<c16'` → "little-endian complex128": what an unsupported
    /// descr means, so the user recognises their array. `descr` is the header value as Python
    /// prints it (quoted string, or a list for structured dtypes); nil when it is not recognisable.
    static func describe(descr: String) -> String? {
        if descr.hasPrefix("[") { return "a structured dtype with named fields" }
        guard let typestr = unquoted(descr) else { return nil }
        var chars = Substring(typestr)
        var order = ""
        switch chars.first {
        case "<": order = "little-endian "; chars = chars.dropFirst()
        case ">": order = "big-endian "; chars = chars.dropFirst()
        case "=": order = "native-order "; chars = chars.dropFirst()
        case "|": chars = chars.dropFirst()
        default: break
        }
        guard let kind = chars.first else { return nil }
        let size = Int(chars.dropFirst().prefix { $0.isNumber }) ?? 0
        let bits = String(size * 8)
        switch kind {
        case "f": return order + (size == 2 ? "float16" : size == 12 || size == 16 ? "long double" : "float" + bits)
        case "i": return order + "int" + bits
        case "u": return order + "uint" + bits
        case "b": return order + "bool"
        case "c": return order + "complex" + bits
        case "O": return "Python objects, stored with pickle"
        case "U": return order + "Unicode strings"
        case "S", "a": return "byte strings"
        case "V": return "raw void records"
        case "M": return order + "datetime64"
        case "m": return order + "timedelta64"
        default: return nil
        }
    }

    /// The NumPy one-liner that turns an unsupported array into a readable one, where there is one.
    static func hint(descr: String) -> String? {
        guard let meaning = describe(descr: descr), let typestr = unquoted(descr) else { return nil }
        if meaning.hasPrefix("big-endian") || meaning.hasPrefix("native-order"),
           let little = NPYDType(descr: "<" + typestr.dropFirst()) {
            return "convert it with a.astype('\(little.descr)') before saving"
        }
        if meaning.hasSuffix("float16") { return "convert it with a.astype('<f4') before saving" }
        if meaning.hasSuffix("long double") { return "convert it with a.astype('<f8') before saving" }
        if meaning.contains("complex") { return "save the real and imaginary parts (a.real, a.imag) as separate arrays" }
        return nil
    }

    /// `'<f8'` → `<f8`; nil unless `repr` is a quoted string.
    private static func unquoted(_ repr: String) -> String? {
        guard repr.count >= 2, let q = repr.first, q == "'" || q == "\"", repr.last == q else { return nil }
        return String(repr.dropFirst().dropLast())
    }

    // MARK: - Element conversion

    /// Decodes `count` little-endian elements from `raw` into doubles, failing on values a `Double`
    /// cannot hold exactly (only possible for 64-bit integers beyond ±2^53).
    func decode(_ raw: UnsafeRawBufferPointer, count: Int, source: String, shape: [Int]) throws(NPYError) -> [Double] {
        precondition(raw.count >= count * itemSize, "caller checks the byte count")
        var out = [Double](repeating: 0, count: count)
        // In chunks, looking for Ctrl-C between them (see Cancellation): a 1 GB array stops at once.
        var start = 0
        while start < count {
            if Cancellation.isRequested { throw .interrupted }
            let end = count - start > Cancellation.chunk ? start + Cancellation.chunk : count
            try decode(raw, start..<end, into: &out, source: source, shape: shape)
            start = end
        }
        return out
    }

    /// Elements `range` of ``decode(_:count:source:shape:)``.
    private func decode(_ raw: UnsafeRawBufferPointer, _ range: Range<Int>, into out: inout [Double],
                        source: String, shape: [Int]) throws(NPYError) {
        switch self {
        case .float64:
            for i in range { out[i] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self))) }
        case .float32:
            for i in range { out[i] = Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self)))) }
        case .int64:
            for i in range {
                let v = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 8, as: Int64.self))
                guard let d = Double(exactly: v) else { throw inexact(String(v), at: i, source: source, shape: shape) }
                out[i] = d
            }
        case .uint64:
            for i in range {
                let v = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self))
                guard let d = Double(exactly: v) else { throw inexact(String(v), at: i, source: source, shape: shape) }
                out[i] = d
            }
        case .int32:
            for i in range { out[i] = Double(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 4, as: Int32.self))) }
        case .uint32:
            for i in range { out[i] = Double(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))) }
        case .int16:
            for i in range { out[i] = Double(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 2, as: Int16.self))) }
        case .uint16:
            for i in range { out[i] = Double(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i &* 2, as: UInt16.self))) }
        case .int8:
            for i in range { out[i] = Double(Int8(bitPattern: raw[i])) }
        case .uint8:
            for i in range { out[i] = Double(raw[i]) }
        case .bool:
            // NumPy treats any non-zero byte as True.
            for i in range { out[i] = raw[i] == 0 ? 0 : 1 }
        }
    }

    private func inexact(_ value: String, at flat: Int, source: String, shape: [Int]) -> NPYError {
        .inexactInteger(source: source, dtype: "\(name) '\(descr)'", index: Shape.multiIndex(flat, shape: shape), value: value)
    }

    /// Why `value` cannot be stored as this type, or nil if it can (float32 rounds to nearest).
    func rejection(of value: Double) -> String? {
        switch self {
        case .float64:
            return nil
        case .float32:
            return value.isFinite && !Float(value).isFinite ? "outside float32's range (about ±3.4028235e38)" : nil
        case .bool:
            return value == 0 || value == 1 ? nil : "a bool must be 0 or 1"
        default:
            guard value.isFinite else { return "\(name) has no \(value.isNaN ? "NaN" : "infinity")" }
            guard value.rounded(.towardZero) == value else { return "not an integer" }
            let (low, high) = integerBounds
            guard value >= low, value < high else { return "outside \(name)'s range \(rangeText)" }
            return nil
        }
    }

    /// Inclusive lower, exclusive upper bound as Doubles (both exact powers of two, so the
    /// comparison is exact where `Double(Int64.max)` would round up).
    private var integerBounds: (Double, Double) {
        let bits = itemSize * 8
        switch self {
        case .uint8, .uint16, .uint32, .uint64: return (0, Double(sign: .plus, exponent: bits, significand: 1))
        default: return (-Double(sign: .plus, exponent: bits - 1, significand: 1), Double(sign: .plus, exponent: bits - 1, significand: 1))
        }
    }

    private var rangeText: String {
        switch self {
        case .int64: "\(Int64.min)…\(Int64.max)"
        case .int32: "\(Int32.min)…\(Int32.max)"
        case .int16: "\(Int16.min)…\(Int16.max)"
        case .int8: "\(Int8.min)…\(Int8.max)"
        case .uint64: "0…\(UInt64.max)"
        case .uint32: "0…\(UInt32.max)"
        case .uint16: "0…\(UInt16.max)"
        case .uint8: "0…\(UInt8.max)"
        case .float64, .float32, .bool: ""
        }
    }

    /// `values` as little-endian bytes of this type, after checking every one can be stored.
    func encode(_ values: [Double], source: String, shape: [Int]) throws(NPYError) -> Data {
        for (i, v) in values.enumerated() {
            if let reason = rejection(of: v) {
                throw .unrepresentable(source: source, dtype: "\(name) '\(descr)'", index: Shape.multiIndex(i, shape: shape),
                                       value: String(v), reason: reason)
            }
        }
        var bytes = [UInt8](repeating: 0, count: values.count * itemSize)
        bytes.withUnsafeMutableBytes { out in
            switch self {
            case .float64: for (i, v) in values.enumerated() { out.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: i * 8, as: UInt64.self) }
            case .float32: for (i, v) in values.enumerated() { out.storeBytes(of: Float(v).bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self) }
            case .int64: for (i, v) in values.enumerated() { out.storeBytes(of: Int64(v).littleEndian, toByteOffset: i * 8, as: Int64.self) }
            case .uint64: for (i, v) in values.enumerated() { out.storeBytes(of: UInt64(v).littleEndian, toByteOffset: i * 8, as: UInt64.self) }
            case .int32: for (i, v) in values.enumerated() { out.storeBytes(of: Int32(v).littleEndian, toByteOffset: i * 4, as: Int32.self) }
            case .uint32: for (i, v) in values.enumerated() { out.storeBytes(of: UInt32(v).littleEndian, toByteOffset: i * 4, as: UInt32.self) }
            case .int16: for (i, v) in values.enumerated() { out.storeBytes(of: Int16(v).littleEndian, toByteOffset: i * 2, as: Int16.self) }
            case .uint16: for (i, v) in values.enumerated() { out.storeBytes(of: UInt16(v).littleEndian, toByteOffset: i * 2, as: UInt16.self) }
            case .int8: for (i, v) in values.enumerated() { out[i] = UInt8(bitPattern: Int8(v)) }
            case .uint8: for (i, v) in values.enumerated() { out[i] = UInt8(v) }
            case .bool: for (i, v) in values.enumerated() { out[i] = v == 0 ? 0 : 1 }
            }
        }
        return Data(bytes)
    }
}
