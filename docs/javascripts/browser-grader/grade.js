// grader.grade() in the browser, step by step in the same order: inspect the file, take the
// problem's evaluation data (published with the site), load the model, check the contract,
// the Embedding rows, predict, check the predictions' shape, finiteness and range, measure,
// score. Loaded only when a reader drops a file (page.js imports it then).

import { loadArray, row, rowsOf } from "./data.js";
import { LoadError, Rejected, cannotGrade, loadFailed } from "./errors.js";
import { inspectFile } from "./inspect.js";
import { measure } from "./measure.js";
import { Model } from "./model.js";
import { general, pyRepr, pyTuple } from "./pyformat.js";
import { explain, makeResult, summary } from "./report.js";
import { loadTf } from "./runtime.js";

const FULL_LOSS_NAMES = { mse: "mean_squared_error", mae: "mean_absolute_error" };
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

// grader.problems.grading's input_shape_fix and output_shape_fix, word for word.
function sizeOf(shape) {
  return shape.some((d) => d === null) ? null : shape.reduce((a, d) => a * d, 1);
}

function sameSize(shape, list) {
  const size = sizeOf(shape);
  return list.find((s) => size !== null && sizeOf(s) === size) ?? null;
}

export function inputShapeFix(actual, fed) {
  const [batch, ...shape] = actual;
  const without = batch !== null ? ", without a batch size," : "";
  const same = sameSize(shape, fed);
  if (same !== null) {
    return `start the model with tf.keras.Input(shape=${pyTuple(same)})${without} and add tf.keras.layers.Reshape(${pyTuple(shape)}) as its first layer`;
  }
  return `start the model with tf.keras.Input(shape=${pyTuple(fed[0])})${without.replace(/,$/, "")}`;
}

export function outputShapeFix(actual, needed) {
  const same = sameSize(actual, needed);
  return same !== null ? `add tf.keras.layers.Reshape(${pyTuple(same)}) as the last layer` : "change the last layer";
}

function checkContract(model, problem) {
  const c = problem.contract;
  const id = problem.id;
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Rejected(
      `the model has ${model.inputs.length} inputs and ${model.outputs.length} outputs; ${id} needs one of each: ${c.text}`,
      "wrong-shape",
    );
  }
  const fullInShape = model.inputs[0].shape.slice();
  const inShape = fullInShape.slice(1);
  const outShape = model.outputs[0].shape.slice(1);
  const match = c.input_shapes.find((s) => shapeOk(inShape, s));
  if (!match) {
    throw new Rejected(
      `the model's input shape is ${pyTuple(fullInShape)}, but ${id} feeds ${shapes(c.input_shapes, null)}: ` +
        inputShapeFix(fullInShape, c.input_shapes),
      "wrong-shape",
    );
  }
  if (!c.output_shapes.some((s) => shapeOk(outShape, s))) {
    throw new Rejected(
      `the model's output shape is ${pyTuple([null, ...outShape])}, but ${id} needs ${shapes(c.output_shapes, null)}: ` +
        outputShapeFix(outShape, c.output_shapes),
      "wrong-shape",
    );
  }
  const dtype = String(model.inputs[0].dtype);
  if (dtype.includes("string") || dtype === "object") {
    throw new Rejected(
      "the model takes strings (TextVectorization inside the model does not survive .h5): encode the text outside " +
        "the model, as the starter does",
      "wrong-dtype",
    );
  }
  if (c.input_kind === "float" && !dtype.startsWith("float") && !dtype.startsWith("bfloat")) {
    throw new Rejected(`the model's input dtype is ${dtype}, but ${id} feeds float32 values`, "wrong-dtype");
  }
  if (c.input_kind === "int" && !/^(int|uint|float)/.test(dtype)) {
    throw new Rejected(`the model's input dtype is ${dtype}; ${id} feeds integer ids`, "wrong-dtype");
  }
  if (!INPUT_DTYPES.has(dtype)) throw cannotGrade(`an input of dtype ${dtype} (the page computes in float32)`);
  return match;
}

