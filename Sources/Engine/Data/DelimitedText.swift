import Foundation

/// A table read from a CSV or TSV file: a header and rows of text cells, with the line each row
/// starts on so that a bad cell can be reported as `path:LINE`.
///
/// Parsing follows RFC 4180: fields are separated by the separator, records by LF or CRLF; a field
/// that *starts* with `"` is quoted — it may then hold separators, line breaks and `""` for a quote
/// character. A quote in the middle of an unquoted field is kept as an ordinary character (tweets
/// quote people), which RFC 4180 leaves undefined. Empty lines are skipped.
public struct DelimitedTable: Sendable {
    /// The file's name as the user gave it, for messages.
    public let path: String
    /// Column names: the first row, or the names given, or `c0`, `c1`, … for a file without a header.
    public let header: [String]
    /// Every data row; each has `header.count` cells.
    public let rows: [[String]]
    /// 1-based line on which each row starts.
    public let lines: [Int]

    /// Memory per byte of the file at the peak of reading a table: the bytes, the text, every cell
    /// as a string of its own in its row's array, then the numeric columns as doubles. Measured:
    /// a 2 GB CSV of short numeric cells peaked at 13 GB.
    public static let memoryPerByte = 6.5

    /// Parses `text`. `header: false` treats the first row as data; `names` renames the columns
    /// (and must have one name per column).
    public init(text: String, path: String, separator: Character, header: Bool = true, names: [String]? = nil) throws {
        self.path = path
        var records = try DelimitedTable.records(in: text, path: path, separator: separator)
        var columns: [String]
        if header, let first = records.first {
            columns = first.cells
            records.removeFirst()
        } else {
            columns = (0..<(records.first?.cells.count ?? names?.count ?? 0)).map { "c\($0)" }
        }
        if let names {
            guard names.count == columns.count else {
                throw DataError("\(path): \(names.count) names given for \(columns.count) columns (\(columns.joined(separator: ", ")))")
            }
            columns = names
        }
        guard !columns.isEmpty else { throw DataError("\(path): the file is empty") }
        for record in records where record.cells.count != columns.count {
            throw DataError("\(path):\(record.line): expected \(columns.count) fields, found \(record.cells.count)")
        }
        self.header = columns
        self.rows = records.map(\.cells)
        self.lines = records.map(\.line)
    }

    /// The separator a file's name suggests: a tab for `.tsv` (and `.tab`), else a comma.
    public static func defaultSeparator(for path: String) -> Character {
        let lower = path.lowercased()
        return lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") ? "\t" : ","
    }

    /// The position of a column given by name or by index (negative counts from the end).
    public func columnIndex(named name: String) throws -> Int {
        guard let k = header.firstIndex(of: name) else {
            throw DataError("\(path): no column '\(name)'; the columns are \(header.joined(separator: ", "))")
        }
        return k
    }

    public func columnIndex(_ index: Int) throws -> Int {
        let k = index < 0 ? index + header.count : index
        guard k >= 0, k < header.count else {
            throw DataError("\(path): no column \(index); the file has \(header.count) columns (\(header.joined(separator: ", ")))")
        }
        return k
    }

    /// The text cells of column `k`.
    public func strings(column k: Int) -> [String] { rows.map { $0[k] } }

    /// Column `k` as numbers; the first cell that is not a number is reported with its line.
    public func numbers(column k: Int) throws -> [Double] {
        switch try parse(column: k) {
        case .numbers(let values): return values
        case .notANumber(let i):
            throw DataError("\(path):\(lines[i]): column \(header[k]): expected a number, found '\(rows[i][k])'")
        }
    }

    /// Column `k` as numbers when every cell of it is one (and there is at least one row), else nil.
    /// Ctrl-C throws, as in ``numbers(column:)``: giving up with nil instead would send the caller
    /// on to read the column as strings, seconds of work for a large file before anyone noticed.
    public func numericColumn(_ k: Int) throws -> [Double]? {
        guard !rows.isEmpty, case .numbers(let values) = try parse(column: k) else { return nil }
        return values
    }

    private enum ParsedColumn { case numbers([Double]), notANumber(row: Int) }

    /// Column `k` read as numbers up to its first cell that is not one.
    private func parse(column k: Int) throws -> ParsedColumn {
        var values: [Double] = []
        values.reserveCapacity(rows.count)
        for (i, row) in rows.enumerated() {
            // Ctrl-C every 2¹⁴ rows (a few milliseconds of parsing; see Cancellation).
            if i & (1 << 14 - 1) == 0 { try Cancellation.check() }
            guard let x = DelimitedTable.number(row[k]) else { return .notANumber(row: i) }
            values.append(x)
        }
        return .numbers(values)
    }

