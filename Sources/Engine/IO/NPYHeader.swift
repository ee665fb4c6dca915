import Foundation

/// The preamble of an `.npy` file: magic, version, header length and the header dict.
///
/// Layout (NumPy's `numpy/lib/format.py`, NEP 1):
///
///     \x93NUMPY  major minor  header_len  {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }␠␠…␠\n
///
/// `header_len` is a little-endian uint16 in version 1.0 and a uint32 in 2.0 and 3.0 (3.0 also
/// switches the header text from Latin-1 to UTF-8). The dict is padded with spaces and a final
/// newline so the data starts at a multiple of 64 bytes, which lets NumPy memory-map it aligned.
///
/// Reading is lenient where NumPy is (any padding, any quoting, Python 2's `3L`, 16-byte alignment
/// from old NumPy) and strict where it is (exactly the three keys, a tuple of non-negative ints, a
/// bool). Writing reproduces NumPy's bytes exactly — including the spare spaces NumPy leaves so a
/// header can grow in place — so a file rnnlab writes is indistinguishable from `np.save`'s.
public struct NPYHeader: Equatable, Sendable {
    public var major: UInt8
    public var minor: UInt8
    /// The `descr` value as Python prints it: `'<f8'` (quoted), or a list for structured dtypes.
    /// Kept as text so an unsupported dtype can still be reported exactly.
    public var descr: String
    public var fortranOrder: Bool
    public var shape: [Int]
    /// Where the array data starts, in bytes from the start of the file.
    public var dataOffset: Int

    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
    static let alignment = 64
    /// NumPy pads headers so the first axis can grow to this many digits without rewriting the data.
    static let growthAxisMaxDigits = 21

    /// Parses the preamble at the start of `bytes`, validating everything that can be validated
    /// without knowing the dtype.
    public static func parse(_ bytes: Data, source: String) throws(NPYError) -> NPYHeader {
        let prefix = [UInt8](bytes.prefix(10))
        guard prefix.count >= 6, Array(prefix[0..<6]) == magic else {
            if prefix.count < 6, magic.starts(with: prefix) {
                throw .truncated(source: source, part: "magic string", needed: 6, available: prefix.count)
            }
            throw .notNPY(source: source, found: describeBytes(prefix.prefix(6)))
        }
        guard prefix.count >= 8 else { throw .truncated(source: source, part: "version", needed: 2, available: prefix.count - 6) }
        let (major, minor) = (prefix[6], prefix[7])
        let lengthSize: Int
        switch (major, minor) {
        case (1, 0): lengthSize = 2
        case (2, 0), (3, 0): lengthSize = 4
        default: throw .unsupportedVersion(source: source, major: major, minor: minor)
        }
        let all = [UInt8](bytes.prefix(8 + lengthSize))
        guard all.count == 8 + lengthSize else {
            throw .truncated(source: source, part: "header length", needed: lengthSize, available: all.count - 8)
        }
        var headerLength = 0
        for (i, byte) in all[8...].enumerated() { headerLength |= Int(byte) << (8 * i) }
        let start = 8 + lengthSize
        let available = bytes.count - start
        guard headerLength <= available else {
            throw .truncated(source: source, part: "header", needed: headerLength, available: available)
        }
        let headerBytes = bytes.dropFirst(start).prefix(headerLength)
        let text: String
        if major == 3 {
            guard let utf8 = String(bytes: headerBytes, encoding: .utf8) else {
                throw .malformedHeader(source: source, reason: "version 3.0 header is not valid UTF-8")
            }
            text = utf8
        } else {
            // Latin-1 maps every byte to the scalar of the same value, so this cannot fail.
            text = String(String.UnicodeScalarView(headerBytes.map { Unicode.Scalar($0) }))
        }
        var header = try interpret(text, source: source)
        header.major = major
        header.minor = minor
        header.dataOffset = start + headerLength
        return header
    }