function checkEmbeddings(model, problem, largest) {
  const vocabulary = problem.vocab_size ?? largest + 1;
  for (const layer of model.graph.layers) {
    const rows = layer.config.input_dim;
    if (layer.className === "Embedding" && Number.isInteger(rows) && rows <= largest) {
      throw new Rejected(
        `the Embedding layer ${pyRepr(layer.name)} has ${rows} rows, but ${problem.id} encodes texts with a ` +
          `vocabulary of ${vocabulary} (token ids up to ${largest}): keep the starter's VOCAB_SIZE as the ` +
          "Embedding's input_dim",
        "embedding-too-small",
      );
    }
  }
}

function checkPredictions(pred, n, problem) {
  const { values, shape } = pred;
  const outs = problem.contract.output_shapes;
  const rest = shape.slice(1);
  if (shape[0] !== n || !outs.some((s) => s.length === rest.length && s.every((d, i) => d === rest[i]))) {
    throw new Rejected(
      `the model returned predictions of shape ${pyTuple(shape)} for ${n} inputs, but ${problem.id} needs ` +
        `${shapes(outs, n)}: change the last layer`,
      "wrong-shape",
    );
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
  if (bad) {
    throw new Rejected(
      `the model predicted NaN or infinite values for ${bad} of ${n} inputs: training diverged; lower the ` +
        "learning rate or check the data scaling",
      "nan",
    );
  }
  const range = problem.contract.output_range;
  if (range && (lo < range[0] - 1e-6 || hi > range[1] + 1e-6)) {
    throw new Rejected(
      `the model's outputs range over [${general(lo, 3)}, ${general(hi, 3)}], outside ` +
        `[${general(range[0])}, ${general(range[1])}]: end with a sigmoid (one unit) or softmax (several units)`,
      "out-of-range",
    );
  }
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
      const match = checkContract(model, problem);
      const rowShape = match.map((d, i) => (d === null ? x.shape[i + 1] : d));
      if (problem.contract.input_kind === "int") {
        let largest = -Infinity;
        for (let i = 0; i < x.rows; i += 1) for (const v of row(x, i)) if (v > largest) largest = v;
        checkEmbeddings(model, problem, largest);
      }
      const batchRows = x.rowSize > 1000 ? 256 : 2048;
      let pred;
      try {
        pred = await model.predict(rowShape, x.rows, batchRows, (s, e) => rowsOf(x, s, e), (done, total) =>
          say("predicting", done, total),
        );
      } catch (error) {
        if (error instanceof Rejected) throw error;
        throw new Rejected(`the model failed while predicting (${firstLine(error)})`, "predict-failed");
      }
      checkPredictions(pred, x.rows, problem);
      const evaluation = measure(problem.measure, y, pred.values, pred.shape);
      // grader.problems.grading.grade's notes, in its order and words.
      const notes = [];
      if (inspection.keras2) {
        const done = inspection.keras2.notes.join("; ") || "nothing needed changing";
        notes.push(
          `saved by Keras ${inspection.keras2.version} (an exam-era file); its config was translated for Keras 3 ` +
            `before loading: ${done}`,
        );
      }
      if (inspection.misread) notes.push(`saved by Keras ${inspection.savedBy ?? "3"} as .h5: ${inspection.misread}`);
      // A Keras 2 file is loaded from its translated config: its loss name does not matter.
      const full = inspection.keras2 ? undefined : FULL_LOSS_NAMES[inspection.loss ?? ""];
      if (full) {
        notes.push(
          `compiled with loss=${pyRepr(inspection.loss)}: Keras 3 cannot reload that .h5 with compile=True; the ` +
            `grader loads with compile=False, but prefer the full name (${pyRepr(full)})`,
        );
      }
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