    /// A cell as a number: decimal notation with optional sign and exponent, spaces around allowed;
    /// `nan` and `inf` are accepted as NumPy writes them.
    public static func number(_ cell: String) -> Double? {
        let trimmed = cell.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.lowercased().hasPrefix("0x"), !trimmed.lowercased().hasPrefix("-0x") else { return nil }
        return Double(trimmed)
    }

    /// The records of `text` with the line each starts on.
    static func records(in text: String, path: String, separator: Character) throws -> [(cells: [String], line: Int)] {
        guard let sep = separator.unicodeScalars.first, separator.unicodeScalars.count == 1 else {
            throw DataError("\(path): the separator must be one character, got '\(separator)'")
        }
        let quote: Unicode.Scalar = "\"", lf: Unicode.Scalar = "\n", cr: Unicode.Scalar = "\r"
        var records: [(cells: [String], line: Int)] = []
        var cells: [String] = []
        var field = String.UnicodeScalarView()
        var line = 1, recordLine = 1
        var inQuotes = false, wasQuoted = false, afterQuote = false, fieldStarted = false
        // The scalars in chunks that look for Ctrl-C: a 256 MB file is ~2 s of decoding by itself.
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.utf8.count)
        for s in text.unicodeScalars {
            scalars.append(s)
            if scalars.count & (Cancellation.chunk - 1) == 0 { try Cancellation.check() }
        }
        var i = 0

        func endField() {
            cells.append(String(field)); field = String.UnicodeScalarView()
            wasQuoted = false; afterQuote = false; fieldStarted = false
        }
        func endRecord() {
            // A line with nothing on it is not a record of one empty field.
            if !(cells.isEmpty && field.isEmpty && !wasQuoted) { endField(); records.append((cells, recordLine)) }
            cells = []; field = String.UnicodeScalarView(); wasQuoted = false; afterQuote = false; fieldStarted = false
        }

        var nextCheck = Cancellation.chunk
        while i < scalars.count {
            // Ctrl-C: one comparison per character, one atomic load per chunk (see Cancellation);
            // the rows read so far are freed in the background.
            if i >= nextCheck {
                if Cancellation.isRequested {
                    var taken: [(cells: [String], line: Int)] = []
                    swap(&taken, &records)
                    Cancellation.releaseInBackground(consume taken)
                    throw TensorError.interrupted
                }
                nextCheck = i + Cancellation.chunk
            }
            let c = scalars[i]
            if inQuotes {
                if c == quote {
                    if i + 1 < scalars.count, scalars[i + 1] == quote { field.append(quote); i += 2; continue }
                    inQuotes = false; afterQuote = true
                } else {
                    if c == lf { line += 1 }
                    field.append(c)
                }
                i += 1
                continue
            }
            if c == sep {
                endField()
            } else if c == lf || (c == cr && i + 1 < scalars.count && scalars[i + 1] == lf) {
                if c == cr { i += 1 }
                endRecord()
                line += 1; recordLine = line
            } else if afterQuote {
                throw DataError("\(path):\(line): unexpected '\(Character(c))' after the closing quote of a field (a quote inside a quoted field is written \"\")")
            } else if c == quote && !fieldStarted {
                inQuotes = true; wasQuoted = true; fieldStarted = true
            } else {
                field.append(c); fieldStarted = true
            }
            i += 1
        }
        if inQuotes { throw DataError("\(path):\(recordLine): a quoted field is not closed before the end of the file") }
        endRecord()
        return records
    }
}

/// Reading whole files as text, with errors that name the path.
public enum DataFile {
    /// Largest text file read (a data set, not a memory test): 1 GB.
    static let limit = 1 << 30

    /// Memory per byte of a text file read as a string: the file's bytes, then the string made
    /// from them while they are still held (measured: `read_text` of a 2 GB file peaked at 4.2 GB).
    public static let textMemoryPerByte = 2.1

    /// The UTF-8 text of the file at `url`; `path` is how the user wrote it (for messages). Only
    /// regular files are read, so `/dev/zero` or a FIFO is named instead of read forever; and only
    /// when the file's size times `memoryPerByte` (what the caller will hold per byte, by the end)
    /// fits in the session's ``MemoryBudget``.
    public static func text(at url: URL, path: String, memoryPerByte: Double = textMemoryPerByte) throws -> String {
        let data: Data
        do { data = try SafeFile.read(url.path, limit: limit, memoryPerByte: memoryPerByte) } catch {
            if Cancellation.isRequested { throw TensorError.interrupted }
            throw DataError("\(path): \(error.reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw DataError("\(path): is not UTF-8 text") }
        return text
    }
}
