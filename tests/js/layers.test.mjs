// The shapes the page's layers build (layers.js, merging.js) are the shapes Keras 3 computes
// (each expected value below is Keras' compute_output_shape, or the weights' shapes its
// build() makes), and what the page does not compute is refused by name (errors.js).

import assert from "node:assert/strict";
import { test } from "node:test";

import { LoadError, Rejected, cannotGrade } from "../../docs/javascripts/browser-grader/errors.js";
import { activation, makeLayer, product, tuple } from "../../docs/javascripts/browser-grader/layers.js";
import { makeMerging } from "../../docs/javascripts/browser-grader/merging.js";

const N = null;
const noRecurrent = () => null;

function built(className, config, shape) {
  const layer = makeLayer(className, { name: "layer", ...config }, noRecurrent) ?? makeMerging(className, config);
  return [layer.build(shape), layer];
}

// [class, config, input shape, Keras' output shape]
const SHAPES = [
  ["Conv2D", { filters: 16, kernel_size: [3, 3] }, [N, 28, 28, 1], [N, 26, 26, 16]],
  ["Conv2D", { filters: 8, kernel_size: [3, 5], strides: [2, 2], padding: "same" }, [N, 28, 27, 3], [N, 14, 14, 8]],
  ["Conv2D", { filters: 8, kernel_size: 3, dilation_rate: 2 }, [N, 28, 28, 3], [N, 24, 24, 8]],
  ["Conv2D", { filters: 4, kernel_size: 3, strides: [2, 3] }, [N, 150, 150, 3], [N, 74, 50, 4]],
  ["Conv1D", { filters: 32, kernel_size: 5, padding: "causal", activation: "relu" }, [N, 60, 1], [N, 60, 32]],
  ["Conv1D", { filters: 32, kernel_size: 5, strides: 2 }, [N, N, 1], [N, N, 32]],
  ["MaxPooling2D", {}, [N, 27, 27, 8], [N, 13, 13, 8]],
  ["MaxPooling2D", { pool_size: 3, strides: 2, padding: "same" }, [N, 27, 27, 8], [N, 14, 14, 8]],
  ["AveragePooling1D", { pool_size: 4 }, [N, 30, 2], [N, 7, 2]],
  ["GlobalAveragePooling1D", {}, [N, 120, 16], [N, 16]],
  ["GlobalMaxPooling2D", { keepdims: true }, [N, 7, 7, 5], [N, 1, 1, 5]],
  ["Flatten", {}, [N, 7, 7, 5], [N, 245]],
  ["Reshape", { target_shape: [-1, 4] }, [N, 24], [N, 6, 4]],
  ["Dense", { units: 10 }, [N, 7, 3], [N, 7, 10]],
  ["Embedding", { input_dim: 1000, output_dim: 16 }, [N, 120], [N, 120, 16]],
  ["Dropout", { rate: 0.5 }, [N, 64], [N, 64]],
  ["Cropping1D", { cropping: [59, 0] }, [N, 60, 1], [N, 1, 1]],
  ["RepeatVector", { n: 7 }, [N, 4], [N, 7, 4]],
  ["Concatenate", { axis: -1 }, [[N, 5, 3], [N, 5, 4]], [N, 5, 7]],
  ["Concatenate", { axis: 1 }, [[N, 5, 3], [N, N, 3]], [N, N, 3]],
  ["Add", {}, [[N, 1, 4], [N, 6, 4]], [N, 6, 4]],
];

for (const [className, config, input, output] of SHAPES) {
  test(`${className} ${JSON.stringify(config)} on ${JSON.stringify(input)}`, () => {
    assert.deepEqual(built(className, config, input)[0], output);
  });
}

test("the weights each layer expects, in the order of Keras' .h5 files", () => {
  const [, conv] = built("Conv2D", { filters: 16, kernel_size: 3 }, [N, 28, 28, 1]);
  assert.deepEqual(conv.expected, [
    { name: "kernel", shape: [3, 3, 1, 16] },
    { name: "bias", shape: [16] },
  ]);
  const [, dense] = built("Dense", { units: 10, use_bias: false }, [N, 64]);
  assert.deepEqual(dense.expected, [{ name: "kernel", shape: [64, 10] }]);
  const [, norm] = built("BatchNormalization", { axis: -1 }, [N, 10, 4]);
  assert.deepEqual(
    norm.expected.map((w) => [w.name, w.shape]),
    [["gamma", [4]], ["beta", [4]], ["moving_mean", [4]], ["moving_variance", [4]]],
  );
  const [, embedding] = built("Embedding", { input_dim: 1000, output_dim: 16 }, [N, 120]);
  assert.deepEqual(embedding.expected, [{ name: "embeddings", shape: [1000, 16] }]);
});

