// The Lambda refusal (the manifest's reasons, filled in by errors.js) says what the Python
// grader says, word for word, and names the built-in that does what the course's Lambdas did.
// (The contract's shape refusals and fixes: contract.test.mjs.)

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

import { refusal } from "../../docs/javascripts/browser-grader/errors.js";
import { ROOT, oracle, python } from "./support.mjs";

const PROGRAM = `
import json, sys
from grader.modelfile.inspection import LAMBDA_REASON
json.dump({"lambda": LAMBDA_REASON}, sys.stdout)
`;

function pythonAnswers() {
  const proc = spawnSync(python(), ["-c", PROGRAM], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2" },
  });
  if (proc.error || proc.status !== 0) throw new Error(`${python()}: ${proc.error ?? proc.stderr}`);
  return JSON.parse(proc.stdout);
}

test("the Lambda refusal is the Python grader's", () => {
  const answers = pythonAnswers();
  const page = refusal(oracle("words"), "lambda");
  assert.equal(page.reason, answers.lambda);
  assert.equal(page.code, "lambda");
  assert.ok(page.reason.includes("use tf.keras.layers.Rescaling(400.0)"));
});
