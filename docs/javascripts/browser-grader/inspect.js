// grader/modelfile/model_file.py and inspection.py in the browser: the file's name and size,
// its signature, its HDF5 attributes read with h5wasm, the declared weight size, the JSON
// config, and the refusal of Lambda layers, stored Python code, unsafe and custom classes, in
// the same order and words. The names Keras accepts as built-in come from manifest.json, read
// from the installed Keras when the site was built.

import { Rejected, cannotGrade } from "./errors.js";
import { fixed, pyRepr } from "./pyformat.js";
import { loadH5, openH5 } from "./runtime.js";

const HDF5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const MODEL_SUFFIXES = [".h5", ".hdf5", ".keras"];

function suffixOf(name) {
  // pathlib's PurePath.suffix
  const i = name.lastIndexOf(".");
  return i > 0 && i < name.length - 1 ? name.slice(i) : "";
}

function short(text, limit = 160) {
  return text.length <= limit ? text : `${text.slice(0, limit / 2)}...${text.slice(-limit / 2)}`;
}

function reprAny(value) {
  if (typeof value === "string") return pyRepr(value);
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  return typeof value === "number" ? String(value) : JSON.stringify(value);
}

function startsWith(bytes, signature) {
  return signature.every((b, i) => bytes[i] === b);
}

// grader.modelfile.inspection.LAMBDA_REASON, word for word (tests/js/shapes.test.mjs checks).
export const LAMBDA_REASON =
  "the model has a Lambda layer, which the grader never runs (the exam refused them too): replace it " +
  "with a built-in layer such as Reshape, Rescaling or Normalization; if it multiplies by a constant, " +
  "e.g. x * 400.0, use tf.keras.layers.Rescaling(400.0) (Rescaling(scale, offset) for x * scale + " +
  "offset); if it adds an axis, e.g. tf.expand_dims(x, axis=-1), use tf.keras.layers.Reshape((-1, 1))";

/** The checks on the file's name and size (before anything is read). */
export function checkName(name, size, limits) {
  const suffix = suffixOf(name);
  const lower = suffix.toLowerCase();
  if (MODEL_SUFFIXES.includes(lower) && suffix !== lower) {
    const stem = suffix ? name.slice(0, -suffix.length) : name;
    throw new Rejected(
      `the extension ${suffix} must be lower case for Keras to load it: rename the file to ${short(stem + lower)}`,
      "extension",
    );
  }
  if (!MODEL_SUFFIXES.includes(suffix)) {
    throw new Rejected(
      `${short(name)} is not a model file: the grader takes .h5 (as the exam did) or .keras`,
      "extension",
    );
  }
  if (size === 0) throw new Rejected("the file is empty: the save did not finish; run the starter again", "empty");
  if (size > limits.max_bytes) {
    throw new Rejected(
      `the file is ${fixed(size / 2 ** 20, 0)} MiB, over the ${Math.floor(limits.max_bytes / 2 ** 20)} MiB limit: ` +
        "exam models are a few MiB; check that this is the model you meant",
      "too-large",
    );
  }
}

function text(value) {
  return typeof value === "string" ? value : "";
}

function declaredBytes(group) {
  let total = 0;
  const stack = [group];
  while (stack.length) {
    const g = stack.pop();
    for (const key of g.keys()) {
      const item = g.get(key);
      if (!item) continue;
      if (item.type === "Group") stack.push(item);
      else if (item.type === "Dataset") {
        const count = (item.shape ?? []).reduce((a, b) => a * b, 1);
        total += count * (item.metadata?.size ?? 0);
      }
    }
  }
  return total;
}

function checkDeclared(declared, limits) {
  if (declared > limits.max_weight_bytes) {
    throw new Rejected(
      `the file declares ${fixed(declared / 2 ** 30, 1)} GiB of weights, over the grader's ` +
        `${Math.floor(limits.max_weight_bytes / 2 ** 30)} GiB limit (exam models hold a few MiB): this is not a ` +
        "model for these problems; check the layer sizes (units, filters, Embedding rows)",
      "too-large",
    );
  }
}

function attribute(file, name) {
  const attr = file.attrs[name];
  return attr === undefined ? undefined : attr.value;
}

