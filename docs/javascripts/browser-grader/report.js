// The score and its words: grader.problems.definition.Scale (score, bound, describe, raw) and
// grader.problems.grading's Result.summary() and explain(), printing the same lines as
// `tfcert grade --explain`. The scale's numbers come from manifest.json, which the site's
// build wrote from the Python problems.

import { fixed, general, pyRound } from "./pyformat.js";

export class Scale {
  constructor({ metric, five, step, higher_is_better: higher }) {
    this.metric = metric;
    this.five = five;
    this.step = step;
    this.higherIsBetter = higher;
  }

  raw(value) {
    const gap = this.higherIsBetter ? value - this.five : this.five - value;
    return 4 + gap / this.step;
  }

  score(value) {
    if (!Number.isFinite(value)) return 0;
    // Rounding first keeps a metric exactly on a bound from flipping on float noise.
    return Math.max(0, Math.min(5, Math.ceil(pyRound(this.raw(value), 9))));
  }

  bound(score) {
    const offset = (5 - score) * this.step;
    return this.higherIsBetter ? this.five - offset : this.five + offset;
  }

  describe(score) {
    return `${this.metric} ${this.higherIsBetter ? ">" : "<"} ${general(this.bound(score), 4)}`;
  }
}

/** grader.Result as its to_dict() gives it. */
export function makeResult(problem, evaluation, fileSha256, seconds, notes) {
  const scale = new Scale(problem.scale);
  const score = scale.score(evaluation.value);
  return {
    problem: problem.id,
    score,
    metric: scale.metric,
    value: evaluation.value,
    count: evaluation.count,
    unit: evaluation.unit,
    needed_for_five: scale.describe(5),
    next_score: score >= 5 ? null : scale.describe(score + 1),
    details: { ...evaluation.details, raw_score: scale.raw(evaluation.value) },
    file_sha256: fileSha256,
    seconds,
    notes,
  };
}

export function summary(result) {
  let line =
    `${result.problem}: ${result.score}/5 (${result.metric} ${fixed(result.value, 4)} on ` +
    `${result.count} held-out ${result.unit})`;
  if (result.score < 5) line += `; 5/5 needs ${result.needed_for_five}`;
  return line;
}

export function explain(result, problem) {
  const scale = new Scale(problem.scale);
  const d = result.details;
  const lines = [
    `  metric: ${result.metric} = ${fixed(result.value, 4)} on ${result.count} held-out ${result.unit}`,
    `  scale: ${scale.metric} ${scale.higherIsBetter ? "higher" : "lower"} is better; ` +
      `each ${general(scale.step)} is one point; raw ${fixed(d.raw_score ?? 0, 2)}`,
  ];
  for (let s = 1; s <= 5; s += 1) {
    const mark = s === result.score ? "<-" : "";
    lines.push(`    ${s}/5 needs ${scale.describe(s)} ${mark}`.trimEnd());
  }
  if (result.next_score) {
    const gap = Math.abs(scale.bound(result.score + 1) - result.value);
    lines.push(`  next point: ${result.next_score} (a change of ${fixed(gap, 4)})`);
  }
  if (problem.persistence != null) {
    // grader.problems.grading._persistence_lines: the export computed the persistence
    // forecast's metric on the same held-out windows (category5.persistence_mae).
    const base = problem.persistence;
    const gap = result.value - base;
    lines.push(
      `  persistence (repeat the last observed value): ${scale.metric} ${fixed(base, 4)} on the same ` +
        `held-out ${result.unit}, ${scale.score(base)}/5 on this scale`,
    );
    lines.push(
      `  model vs persistence: ${scale.metric} ${fixed(result.value, 4)} vs ${fixed(base, 4)}, ` +
        `${fixed(Math.abs(gap), 4)} ${gap < 0 ? "lower" : "higher"}`,
    );
  }
  if (d.per_class_accuracy) {
    lines.push("  accuracy per class (worst first):");
    const rows = Object.entries(d.per_class_accuracy).sort((a, b) => a[1] - b[1]);
    for (const [name, acc] of rows) lines.push(`    ${name.padEnd(14)} ${fixed(acc, 3)}`);
    lines.push("  confusion (rows: true class, columns: predicted):");
    d.classes.forEach((name, i) => {
      const cells = d.confusion[i].map((v) => String(v).padStart(5)).join(" ");
      lines.push(`    ${Array.from(name).slice(0, 12).join("").padEnd(12)} ${cells}`);
    });
  }
  if (d.mae_per_feature) {
    const parts = Object.entries(d.mae_per_feature).map(([k, v]) => `${k} ${fixed(v, 4)}`);
    lines.push(`  MAE per feature: ${parts.join(", ")}`);
  }
  if (d.mae_per_step) lines.push(`  MAE per forecast step: ${d.mae_per_step.map((v) => fixed(v, 4)).join(", ")}`);
  if (d.predictions) {
    lines.push("  unseen input -> prediction (expected):");
    for (const [x, p, t] of d.predictions) {
      lines.push(`    ${x.padStart(6)} -> ${fixed(p, 3).padStart(9)} (${general(t)})`);
    }
  }
  return lines.join("\n");
}