test("what Keras would fail to build is a LoadError with Keras' words", () => {
  assert.throws(
    () => built("Reshape", { target_shape: [5, 5] }, [N, 24]),
    (e) =>
      e instanceof LoadError &&
      e.message ===
        "The total size of the tensor must be unchanged. Received: input_shape=(24,), target_shape=(5, 5)",
  );
  assert.throws(() => built("Conv2D", { filters: 1, kernel_size: 3 }, [N, 28, 28]), LoadError);
  assert.throws(() => built("Dense", { units: 1 }, [N, N]), /last input dimension is unknown/);
  assert.throws(() => built("Subtract", {}, [[N, 2], [N, 2], [N, 2]]), /exactly 2 inputs/);
  assert.throws(() => built("Add", {}, [[N, 5, 4], [N, 6, 4]]), /Inputs have incompatible shapes/);
});

test(
  "a merge of incompatible shapes names them as Keras does (without the batch)",
  () => {
    assert.throws(
      () => built("Add", {}, [[N, 5, 4], [N, 6, 4]]),
      { message: "Inputs have incompatible shapes. Received shapes (5, 4) and (6, 4)" },
    );
  },
);

test("what only `tfcert grade` can grade is refused by name, never approximated", () => {
  const refusals = [
    () => makeLayer("Dense", { name: "d", units: 2, activation: "my_act" }, noRecurrent),
    () => makeLayer("Conv2D", { name: "c", filters: 2, kernel_size: 3, data_format: "channels_first" }, noRecurrent),
    () => makeLayer("Conv2D", { name: "c", filters: 2, kernel_size: 3, strides: 2, dilation_rate: 2 }, noRecurrent),
    () => makeLayer("Conv2D", { name: "c", filters: 2, kernel_size: 3, groups: 2 }, noRecurrent),
    () => makeLayer("Flatten", { name: "f", data_format: "channels_first" }, noRecurrent),
    () => makeLayer("Dense", { name: "d", units: 2, lora_rank: 4 }, noRecurrent),
    () => makeLayer("BatchNormalization", { name: "b", axis: [1, 2] }, noRecurrent),
    () => makeMerging("Add", {}).apply(null, [1, 2], [null, true]),
  ];
  for (const refuse of refusals) {
    assert.throws(refuse, (e) => e instanceof Rejected && e.code === "browser-unsupported");
  }
  assert.throws(
    () => activation("my_act", "Dense 'd'"),
    { message: "this page cannot grade the activation 'my_act' of Dense 'd'; grade it with `tfcert grade`, the reference grader" },
  );
  assert.equal(makeLayer("NoSuchLayer", {}, noRecurrent), null); // left to rnn.js, then refused
  assert.equal(makeMerging("NoSuchLayer", {}), null);
});

test("activations: Keras' names and its serialized form", () => {
  assert.equal(activation(undefined, "x"), activation("linear", "x"));
  assert.equal(activation({ class_name: "function", config: "relu" }, "x"), activation("relu", "x"));
  assert.equal(activation("swish", "x"), activation("silu", "x"));
});

test("helpers: product() of unknown sizes, tuple() of a scalar", () => {
  assert.equal(product([2, 3, 4]), 24);
  assert.equal(product([]), 1);
  assert.equal(product([2, null]), null);
  assert.deepEqual(tuple(3, 2), [3, 3]);
  assert.deepEqual(tuple([1, 2], 2), [1, 2]);
});

test("errors.js: a reason is one line with its code", () => {
  const rejected = new Rejected("bad\nname\u0000here ", "unsafe");
  assert.equal(rejected.reason, "bad name here");
  assert.equal(rejected.message, rejected.reason);
  assert.equal(rejected.code, "unsafe");
  assert.equal(cannotGrade("X").code, "browser-unsupported");
});