// Where Python's json.loads gives up and JSON.parse does not: nesting deeper than Python's
// recursion limit (about 1000 levels, less the caller's frames) and integers longer than
// its 4300-digit limit. Keras configs come nowhere near either.
const MAX_DEPTH = 900;
const MAX_INT_DIGITS = 4300;

function beyondPython(raw) {
  let depth = 0;
  let inString = false;
  let digits = 0;
  let number = false; // inside a number token that may still be an integer
  for (let i = 0; i < raw.length; i += 1) {
    const c = raw[i];
    if (inString) {
      if (c === "\\") i += 1;
      else if (c === '"') inString = false;
      continue;
    }
    if (c >= "0" && c <= "9") {
      if (number) digits += 1;
      if (digits > MAX_INT_DIGITS) return true;
      continue;
    }
    if (c === "." || c === "e" || c === "E") number = false;
    else number = true;
    digits = 0;
    if (c === '"') inString = true;
    else if (c === "[" || c === "{") {
      depth += 1;
      if (depth > MAX_DEPTH) return true;
    } else if (c === "]" || c === "}") depth -= 1;
  }
  return false;
}

function parseJson(raw) {
  if (beyondPython(raw)) throw new SyntaxError("beyond Python's json limits");
  try {
    return JSON.parse(raw);
  } catch {
    // Python's json reads NaN and Infinity, which Keras may write for a float setting.
    return JSON.parse(raw.replace(/-?\bInfinity\b|\bNaN\b/g, "null"));
  }
}

/** Every serialized object (a dict with class_name) and every dict of Python bytecode, in the
 * order grader.modelfile.inspection._walk finds them. */
function walk(node) {
  const found = [];
  const code = [];
  const stack = [node];
  while (stack.length) {
    const item = stack.pop();
    if (Array.isArray(item)) stack.push(...item);
    else if (item && typeof item === "object") {
      if ("class_name" in item) found.push(item);
      if (isBytecode(item)) code.push(item);
      stack.push(...Object.values(item));
    }
  }
  return { found, code };
}

function isBytecode(obj) {
  if (obj.function_type === "lambda") return true;
  const value = obj.value;
  return (
    Array.isArray(value) &&
    value.length === 3 &&
    typeof value[0] === "string" &&
    Object.keys(obj).every((k) => ["value", "class_name", "config"].includes(k))
  );
}

function builtinFunction(obj, keras) {
  const name = obj.config;
  const module = obj.module;
  if (typeof name !== "string" || typeof module !== "string" || name.startsWith("_")) return false;
  const namespaces = Object.keys(keras.functions);
  let spaces;
  if (module === "builtins") spaces = namespaces;
  else if (module.startsWith("keras.") && namespaces.includes(module.slice(6))) spaces = [module.slice(6)];
  else return false;
  return spaces.some((ns) => keras.functions[ns].includes(name));
}

function isBuiltin(obj, keras) {
  const name = obj.class_name;
  if (typeof name !== "string") return false;
  if (name === "function") return builtinFunction(obj, keras);
  const registered = obj.registered_name;
  if (typeof registered === "string" && registered !== name && registered !== `keras>${name}` && registered.includes(">")) {
    return false;
  }
  const module = obj.module ?? null;
  if (module === null) {
    if (name.startsWith("_")) return keras.markers.includes(name);
    return keras.classes.includes(name) || keras.markers.includes(name);
  }
  return typeof module === "string" && (module === "keras" || module.startsWith("keras."));
}

function checkObjects(config, keras) {
  const { found, code } = walk(config);
  const classes = found.map((o) => String(o.class_name));
  if (classes.includes("Lambda")) {
    throw new Rejected(LAMBDA_REASON, "lambda");
  }
  if (code.length || classes.includes("__lambda__")) {
    throw new Rejected(
      "the model stores Python code (a lambda used as an activation or a function), which the grader never " +
        "runs: use a built-in activation name such as 'relu'",
      "lambda",
    );
  }
  return found;
}

