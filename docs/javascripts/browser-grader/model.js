// A Keras 3 model rebuilt from its config and weights: a Sequential or Functional graph of
// the layers in layers.js and rnn.js, its input and output shapes as Keras declares them,
// and predict() over batches with TensorFlow.js. From an .h5 file (Keras 3's, or a Keras 2
// config translated by keras2.js), weights are matched to layers as Keras' legacy .h5
// loader does: the layers that hold weights, in order, each with its `weight_names` in
// order. From a .keras archive, as keras.src.saving.saving_lib does: model.weights.h5 holds
// each layer's variables under layers/<its class in snake case, numbered>/vars/<i>.

import { LoadError, cannotGrade } from "./errors.js";
import { makeLayer, product } from "./layers.js";
import { makeMerging } from "./merging.js";
import { pyRepr, pyTuple } from "./pyformat.js";
import { makeRecurrent } from "./rnn.js";

const MODEL_CLASSES = new Set(["Sequential", "Functional", "Model"]);

function policyName(dtype) {
  if (dtype === null || dtype === undefined) return "float32";
  if (typeof dtype === "string") return dtype;
  if (typeof dtype === "object" && dtype.config && typeof dtype.config.name === "string") return dtype.config.name;
  return String(dtype.class_name ?? "an unknown policy");
}

function newLayer(spec) {
  const className = spec.class_name;
  const config = spec.config ?? {};
  if (MODEL_CLASSES.has(className)) throw cannotGrade("a model nested inside another model");
  const policy = policyName(config.dtype);
  if (policy !== "float32") {
    throw cannotGrade(`the layer ${pyRepr(String(config.name))} computing in ${policy} (the page computes in float32)`);
  }
  return makeMerging(className, config) ?? makeLayer(className, config, makeRecurrent);
}

function inputOf(spec) {
  const config = spec.config ?? {};
  const shape = config.batch_shape ?? config.batch_input_shape;
  if (!Array.isArray(shape)) throw new LoadError("the model's InputLayer has no shape");
  if (config.sparse || config.ragged) throw cannotGrade("a sparse or ragged input");
  return { name: String(config.name), shape: shape.map((d) => (d === null ? null : Number(d))), dtype: config.dtype ?? "float32" };
}

/** A node's {args, kwargs}; a Keras 2 node is a list of [layer, node, tensor, kwargs] (Keras'
 * functional.deserialize_node: one tensor alone, several as a list). */
function nodeCall(node) {
  if (!Array.isArray(node)) return { args: node.args ?? [], kwargs: node.kwargs ?? {} };
  if (node.some((t) => !Array.isArray(t) || t.length < 3 || t.length > 4)) {
    throw new LoadError("Cannot deserialize the model (invalid config data?)");
  }
  const kwargs = node.length ? (node[node.length - 1][3] ?? {}) : {};
  const tensors = node.map((t) => ({ class_name: "__keras_tensor__", config: { keras_history: t.slice(0, 3) } }));
  return { args: tensors.length ? [tensors.length === 1 ? tensors[0] : tensors] : [], kwargs };
}

