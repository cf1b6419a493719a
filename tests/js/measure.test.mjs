// measure.js and report.js compute, for every problem the page grades, what the grader
// computes: made-up targets of each problem's shape are encoded by the site's export and
// decoded by data.js, then the page's measure, score, summary and explanation are compared
// with the grader's own (problem.measure, Scale, Result.summary(), grader.explain()), run on
// the same numbers by tests/js/oracle.py.

import assert from "node:assert/strict";
import { test } from "node:test";

import { loadArray } from "../../docs/javascripts/browser-grader/data.js";
import { measure } from "../../docs/javascripts/browser-grader/measure.js";
import { Scale, explain, makeResult, summary } from "../../docs/javascripts/browser-grader/report.js";
import { close, fromBase64, oracle, serveData } from "./support.mjs";

const BASE = "https://example.test/tfcert/grader/";
const CASES = oracle("problems", { rows: 32 });

function assertClose(actual, expected, where) {
  if (Array.isArray(expected)) {
    assert.equal(actual.length, expected.length, where);
    expected.forEach((v, i) => assertClose(actual[i], v, `${where}[${i}]`));
  } else if (expected !== null && typeof expected === "object") {
    assert.deepEqual(Object.keys(actual), Object.keys(expected), where);
    for (const k of Object.keys(expected)) assertClose(actual[k], expected[k], `${where}.${k}`);
  } else if (typeof expected === "number") {
    assert.ok(close(actual, expected), `${where}: page ${actual}, grader ${expected}`);
  } else {
    assert.equal(actual, expected, where);
  }
}

test("the cases cover every kind of measure the page knows, and most scores", () => {
  const kinds = new Set(CASES.map((c) => c.measure.kind));
  assert.deepEqual([...kinds].sort(), ["classification", "first_step_mae", "forecast_mae", "regression"]);
  const scores = new Set(CASES.map((c) => c.score));
  assert.ok(scores.has(0) && scores.has(5) && scores.size >= 4, [...scores].join(","));
});

for (const [i, c] of CASES.entries()) {
  test(`${c.id} (case ${i}): measure, score, summary and explain as the grader`, async (t) => {
    serveData(t, BASE, { [c.y.spec.file]: fromBase64(c.y.gzipped) });
    const y = await loadArray(BASE, c.y.spec);
    const pred = Float32Array.from(c.pred); // a model's output
    const evaluation = measure(c.measure, y, pred, c.pred_shape);

    assertClose(evaluation.value, c.value, "value");
    assert.equal(evaluation.count, c.count);
    assert.equal(evaluation.unit, c.unit);
    assertClose(evaluation.details, c.details, "details");

    const result = makeResult({ id: c.id, scale: c.scale }, evaluation, "0".repeat(64), 0.1, []);
    assert.equal(result.score, c.score);
    assert.equal(summary(result), c.summary);
    assert.equal(explain(result, { id: c.id, scale: c.scale, persistence: c.persistence }), c.explain);
  });
}

test("an unknown kind of measure is an error, never a score", () => {
  assert.throws(() => measure({ kind: "f1", unit: "images" }, { rows: 0 }, [], [0]), /unknown measure f1/);
});

test("Scale: a metric exactly on a bound stays on it despite float noise", () => {
  const accuracy = new Scale({ metric: "accuracy", five: 0.88, step: 0.02, higher_is_better: true });
  // (0.9 - 0.88) / 0.02 is 1.0000000000000009 in floats; Python's round(raw, 9) makes it 5
  assert.equal(accuracy.score(0.9), 5);
  assert.equal(accuracy.score(0.88), 4); // 5/5 needs strictly more than the bound
  assert.equal(accuracy.score(0.8800001), 5);
  assert.equal(accuracy.score(0.1), 0);
  assert.equal(accuracy.score(NaN), 0);
  assert.equal(accuracy.describe(5), "accuracy > 0.88");
  assert.equal(accuracy.describe(1), "accuracy > 0.8");
  const mae = new Scale({ metric: "MAE", five: 0.055, step: 0.01, higher_is_better: false });
  assert.equal(mae.score(0.055), 4);
  assert.equal(mae.score(0.0549), 5);
  assert.equal(mae.score(0.095), 0);
  assert.equal(mae.score(Infinity), 0);
  assert.equal(mae.describe(1), "MAE < 0.095");
});
