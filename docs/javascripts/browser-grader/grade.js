// grader.grade() in the browser, step by step in the same order: inspect the file, take the
// problem's evaluation data (published with the site), load the model, check the contract,
// the Embedding rows, predict, check the predictions' shape, finiteness and range, measure,
// score. Loaded only when a reader drops a file (page.js imports it then).

import { loadArray, row, rowsOf } from "./data.js";
import { LoadError, Rejected, cannotGrade, fill, loadFailed } from "./errors.js";
import { inspectFile } from "./inspect.js";
import { measure } from "./measure.js";
import { Model } from "./model.js";
import { general, pyRepr, pyTuple } from "./pyformat.js";
import { explain, makeResult, summary } from "./report.js";
import { loadTf } from "./runtime.js";

const INPUT_DTYPES = new Set(["float32", "int32", "int64", "uint8", "int8", "int16", "uint16"]);

let manifestPromise = null;

export function loadManifest(base) {
  if (manifestPromise === null) {
    manifestPromise = fetch(`${base}manifest.json`, { credentials: "same-origin" }).then((r) => {
      if (!r.ok) throw new Error(`manifest.json: HTTP ${r.status}`);
      return r.json();
    });
    manifestPromise.catch(() => {
      manifestPromise = null;
    });
  }
  return manifestPromise;
}

function shapeOk(actual, wanted) {
  return actual.length === wanted.length && actual.every((a, i) => a === null || wanted[i] === null || a === wanted[i]);
}

function shapes(list, first) {
  return list.map((s) => pyTuple([first, ...s])).join(" or ");
}

/** grader.problems.contract.refusal: the contract's refusal `key` (manifest.contract.reasons),
 * its fields filled in. */
export function contractRefusal(words, key, values = {}) {
  const reason = words.reasons[key];
  if (!reason) throw new Error(`the manifest has no contract reason ${key}`);
  return new Rejected(fill(reason.text, values), reason.code);
}

// grader.problems.contract's input_shape_fix and output_shape_fix: which fix, from its words.
function sizeOf(shape) {
  return shape.some((d) => d === null) ? null : shape.reduce((a, d) => a * d, 1);
}

function sameSize(shape, list) {
  const size = sizeOf(shape);
  return list.find((s) => size !== null && sizeOf(s) === size) ?? null;
}

export function inputShapeFix(words, actual, fed) {
  const [batch, ...shape] = actual;
  const suffix = batch !== null ? "-batch" : "";
  const same = sameSize(shape, fed);
  if (same !== null) return fill(words.fixes[`input-reshape${suffix}`], { shape: pyTuple(same), reshape: pyTuple(shape) });
  return fill(words.fixes[`input${suffix}`], { shape: pyTuple(fed[0]) });
}

export function outputShapeFix(words, actual, needed) {
  const same = sameSize(actual, needed);
  return same !== null ? fill(words.fixes["output-reshape"], { shape: pyTuple(same) }) : words.fixes.output;
}

// contract._check_fed_length: a dimension the model fixes where an accepted shape leaves it
// open is still fed the problem's own shape (input_shapes[0]) there.
function checkFedLength(words, fullInShape, problem) {
  const c = problem.contract;
  const inShape = fullInShape.slice(1);
  const fed = c.input_shapes[0];
  if (inShape.length !== fed.length) return;
  if (inShape.every((a, i) => a === null || fed[i] === null || a === fed[i])) return;
  if (c.input_kind === "int" && fed.length === 1) {
    throw contractRefusal(words, "sequence-length", { length: inShape[0], problem: problem.id, fed: fed[0] });
  }
  throw contractRefusal(words, "input-shape", {
    shape: pyTuple(fullInShape),
    problem: problem.id,
    fed: shapes([fed], null),
    fix: inputShapeFix(words, fullInShape, [fed]),
  });
}

