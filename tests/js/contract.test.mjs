// Every contract refusal of the page (grade.js: checkContract, checkEmbeddings,
// checkPredictions, the shape fixes) says what `tfcert grade` says, word for word and code
// for code: each case is answered by grader.problems.contract with this Python (tests/js/
// oracle.py contract), and the page fills the templates the export puts in the manifest.

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  checkContract,
  checkEmbeddings,
  checkPredictions,
  inputShapeFix,
  outputShapeFix,
  resultNotes,
} from "../../docs/javascripts/browser-grader/grade.js";
import { Rejected } from "../../docs/javascripts/browser-grader/errors.js";
import { oracle } from "./support.mjs";

const N = null;

// [problem, [[input shape (batch first), dtype]], [output shapes (batch first)]]
const MODELS = [
  ["c2-fashion-mnist", [[[N, 28, 28], "float32"]], [[N, 10]]], // accepted
  ["c2-fashion-mnist", [[[N, 28, 28], "float32"], [[N, 3], "float32"]], [[N, 10]]],
  ["c2-fashion-mnist", [[[N, 28, 28], "float32"]], [[N, 10], [N, 1]]],
  ["c2-fashion-mnist", [[[N, 28, 28, 1], "float32"]], [[N, 10]]],
  ["c2-fashion-mnist", [[[32, 28, 28, 1], "float32"]], [[N, 10]]],
  ["c2-fashion-mnist", [[[N, 784], "float32"]], [[N, 10]]],
  ["c2-fashion-mnist", [[[N, 28, 28], "float32"]], [[N, 5]]],
  ["c2-fashion-mnist", [[[N, 28, 28], "int32"]], [[N, 10]]],
  ["c2-fashion-mnist", [[[N, 28, 28], "string"]], [[N, 10]]],
  ["c5-sunspots", [[[N, 30], "float32"]], [[N, 12]]],
  ["c5-sunspots", [[[N, 60, 1], "float32"]], [[N, 12, 1]]],
  ["c5-sunspots", [[[N, 60], "float32"]], [[N, N, 4]]],
  ["c5-seattle-weather", [[[N, 14, 4], "float32"]], [[N, 28]]],
  ["c5-sunspots-exam", [[[N, N, 1], "float32"]], [[N, 30, 1]]], // accepted
  ["c5-sunspots-exam", [[[N, 30, 1], "float32"]], [[N, 30, 1]]], // accepted
  ["c5-sunspots-exam", [[[N, 64, 1], "float32"]], [[N, 30, 1]]],
  ["c5-sunspots-exam", [[[8, 64, 1], "float32"]], [[N, 30, 1]]],
  ["c4-rotten-tomatoes", [[[N, 32], "int32"]], [[N, 1]]], // accepted
  ["c4-rotten-tomatoes", [[[N, N], "float32"]], [[N, 1]]], // accepted
  ["c4-rotten-tomatoes", [[[N, 120], "float32"]], [[N, 1]]],
  ["c4-rotten-tomatoes", [[[16, 120], "int64"]], [[N, 1]]],
  ["c4-imdb", [[[N, 32], "float32"]], [[N, 1]]],
  ["c4-imdb", [[[N, 120], "bool"]], [[N, 1]]],
  ["c4-imdb", [[[N, 120], "string"]], [[N, 1]]],
  ["c4-imdb", [[[N, 120, 1], "float32"]], [[N, 1]]],
];
// [problem, [[className, name, input_dim]], the largest token id]
const EMBEDDINGS = [
  ["c4-rotten-tomatoes", [["Embedding", "embedding", 1000], ["Dense", "dense", null]], 999], // accepted
  ["c4-rotten-tomatoes", [["Dense", "dense", null], ["Embedding", "words 'x'", 500]], 999],
  ["c4-imdb", [["Embedding", "e", 10]], 10],
];
// [problem, values (numbers or "nan", "inf", "-inf"), shape, count]
const PREDICTIONS = [
  ["c2-mnist", Array(20).fill(0.1), [2, 10], 2], // accepted
  ["c2-mnist", Array(20).fill(0.1), [2, 10], 3],
  ["c2-mnist", Array(20).fill(0.1), [4, 5], 4],
  ["c3-clipart", [0.25, 0.5, 0.75], [3, 1], 3], // accepted
  ["c3-clipart", [0.25, 0.5, 0.75, 0.25, 0.5, 0.75], [3, 2], 3], // accepted
  ["c3-clipart", [0.25, "nan", 0.75, "inf"], [4, 1], 4],
  ["c3-clipart", [-0.25, 1.5, 0.75], [3, 1], 3],
  ["c4-imdb", [1e-7 - 1e-6, 1.0], [2, 1], 2],
  ["c5-sunspots", Array(24).fill(-1234.5), [2, 12], 2], // accepted: no range
  ["c5-household-power", ["-inf", ...Array(24 * 7 - 1).fill(1)], [1, 24, 7], 1],
];
const FIXES = {
  inputs: [
    [[N, 28, 28, 1], [[28, 28]]],
    [[32, 28, 28, 1], [[28, 28]]],
    [[N, 30], [[30, 1], [N, 1]]],
    [[N, N], [[60, 1], [60]]],
    [[8, 3], [[1]]],
    [[N, 3], [[1]]],
    [[N, 120, 1], [[120], [N]]],
  ],
  outputs: [
    [[12, 1], [[12]]],
    [[5], [[12]]],
    [[N, 4], [[7, 4]]],
    [[28], [[7, 4]]],
  ],
};

