// Why a file is not graded: the Python grader's own reasons and codes, which the site's build
// exports into manifest.json (grader.modelfile.model_file.REASONS and inspection.REASONS,
// grader.problems.grading's load failure), filled in here; and the page's reason for what
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

/** A template's `{name}` fields filled in at once, as Python's str.format fills them. */
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}

/** The grader's refusal `key` (manifest.reasons), its fields filled in. */
export function refusal(manifest, key, values = {}) {
  const reason = manifest.reasons[key];
  if (!reason) throw new Error(`the manifest has no reason ${key}`);
  return new Rejected(fill(reason.text, values), reason.code);
}

/** What this page cannot grade although `tfcert grade` may: said plainly, never a score. */
export function cannotGrade(what) {
  return new Rejected(
    `this page cannot grade ${what}; grade it with \`tfcert grade\`, the reference grader`,
    "browser-unsupported",
  );
}

/** grader.problems.grading._load_failed: Keras' first line, the version that saved the file
 * (or null) and the grader's own. */
export function loadFailed(manifest, message, savedBy) {
  const first = String(message).trim().split("\n")[0].slice(0, 200) || "Error";
  const running = manifest.keras.version;
  const words = manifest.load_failed;
  const template = savedBy === null || savedBy === undefined ? words.unknown : savedBy === running ? words.same : words.other;
  return new Rejected(fill(template, { first, saved_by: savedBy, running }), "load-failed");
}