/** grader.problems.contract.check_contract: the accepted input shape the model matches. */
export function checkContract(words, model, problem) {
  const c = problem.contract;
  const id = problem.id;
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw contractRefusal(words, "inputs-outputs", {
      inputs: model.inputs.length,
      outputs: model.outputs.length,
      problem: id,
      contract: c.text,
    });
  }
  const fullInShape = model.inputs[0].shape.slice();
  const inShape = fullInShape.slice(1);
  const outShape = model.outputs[0].shape.slice(1);
  const match = c.input_shapes.find((s) => shapeOk(inShape, s));
  if (!match) {
    throw contractRefusal(words, "input-shape", {
      shape: pyTuple(fullInShape),
      problem: id,
      fed: shapes(c.input_shapes, null),
      fix: inputShapeFix(words, fullInShape, c.input_shapes),
    });
  }
  if (match.includes(null)) checkFedLength(words, fullInShape, problem);
  if (!c.output_shapes.some((s) => shapeOk(outShape, s))) {
    throw contractRefusal(words, "output-shape", {
      shape: pyTuple([null, ...outShape]),
      problem: id,
      needed: shapes(c.output_shapes, null),
      fix: outputShapeFix(words, outShape, c.output_shapes),
    });
  }
  const dtype = String(model.inputs[0].dtype);
  if (dtype.includes("string") || dtype === "object") throw contractRefusal(words, "strings");
  if (c.input_kind === "float" && !dtype.startsWith("float") && !dtype.startsWith("bfloat")) {
    throw contractRefusal(words, "float-dtype", { dtype, problem: id });
  }
  if (c.input_kind === "int" && !/^(int|uint|float)/.test(dtype)) {
    throw contractRefusal(words, "int-dtype", { dtype, problem: id });
  }
  return match;
}

/** grader.problems.contract.check_embeddings, over `layers` ({className, name, config}). */
export function checkEmbeddings(words, layers, problem, largest) {
  const vocabulary = problem.vocab_size ?? largest + 1;
  for (const layer of layers) {
    const rows = layer.config.input_dim;
    if (layer.className === "Embedding" && Number.isInteger(rows) && rows <= largest) {
      throw contractRefusal(words, "embedding-too-small", {
        name: pyRepr(layer.name),
        rows,
        problem: problem.id,
        vocabulary,
        largest,
      });
    }
  }
}

/** grader.problems.contract.check_predictions of `pred` ({values, shape}) for `n` inputs. */
export function checkPredictions(words, pred, n, problem) {
  const { values, shape } = pred;
  const outs = problem.contract.output_shapes;
  const rest = shape.slice(1);
  if (shape[0] !== n || !outs.some((s) => s.length === rest.length && s.every((d, i) => d === rest[i]))) {
    throw contractRefusal(words, "prediction-shape", {
      shape: pyTuple(shape),
      count: n,
      problem: problem.id,
      needed: shapes(outs, n),
    });
  }
  const width = n ? values.length / n : 0;
  let bad = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i += 1) {
    let finite = true;
    for (let j = i * width; j < (i + 1) * width; j += 1) {
      const v = values[j];
      if (!Number.isFinite(v)) finite = false;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (!finite) bad += 1;
  }
  if (bad) throw contractRefusal(words, "nan", { bad, count: n });
  const range = problem.contract.output_range;
  if (range && (lo < range[0] - 1e-6 || hi > range[1] + 1e-6)) {
    throw contractRefusal(words, "out-of-range", {
      low: general(lo, 3),
      high: general(hi, 3),
      lo: general(range[0]),
      hi: general(range[1]),
    });
  }
}

