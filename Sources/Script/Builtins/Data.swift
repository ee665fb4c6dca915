import Foundation
import Engine

/// Real data into tensors: CSV columns and text files, forecasting windows with a chronological
/// split and a normaliser fitted on training data only, vocabularies and tokens, seeded shuffling
/// and batching. The generated tasks are in DataTasks.swift.
extension Interpreter {
    static func dataBuiltins() -> [Builtin] {
        let f = "data"
        return [
            Builtin("read_csv", "read_csv(path, column: none, sep: none, header: true, names: none)", family: f,
                    doc: "Reads a CSV or TSV file (quotes as in RFC 4180; the separator is a tab for .tsv, else a comma, or sep:). With column: (a header name or an index, negative from the end) a 1-axis tensor of that column's numbers; without, a record of every column: numeric columns (every cell a number) as tensors, others as lists of strings. header: false reads a file whose first row is data (columns c0, c1, … or names:). Relative paths are looked up in the current directory, then in the rnnlab checkout (so \"Datasets/…\" works from anywhere; a lesson's relative paths are looked up in its scratch folder, its own folder and the checkout, never the current directory).",
                    example: "sun = read_csv(\"Datasets/sunspots_yearly.csv\", column: \"SUNACTIVITY\")\nsun.shape\ntweets = read_csv(\"Datasets/sentiment_tweets.tsv\", names: [\"id\", \"rating\", \"text\"])\ntweets.text[1]") { args, interp in
                let path = try args.string(0, "path")
                let column = try args.get(1, "column")
                var separator = DelimitedTable.defaultSeparator(for: path)
                if let s = try args.get(nil, "sep"), !s.isNone {
                    guard case let .string(text) = s, text.count == 1, let c = text.first else { throw args.error("'sep' must be one character such as \",\" or \"\\t\"") }
                    separator = c
                }
                let names = try args.get(nil, "names").flatMap { $0.isNone ? nil : try stringList($0, "names", args) }
                let header = try args.bool(nil, "header", default: names == nil)
                let table = try DelimitedTable(text: try DataFile.text(at: interp.fileAccess.readURL(path, builtin: "read_csv", locate: dataURL), path: path,
                                                                        memoryPerByte: DelimitedTable.memoryPerByte), path: path,
                                               separator: separator, header: header, names: names)
                if let column, !column.isNone {
                    let k: Int
                    if case let .string(name) = column { k = try table.columnIndex(named: name) }
                    else { k = try table.columnIndex(try args.convertInt(column, "column")) }
                    return .tensor(try Tensor(shape: [table.rows.count], storage: try table.numbers(column: k)))
                }
                var fields: [(name: String, value: Value)] = []
                for (k, name) in table.header.enumerated() {
                    if let numbers = try table.numericColumn(k) {
                        fields.append((name, .tensor(try Tensor(shape: [table.rows.count], storage: numbers))))
                    } else {
                        fields.append((name, .list(table.strings(column: k).map { .string($0) })))
                    }
                }
                return .record(Record(title: path, fields: fields))
            },
            Builtin("read_text", "read_text(path)", family: f,
                    doc: "The whole of a UTF-8 text file as a string (relative paths as in read_csv).",
                    example: "text = read_text(\"Datasets/shakespeare.txt\")\nlen(text)") { args, interp in
                let path = try args.string(0, "path")
                return .string(try DataFile.text(at: interp.fileAccess.readURL(path, builtin: "read_text", locate: dataURL), path: path))
            },
            Builtin("windows", "windows(series, size, horizon: 1)", family: f,
                    doc: "Sliding windows over a 1-axis series for forecasting: a record with x (size, N, 1), time-major as the recurrent layers take it, and y (N, horizon), the horizon values after each window; N = len(series) − size − horizon + 1.",
                    example: "w = windows([1, 2, 3, 4, 5], 3)\nw.x[:, :, 0]\nw.y") { args, _ in
                let series = try seriesValues(try args.tensor(0, "series"), "series", args)
                let (x, y) = try SeriesPreparation.windows(series, size: try args.int(1, "size"), horizon: try args.int(2, "horizon", default: 1))
                return .record(Record(title: "windows", fields: [("x", .tensor(x)), ("y", .tensor(y))]))
            },
            Builtin("split_series", "split_series(series, fraction)", family: f,
                    doc: "A chronological split: a record with train (the first fraction of the values, rounded down) and val (the rest), never shuffled, so the validation part lies in the training part's future.",
                    example: "s = split_series(arange(10), 0.8)\ns.val") { args, _ in
                let series = try seriesValues(try args.tensor(0, "series"), "series", args)
                let cut = try SeriesPreparation.split(series.count, fraction: try args.number(1, "fraction"))
                return .record(Record(title: "split", fields: [
                    ("train", .tensor(try Tensor(shape: [cut], storage: Array(series[..<cut])))),
                    ("val", .tensor(try Tensor(shape: [series.count - cut], storage: Array(series[cut...])))),
                ]))
            },
            Builtin("fit_normalizer", "fit_normalizer(train)", family: f,
                    doc: "The mean and standard deviation of the training data only, as a record {mean, std}, for normalize and denormalize. The std is the population one (divide by n, NumPy's default ddof=0). Fit it on the training part: statistics of the validation part would leak its future into training.",
                    example: "stats = fit_normalizer([1, 2, 3, 4])\nstats.std") { args, _ in
                let (mean, std) = try SeriesPreparation.meanAndStd(try args.tensor(0, "train").storage)
                return .record(Record(title: "normalizer", fields: [("mean", .number(mean)), ("std", .number(std))]))
            },
            Builtin("normalize", "normalize(x, stats)", family: f,
                    doc: "(x − stats.mean) / stats.std, with stats from fit_normalizer. Differentiable.",
                    example: "normalize([1, 2, 3, 4], fit_normalizer([1, 2, 3, 4]))") { args, _ in
                let x = try args.tensor(0, "x")
                let (mean, std) = try normalizerStats(try args.required(1, "stats"), args)
                return .tensor(try (x - mean) / std)
            },
            Builtin("denormalize", "denormalize(x, stats)", family: f,
                    doc: "x · stats.std + stats.mean: a normalised prediction back in the data's units. Differentiable, so a loss can be taken in the data's units.",
                    example: "stats = fit_normalizer([10, 20, 30])\ndenormalize(normalize([10, 20, 30], stats), stats)") { args, _ in
                let x = try args.tensor(0, "x")
                let (mean, std) = try normalizerStats(try args.required(1, "stats"), args)
                return .tensor(try x * std + mean)
            },
            Builtin("tokenize", "tokenize(text)", family: f,
                    doc: "Lowercase word tokens: a word is a run of letters and digits with apostrophes kept inside it (don't, o'er); every other character that is not white space is a token of its own (! ? , : …), since \"great!\" and \"great?\" differ. A list of texts gives a list of token lists.",
                    example: "tokenize(\"I don't like it... at ALL!\")") { args, _ in
                let v = try args.required(0, "text")
                func tokens(_ s: String) -> Value { .list(Tokenizer.words(s).map { .string($0) }) }
                if case let .string(s) = v { return tokens(s) }
                return .list(try stringList(v, "text", args).map(tokens))
            },
            Builtin("vocabulary", "vocabulary(text, level: \"char\", min_count: 1)", family: f,
                    doc: "Numbers the tokens of a text (or a list of texts): a record with level, size and tokens (index = id), for encode and decode. level: \"char\" — the characters sorted by code point, no special tokens unless min_count drops some characters (then id 0 is \"<unk>\"). level: \"word\" — words from tokenize; id 0 is \"<pad>\", id 1 \"<unk>\" (words seen fewer than min_count times), then the words from the most frequent down, ties alphabetically.",
                    example: "v = vocabulary(\"hello\")\nv.tokens\nw = vocabulary(list(\"a good day\", \"a bad day!\"), level: \"word\")\nw.tokens") { args, _ in
                let v = try args.required(0, "text")
                let texts: [String]
                if case let .string(s) = v { texts = [s] } else { texts = try stringList(v, "text", args) }
                let levelName = try args.string(nil, "level", default: "char")
                guard let level = Vocabulary.Level(rawValue: levelName) else { throw args.error("'level' must be \"char\" or \"word\", got \"\(levelName)\"") }
                let vocab = try Vocabulary(texts: texts, level: level, minCount: try args.int(nil, "min_count", default: 1))
                return vocabularyValue(vocab)
            },
            Builtin("encode", "encode(vocab, text)", family: f,
                    doc: "The ids of a text's characters (char level) or tokenized words (word level) as a 1-axis tensor; a list of texts gives a list of tensors (ready for pad_sequences). Unknown words become <unk>; an unknown character is an error naming it and its position, unless the vocabulary has <unk>.",
                    example: "v = vocabulary(\"hello\")\nencode(v, \"hole\")") { args, _ in
                let vocab = try vocabularyFrom(try args.required(0, "vocab"), args)
                let v = try args.required(1, "text")
                func ids(_ s: String) throws -> Value {
                    let k = try vocab.encode(s)
                    return .tensor(try Tensor(shape: [k.count], storage: k.map(Double.init)))
                }
                if case let .string(s) = v { return try ids(s) }
                return .list(try stringList(v, "text", args).map(ids))
            },
            Builtin("decode", "decode(vocab, ids)", family: f,
                    doc: "The text of a 1-axis tensor (or list) of ids: characters joined, or words joined by spaces with <pad> left out.",
                    example: "v = vocabulary(\"hello\")\ndecode(v, encode(v, \"hole\"))") { args, _ in
                let vocab = try vocabularyFrom(try args.required(0, "vocab"), args)
                let idsValue = try args.required(1, "ids")
                if case let .tensor(t) = idsValue, t.rank > 1 { throw args.error("'ids' must be one sequence (1 axis), got shape \(formatShape(t.shape))") }
                return .string(try vocab.decode(try args.convertIntList(idsValue, "ids")))
            },
            Builtin("keep", "keep(x, mask)", family: f,
                    doc: "The items of a list, or the rows (axis 0) of a tensor, where mask is true (non-zero), in order: keep(texts, abs(ratings) >= 0.5). The mask has one entry per item.",
                    example: "keep(list(\"a\", \"b\", \"c\"), [1, 0, 1])\nr = tensor([2.5, 0.1, -1])\nkeep(r, abs(r) >= 0.5)") { args, _ in
                let x = try args.required(0, "x")
                let mask = try args.tensor(1, "mask")
                guard mask.rank == 1 else { throw args.error("'mask' must be one true/false per item (1 axis), got shape \(formatShape(mask.shape))") }
                let positions = mask.storage.indices.filter { mask.storage[$0] != 0 }
                if case let .list(items) = x {
                    guard items.count == mask.count else { throw args.error("the list has \(items.count) items but the mask \(mask.count)") }
                    return .list(positions.map { items[$0] })
                }
                let t = try args.convertTensor(x, "x")
                guard t.rank >= 1, t.shape[0] == mask.count else {
                    throw args.error("x has shape \(formatShape(t.shape)) but the mask has \(mask.count) entries (one per row)")
                }
                return .tensor(try t.select(positions, axis: 0))
            },
            Builtin("shuffle", "shuffle(x, seed: none)", family: f,
                    doc: "A random permutation: of 0..<n for a number n (as a tensor, to index with), of a list's items, or of a tensor along axis 0. With seed: the same order on every machine (the engine's generator); without, the session's generator draws it, so each call (each epoch) gives a new order, reproducible from the start of the session.",
                    example: "shuffle(5, seed: 1)\nshuffle(list(\"a\", \"b\", \"c\"), seed: 1)") { args, interp in
                let v = try args.required(0, "x")
                var generator: RandomGenerator
                if let s = try args.get(nil, "seed"), !s.isNone {
                    let seed = try args.convertInt(s, "seed")
                    guard seed >= 0 else { throw args.error("'seed' must be ≥ 0, got \(seed)") }
                    generator = RandomGenerator(seed: UInt64(seed))
                } else {
                    // One draw from the session's stream seeds this permutation.
                    generator = RandomGenerator(seed: interp.rng.next())
                }
                switch v {
                case let .list(items):
                    return .list(Shuffling.permutation(items.count, generator: &generator).map { items[$0] })
                case let .tensor(t) where t.rank >= 1:
                    return .tensor(try t.select(Shuffling.permutation(t.shape[0], generator: &generator), axis: 0))
                default:
                    let n = try args.convertInt(v, "x")
                    guard n >= 0, n <= 100_000_000 else { throw args.error("n must be between 0 and 10⁸, got \(n)") }
                    let p = Shuffling.permutation(n, generator: &generator)
                    return .tensor(try Tensor(shape: [n], storage: p.map(Double.init)))
                }
            },
            Builtin("batches", "batches(x, y, size, seed: none, axis: 1)", family: f,
                    doc: "Mini-batches as a list of records {x, y}: x is cut along axis (1, the batch axis of time-major (T, B, F) data; 0 for batch-first) and y along its axis 0, in order or shuffled when a seed is given; the last batch is smaller when size does not divide the count. Lists (of strings, of id tensors) are cut like axis 0. Each item lands in exactly one batch.",
                    example: "w = windows(arange(10), 3)\nbs = batches(w.x, w.y, 3, seed: 0)\nlen(bs)\nbs[0].x.shape") { args, _ in
                let x = try args.required(0, "x"), y = try args.required(1, "y")
                let size = try args.int(2, "size")
                let seedValue = try args.get(nil, "seed")
                let axis = try args.int(nil, "axis", default: 1)
                func count(_ v: Value, _ name: String, axis: Int) throws -> Int {
                    switch v {
                    case let .list(items): return items.count
                    case .tensor, .number:
                        let t = try args.convertTensor(v, name)
                        guard t.rank > 0 else { throw args.error("'\(name)' has no axis to cut (a scalar)") }
                        let a = axis < 0 ? axis + t.rank : axis
                        guard a >= 0, a < t.rank else { throw args.error("axis \(axis) is out of range for '\(name)' of shape \(formatShape(t.shape))") }
                        return t.shape[a]
                    default: throw args.error("'\(name)' must be a tensor or a list, got \(v.kindName)")
                    }
                }
                func take(_ v: Value, _ positions: [Int], axis: Int) throws -> Value {
                    if case let .list(items) = v { return .list(positions.map { items[$0] }) }
                    return .tensor(try args.convertTensor(v, "x").select(positions, axis: axis))
                }
                let xAxis: Int = { if case .list = x { return 0 } else { return axis } }()
                let n = try count(x, "x", axis: xAxis), m = try count(y, "y", axis: 0)
                guard n == m else {
                    throw args.error("x has \(n) items along axis \(xAxis) but y has \(m) along axis 0")
                }
                var order: [Int]? = nil
                if let seedValue, !seedValue.isNone {
                    let s = try args.convertInt(seedValue, "seed")
                    guard s >= 0 else { throw args.error("'seed' must be ≥ 0, got \(s)") }
                    order = Shuffling.permutation(n, seed: UInt64(s))
                }
                return .list(try Shuffling.batchPositions(n, size: size, order: order).map { positions in
                    .record(Record(title: "batch", fields: [("x", try take(x, positions, axis: xAxis)), ("y", try take(y, positions, axis: 0))]))
                })
            },
        ] + dataTaskBuiltins()
    }

