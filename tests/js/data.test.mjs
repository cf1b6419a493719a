// data.js decodes the evaluation arrays that tools/browser_grader_export.py publishes: the
// export's own encode() on arrays of every kind it stores (tests/js/oracle.py), gzipped as
// the site holds them or already unpacked by the server, must give back the grader's values.

import assert from "node:assert/strict";
import { test } from "node:test";

import { loadArray, row, rowsOf } from "../../docs/javascripts/browser-grader/data.js";
import { fromBase64, oracle, serveData } from "./support.mjs";

const BASE = "https://example.test/tfcert/grader/";
const ARRAYS = oracle("arrays");

test("the export stores each kind of array its own way", () => {
  const stored = Object.fromEntries(ARRAYS.map((a) => [a.name, a.spec.stored]));
  assert.deepEqual(stored, {
    pixels: "uint8", // whole 255ths, divided again on the page
    labels: "uint8",
    tokens: "int32",
    floats: "float32",
    doubles: "float64",
    windows: "float32",
  });
  const windows = ARRAYS.find((a) => a.name === "windows").spec;
  assert.deepEqual(windows.windows, { count: 35, length: 6 });
  assert.deepEqual(windows.stored_shape, [40, 3]); // the series once, not 35 windows of it
});

for (const form of ["gzipped", "plain"]) {
  test(`loadArray gives the grader's values back (${form} file)`, async (t) => {
    const files = Object.fromEntries(ARRAYS.map((a) => [a.spec.file, fromBase64(a[form])]));
    const seen = serveData(t, BASE, files);
    for (const a of ARRAYS) {
      const array = await loadArray(BASE, a.spec);
      assert.deepEqual(array.shape, a.spec.shape, a.name);
      assert.equal(array.rows, a.spec.shape[0], a.name);
      assert.equal(array.rowSize, a.spec.shape.slice(1).reduce((x, y) => x * y, 1), a.name);
      assert.equal(array.dtype, a.spec.dtype, a.name);
      const values = Array.from(rowsOf(array, 0, array.rows, Float64Array));
      assert.deepEqual(values, a.values, a.name); // exact: float32(k) / 255 included
    }
    assert.equal(seen.length, ARRAYS.length);
    assert.ok(seen.every((r) => r.options.credentials === "same-origin"));
  });
}

test("row() is a view of one row, windows included", async (t) => {
  const windows = ARRAYS.find((a) => a.name === "windows");
  serveData(t, BASE, { [windows.spec.file]: fromBase64(windows.gzipped) });
  const array = await loadArray(BASE, windows.spec);
  const size = array.rowSize;
  for (const i of [0, 1, 17, array.rows - 1]) {
    const r = row(array, i);
    assert.equal(r.buffer, array.body.buffer); // no copy
    assert.deepEqual(Array.from(r), windows.values.slice(i * size, (i + 1) * size));
  }
  const copy = rowsOf(array, 2, 4);
  assert.ok(copy instanceof Float32Array);
  assert.deepEqual(Array.from(copy), windows.values.slice(2 * size, 4 * size));
});

test("a file of the wrong size, a missing file and inconsistent windows are refused", async (t) => {
  const floats = ARRAYS.find((a) => a.name === "floats");
  const plain = fromBase64(floats.plain);
  serveData(t, BASE, { [floats.spec.file]: plain.subarray(0, plain.length - 4) });
  await assert.rejects(loadArray(BASE, floats.spec), /bytes, expected 48/);
  await assert.rejects(loadArray(BASE, { ...floats.spec, file: "gone.bin.gz" }), /HTTP 404/);

  const windows = ARRAYS.find((a) => a.name === "windows");
  serveData(t, BASE, { [windows.spec.file]: fromBase64(windows.plain) });
  const wrong = { ...windows.spec, windows: { count: 35, length: 5 } };
  await assert.rejects(loadArray(BASE, wrong), /inconsistent windows/);
});