/** The graph: {inputs: [{name, shape, dtype}], nodes: [...], outputs: [[node, index]]}. */
function graphOf(config) {
  const kind = config.class_name;
  const body = config.config ?? {};
  if (!MODEL_CLASSES.has(kind)) throw new LoadError(`${pyRepr(String(kind))} is not a model class`);
  const specs = Array.isArray(body.layers) ? body.layers : [];
  if (kind === "Sequential") {
    let rest = specs;
    let input;
    if (specs[0]?.class_name === "InputLayer") {
      input = inputOf(specs[0]);
      rest = specs.slice(1);
    } else if (Array.isArray(body.build_input_shape)) {
      input = { name: "input_layer", shape: body.build_input_shape.slice(), dtype: "float32" };
    } else {
      throw new LoadError("the Sequential model was saved before it was built: it has no input shape");
    }
    const nodes = rest.map((spec, i) => ({ layer: newLayer(spec), args: [i === 0 ? ["input", 0] : [i - 1, 0]] }));
    return { inputs: [input], nodes, outputs: [nodes.length ? [nodes.length - 1, 0] : ["input", 0]], layers: nodes.map((n) => n.layer) };
  }
  // Functional: each layer's inbound_nodes name the tensors it was called on.
  const inputs = [];
  const where = new Map(); // "layer/node/tensor" -> ["input", k] or [node index, tensor index]
  const nodes = [];
  const layers = [];
  const pending = [];
  for (const spec of specs) {
    if (spec.class_name === "InputLayer") {
      const input = inputOf(spec);
      where.set(`${spec.name ?? input.name}/0/0`, ["input", inputs.length]);
      inputs.push(input);
      continue;
    }
    const layer = newLayer(spec);
    layers.push(layer);
    (spec.inbound_nodes ?? []).forEach((node, k) => pending.push({ layer, name: spec.name ?? layer.name, node, k }));
  }
  const tensorKey = (t) => {
    const history = t?.config?.keras_history;
    if (t?.class_name !== "__keras_tensor__" || !Array.isArray(history)) return null;
    return `${history[0]}/${history[1]}/${history[2]}`;
  };
  // Resolve nodes in dependency order (a config lists layers in order, but be safe).
  let progress = true;
  while (pending.length && progress) {
    progress = false;
    for (let i = 0; i < pending.length; i += 1) {
      const { layer, name, node, k } = pending[i];
      const { args, kwargs } = nodeCall(node);
      if (kwargs.mask !== undefined && kwargs.mask !== null) throw cannotGrade("a layer called with an explicit mask");
      if (args.length !== 1 || Array.isArray(args[0]) !== Boolean(layer.multi)) {
        throw cannotGrade(`the call of layer ${pyRepr(name)} on ${Array.isArray(args[0]) ? "a list of tensors" : "these arguments"}`);
      }
      const keys = (layer.multi ? args[0] : [args[0]]).map(tensorKey);
      if (keys.some((key) => key === null)) throw cannotGrade(`the call of layer ${pyRepr(name)}`);
      if (!keys.every((key) => where.has(key))) continue;
      nodes.push({ layer, args: keys.map((key) => where.get(key)) });
      where.set(`${name}/${k}/0`, [nodes.length - 1, 0]);
      pending.splice(i, 1);
      i -= 1;
      progress = true;
    }
  }
  if (pending.length) throw new LoadError("the model's layers are not connected");
  const refs = (list) => (Array.isArray(list?.[0]) ? list : [list]);
  const outputs = refs(body.output_layers).map((r) => {
    const key = `${r[0]}/${r[1]}/${r[2]}`;
    if (!where.has(key)) throw new LoadError(`the model output ${pyRepr(String(r[0]))} is not a layer output`);
    return where.get(key);
  });
  const order = refs(body.input_layers).map((r) => inputs.findIndex((inp) => inp.name === r[0]));
  if (order.some((k) => k < 0)) throw new LoadError("the model's inputs are not InputLayers");
  return {
    inputs: order.map((k) => inputs[k]),
    nodes: nodes.map((n) => ({ ...n, args: n.args.map((a) => (a[0] === "input" ? ["input", order.indexOf(a[1])] : a)) })),
    outputs,
    layers,
  };
}

function shapesOf(graph) {
  const shapes = graph.nodes.map(() => null);
  const get = ([node]) => (node === "input" ? null : shapes[node]);
  graph.nodes.forEach((node, i) => {
    const given = node.args.map((ref) => (ref[0] === "input" ? graph.inputs[ref[1]].shape : get(ref)).slice());
    shapes[i] = node.layer.build(node.layer.multi ? given : given[0]);
  });
  return shapes;
}

/** Read the weights for every layer, as keras.src.legacy.saving.legacy_h5_format does. */
function loadWeights(graph, file) {
  const group = file.get("model_weights");
  if (!group) throw new LoadError("the file has no model_weights group");
  // An attribute list, or its chunks name0, name1... (Keras splits long lists).
  const asList = (v) => (typeof v === "string" ? [v] : Array.from(v ?? []));
  const attr = (g, name) => {
    if (!g) return [];
    if (g.attrs[name] !== undefined) return asList(g.attrs[name].value);
    const parts = [];
    for (let k = 0; g.attrs[`${name}${k}`] !== undefined; k += 1) parts.push(...asList(g.attrs[`${name}${k}`].value));
    return parts;
  };
  const saved = attr(group, "layer_names")
    .map(String)
    .filter((name) => attr(group.get(name), "weight_names").length > 0);
  const withWeights = graph.layers.filter((layer) => layer.expected.length > 0);
  if (saved.length !== withWeights.length) {
    throw new LoadError(
      `Layer count mismatch when loading weights from file. Model expected ${withWeights.length} layers, ` +
        `found ${saved.length} saved layers.`,
    );
  }
  return saved.map((name, k) => {
    const layer = withWeights[k];
    const g = group.get(name);
    const names = attr(g, "weight_names").map(String);
    if (names.length !== layer.expected.length) {
      throw new LoadError(
        `Weight count mismatch for layer #${k} (named ${layer.name} in the current model, ${name} in the ` +
          `save file). Layer expects ${layer.expected.length} weight(s). Received ${names.length} saved weight(s)`,
      );
    }
    return names.map((weightName, j) => weightValue(layer, j, g.get(weightName), weightName));
  });
}

