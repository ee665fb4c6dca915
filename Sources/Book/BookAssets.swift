/// The book's one style sheet and one script, written beside the pages. Both are plain text in
/// the executable (no resources to install, no framework, nothing fetched): the pages work when
/// opened straight from the disk (file://).
public enum BookAssets {
    public static let styleSheet = "book.css"
    public static let script = "book.js"

    /// Readable on a phone (one column, code scrolls sideways instead of widening the page), dark
    /// when the system is, and printable: controls hidden, every answer and hint shown.
    public static let css = #"""
    :root {
      --text: #1d1f21; --muted: #5b6169; --back: #fdfdfc; --panel: #f2f3f1; --line: #d8dbd6;
      --accent: #1f5fa8; --right: #1d7a3a; --wrong: #a8321f; --code: #8a4b12;
    }
    @media (prefers-color-scheme: dark) {
      :root {
        --text: #e3e5e8; --muted: #9aa1aa; --back: #15171a; --panel: #1f2226; --line: #33383e;
        --accent: #79b0f0; --right: #6fcf8a; --wrong: #f08a74; --code: #e6b27a;
      }
    }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
    body {
      margin: 0; padding: 0 1rem 3rem; background: var(--back); color: var(--text);
      font: 1.05rem/1.6 -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
    }
    main { max-width: 46rem; margin: 0 auto; }
    nav.lessons { max-width: 46rem; margin: 0 auto; padding: 0.8rem 0; display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; font-size: 0.95rem; }
    a { color: var(--accent); }
    h1, h2, h3 { line-height: 1.25; margin: 1.8rem 0 0.6rem; }
    h1 { font-size: 1.8rem; }
    h2 { font-size: 1.35rem; border-bottom: 1px solid var(--line); padding-bottom: 0.2rem; }
    h3 { font-size: 1.1rem; }
    code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9rem; }
    :not(pre) > code { color: var(--code); background: var(--panel); padding: 0 0.2em; border-radius: 3px; overflow-wrap: anywhere; }
    pre { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem 0.8rem; overflow-x: auto; line-height: 1.35; margin: 0.6rem 0; }
    pre.output, pre.figure { background: transparent; border-style: dashed; }
    pre.figure, pre.drawing { line-height: 1.15; }
    div.figure { margin: 0.6rem 0; }
    div.figure svg { display: block; max-width: 100%; height: auto; border: 1px dashed var(--line); border-radius: 6px; }
    details.drawing summary { font-size: 0.85rem; color: var(--muted); cursor: pointer; }
    pre.failure { color: var(--wrong); white-space: pre-wrap; overflow-wrap: anywhere; }
    .cell { margin: 1rem 0; }
    .cell > pre.code { border-left: 4px solid var(--accent); }
    .cell.error > pre.code { border-left-color: var(--wrong); }
    .outputs { margin-left: 0.8rem; }
    .kicker, .how { color: var(--muted); font-size: 0.95rem; }
    .lesson-meta { border-bottom: 1px solid var(--line); padding-bottom: 0.6rem; }
    .table { overflow-x: auto; }
    table { border-collapse: collapse; margin: 0.8rem 0; }
    th, td { border: 1px solid var(--line); padding: 0.3rem 0.6rem; vertical-align: top; }
    th { background: var(--panel); }
    .right { text-align: right; } .center { text-align: center; }
    blockquote { margin: 0.8rem 0; padding: 0 1rem; border-left: 4px solid var(--line); color: var(--muted); }
    .question, .exercise { border: 1px solid var(--line); border-radius: 8px; padding: 0.2rem 1rem 0.6rem; margin: 1.4rem 0; background: var(--panel); }
    .question pre, .exercise pre { background: var(--back); }
    .question-label { margin-top: 0.8rem; font-size: 1rem; color: var(--muted); }
    ul.choices { list-style: none; padding-left: 0; }
    ul.choices li { margin: 0.3rem 0; }
    ul.choices label { display: flex; gap: 0.5rem; align-items: baseline; cursor: pointer; }
    .letter { font-weight: bold; }
    input[type=text], textarea { font: inherit; width: 100%; max-width: 20rem; padding: 0.3rem; color: var(--text); background: var(--back); border: 1px solid var(--line); border-radius: 4px; }
    textarea { max-width: 100%; }
    button { font: inherit; padding: 0.3rem 1.2rem; border-radius: 4px; border: 1px solid var(--accent); background: var(--accent); color: var(--back); cursor: pointer; }
    .verdict.right { color: var(--right); font-weight: bold; }
    .verdict.wrong { color: var(--wrong); font-weight: bold; }
    .hint, .explanation { border-left: 3px solid var(--line); padding-left: 0.8rem; margin: 0.6rem 0; }
    summary { cursor: pointer; color: var(--accent); }
    ol.index { padding-left: 0; list-style: none; }
    ol.index h2 { border: none; margin-bottom: 0; }
    ol.index .kicker { margin: 0; }
    [hidden] { display: none !important; }
    @media (max-width: 30rem) {
      body { font-size: 1rem; padding: 0 0.6rem 2rem; }
      .outputs { margin-left: 0; }
      pre { font-size: 0.8rem; }
    }
    @media print {
      :root { --text: #000; --muted: #333; --back: #fff; --panel: #fff; --line: #999; --accent: #000; --code: #000; }
      body { font-size: 11pt; padding: 0; }
      nav.lessons, button, .actions, .verdict, textarea { display: none !important; }
      [hidden] { display: block !important; }
      pre { white-space: pre-wrap; overflow: visible; break-inside: avoid; }
      .question, .exercise, .cell { break-inside: avoid; }
      a { color: inherit; text-decoration: none; }
    }
    """#

    /// Grades choice and numeric questions in the page, as `Grader` does in guided mode, and
    /// shows hints, the answer and the explanation as guided mode would. The grading functions
    /// are pure and exported when the file is loaded as a module (node), so they can be tested.
    public static let javaScript = #"""
    "use strict";
    (function () {
      function letter(k) { return String.fromCharCode(97 + (k % 26)); }

      // "a, c" or "a c" -> [0, 2]; null when a part is not one of the choices.
      function parseChoices(text, count) {
        var parts = String(text).toLowerCase().split(/[ ,]+/).filter(function (p) { return p.length > 0; });
        if (parts.length === 0) { return null; }
        var out = [];
        for (var i = 0; i < parts.length; i++) {
          var k = -1;
          for (var j = 0; j < count; j++) { if (letter(j) === parts[i]) { k = j; } }
          if (k < 0) { return null; }
          if (out.indexOf(k) < 0) { out.push(k); }
        }
        return out.sort(function (a, b) { return a - b; });
      }

      // The selected set must be exactly the correct set.
      function gradeChoice(selected, correct) {
        var same = selected.length === correct.length && selected.every(function (k) { return correct.indexOf(k) >= 0; });
        if (same) { return { right: true }; }
        var subset = selected.every(function (k) { return correct.indexOf(k) >= 0; });
        if (subset && correct.length > 1) {
          return { right: false, reason: "right so far, but more than " + (selected.length === 1 ? "one choice is" : "those choices are") + " correct" };
        }
        return { right: false, reason: correct.length > 1 ? "not that combination" : "not that one" };
      }

      // A decimal number as a learner types it; null for anything else.
      function parseNumber(text) {
        var t = String(text).trim();
        if (/^[+-]?(inf|infinity|nan)$/i.test(t)) { return t.toLowerCase().indexOf("nan") >= 0 ? NaN : (t.charAt(0) === "-" ? -Infinity : Infinity); }
        if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(t)) { return null; }
        return Number(t);
      }

      // Within the (absolute) tolerance; a wrong number is told the kind of mistake it looks like.
      function gradeNumeric(value, answer, tolerance) {
        function near(x) { return isFinite(x) && Math.abs(x - answer) <= tolerance; }
        if (near(value)) { return { right: true }; }
        var shown = String(value);
        if (!isFinite(value)) { return { right: false, reason: shown + " is not a finite number" }; }
        if (value !== 0 && near(-value)) { return { right: false, reason: shown + " has the right size but the wrong sign" }; }
        var powers = [1, 2, 3, -1, -2, -3];
        for (var i = 0; i < powers.length; i++) {
          var k = powers[i];
          if (value !== 0 && near(value / Math.pow(10, k))) {
            return { right: false, reason: shown + " is " + Math.pow(10, Math.abs(k)) + " times too " + (k > 0 ? "large" : "small") + " \u2014 check for a percentage or a slipped decimal point" };
          }
        }
        return { right: false, reason: shown + " is too " + (value > answer ? "high" : "low") };
      }

      // An answer typed as text (the lesson's key or a listed wrong answer) against a question's data.
      function judge(data, text) {
        if (data.kind === "choice") {
          var selected = parseChoices(text, data.count);
          if (selected === null) { return { notAnswer: "answer with the letters of choices" }; }
          return gradeChoice(selected, data.correct);
        }
        var x = parseNumber(text);
        if (x === null) { return { notAnswer: "answer with a number, e.g. 0.25" }; }
        return gradeNumeric(x, data.answer, data.tolerance);
      }

      var api = { parseChoices: parseChoices, gradeChoice: gradeChoice, parseNumber: parseNumber, gradeNumeric: gradeNumeric, judge: judge };
      if (typeof module !== "undefined" && module.exports) { module.exports = api; return; }

      function show(element) { if (element) { element.hidden = false; } }

      function setUp(section) {
        var kind = section.classList.contains("choice") ? "choice" : "numeric";
        var tries = 0;
        var allowed = Number(section.getAttribute("data-tries")) || 3;
        var hints = section.querySelectorAll(".hint");
        var verdict = section.querySelector(".verdict");
        var button = section.querySelector("button.check");
        var boxes = section.querySelectorAll("input[type=checkbox]");
        var field = section.querySelector("input[type=text]");
        function check() {
          var result;
          if (kind === "choice") {
            var selected = [];
            for (var i = 0; i < boxes.length; i++) { if (boxes[i].checked) { selected.push(Number(boxes[i].value)); } }
            if (selected.length === 0) { verdict.className = "verdict"; verdict.textContent = "Tick at least one choice."; return; }
            var correct = section.getAttribute("data-correct").split(",").map(Number);
            result = gradeChoice(selected, correct);
          } else {
            var x = parseNumber(field.value);
            if (x === null) { verdict.className = "verdict"; verdict.textContent = "Answer with a number, e.g. 0.25."; return; }
            result = gradeNumeric(x, Number(section.getAttribute("data-answer")), Number(section.getAttribute("data-tolerance")));
          }
          if (result.right) {
            verdict.className = "verdict right";
            verdict.textContent = "Right.";
            show(section.querySelector(".explanation"));
            return;
          }
          tries += 1;
          verdict.className = "verdict wrong";
          verdict.textContent = "Not quite: " + result.reason + ".";
          if (tries <= hints.length) { show(hints[tries - 1]); }
          if (tries >= allowed) {
            show(section.querySelector(".reveal"));
            show(section.querySelector(".explanation"));
          }
        }
        button.addEventListener("click", check);
        if (field) { field.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); check(); } }); }
      }

      var sections = document.querySelectorAll("section.question.graded");
      for (var i = 0; i < sections.length; i++) { setUp(sections[i]); }

      // On paper nothing can be clicked: every answer behind a control is printed open.
      window.addEventListener("beforeprint", function () {
        var closed = document.querySelectorAll("details:not([open])");
        for (var k = 0; k < closed.length; k++) { closed[k].setAttribute("open", "open"); }
      });
    })();
    """#
}
