// The problems' measures, as grader/problems/definition.py and the problems compute them.
// Each problem's kind and its parameters (class names, feature columns...) come from
// manifest.json, where tools/browser_grader_export.py proved at build time that the kind
// gives the problem's own numbers.

import { row } from "./data.js";

function classification(params, y, pred, predShape) {
  const names = params.classes;
  const n = y.rows;
  const width = predShape.slice(1).reduce((a, b) => a * b, 1);
  const threshold = predShape.length === 1 || (predShape.length === 2 && predShape[1] === 1);
  const confusion = names.map(() => names.map(() => 0));
  let correct = 0;
  for (let i = 0; i < n; i += 1) {
    let label;
    if (threshold) {
      label = pred[i] > 0.5 ? 1 : 0;
    } else {
      label = 0;
      for (let j = 1; j < width; j += 1) if (pred[i * width + j] > pred[i * width + label]) label = j;
    }
    const truth = y.body[i];
    confusion[truth][label] += 1;
    if (label === truth) correct += 1;
  }
  const perClass = {};
  names.forEach((name, i) => {
    const total = confusion[i].reduce((a, b) => a + b, 0);
    perClass[name] = total ? confusion[i][i] / total : 0.0;
  });
  return {
    value: correct / n,
    details: { per_class_accuracy: perClass, confusion, classes: names.slice() },
  };
}

function regression(params, y, pred) {
  let sum = 0;
  // [[input, prediction, expected], ...]: an array, as an object would list "6" before "-20".
  const predictions = params.inputs.map((label, i) => {
    sum += Math.abs(pred[i] - y.body[i]);
    return [label, pred[i], y.body[i]];
  });
  return { value: sum / y.rows, details: { predictions } };
}

// err[i][s][f] = |pred - y| for window i, forecast step s, feature f (steps = 1 for a 2-D y).
function errors(y, pred, visit) {
  const features = y.shape.length === 3 ? y.shape[2] : 1;
  const steps = y.rowSize / features;
  for (let i = 0; i < y.rows; i += 1) {
    const target = row(y, i);
    for (let k = 0; k < y.rowSize; k += 1) {
      const e = Math.abs(pred[i * y.rowSize + k] - target[k]);
      visit(e, Math.floor(k / features), k % features);
    }
  }
  return { features, steps };
}

function forecastMae(params, y, pred) {
  const columns = params.columns;
  const c = columns.length;
  const perFeature = new Array(c).fill(0);
  const features = y.shape.length === 3 ? y.shape[2] : 1;
  const steps = y.rowSize / features;
  const perStep = new Array(steps).fill(0);
  let sum = 0;
  let k = 0;
  errors(y, pred, (e, s) => {
    sum += e;
    perFeature[k % c] += e; // err.reshape(-1, len(columns)).mean(axis=0)
    perStep[s] += e;
    k += 1;
  });
  const details = {
    mae_per_feature: Object.fromEntries(columns.map((name, j) => [name, perFeature[j] / (k / c)])),
  };
  if (y.shape.length === 3) details.mae_per_step = perStep.map((v) => v / (y.rows * features));
  return { value: sum / k, details };
}

function firstStepMae(params, y, pred) {
  // The exam tester's number: the first forecast step of each window, every feature. Beside
  // it, NaN-skipping means over every step (targets past the file's end are NaN).
  const columns = params.columns;
  const features = y.shape[2];
  const steps = y.shape[1];
  const first = new Array(features).fill(0);
  const stepSum = new Array(steps).fill(0);
  const stepCount = new Array(steps).fill(0);
  let firstSum = 0;
  let allSum = 0;
  let allCount = 0;
  errors(y, pred, (e, s, f) => {
    if (s === 0) {
      first[f] += e;
      firstSum += e;
    }
    if (!Number.isNaN(e)) {
      stepSum[s] += e;
      stepCount[s] += 1;
      allSum += e;
      allCount += 1;
    }
  });
  const details = {};
  // One series (the diesel prices) reports no per-feature MAE: columns is null.
  if (columns) details.mae_per_feature = Object.fromEntries(columns.map((name, j) => [name, first[j] / y.rows]));
  details.mae_per_step = stepSum.map((v, s) => v / stepCount[s]);
  details.mae_all_steps = allSum / allCount;
  return {
    value: firstSum / (y.rows * features),
    details,
  };
}

const KINDS = {
  classification,
  regression,
  forecast_mae: forecastMae,
  first_step_mae: firstStepMae,
};

/** {value, count, unit, details} as grader.Evaluation holds them. */
export function measure(params, y, pred, predShape) {
  const kind = KINDS[params.kind];
  if (!kind) throw new Error(`unknown measure ${params.kind}`);
  const { value, details } = kind(params, y, pred, predShape);
  return { value, count: y.rows, unit: params.unit, details };
}
