// The page translates an exam-era Keras 2 config as the Python grader does (keras2.js applies
// grader.modelfile.keras2.RULES, exported into the manifest): the same config and the same
// notes, on every Keras 2 fixture, every catalogued Keras 2 layer and configs changed to
// trigger each rule. And the page's refusals and load failures are the grader's words,
// filled in as Python's str.format fills them.

import assert from "node:assert/strict";
import { test } from "node:test";

import { fill, loadFailed, refusal } from "../../docs/javascripts/browser-grader/errors.js";
import { keras2Version, translateConfig } from "../../docs/javascripts/browser-grader/keras2.js";
import { snakeCase } from "../../docs/javascripts/browser-grader/model.js";
import { oracle } from "./support.mjs";

const CASES = [
  ["extension-case", { suffix: ".H5", renamed: "upper.h5" }],
  ["extension", { name: "model.txt" }],
  ["too-large", { mib: "300", limit_mib: 256 }],
  ["too-many-weights", { gib: "1.5", limit_gib: 1 }],
  ["corrupt-h5", { error: "OSError" }],
  ["unpacks-too-large", { mib: "999", limit_mib: 256 }],
  ["custom-class", { name: "'MyLayer {x}'" }],
  ["keras-function", { module: "keras.ops", function: "exp" }],
  ["lambda", {}],
];
const FAILED = [
  ["Shape mismatch {x}", null, "3.15.1"],
  ["boom", "3.15.1", "3.15.1"],
  ["boom", "3.0.5", "3.15.1"],
];

const words = oracle("words", { cases: CASES, load_failed: FAILED });
const manifest = { ...words, keras: words.keras };

function layer(className, config, extra = {}) {
  return { class_name: className, config: { name: className.toLowerCase(), ...config }, ...extra };
}

function sequential(layers, name = "m") {
  return { class_name: "Sequential", config: { name, layers } };
}

// Configs that set off each rule, and the corners of the Sequential input.
const MADE = [
  sequential([
    layer("Dense", { units: 2, batch_input_shape: [null, 3], activation: "softmax_v2", dtype: { class_name: "Policy", config: { name: "float32" } } }),
    layer("LeakyReLU", { alpha: 0.3 }),
    layer("BatchNormalization", { axis: [3] }),
    layer("SeparableConv2D", { groups: 1, kernel_initializer: {}, kernel_constraint: null }),
    layer("SpatialDropout1D", { trainable: true, noise_shape: null }),
    layer("RandomFlip", { force_generator: false }),
    layer("Dense", { units: 1, activation: { class_name: "function", config: "log_softmax_v2", module: "builtins" } }),
  ]),
  sequential([layer("Dense", { units: 1, batch_input_shape: [null, 1], name: "dense" }), layer("Dense", { units: 1, name: "dense_input" })]),
  sequential([{ class_name: "Dense", config: { units: 1, batch_input_shape: [null, 1] } }]),
  sequential([
    layer("Embedding", { input_dim: 9, output_dim: 2, input_length: 4, batch_input_shape: [null, 4] }),
    layer("Bidirectional", {
      layer: layer("LSTM", { units: 2, time_major: false }),
      backward_layer: layer("GRU", { units: 2, time_major: false, go_backwards: true }),
    }),
    layer("TimeDistributed", { layer: layer("Custom", { units: 1 }) }),
    layer("GRU", { units: 1, time_major: true }),
    layer("Conv1DTranspose", { groups: 1.0 }),
    layer("DepthwiseConv2D", { groups: true }),
    layer("BatchNormalization", { axis: [true] }),
    sequential([layer("Dense", { units: 1, batch_input_shape: [null, 2] })], "inner"),
  ]),
  {
    class_name: "Functional",
    config: {
      name: "f",
      layers: [
        { ...layer("InputLayer", { batch_input_shape: [null, 5] }), name: "inp", inbound_nodes: [] },
        { ...layer("Dense", { units: 1, activation: "softmax_v2" }), name: "d", inbound_nodes: [[["inp", 0, 0, {}]]] },
      ],
      input_layers: [["inp", 0, 0]],
      output_layers: [["d", 0, 0]],
    },
  },
  sequential(Array.from({ length: 6 }, (_, i) => layer("Dense", { units: 1, name: `d${i}`, batch_input_shape: [null, 1] }))),
];

test("the page translates every Keras 2 fixture and catalogued layer as the grader does", () => {
  const fixtures = oracle("keras2-fixtures");
  assert.ok(fixtures.length > 100, fixtures.length);
  const configs = [...fixtures.map((f) => f.config), ...MADE];
  const python = oracle("keras2", { configs });
  let changed = 0;
  configs.forEach((config, i) => {
    const before = JSON.stringify(config);
    const page = translateConfig(config, manifest.keras2);
    assert.equal(JSON.stringify(config), before, "the argument is left as it was");
    const name = fixtures[i]?.name ?? `made-up config ${i - fixtures.length}`;
    assert.deepEqual(page.config, python[i].config, name);
    assert.deepEqual(page.notes, python[i].notes, name);
    if (page.notes.length) changed += 1;
  });
  assert.ok(changed > 50, changed);
  const everyKind = new Set(python.flatMap((p) => p.notes.map((n) => n.slice(0, 12))));
  assert.ok(everyKind.size >= Object.keys(manifest.keras2.notes).length - 1, [...everyKind]);
});

test("a Keras 2 file is one saved by Keras 2 with TensorFlow", () => {
  assert.equal(keras2Version("2.9.0", "tensorflow"), "2.9.0");
  assert.equal(keras2Version("2.3.1", undefined), "2.3.1");
  assert.equal(keras2Version("3.15.1", "tensorflow"), null);
  assert.equal(keras2Version("2.1.6", "theano"), null);
  assert.equal(keras2Version(undefined, undefined), null);
});

test("the page's refusals are the grader's words and codes", () => {
  CASES.forEach(([key, values], i) => {
    const page = refusal(manifest, key, values);
    assert.deepEqual({ reason: page.reason, code: page.code }, words.said[i], key);
  });
  assert.equal(fill("{a}{b}{a}", { a: "{b}", b: 1 }), "{b}1{b}");
});

test("a failed load says what the grader says", () => {
  FAILED.forEach(([first, savedBy, running], i) => {
    const page = loadFailed({ ...manifest, keras: { version: running } }, first, savedBy);
    assert.equal(page.reason, words.failed[i]);
    assert.equal(page.code, "load-failed");
  });
  const long = loadFailed(manifest, `Layer 'd' expected 2 variables\n${"trace ".repeat(100)}`, null);
  assert.match(long.reason, /^Keras could not load the model \(Layer 'd' expected 2 variables\)/);
  assert.equal(loadFailed(manifest, "x".repeat(500), null).reason.includes("x".repeat(201)), false);
  assert.match(loadFailed(manifest, "", null).reason, /\(Error\)/);
});

test("a .keras archive names each layer's group as Keras does", () => {
  const names = { Dense: "dense", LSTM: "lstm", SimpleRNN: "simple_rnn", MaxPooling2D: "max_pooling2d",
    Conv1D: "conv1d", GlobalAveragePooling1D: "global_average_pooling1d", BatchNormalization: "batch_normalization",
    GRU: "gru", Bidirectional: "bidirectional" };
  for (const [cls, snake] of Object.entries(names)) assert.equal(snakeCase(cls), snake, cls);
});
