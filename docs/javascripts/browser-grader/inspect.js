// grader.modelfile.model_file.py and inspection.py in the browser: the file's name and size,
// its signature, its HDF5 attributes (h5wasm) or its .keras archive's members (zip.js), the
// declared weight size, the JSON config, an exam-era Keras 2 config translated by the
// grader's own rules (keras2.js), and the refusal of Lambda layers, stored Python code,
// unsafe and custom classes, in the same order. Every reason is the grader's, exported into
// manifest.json when the site is built; so are the names Keras accepts as built-in.

import { Rejected, cannotGrade, refusal } from "./errors.js";
import { keras2Version, translateConfig } from "./keras2.js";
import { fixed, pyRepr } from "./pyformat.js";
import { loadH5, openH5 } from "./runtime.js";
import { ZipError, members, read } from "./zip.js";

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

/** The checks on the file's name and size (before anything is read). */
export function checkName(name, size, manifest) {
  const limits = manifest.limits;
  const suffix = suffixOf(name);
  const lower = suffix.toLowerCase();
  if (MODEL_SUFFIXES.includes(lower) && suffix !== lower) {
    const stem = suffix ? name.slice(0, -suffix.length) : name;
    throw refusal(manifest, "extension-case", { suffix, renamed: short(stem + lower) });
  }
  if (!MODEL_SUFFIXES.includes(suffix)) throw refusal(manifest, "extension", { name: short(name) });
  if (size === 0) throw refusal(manifest, "empty");
  if (size > limits.max_bytes) {
    throw refusal(manifest, "too-large", { mib: fixed(size / 2 ** 20, 0), limit_mib: Math.floor(limits.max_bytes / 2 ** 20) });
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

function checkDeclared(declared, manifest) {
  const limit = manifest.limits.max_weight_bytes;
  if (declared > limit) {
    throw refusal(manifest, "too-many-weights", { gib: fixed(declared / 2 ** 30, 1), limit_gib: Math.floor(limit / 2 ** 30) });
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

function checkObjects(config, manifest) {
  const { found, code } = walk(config);
  const classes = found.map((o) => String(o.class_name));
  if (classes.includes("Lambda")) throw refusal(manifest, "lambda");
  if (code.length || classes.includes("__lambda__")) throw refusal(manifest, "stored-code");
  return found;
}

function checkBuiltins(found, manifest) {
  const keras = manifest.keras;
  for (const obj of found) {
    if (keras.unsafe.includes(obj.class_name)) throw refusal(manifest, "unsafe-layer", { name: reprAny(obj.class_name) });
    if (isBuiltin(obj, keras)) continue;
    if (obj.class_name === "function") {
      const fn = obj.config;
      const module = obj.module;
      if (typeof module === "string" && (module === "keras" || module.startsWith("keras."))) {
        throw refusal(manifest, "keras-function", { module, function: fn });
      }
      throw refusal(manifest, "custom-function", { name: reprAny(fn) });
    }
    throw refusal(manifest, "custom-class", { name: reprAny(obj.registered_name || obj.class_name) });
  }
}

/** model_file._version_text: a version as a file stores it, or null. */
function versionText(value) {
  return typeof value === "string" && value.length > 0 && value.length <= 40 && /^[A-Za-z0-9.+-]+$/.test(value)
    ? value
    : null;
}

/** model_file.hdf5_loader_misreads: the note for a Keras 3 .h5 whose axis lists Keras' HDF5
 * loader would drop, or null. */
function misread(config, manifest) {
  const { layers, note } = manifest.misread;
  const names = [];
  const stack = [config];
  while (stack.length) {
    const item = stack.pop();
    if (Array.isArray(item)) stack.push(...item);
    else if (item && typeof item === "object") {
      const inner = item.config;
      if (
        layers.includes(item.class_name) &&
        !("module" in item) &&
        inner && typeof inner === "object" && !Array.isArray(inner) &&
        Array.isArray(inner.axis) && inner.axis.length !== 1
      ) {
        names.push(`${item.class_name} ${pyRepr(String(inner.name ?? "None"))}`);
      }
      stack.push(...Object.values(item));
    }
  }
  return names.length ? note.replace("{names}", names.sort().join(", ")) : null;
}

function openOrRefuse(h5wasm, bytes, manifest) {
  try {
    return openH5(h5wasm, bytes);
  } catch (error) {
    if (String(error).toLowerCase().includes("truncated")) throw refusal(manifest, "truncated");
    // h5py raises OSError for what the HDF5 library cannot read.
    throw refusal(manifest, "corrupt-h5", { error: "OSError" });
  }
}

/** model_file._read_h5: {raw, training, version (Keras 2), savedBy, h5}. */
function readH5(h5wasm, bytes, manifest) {
  const h5 = openOrRefuse(h5wasm, bytes, manifest);
  try {
    const raw = attribute(h5.file, "model_config");
    const training = attribute(h5.file, "training_config");
    const saved = attribute(h5.file, "keras_version");
    const version = keras2Version(saved, attribute(h5.file, "backend"));
    if (raw === undefined) throw refusal(manifest, "no-config");
    checkDeclared(declaredBytes(h5.file), manifest);
    return { raw: text(raw), training: typeof training === "string" ? training : null, version, savedBy: versionText(saved), h5 };
  } catch (error) {
    h5.close();
    if (error instanceof Rejected) throw error;
    throw refusal(manifest, "corrupt-h5", { error: "OSError" });
  }
}

/** model_file._read_keras: {raw, savedBy, h5: model.weights.h5 opened (or null)}. */
async function readKeras(h5wasm, bytes, manifest) {
  const limits = manifest.limits;
  let h5 = null;
  try {
    const found = members(bytes);
    if (!found.has("config.json")) throw refusal(manifest, "no-config-json");
    if (found.get("config.json").size > limits.max_config_bytes) throw refusal(manifest, "config-json-too-large");
    const raw = new TextDecoder().decode(await read(bytes, found.get("config.json")));
    const unpacked = Array.from(found.values()).reduce((a, m) => a + m.size, 0);
    if (unpacked > limits.max_bytes) {
      checkDeclared(unpacked, manifest);
      throw refusal(manifest, "unpacks-too-large", { mib: fixed(unpacked / 2 ** 20, 0), limit_mib: Math.floor(limits.max_bytes / 2 ** 20) });
    }
    if (found.has("model.weights.h5")) {
      const weights = await read(bytes, found.get("model.weights.h5"));
      try {
        h5 = openH5(h5wasm, weights);
      } catch {
        h5 = null; // unreadable weights: the load reports them, as Keras' does
      }
      if (h5) checkDeclared(declaredBytes(h5.file), manifest);
    }
    let savedBy = null;
    const meta = found.get("metadata.json");
    if (meta && meta.size < 64 * 1024) {
      try {
        const metadata = parseJson(new TextDecoder().decode(await read(bytes, meta)));
        if (metadata && typeof metadata === "object" && !Array.isArray(metadata)) savedBy = versionText(metadata.keras_version);
      } catch (error) {
        if (error instanceof ZipError) throw error;
      }
    }
    return { raw, savedBy, h5 };
  } catch (error) {
    if (h5) h5.close();
    if (error instanceof Rejected) throw error;
    throw refusal(manifest, "corrupt-zip");
  }
}

/**
 * grader.modelfile.inspection.inspect_file for a dropped file: {config, format, loss,
 * savedBy, keras2: {version, notes} | null, misread: a note | null, h5: the open HDF5 file
 * that holds the weights (close() it; null for a .keras archive without weights)}, or a
 * Rejected with the grader's reason.
 */
export async function inspectFile(name, bytes, manifest, base) {
  checkName(name, bytes.length, manifest);
  const archive = suffixOf(name) === ".keras";
  if (archive && !startsWith(bytes, ZIP)) throw refusal(manifest, "not-zip");
  if (!archive && !startsWith(bytes, HDF5)) throw refusal(manifest, "not-hdf5");
  const h5wasm = await loadH5(base);
  const file = archive
    ? { ...(await readKeras(h5wasm, bytes, manifest)), training: null, version: null }
    : readH5(h5wasm, bytes, manifest);
  try {
    // tf.keras 2.13-2.15 wrote .keras archives too, which Keras 3 does not read
    if (archive && file.savedBy?.startsWith("2.")) throw refusal(manifest, "keras2-archive", { version: file.savedBy });
    let config;
    try {
      config = parseJson(file.raw);
    } catch {
      throw refusal(manifest, "bad-json");
    }
    if (!config || typeof config !== "object" || Array.isArray(config) || !("class_name" in config)) {
      throw refusal(manifest, "not-model-config");
    }
    delete config.compile_config;
    let keras2 = null;
    let misreadNote = null;
    if (file.version !== null) {
      const translation = translateConfig(config, manifest.keras2);
      config = translation.config;
      // Keras 2.6+ saved Normalization(axis=None) as axis [] too (model_file.read_model_file)
      const axisNote = misread(config, manifest);
      keras2 = { version: file.version, notes: axisNote ? [...translation.notes, axisNote] : translation.notes };
    } else if (!archive) {
      misreadNote = misread(config, manifest);
    }
    const found = checkObjects(config, manifest);
    if (!manifest.keras.version) throw cannotGrade("any model in this build (it was made without Keras' list of built-in names)");
    checkBuiltins(found, manifest);
    let loss = null;
    if (typeof file.training === "string") {
      try {
        const value = parseJson(file.training).loss;
        loss = typeof value === "string" ? value : null;
      } catch {
        loss = null;
      }
    }
    return { config, format: archive ? "keras" : "h5", loss, savedBy: file.savedBy, keras2, misread: misreadNote, h5: file.h5 };
  } catch (error) {
    if (file.h5) file.h5.close();
    throw error;
  }
}