    /// Where a data file is: the path itself when absolute or present from the current directory,
    /// else the same relative path inside $RNNLAB_HOME or the rnnlab checkout this was built from
    /// (lessons say "Datasets/sunspots_yearly.csv" and must work whatever the working directory).
    static func dataURL(_ path: String) -> URL {
        let expanded = (path as NSString).expandingTildeInPath
        let direct = URL(fileURLWithPath: expanded)
        if expanded.hasPrefix("/") || FileManager.default.fileExists(atPath: direct.path) { return direct }
        for root in dataRoots {
            let candidate = root.appendingPathComponent(expanded)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        return direct
    }

    /// Folders that hold rnnlab's `Datasets/`: $RNNLAB_HOME, then the checkout this was built from.
    /// A lesson's sandbox may read `Datasets/` under these.
    public static var dataRoots: [URL] {
        var roots: [URL] = []
        if let home = ProcessInfo.processInfo.environment["RNNLAB_HOME"], !home.isEmpty { roots.append(URL(fileURLWithPath: home)) }
        // Sources/Script/Builtins/Data.swift → the checkout's root.
        roots.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent())
        return roots
    }

    static func stringList(_ v: Value, _ name: String, _ args: Arguments) throws -> [String] {
        guard case let .list(items) = v else { throw args.error("'\(name)' must be a string or a list of strings, got \(v.kindName)") }
        return try items.enumerated().map { k, item in
            guard case let .string(s) = item else { throw args.error("'\(name)' must be a list of strings; item \(k) is a \(item.kindName)") }
            return s
        }
    }

