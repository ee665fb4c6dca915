import Foundation
import ZIPFoundation

/// `.npy` and `.npz` files as NumPy and PyTorch write them, then broken the ways a damaged
/// download or a crafted file is: hostile shapes (0 with 2⁶³−1, products that overflow), dtypes
/// rnnlab does not read, header lengths that lie, data cut short, flipped bytes, zip members whose
/// sizes lie, and small archives that inflate to far more than they declare.
struct NumPyFileMutator {
    static let descriptors = ["<f8", "<f4", ">f8", "<i8", "<i4", "|u1", "|b1", "<f2", "<c16", "|O", "<U3", "<M8[s]", "f8", "<f16", ""]
    static let hostileShapes = ["()", "(0,)", "(0, 9223372036854775807)", "(0, 4611686018427387904, 4611686018427387904)",
                                "(4611686018427387904, 4)", "(-1,)", "(3, -2)", "(1e3,)", "(2, 3", "((2,),)", "(1,)*40",
                                "(3037000500, 3037000500)", "(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1)",
                                "(100000000,)", "(2, 3)", "(6,)", "(3, 2)"]

    /// A well-formed `.npy` of float64 values with `shape`.
    static func npy(shape: [Int], descr: String = "<f8", fortran: Bool = false, values: [Double]? = nil, version: UInt8 = 1) -> [UInt8] {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        return npy(header: "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shapeText), }",
                   data: data(count: shape.reduce(1, *), values: values), version: version)
    }

    static func data(count: Int, values: [Double]?) -> [UInt8] {
        var bytes: [UInt8] = []
        for i in 0..<count {
            let v = values.map { $0[i % Swift.max($0.count, 1)] } ?? Double(i) * 0.25 - 1
            withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 }
        }
        return bytes
    }

    /// Magic, version, header length (2 bytes in version 1, 4 in 2 and 3), the header padded with
    /// spaces and a newline to a multiple of 64, then the data.
    static func npy(header: String, data: [UInt8], version: UInt8 = 1, lengthOverride: Int? = nil) -> [UInt8] {
        let prefix = version == 1 ? 10 : 12
        var text = Array(header.utf8)
        let total = prefix + text.count + 1
        text += Array(repeating: UInt8(ascii: " "), count: (64 - total % 64) % 64) + [UInt8(ascii: "\n")]
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        let length = lengthOverride ?? text.count
        if version == 1 {
            bytes += [UInt8(length & 0xff), UInt8((length >> 8) & 0xff)]
        } else {
            bytes += (0..<4).map { UInt8((length >> (8 * $0)) & 0xff) }
        }
        return bytes + text + data
    }

    /// One hostile `.npy`.
    static func mutantNPY(_ r: inout SeededRandom) -> [UInt8] {
        let shape = [r.int(1..<4), r.int(1..<4)]
        var bytes = npy(shape: shape, version: r.pick([1, 1, 2, 3]))
        switch r.int(0..<8) {
        case 0:
            let descr = r.pick(descriptors), shapeText = r.pick(hostileShapes)
            bytes = npy(header: "{'descr': '\(descr)', 'fortran_order': \(r.pick(["False", "True", "0", "'x'"])), 'shape': \(shapeText), }",
                        data: data(count: r.int(0..<12), values: nil))
        case 1:
            bytes = npy(header: r.pick(["{}", "{'descr': '<f8'}", "[1, 2]", "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'shape': (3,), }",
                                        "{'descr': '<f8', 'fortran_order': False, 'shape': (" + String(repeating: "(", count: 5000) + "}",
                                        "{'descr': '<f8' 'fortran_order': False}", "{'descr': '\\x1b[2J', 'fortran_order': False, 'shape': (1,), }",
                                        "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'extra': 1e999, }"]),
                        data: data(count: 2, values: nil))
        case 2:
            bytes = npy(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", data: data(count: 4, values: nil),
                        lengthOverride: r.pick([0, 1, 65535, 63, 200]))
        case 3:
            bytes.removeLast(r.int(1..<bytes.count))
        case 4:
            for _ in 0..<r.int(1..<8) { bytes[r.int(0..<bytes.count)] ^= UInt8(1 << r.int(0..<8)) }
        case 5:
            bytes += Array(repeating: 0xff, count: r.int(1..<64))
        case 6:
            bytes = npy(shape: shape, values: [.nan, .infinity, -.infinity, 1e308, -0.0, 5e-324])
        default:
            break
        }
        return bytes
    }

    /// PyTorch's names for `lstm(input: 2, hidden: 3)`, with their shapes.
    static let lstmMembers: [(String, [Int])] = [("weight_ih_l0", [12, 2]), ("weight_hh_l0", [12, 3]), ("bias_ih_l0", [12]), ("bias_hh_l0", [12])]

    /// One hostile `.npz` written to `url`.
    static func writeMutantNPZ(_ r: inout SeededRandom, to url: URL) throws {
        try? FileManager.default.removeItem(at: url)
        var members: [(String, [UInt8])] = lstmMembers.map { ($0.0 + ".npy", npy(shape: $0.1)) }
        var bomb = false
        switch r.int(0..<5) {
        case 0: members[r.int(0..<members.count)].1 = mutantNPY(&r)
        case 1: members.remove(at: r.int(0..<members.count))
        case 2: members.append(("../../escape.npy", npy(shape: [2])))
        case 3: bomb = true
        default: break
        }
        let archive = try Archive(url: url, accessMode: .create)
        let compress: CompressionMethod = r.chance(0.5) ? .deflate : .none
        for (name, bytes) in members {
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: compress) { position, size in
                Data(bytes[Int(position)..<Int(position) + size])
            }
        }
        if bomb {
            // 256 MB of zeros behind a header that declares (12, 2): about 250 KB on disk.
            let header = npy(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (12, 2), }", data: [])
            let total = Int64(256 << 20)
            try archive.addEntry(with: "weight_ih_l0.npy", type: .file, uncompressedSize: total, compressionMethod: .deflate,
                                 bufferSize: 1 << 20) { position, size in
                position < Int64(header.count) ? Data(header) + Data(count: size - header.count) : Data(count: size)
            }
        }
        guard !bomb, r.chance(0.4) else { return }
        // Damage the container itself: sizes, offsets and counts in the headers and directory.
        var bytes = try [UInt8](Data(contentsOf: url))
        switch r.int(0..<3) {
        case 0: for _ in 0..<r.int(1..<6) { bytes[r.int(0..<bytes.count)] ^= UInt8(1 << r.int(0..<8)) }
        case 1: bytes.removeLast(r.int(1..<Swift.min(bytes.count, 200)))
        default:
            // Every 4-byte size field of the end record set to 0xFFFFFFFF.
            if bytes.count > 22 { for i in (bytes.count - 12)..<(bytes.count - 4) { bytes[i] = 0xff } }
        }
        try Data(bytes).write(to: url)
    }
}
