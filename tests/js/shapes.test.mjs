// The contract refusals' fixes (grade.js: inputShapeFix, outputShapeFix) and the Lambda
// refusal (the manifest's reasons, filled in by errors.js) say what the Python grader says, word for word: each
// case is answered by grader.problems.grading and grader.modelfile.inspection with this
// Python, not copied by hand.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

import { inputShapeFix, outputShapeFix } from "../../docs/javascripts/browser-grader/grade.js";
import { refusal } from "../../docs/javascripts/browser-grader/errors.js";
import { ROOT, oracle, python } from "./support.mjs";

const N = null;

// [the model's input shape (batch first), the shapes the problem feeds]
const INPUTS = [
  [[N, 28, 28, 1], [[28, 28]]],
  [[32, 28, 28, 1], [[28, 28]]],
  [[N, 30], [[30, 1], [N, 1]]],
  [[N, N], [[60, 1], [60]]],
  [[8, 3], [[1]]],
  [[N, 3], [[1]]],
  [[N, 120, 1], [[120], [N]]],
];
// [the model's output shape (no batch), the shapes the problem needs]
const OUTPUTS = [
  [[12, 1], [[12]]],
  [[5], [[12]]],
  [[N, 4], [[7, 4]]],
  [[28], [[7, 4]]],
];

const PROGRAM = `
import json, sys
from grader.modelfile.inspection import LAMBDA_REASON
from grader.problems.grading import input_shape_fix, output_shape_fix
def t(s): return tuple(s)
q = json.load(sys.stdin)
json.dump({
    "inputs": [input_shape_fix(t(a), tuple(t(s) for s in fed)) for a, fed in q["inputs"]],
    "outputs": [output_shape_fix(t(a), tuple(t(s) for s in need)) for a, need in q["outputs"]],
    "lambda": LAMBDA_REASON,
}, sys.stdout)
`;

function pythonAnswers() {
  const proc = spawnSync(python(), ["-c", PROGRAM], {
    cwd: ROOT,
    input: JSON.stringify({ inputs: INPUTS, outputs: OUTPUTS }),
    encoding: "utf8",
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2" },
  });
  if (proc.error || proc.status !== 0) throw new Error(`${python()}: ${proc.error ?? proc.stderr}`);
  return JSON.parse(proc.stdout);
}

const answers = pythonAnswers();

test("the input-shape fix is the Python grader's", () => {
  INPUTS.forEach(([actual, fed], i) => assert.equal(inputShapeFix(actual, fed), answers.inputs[i]));
  assert.match(answers.inputs[1], /without a batch size, and add tf\.keras\.layers\.Reshape\(\(28, 28, 1\)\)/);
});

test("the output-shape fix is the Python grader's", () => {
  OUTPUTS.forEach(([actual, needed], i) => assert.equal(outputShapeFix(actual, needed), answers.outputs[i]));
  assert.equal(answers.outputs[0], "add tf.keras.layers.Reshape((12,)) as the last layer");
});

test("the Lambda refusal is the Python grader's", () => {
  const page = refusal(oracle("words"), "lambda");
  assert.equal(page.reason, answers.lambda);
  assert.equal(page.code, "lambda");
  assert.ok(page.reason.includes("use tf.keras.layers.Rescaling(400.0)"));
});