function checkBuiltins(found, keras) {
  for (const obj of found) {
    if (keras.unsafe.includes(obj.class_name)) {
      throw new Rejected(
        `the model uses ${reprAny(obj.class_name)}, which runs code from outside the model file: the grader ` +
          "loads self-contained models of built-in layers only",
        "unsafe-layer",
      );
    }
    if (isBuiltin(obj, keras)) continue;
    if (obj.class_name === "function") {
      const fn = obj.config;
      const module = obj.module;
      if (typeof module === "string" && (module === "keras" || module.startsWith("keras."))) {
        throw new Rejected(
          `the model names the function ${module}.${fn}, which is not an activation, loss or metric: the ` +
            "grader refuses it; save the model again",
          "unsafe-layer",
        );
      }
      throw new Rejected(
        `the model uses the function ${reprAny(fn)}, which is not a built-in Keras function: use a built-in ` +
          "activation name such as 'relu'",
        "custom-layer",
      );
    }
    const name = obj.registered_name || obj.class_name;
    throw new Rejected(
      `the model uses ${reprAny(name)}, which is not a built-in Keras class: the grader loads built-in layers ` +
        "only, so rewrite it with built-in layers",
      "custom-layer",
    );
  }
}

/**
 * grader.modelfile.inspection.inspect_file for a dropped file: {config, loss, h5: an open
 * HDF5 file (close() it)}, or a Rejected with the grader's reason.
 */
export async function inspectFile(name, bytes, manifest, base) {
  const limits = manifest.limits;
  checkName(name, bytes.length, limits);
  if (suffixOf(name) === ".keras") {
    if (!startsWith(bytes, ZIP)) {
      throw new Rejected("the .keras file is not a zip archive: save it again with model.save()", "not-model");
    }
    throw cannotGrade(".keras archives (save the model as .h5 with model.save('mymodel.h5'))");
  }
  if (!startsWith(bytes, HDF5)) {
    throw new Rejected(
      "the file is not HDF5 (wrong signature): it is not a saved Keras model; save it with " +
        "model.save('mymodel.h5')",
      "not-model",
    );
  }
  const h5wasm = await loadH5(base);
  let h5 = null;
  let raw;
  let training;
  let version;
  let backend;
  try {
    h5 = openH5(h5wasm, bytes);
    raw = attribute(h5.file, "model_config");
    training = attribute(h5.file, "training_config");
    version = attribute(h5.file, "keras_version");
    backend = attribute(h5.file, "backend");
    if (raw !== undefined) checkDeclared(declaredBytes(h5.file), limits);
  } catch (error) {
    if (h5) h5.close();
    if (error instanceof Rejected) throw error;
    if (String(error).toLowerCase().includes("truncated")) {
      throw new Rejected(
        "the file is truncated (the save was interrupted or the copy is incomplete): save the model again",
        "truncated",
      );
    }
    // h5py raises OSError for what the HDF5 library cannot read.
    throw new Rejected(
      "the file is not a readable HDF5 model (OSError): save it again with model.save('mymodel.h5')",
      "corrupt",
    );
  }
  try {
    if (raw === undefined) {
      throw new Rejected(
        "the file has no model config (saved with save_weights?): save the whole model with " +
          "model.save('mymodel.h5')",
        "no-config",
      );
    }
    let config;
    try {
      config = parseJson(text(raw));
    } catch {
      throw new Rejected("the model config inside the file is corrupted JSON: save the model again", "bad-config");
    }
    if (!config || typeof config !== "object" || Array.isArray(config) || !("class_name" in config)) {
      throw new Rejected("the model config inside the file is not a Keras model config: save the model again", "bad-config");
    }
    delete config.compile_config;
    const keras = manifest.keras;
    const found = checkObjects(config, keras);
    if (typeof version === "string" && version.startsWith("2.") && (backend === undefined || backend === "tensorflow")) {
      throw cannotGrade(
        `a file saved by Keras ${version} (an exam-era file, whose config tfcert translates for Keras 3)`,
      );
    }
    if (!keras.version) throw cannotGrade("any model in this build (it was made without Keras' list of built-in names)");
    checkBuiltins(found, keras);
    let loss = null;
    if (typeof training === "string") {
      try {
        const value = parseJson(training).loss;
        loss = typeof value === "string" ? value : null;
      } catch {
        loss = null;
      }
    }
    return { config, loss, h5 };
  } catch (error) {
    h5.close();
    throw error;
  }
}
