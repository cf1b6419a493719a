// Why a file is not graded: the Python grader's own reasons (grader/modelfile/model_file.py,
// inspection.py, grader/problems/grading.py) with their codes, and the page's reasons for what
// only `tfcert grade` can grade.

import { oneLine } from "./pyformat.js";

export class Rejected extends Error {
  constructor(reason, code) {
    super(oneLine(reason));
    this.reason = oneLine(reason);
    this.code = code;
  }
}

/** What Keras would fail to load (grader.problems.grading._load words it). */
export class LoadError extends Error {}

/** What this page cannot grade although `tfcert grade` may: said plainly, never a score. */
export function cannotGrade(what) {
  return new Rejected(
    `this page cannot grade ${what}; grade it with \`tfcert grade\`, the reference grader`,
    "browser-unsupported",
  );
}

export function loadFailed(message) {
  const first = String(message).trim().split("\n")[0].slice(0, 200) || "Error";
  return new Rejected(
    `Keras could not load the model (${first}): save it again with the same Keras version as ` +
      "the grader (3.x), or check the layers it uses",
    "load-failed",
  );
}
