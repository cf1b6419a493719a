// grader.modelfile.keras2 in the browser: an exam-era Keras 2 .h5 config rewritten for
// Keras 3 by the very rules the Python grader applies. The rules and the words of the notes
// are not written here: they are keras2.RULES and keras2.NOTES, which the site's build puts
// into manifest.json (tools/browser_grader_export.py). This module only applies them, as
// keras2.translate_config does (tests/js/keras2.test.mjs compares the two on every fixture).

import { pyRepr } from "./pyformat.js";

/** keras2.keras2_version: the Keras 2 version of a file saved with TensorFlow, else null. */
export function keras2Version(version, backend) {
  if (typeof version !== "string" || !version.startsWith("2.")) return null;
  if (typeof backend === "string" && backend !== "tensorflow") return null;
  return version;
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);

class Notes {
  constructor(words) {
    this.words = words;
    this.names = new Map();
  }

  add(kind, layer) {
    const config = layer.config;
    const name = isObject(config) ? config.name : undefined;
    const shown = typeof name === "string" ? `${pyText(layer.class_name)} ${pyRepr(name)}` : "a layer";
    if (!this.names.has(kind)) this.names.set(kind, []);
    const names = this.names.get(kind);
    if (!names.includes(shown)) names.push(shown);
  }

  lines() {
    return Array.from(this.names, ([kind, names]) => {
      const listed = names.slice(0, 4).join(", ") + (names.length > 4 ? ` and ${names.length - 4} more` : "");
      return this.words[kind].replace("{names}", listed);
    });
  }
}

function pyText(value) {
  // f"{value}" of what a config may hold there (a str, or None when absent)
  if (value === undefined || value === null) return "None";
  return String(value);
}

function same(value, wanted) {
  if (typeof wanted === "boolean" || typeof value === "boolean") return value === wanted;
  if (typeof wanted === "number" && typeof value === "number") return value === wanted;
  return JSON.stringify(value) === JSON.stringify(wanted);
}

function functionName(value, names) {
  if (typeof value === "string") return has(names, value) ? names[value] : null;
  if (
    isObject(value) &&
    value.class_name === "function" &&
    (value.module === undefined || value.module === null || value.module === "builtins") &&
    typeof value.config === "string"
  ) {
    return has(names, value.config) ? names[value.config] : null;
  }
  return null;
}

function apply(rule, config) {
  if (rule.when && !Object.entries(rule.when).every(([k, v]) => has(config, k) && same(config[k], v))) return false;
  if (rule.remove) {
    if (!rule.remove.some((k) => has(config, k))) return false;
    for (const k of rule.remove) delete config[k];
    return true;
  }
  if (rule.rename) {
    const [from, to] = rule.rename;
    if (!has(config, from) || has(config, to)) return false;
    const value = config[from];
    delete config[from];
    config[to] = value;
    return true;
  }
  if (rule.default) {
    const missing = Object.entries(rule.default).filter(([k]) => !has(config, k));
    for (const [k, v] of missing) config[k] = v;
    return missing.length > 0;
  }
  if (rule.unwrap) {
    const value = config[rule.unwrap];
    if (!(Array.isArray(value) && value.length === 1 && Number.isInteger(value[0]))) return false;
    config[rule.unwrap] = value[0];
    return true;
  }
  if (rule.policy) {
    const dtype = config[rule.policy];
    if (!isObject(dtype) || dtype.class_name !== "Policy") return false;
    const name = isObject(dtype.config) ? dtype.config.name : undefined;
    if (!rule.names.includes(name)) return false;
    config[rule.policy] = name;
    return true;
  }
  let changed = false;
  for (const key of rule.functions ?? []) {
    const renamed = functionName(config[key], rule.names);
    if (renamed !== null) {
      config[key] = renamed;
      changed = true;
    }
  }
  return changed;
}

function sequentialInput(rule, layers) {
  if (!layers.length || !isObject(layers[0])) return;
  const first = layers[0];
  const firstConfig = first.config;
  if (first.class_name === "InputLayer" || !isObject(firstConfig)) return;
  const shape = firstConfig[rule.key];
  if (!Array.isArray(shape)) return;
  const name = firstConfig.name;
  const taken = new Set(layers.filter((l) => isObject(l) && isObject(l.config)).map((l) => l.config.name));
  let inputName = typeof name === "string" ? `${name}${rule.suffix}` : rule.unnamed;
  while (taken.has(inputName)) inputName += "_";
  const dtype = firstConfig.dtype;
  layers.unshift({
    class_name: "InputLayer",
    config: { batch_shape: shape, dtype: typeof dtype === "string" ? dtype : rule.dtype, sparse: false, name: inputName },
  });
}

function translateModel(rules, model, notes) {
  const inner = model.config;
  if (!rules.models.includes(model.class_name) || !isObject(inner)) return;
  const layers = inner.layers;
  if (!Array.isArray(layers)) return;
  if (model.class_name === "Sequential") sequentialInput(rules.sequential_input, layers);
  for (const layer of layers) if (isObject(layer)) translateLayer(rules, layer, notes);
}

function translateLayer(rules, layer, notes) {
  const kind = layer.class_name;
  const config = layer.config;
  if (typeof kind !== "string" || !isObject(config)) return;
  if (rules.models.includes(kind)) {
    translateModel(rules, layer, notes);
    return;
  }
  for (const rule of rules.layer) {
    if (rule.classes && !rule.classes.includes(kind)) continue;
    if ((rule.except ?? []).includes(kind)) continue;
    if (apply(rule, config)) notes.add(rule.note, layer);
  }
  const wrappers = rules.wrappers;
  if (!wrappers.classes.includes(kind)) return;
  for (const key of wrappers.keys) {
    const wrapped = config[key];
    if (!isObject(wrapped)) continue;
    if (!has(wrapped, "module") && wrappers.wrappable.includes(wrapped.class_name)) {
      wrapped.module = wrappers.module;
      wrapped.registered_name = null;
      notes.add(wrappers.note, wrapped);
    }
    translateLayer(rules, wrapped, notes);
  }
}

/** keras2.translate_config: {config (a new object), notes}; `keras2` is the manifest's
 * {rules, notes}. */
export function translateConfig(config, keras2) {
  const translated = structuredClone(config);
  const notes = new Notes(keras2.notes);
  translateModel(keras2.rules, translated, notes);
  return { config: translated, notes: notes.lines() };
}
