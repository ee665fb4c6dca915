import Engine

/// Class ids checked against the model's classes once, on the whole of y, before training uses
/// them.
///
/// Cross-entropy can only name a bad target by its row in the batch it met it in — a batch that
/// was shuffled and sliced — so a label out of range would be reported as "row 0" when the learner
/// wrote it at y[3]. Checked here, it is named by its place in y (or val.y) as typed. Targets of
/// padded steps (past a sequence's length) are not used by the loss and are not checked.
struct ClassLabels {
    struct Set {
        let name: String
        let y: Tensor
        let lengths: [Int]?
    }

    var sets: [Set]

    /// Throws for the first target that is not a whole number in 0..<classes.
    func check(classes: Int, target: TrainingTarget, aligned: Bool) throws {
        for set in sets {
            let masked = aligned && !target.decodesTarget && set.y.rank >= 2 ? set.lengths : nil
            let mask = try masked.map {
                try maskFromLengths($0, steps: set.y.shape[target.xTimeAxis], batchFirst: target.batchFirst).storage
            }
            let perMaskEntry = max(1, set.y.count / max(1, mask?.count ?? 1))
            for (k, v) in set.y.storage.enumerated() {
                if let mask, mask[k / perMaskEntry] == 0 { continue }
                guard v.rounded() == v, v >= 0, v < Double(classes) else {
                    let place = "\(set.name)[\(Shape.multiIndex(k, shape: set.y.shape).map(String.init).joined(separator: ", "))]"
                    let range = classes == 1 ? "the only class id is 0" : "class ids are 0 to \(classes - 1)"
                    throw ScriptError(.argument, "train: \(place) is \(formatNumber(v)), which is not a class of this \(target.name): its output has \(classes) class\(classes == 1 ? "" : "es"), so the \(range)")
                }
            }
        }
    }
}