const python = oracle("contract", {
  contract: MODELS.map(([problem, inputs, outputs]) => ({ problem, inputs, outputs })),
  embeddings: EMBEDDINGS.map(([problem, layers, largest]) => ({ problem, layers, largest })),
  predictions: PREDICTIONS.map(([problem, values, shape, count]) => ({ problem, values, shape, count })),
  fixes: FIXES,
});
const words = python.words;

function outcome(check) {
  try {
    const value = check();
    return { value: value === undefined ? null : value };
  } catch (error) {
    if (!(error instanceof Rejected)) throw error;
    return { reason: error.reason, code: error.code };
  }
}

/** A REASONS template as a pattern that its filled-in texts match. */
function template(text) {
  const parts = text.split(/\{\w+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join(".*")}$`);
}

const number = (v) => (typeof v === "string" ? { nan: NaN, inf: Infinity, "-inf": -Infinity }[v] : v);

test("every contract refusal of a model is the grader's, word for word", () => {
  const reached = [];
  MODELS.forEach(([problem, inputs, outputs], i) => {
    const model = { inputs: inputs.map(([shape, dtype]) => ({ shape, dtype })), outputs: outputs.map((shape) => ({ shape })) };
    const page = outcome(() => checkContract(words, model, python.problems[problem]));
    assert.deepEqual(page, python.contract[i], `${problem} ${JSON.stringify(inputs)} -> ${JSON.stringify(outputs)}`);
    if (page.reason) reached.push(page.reason);
  });
  // the cases reach every refusal of check_contract
  for (const key of ["inputs-outputs", "input-shape", "sequence-length", "output-shape", "strings", "float-dtype", "int-dtype"]) {
    const pattern = template(words.reasons[key].text);
    assert.ok(reached.some((r) => pattern.test(r)), `no case reaches ${key}`);
  }
});

test("a text model built for another length is refused with the length to use", () => {
  const i = MODELS.findIndex(([p, inputs]) => p === "c4-rotten-tomatoes" && inputs[0][0][1] === 120);
  assert.equal(
    python.contract[i].reason,
    "this model takes sequences of 120 words; c4-rotten-tomatoes feeds 32 (the starter's MAX_LENGTH): " +
      "build it with tf.keras.Input(shape=(32,)) or pad to MAX_LENGTH = 32",
  );
});

test("the Embedding refusal is the grader's", () => {
  EMBEDDINGS.forEach(([problem, layers, largest], i) => {
    const page = outcome(() =>
      checkEmbeddings(
        words,
        layers.map(([className, name, rows]) => ({ className, name, config: { input_dim: rows } })),
        python.problems[problem],
        largest,
      ),
    );
    assert.deepEqual(page, python.embeddings[i], `${problem} ${JSON.stringify(layers)}`);
  });
  assert.equal(python.embeddings[1].code, "embedding-too-small");
});

test("the refusals of predictions are the grader's", () => {
  PREDICTIONS.forEach(([problem, values, shape, count], i) => {
    const pred = { values: Float32Array.from(values.map(number)), shape };
    const page = outcome(() => checkPredictions(words, pred, count, python.problems[problem]));
    assert.deepEqual(page, python.predictions[i], `${problem} ${JSON.stringify(shape)} for ${count}`);
  });
  const codes = new Set(python.predictions.map((p) => p.code).filter(Boolean));
  assert.deepEqual([...codes].sort(), ["nan", "out-of-range", "wrong-shape"]);
});

test("the shape fixes are the grader's", () => {
  FIXES.inputs.forEach(([actual, fed], i) => assert.equal(inputShapeFix(words, actual, fed), python.fixes.inputs[i]));
  FIXES.outputs.forEach(([actual, needed], i) => assert.equal(outputShapeFix(words, actual, needed), python.fixes.outputs[i]));
  assert.match(python.fixes.inputs[1], /without a batch size, and add tf\.keras\.layers\.Reshape\(\(28, 28, 1\)\)/);
  assert.equal(python.fixes.outputs[0], "add tf.keras.layers.Reshape((12,)) as the last layer");
});

test("a result's notes come from the grader's words", () => {
  const keras2 = resultNotes(words, { keras2: { version: "2.7.0", notes: [] }, loss: "mse" });
  assert.deepEqual(keras2, [
    words.notes.keras2.replace("{version}", "2.7.0").replace("{done}", words.notes["keras2-unchanged"]),
  ]);
  const h5 = resultNotes(words, { keras2: null, misread: "axis kept", savedBy: null, loss: "mae" });
  assert.equal(h5[0], "saved by Keras 3 as .h5: axis kept");
  assert.match(h5[1], /^compiled with loss='mae': .*\('mean_absolute_error'\)$/);
});