/** keras.src.utils.naming.to_snake_case */
export function snakeCase(name) {
  return name
    .replace(/\W+/g, "")
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

/** Read the weights of every layer from a .keras archive's model.weights.h5. */
function loadArchiveWeights(graph, file) {
  const used = new Map();
  return graph.layers.map((layer) => {
    let name = snakeCase(layer.className);
    const n = used.get(name) ?? 0;
    used.set(name, n + 1);
    if (n > 0) name = `${name}_${n}`;
    if (!layer.expected.length) return [];
    const datasets = [];
    for (const group of layer.variableGroups()) {
      const g = file?.get(`layers/${name}/${group}`);
      const count = g && g.type === "Group" ? g.keys().length : 0;
      for (let i = 0; i < count; i += 1) datasets.push(g.get(String(i)));
    }
    if (datasets.length !== layer.expected.length) {
      throw new LoadError(
        `Layer '${layer.name}' expected ${layer.expected.length} variables, but received ${datasets.length} ` +
          "variables during loading.",
      );
    }
    return datasets.map((dataset, j) => weightValue(layer, j, dataset, `layers/${name}`));
  });
}

function weightValue(layer, j, dataset, weightName) {
  const want = layer.expected[j].shape;
  const shape = dataset?.shape ?? null;
  if (!shape || shape.length !== want.length || shape.some((d, i) => d !== want[i])) {
    throw new LoadError(
      `The shape of the target variable and the shape of the target value in \`variable.assign(value)\` ` +
        `must match. variable.shape=${pyTuple(want)}, Received: value.shape=${shape ? pyTuple(shape) : "None"}. ` +
        `Target variable: ${layer.name}/${layer.expected[j].name}`,
    );
  }
  if (layer.expected[j].unused) return null; // a counter Keras keeps and never computes with
  let value = dataset.value;
  // A scalar (a Normalization's mean over axis=None) reads as a plain number.
  if (typeof value === "number" && /^[<>=|]?[fd]$/.test(String(dataset.dtype))) value = Float64Array.of(value);
  if (!(value instanceof Float32Array || value instanceof Float64Array)) {
    throw cannotGrade(`the weight ${pyRepr(weightName)} stored as ${dataset.dtype} (the page reads float32 and float64)`);
  }
  return { layer, values: Float32Array.from(value), shape: want };
}

export class Model {
  constructor(tf, config, file, format = "h5") {
    this.tf = tf;
    this.graph = graphOf(config);
    this.shapes = shapesOf(this.graph);
    const weights = format === "keras" ? loadArchiveWeights(this.graph, file) : loadWeights(this.graph, file);
    for (const list of weights) {
      for (const w of list) if (w) w.layer.weights.push(tf.tensor(w.values, w.shape, "float32"));
    }
    this.inputs = this.graph.inputs.map((inp) => ({ shape: inp.shape, dtype: inp.dtype }));
    this.outputs = this.graph.outputs.map(([node, index]) =>
      node === "input" ? { shape: this.graph.inputs[index].shape } : { shape: this.shapes[node] },
    );
  }

  /** Predictions for rows [0, n), `batchRows` at a time: {values: Float32Array, shape}. Each
   * row is given as `rowShape` (the problem's shape that matched the model's input). */
  async predict(rowShape, n, batchRows, makeBatch, progress) {
    const tf = this.tf;
    const dtype = this.graph.inputs[0].dtype.startsWith("float") ? "float32" : "int32";
    let result = null;
    let shape = null;
    for (let start = 0; start < n; start += batchRows) {
      const end = Math.min(n, start + batchRows);
      const data = makeBatch(start, end);
      const out = tf.tidy(() => this.run(tf.tensor(data, [end - start, ...rowShape], dtype)));
      const values = await out.data();
      const rest = out.shape.slice(1);
      out.dispose();
      if (result === null) {
        shape = rest;
        result = new Float32Array(n * product(rest));
      } else if (rest.join() !== shape.join()) {
        throw new Error(`batches gave outputs of shapes ${pyTuple(shape)} and ${pyTuple(rest)}`);
      }
      result.set(values, start * product(rest));
      if (progress) await progress(end, n);
    }
    return { values: result ?? new Float32Array(0), shape: [n, ...(shape ?? [])] };
  }

  dispose() {
    for (const layer of this.graph.layers) this.tf.dispose(layer.weights);
  }

  run(x) {
    const tf = this.tf;
    const values = this.graph.nodes.map(() => null);
    const ref = ([node, index]) => (node === "input" ? [x, null] : values[node]);
    this.graph.nodes.forEach((node, i) => {
      const given = node.args.map(ref);
      values[i] = node.layer.multi
        ? node.layer.apply(tf, given.map((g) => g[0]), given.map((g) => g[1]))
        : node.layer.apply(tf, given[0][0], given[0][1]);
    });
    return ref(this.graph.outputs[0])[0];
  }
}