    /// The values of a series: a 1-axis tensor, or (n, 1) / (1, n) which hold one series too.
    static func seriesValues(_ t: Tensor, _ name: String, _ args: Arguments) throws -> [Double] {
        guard t.rank == 1 || (t.rank == 2 && (t.shape[0] == 1 || t.shape[1] == 1)) else {
            throw args.error("'\(name)' must be one series (a 1-axis tensor), got shape \(formatShape(t.shape))")
        }
        return t.storage
    }

    static func normalizerStats(_ v: Value, _ args: Arguments) throws -> (mean: Double, std: Double) {
        guard case let .record(r) = v, let mean = r["mean"], let std = r["std"] else {
            throw args.error("'stats' must be the record fit_normalizer returns (with mean and std), got \(v.kindName)")
        }
        let s = try args.convertNumber(std, "stats.std")
        guard s != 0 else { throw args.error("stats.std is 0: cannot divide by it") }
        return (try args.convertNumber(mean, "stats.mean"), s)
    }

    static func vocabularyValue(_ vocab: Vocabulary) -> Value {
        .record(Record(title: "vocabulary", fields: [
            ("level", .string(vocab.level.rawValue)), ("size", .number(Double(vocab.size))),
            ("tokens", .list(vocab.tokens.map { .string($0) })),
        ]))
    }

    static func vocabularyFrom(_ v: Value, _ args: Arguments) throws -> Vocabulary {
        guard case let .record(r) = v, case let .string(levelName)? = r["level"], let tokens = r["tokens"],
              let level = Vocabulary.Level(rawValue: levelName) else {
            throw args.error("'vocab' must be a vocabulary (from vocabulary(…)), got \(v.kindName)")
        }
        return try Vocabulary(tokens: try stringList(tokens, "vocab.tokens", args), level: level)
    }
}