/** grader.problems.grading.grade's notes, in its order, from the contract's words. */
export function resultNotes(words, inspection) {
  const notes = [];
  if (inspection.keras2) {
    const done = inspection.keras2.notes.join("; ") || words.notes["keras2-unchanged"];
    notes.push(fill(words.notes.keras2, { version: inspection.keras2.version, done }));
  }
  if (inspection.misread) notes.push(fill(words.notes.h5, { version: inspection.savedBy ?? "3", notes: inspection.misread }));
  // A Keras 2 file is loaded from its translated config: its loss name does not matter.
  const full = inspection.keras2 ? undefined : words.full_loss_names[inspection.loss ?? ""];
  if (full) notes.push(fill(words.notes.loss, { loss: pyRepr(inspection.loss), full: pyRepr(full) }));
  return notes;
}

async function sha256(bytes) {
  if (!globalThis.crypto?.subtle) return "";
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

function firstLine(error) {
  const message = String(error?.message ?? error).trim();
  return message ? message.split("\n")[0].slice(0, 200) : String(error?.name ?? "Error");
}

/**
 * Grade `bytes` (a file named `name`) for problem `problemId`. Returns
 * {status: "graded", result, text} | {status: "rejected", code, reason, text} |
 * {status: "unavailable", why}; `say(step)` reports progress.
 */
export async function grade(name, bytes, problemId, base, say = async () => {}) {
  const started = performance.now();
  const manifest = await loadManifest(base);
  const problem = manifest.problems.find((p) => p.id === problemId);
  if (!problem) throw new Error(`unknown problem ${problemId}`);
  let inspection = null;
  try {
    await say("reading");
    inspection = await inspectFile(name, bytes, manifest, base);
    const digest = await sha256(bytes);
    if (!problem.available) return { status: "unavailable", why: problem.why_not };
    await say("data");
    const [x, y] = await Promise.all([loadArray(base, problem.x), loadArray(base, problem.y)]);
    await say("loading");
    const tf = await loadTf(base);
    let model;
    try {
      model = new Model(tf, inspection.config, inspection.h5?.file ?? null, inspection.format);
    } catch (error) {
      if (error instanceof Rejected) throw error;
      throw loadFailed(manifest, error instanceof LoadError ? error.message : firstLine(error), inspection.savedBy);
    } finally {
      if (inspection.h5) inspection.h5.close();
      inspection.h5 = null;
    }
    try {
      const words = manifest.contract;
      const match = checkContract(words, model, problem);
      const dtype = String(model.inputs[0].dtype);
      if (!INPUT_DTYPES.has(dtype)) throw cannotGrade(`an input of dtype ${dtype} (the page computes in float32)`);
      const rowShape = match.map((d, i) => (d === null ? x.shape[i + 1] : d));
      if (problem.contract.input_kind === "int") {
        let largest = -Infinity;
        for (let i = 0; i < x.rows; i += 1) for (const v of row(x, i)) if (v > largest) largest = v;
        checkEmbeddings(words, model.graph.layers, problem, largest);
      }
      const batchRows = x.rowSize > 1000 ? 256 : 2048;
      let pred;
      try {
        pred = await model.predict(rowShape, x.rows, batchRows, (s, e) => rowsOf(x, s, e), (done, total) =>
          say("predicting", done, total),
        );
      } catch (error) {
        if (error instanceof Rejected) throw error;
        throw contractRefusal(words, "predict-failed", { first: firstLine(error) });
      }
      checkPredictions(words, pred, x.rows, problem);
      const evaluation = measure(problem.measure, y, pred.values, pred.shape);
      const notes = resultNotes(words, inspection);
      const result = makeResult(problem, evaluation, digest, (performance.now() - started) / 1000, notes);
      const lines = [summary(result), explain(result, problem), ...notes.map((n) => `note: ${n}`)];
      return { status: "graded", result, text: lines.join("\n") };
    } finally {
      model.dispose();
    }
  } catch (error) {
    if (inspection?.h5) inspection.h5.close();
    if (error instanceof Rejected) {
      return { status: "rejected", code: error.code, reason: error.reason, text: `${problemId}: rejected: ${error.reason}` };
    }
    throw error;
  }
}
