import Foundation
import Engine

/// `.npy` and `.npz` files: tensors and model weights, exchanged with NumPy and PyTorch by name.
extension Interpreter {
    static func ioBuiltins() -> [Builtin] {
        let f = "io"
        // Every path goes through the interpreter's file-access policy (a lesson's code is confined).
        let loadWeights: (inout Arguments, Interpreter) throws -> Value = { args, interp in
            let name = args.builtin.name
            let first = try args.required(0, "m")
            if case let .string(path) = first {
                // No model: the file's arrays as a record.
                let entries = try NPZ.read(contentsOf: interp.fileAccess.readURL(path, builtin: name))
                let dtype = try args.dtype()
                return .record(Record(title: path, fields: entries.map { ($0.name, .tensor($0.tensor.to(dtype))) }))
            }
            let m = try args.model(0, "m")
            try m.module.loadWeights(npz: interp.fileAccess.readURL(try args.string(1, "path"), builtin: name))
            return .none
        }
        return [
            Builtin("load_npy", "load_npy(path, dtype: \"float64\")", family: f, doc: "Reads a tensor from a NumPy .npy file (any real dtype) as float64, or as float32 with dtype: \"float32\" (a float32 file's numbers unchanged).",
                    example: "save_npy([1, 2, 3], \"/tmp/rnnlab_example.npy\")\nload_npy(\"/tmp/rnnlab_example.npy\")") { args, interp in
                let t = try NPY.read(contentsOf: interp.fileAccess.readURL(try args.string(0, "path"), builtin: "load_npy"))
                return .tensor(t.to(try args.dtype()))
            },
            Builtin("save_npy", "save_npy(x, path)", family: f, doc: "Writes a tensor to a .npy file that numpy.load reads, in its dtype (<f8 for float64, <f4 for float32).",
                    example: "save_npy(eye(2), \"/tmp/rnnlab_eye.npy\")") { args, interp in
                let x = try args.tensor(0, "x")
                try NPY.write(x, to: interp.fileAccess.writeURL(try args.string(1, "path"), builtin: "save_npy"), dtype: fileType(x.dtype))
                return .none
            },
            Builtin("load_npz", "load_npz(m, path) or load_npz(path, dtype: \"float64\")", family: f,
                    doc: "Loads a model's weights from an .npz by PyTorch state_dict names (all must match in name and shape; nothing changes otherwise), in the model's dtype: a float32 model reads PyTorch's float32 state_dict as it is. With only a path, returns the file's arrays as a record (float64, or float32 with dtype: \"float32\").",
                    example: "m = lstm(input: 3, hidden: 4, seed: 1)\nsave_npz(m, \"/tmp/rnnlab_w.npz\")\nm2 = lstm(input: 3, hidden: 4, seed: 2)\nload_npz(m2, \"/tmp/rnnlab_w.npz\")\nall(m2.weight_hh_l0 == m.weight_hh_l0)", loadWeights),
            Builtin("load", "load(m, path) or load(path)", family: f, doc: "The same as load_npz.",
                    example: "save_npz(linear(in: 2, out: 1), \"/tmp/rnnlab_l.npz\")\nw = load(\"/tmp/rnnlab_l.npz\")\nw.weight.shape", loadWeights),
            Builtin("save_npz", "save_npz(m, path)", family: f,
                    doc: "Writes a model's weights to an .npz named like PyTorch's state_dict, or a record of tensors (name: tensor); float32 weights as <f4, as PyTorch's float32 state_dict saves.",
                    example: "save_npz(linear(in: 2, out: 1), \"/tmp/rnnlab_head.npz\")") { args, interp in
                let v = try args.required(0, "m")
                let path = try interp.fileAccess.writeURL(try args.string(1, "path"), builtin: "save_npz")
                switch v {
                case let .model(m): try m.module.saveWeights(npz: path, dtype: fileType(m.module.dtype ?? .float64))
                case let .record(r):
                    let entries = try r.fields.map { (name: $0.name, tensor: try args.convertTensor($0.value, $0.name)) }
                    // One dtype per file: float32 only when every array is float32 (nothing is lost).
                    try NPZ.write(entries, to: path, dtype: fileType(entries.allSatisfy { $0.tensor.dtype == .float32 } ? .float32 : .float64))
                default: throw args.error("'m' must be a model or a record of tensors, got \(v.kindName)")
                }
                return .none
            },
        ]
    }

    /// The `.npy` element type that holds a tensor of `dtype` exactly.
    private static func fileType(_ dtype: DType) -> NPYDType { dtype == .float32 ? .float32 : .float64 }
}