    /// Checks the dict has exactly NumPy's three keys with values of the right types.
    static func interpret(_ text: String, source: String) throws(NPYError) -> NPYHeader {
        let literal: PythonLiteral
        do { literal = try PythonLiteral.parse(text) } catch {
            throw .malformedHeader(source: source, reason: "\(error.reason) in \(abbreviate(text))")
        }
        guard case let .dict(pairs) = literal else {
            throw .malformedHeader(source: source, reason: "expected a dict, found \(abbreviate(literal.repr))")
        }
        var values: [String: PythonLiteral] = [:]
        for (key, value) in pairs {
            guard case let .string(name) = key else {
                throw .malformedHeader(source: source, reason: "dict key \(key.repr) is not a string")
            }
            values[name] = value
        }
        let expected = ["descr", "fortran_order", "shape"]
        guard values.keys.sorted() == expected else {
            throw .malformedHeader(source: source, reason: "keys are \(values.keys.sorted().map { "'\($0)'" }.joined(separator: ", ")); expected 'descr', 'fortran_order', 'shape'")
        }
        guard let descrValue = values["descr"], let orderValue = values["fortran_order"], let shapeValue = values["shape"] else {
            throw .malformedHeader(source: source, reason: "missing key")  // unreachable after the key check
        }
        guard case let .bool(fortranOrder) = orderValue else {
            throw .malformedHeader(source: source, reason: "'fortran_order' is \(orderValue.repr), not True or False")
        }
        guard case let .tuple(dims) = shapeValue else {
            throw .malformedHeader(source: source, reason: "'shape' is \(abbreviate(shapeValue.repr)), not a tuple of integers")
        }
        var shape: [Int] = []
        for dim in dims {
            guard case let .int(size) = dim, size >= 0 else {
                throw .malformedHeader(source: source, reason: "'shape' \(abbreviate(shapeValue.repr)) has \(dim.repr), not a non-negative integer")
            }
            shape.append(size)
        }
        switch descrValue {
        case .string, .list: break
        default: throw .malformedHeader(source: source, reason: "'descr' is \(descrValue.repr), not a dtype string")
        }
        return NPYHeader(major: 1, minor: 0, descr: descrValue.repr, fortranOrder: fortranOrder, shape: shape, dataOffset: 0)
    }

    /// NumPy's header bytes for an array: the oldest version that can hold the header (1.0 unless
    /// the dict exceeds 65535 bytes), padded to 64 bytes. `version` forces one, for tests.
    static func encode(descr: String, fortranOrder: Bool = false, shape: [Int], version: UInt8? = nil) -> Data {
        let shapeRepr = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(shapeRepr), }"
        if let growing = fortranOrder ? shape.last : shape.first {
            dict += String(repeating: " ", count: max(0, growthAxisMaxDigits - String(growing).utf8.count))
        }
        let text = Array(dict.utf8)
        func headerLength(lengthSize: Int) -> Int {
            let unpadded = magic.count + 2 + lengthSize + text.count + 1
            return text.count + 1 + alignment - unpadded % alignment  // NumPy adds a full 64 when already aligned
        }
        let major = version ?? (headerLength(lengthSize: 2) <= Int(UInt16.max) ? 1 : 2)
        let lengthSize = major == 1 ? 2 : 4
        let headerLength = headerLength(lengthSize: lengthSize)
        let padding = headerLength - text.count - 1
        var out = Data(magic)
        out.append(contentsOf: [major, 0])
        for i in 0..<lengthSize { out.append(UInt8(truncatingIfNeeded: headerLength >> (8 * i))) }
        out.append(contentsOf: text)
        out.append(contentsOf: [UInt8](repeating: 0x20, count: padding))
        out.append(0x0A)
        return out
    }

    /// First bytes of a non-`.npy` file, readable: `b'PK\x03\x04'` style, as Python shows bytes.
    static func describeBytes<C: Collection<UInt8>>(_ bytes: C) -> String {
        if bytes.isEmpty { return "nothing (the file is empty)" }
        let body = bytes.map { b -> String in
            switch b {
            case 0x5C: return "\\\\"
            case 0x27: return "\\'"
            case 0x20...0x7E: return String(UnicodeScalar(b))
            default: return "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16)
            }
        }.joined()
        return "b'\(body)'"
    }

    private static func abbreviate(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.count <= 120 ? trimmed : String(trimmed.prefix(117)) + "..."
    }
}
