// Keras 3 layers at inference, on TensorFlow.js ops, computed as Keras computes them on the
// TensorFlow backend (keras/src/layers/*, keras/src/backend/tensorflow/*): the same formulas
// in the same order, and the same masks (Embedding(mask_zero=True) masks what
// GlobalAveragePooling1D averages and what the recurrent layers skip). A setting the page
// does not compute is refused by name, never approximated. The recurrent layers are in rnn.js.

import { LoadError, cannotGrade } from "./errors.js";
import { pyRepr, pyTuple } from "./pyformat.js";

// ------------------------------------------------------------------ activations

const SQRT2 = 1.4142135623730951;

function hardSigmoid(tf, x) {
  return tf.div(tf.relu6(tf.add(x, 3)), 6);
}

const ACTIVATIONS = {
  linear: (tf, x) => x,
  relu: (tf, x) => tf.relu(x),
  relu6: (tf, x) => tf.relu6(x),
  leaky_relu: (tf, x) => tf.leakyRelu(x, 0.2),
  elu: (tf, x) => tf.elu(x),
  selu: (tf, x) => tf.selu(x),
  softplus: (tf, x) => tf.softplus(x),
  softsign: (tf, x) => tf.div(x, tf.add(tf.abs(x), 1)),
  silu: (tf, x) => tf.mul(x, tf.sigmoid(x)),
  gelu: (tf, x) => tf.mul(tf.mul(0.5, x), tf.add(1, tf.erf(tf.div(x, SQRT2)))),
  tanh: (tf, x) => tf.tanh(x),
  sigmoid: (tf, x) => tf.sigmoid(x),
  exponential: (tf, x) => tf.exp(x),
  hard_sigmoid: hardSigmoid,
  hard_silu: (tf, x) => tf.mul(x, hardSigmoid(tf, x)),
  mish: (tf, x) => tf.mul(x, tf.tanh(tf.softplus(x))),
  softmax: (tf, x) => tf.softmax(x),
  log_softmax: (tf, x) => tf.logSoftmax(x),
};
ACTIVATIONS.swish = ACTIVATIONS.silu;
ACTIVATIONS.hard_swish = ACTIVATIONS.hard_silu;

export function activation(value, where) {
  let name = value ?? "linear";
  if (name && typeof name === "object" && name.class_name === "function") name = name.config;
  if (typeof name !== "string" || !(name in ACTIVATIONS)) {
    const shown = typeof name === "string" ? pyRepr(name) : "a serialized object";
    throw cannotGrade(`the activation ${shown} of ${where}`);
  }
  return ACTIVATIONS[name];
}

// ------------------------------------------------------------------ helpers

export function product(dims) {
  return dims.reduce((a, b) => (a === null || b === null ? null : a * b), 1);
}

export function tuple(value, n) {
  return Array.isArray(value) ? value.slice() : new Array(n).fill(value);
}

function convLength(length, kernel, stride, padding, dilation) {
  if (length === null) return null;
  if (padding === "same" || padding === "causal") return Math.ceil(length / stride);
  const span = dilation * (kernel - 1) + 1;
  return Math.floor((length - span) / stride) + 1;
}

function requireRank(layer, shape, rank) {
  if (shape.length !== rank) {
    throw new LoadError(
      `Input ${pyTuple(shape)} of layer ${pyRepr(layer.name)} (${layer.className}) has rank ` +
        `${shape.length}; it expects rank ${rank}`,
    );
  }
}

function requireKnown(layer, value, what) {
  if (value === null) {
    throw new LoadError(`layer ${pyRepr(layer.name)} cannot be built: its ${what} is unknown`);
  }
}

// ------------------------------------------------------------------ the layers

/** A layer: build(inputShape) -> outputShape (and the weights it expects), call(x, mask). */
export class Layer {
  constructor(className, config) {
    this.className = className;
    this.config = config;
    this.name = String(config.name ?? className);
    this.expected = []; // [{name, shape}] in the order of Keras' legacy .h5 weights
    this.weights = [];
    this.passesMask = false; // Keras' supports_masking with the default compute_mask
  }

  build(inputShape) {
    return inputShape;
  }

  /** Where a .keras archive keeps this layer's variables, under its own group, in order. */
  variableGroups() {
    return ["vars"];
  }

  call(tf, x) {
    return x;
  }

  /** [output, its mask]: the mask goes on where Keras propagates it, and nowhere else. */
  apply(tf, x, mask) {
    return [this.call(tf, x, mask), this.passesMask ? mask : null];
  }
}

class Identity extends Layer {
  // Dropout and the random augmentation layers are the identity at inference.
  constructor(className, config, passesMask) {
    super(className, config);
    this.passesMask = passesMask;
  }
}

class Dense extends Layer {
  constructor(config) {
    super("Dense", config);
    this.passesMask = true;
    this.act = activation(config.activation, `Dense ${pyRepr(this.name)}`);
    if (config.lora_rank) throw cannotGrade(`the LoRA-enabled Dense ${pyRepr(this.name)}`);
  }

  build(shape) {
    const inDim = shape[shape.length - 1];
    requireKnown(this, inDim, "last input dimension");
    this.expected = [{ name: "kernel", shape: [inDim, this.config.units] }];
    if (this.config.use_bias !== false) this.expected.push({ name: "bias", shape: [this.config.units] });
    return [...shape.slice(0, -1), this.config.units];
  }

  call(tf, x) {
    const [kernel, bias] = this.weights;
    const shape = x.shape;
    let y = shape.length === 2 ? tf.matMul(x, kernel) : null;
    if (y === null) {
      const flat = tf.reshape(x, [-1, shape[shape.length - 1]]);
      y = tf.reshape(tf.matMul(flat, kernel), [...shape.slice(0, -1), this.config.units]);
    }
    if (bias) y = tf.add(y, bias);
    return this.act(tf, y);
  }
}

class Conv extends Layer {
  constructor(className, config, rank) {
    super(className, config);
    this.rank = rank;
    this.act = activation(config.activation, `${className} ${pyRepr(this.name)}`);
    this.kernel = tuple(config.kernel_size, rank);
    this.strides = tuple(config.strides ?? 1, rank);
    this.dilation = tuple(config.dilation_rate ?? 1, rank);
    this.padding = config.padding ?? "valid";
    if ((config.data_format ?? "channels_last") !== "channels_last") {
      throw cannotGrade(`${className} ${pyRepr(this.name)} with data_format=${config.data_format}`);
    }
    if ((config.groups ?? 1) !== 1) throw cannotGrade(`${className} with groups=${config.groups}`);
    if (!["valid", "same"].includes(this.padding) && !(rank === 1 && this.padding === "causal")) {
      throw cannotGrade(`${className} with padding=${pyRepr(String(this.padding))}`);
    }
    if (this.strides.some((s) => s > 1) && this.dilation.some((d) => d > 1)) {
      throw cannotGrade(`${className} with both strides and dilation above 1`);
    }
  }

  build(shape) {
    requireRank(this, shape, this.rank + 2);
    const channels = shape[shape.length - 1];
    requireKnown(this, channels, "number of input channels");
    const { filters } = this.config;
    this.expected = [{ name: "kernel", shape: [...this.kernel, channels, filters] }];
    if (this.config.use_bias !== false) this.expected.push({ name: "bias", shape: [filters] });
    const spatial = shape
      .slice(1, -1)
      .map((n, i) => convLength(n, this.kernel[i], this.strides[i], this.padding, this.dilation[i]));
    return [shape[0], ...spatial, filters];
  }

  call(tf, x) {
    const [kernel, bias] = this.weights;
    let y;
    if (this.rank === 2) {
      y = tf.conv2d(x, kernel, this.strides, this.padding, "NHWC", this.dilation);
    } else {
      let input = x;
      let padding = this.padding;
      if (padding === "causal") {
        input = tf.pad(x, [[0, 0], [this.dilation[0] * (this.kernel[0] - 1), 0], [0, 0]]);
        padding = "valid";
      }
      // Conv1D as TensorFlow runs it: a 2-D convolution over a height of one.
      const x4 = tf.expandDims(input, 1);
      const k4 = tf.expandDims(kernel, 0);
      y = tf.squeeze(
        tf.conv2d(x4, k4, [1, this.strides[0]], padding, "NHWC", [1, this.dilation[0]]),
        [1],
      );
    }
    if (bias) y = tf.add(y, bias);
    return this.act(tf, y);
  }
}

class Pool extends Layer {
  constructor(className, config, rank, op) {
    super(className, config);
    this.rank = rank;
    this.op = op;
    this.size = tuple(config.pool_size ?? 2, rank);
    this.strides = tuple(config.strides ?? this.size, rank);
    this.padding = config.padding ?? "valid";
    if ((config.data_format ?? "channels_last") !== "channels_last") {
      throw cannotGrade(`${className} with data_format=${config.data_format}`);
    }
    if (!["valid", "same"].includes(this.padding)) throw cannotGrade(`${className} with padding=${this.padding}`);
  }

  build(shape) {
    requireRank(this, shape, this.rank + 2);
    const spatial = shape
      .slice(1, -1)
      .map((n, i) => convLength(n, this.size[i], this.strides[i], this.padding, 1));
    return [shape[0], ...spatial, shape[shape.length - 1]];
  }

  call(tf, x) {
    const pool = this.op === "max" ? tf.maxPool : tf.avgPool;
    if (this.rank === 2) return pool(x, this.size, this.strides, this.padding);
    const y = pool(tf.expandDims(x, 1), [1, this.size[0]], [1, this.strides[0]], this.padding);
    return tf.squeeze(y, [1]);
  }
}

class GlobalPool extends Layer {
  constructor(className, config, rank, op) {
    super(className, config);
    this.rank = rank;
    this.op = op;
    this.keepdims = Boolean(config.keepdims);
    if ((config.data_format ?? "channels_last") !== "channels_last") {
      throw cannotGrade(`${className} with data_format=${config.data_format}`);
    }
  }

  build(shape) {
    requireRank(this, shape, this.rank + 2);
    const channels = shape[shape.length - 1];
    return this.keepdims ? [shape[0], ...new Array(this.rank).fill(1), channels] : [shape[0], channels];
  }

  apply(tf, x, mask) {
    const axes = this.rank === 1 ? [1] : [1, 2];
    if (this.op === "avg" && this.rank === 1 && mask) {
      // GlobalAveragePooling1D with a mask: the mean over the unmasked steps only.
      const m = tf.expandDims(tf.cast(mask, "bool"), 2);
      const kept = tf.where(tf.broadcastTo(m, x.shape), x, tf.zerosLike(x));
      const count = tf.sum(tf.cast(m, x.dtype), axes, this.keepdims);
      return [tf.div(tf.sum(kept, axes, this.keepdims), count), null];
    }
    const reduce = this.op === "max" ? tf.max : tf.mean;
    return [reduce(x, axes, this.keepdims), null];
  }
}

class Flatten extends Layer {
  build(shape) {
    const rest = shape.slice(1);
    return [shape[0], rest.length === 0 ? 1 : product(rest)];
  }

  call(tf, x) {
    return tf.reshape(x, [x.shape[0], -1]);
  }
}

class Reshape extends Layer {
  build(shape) {
    const target = this.config.target_shape.slice();
    const known = product(shape.slice(1));
    const unknown = target.indexOf(-1);
    if (unknown >= 0) {
      const rest = product(target.filter((d) => d !== -1));
      target[unknown] = known === null ? null : known / rest;
      if (known !== null && !Number.isInteger(target[unknown])) {
        throw new LoadError(`cannot reshape ${pyTuple(shape)} into ${pyTuple([null, ...this.config.target_shape])}`);
      }
    } else if (known !== null && known !== product(target)) {
      throw new LoadError(
        `The total size of the tensor must be unchanged. Received: input_shape=${pyTuple(shape.slice(1))}, ` +
          `target_shape=${pyTuple(target)}`,
      );
    }
    this.target = target;
    return [shape[0], ...target];
  }

  call(tf, x) {
    return tf.reshape(x, [x.shape[0], ...this.config.target_shape]);
  }
}

class Rescaling extends Layer {
  constructor(config) {
    super("Rescaling", config);
    this.passesMask = true;
    const plain = (v) => (typeof v === "number" || (Array.isArray(v) && v.every((n) => typeof n === "number")));
    if (!plain(config.scale) || !plain(config.offset ?? 0)) {
      throw cannotGrade(`the Rescaling ${pyRepr(this.name)} with a scale or offset stored as an array object`);
    }
  }

  call(tf, x) {
    const scale = tf.tensor(this.config.scale, undefined, "float32");
    const offset = tf.tensor(this.config.offset ?? 0, undefined, "float32");
    return tf.add(tf.mul(tf.cast(x, "float32"), scale), offset);
  }
}

class Embedding extends Layer {
  constructor(config) {
    super("Embedding", config);
    this.passesMask = Boolean(config.mask_zero);
    if (config.lora_rank || config.embeddings_constraint?.class_name === "Quantized") {
      throw cannotGrade(`the Embedding ${pyRepr(this.name)} with LoRA or quantization`);
    }
  }

  build(shape) {
    this.expected = [{ name: "embeddings", shape: [this.config.input_dim, this.config.output_dim] }];
    return [...shape, this.config.output_dim];
  }

  apply(tf, x) {
    const ids = x.dtype === "int32" ? x : tf.cast(x, "int32");
    const values = ids.dataSync();
    const rows = this.config.input_dim;
    for (let i = 0; i < values.length; i += 1) {
      if (values[i] < 0 || values[i] >= rows) {
        // TensorFlow stops on an index outside the table; TensorFlow.js would not.
        throw new RangeError(`indices[${i}] = ${values[i]} is not in [0, ${rows})`);
      }
    }
    const out = tf.reshape(tf.gather(this.weights[0], tf.reshape(ids, [-1])), [...ids.shape, this.config.output_dim]);
    return [out, this.config.mask_zero ? tf.notEqual(ids, 0) : null];
  }
}

class BatchNormalization extends Layer {
  constructor(config) {
    super("BatchNormalization", config);
    this.passesMask = true;
    this.axis = Array.isArray(config.axis) ? config.axis : [config.axis ?? -1];
    if (this.axis.length !== 1) throw cannotGrade("BatchNormalization over several axes");
  }

  build(shape) {
    const axis = this.axis[0] < 0 ? shape.length + this.axis[0] : this.axis[0];
    this.axisIndex = axis;
    const n = shape[axis];
    requireKnown(this, n, "normalized dimension");
    const { scale = true, center = true } = this.config;
    this.expected = [];
    if (scale) this.expected.push({ name: "gamma", shape: [n] });
    if (center) this.expected.push({ name: "beta", shape: [n] });
    this.expected.push({ name: "moving_mean", shape: [n] }, { name: "moving_variance", shape: [n] });
    return shape;
  }

  call(tf, x) {
    // tf.nn.batch_normalization: inv = rsqrt(var + eps) * gamma; x * inv + (beta - mean * inv).
    const { scale = true, center = true } = this.config;
    const w = this.weights.slice();
    const gamma = scale ? w.shift() : null;
    const beta = center ? w.shift() : null;
    const [mean, variance] = w;
    const shape = new Array(x.shape.length).fill(1);
    shape[this.axisIndex] = mean.shape[0];
    let inv = tf.rsqrt(tf.add(variance, this.config.epsilon ?? 1e-3));
    if (gamma) inv = tf.mul(inv, gamma);
    const shift = beta ? tf.sub(beta, tf.mul(mean, inv)) : tf.neg(tf.mul(mean, inv));
    return tf.add(tf.mul(x, tf.reshape(inv, shape)), tf.reshape(shift, shape));
  }
}

class Normalization extends Layer {
  // keras/src/layers/preprocessing/normalization.py after adapt(): (x - mean) / max(sqrt(var),
  // epsilon), or x * max(sqrt(var), epsilon) + mean when inverted; mean and variance kept over
  // `axis` (none kept for axis=None, saved as []) and broadcast over the rest.
  constructor(config) {
    super("Normalization", config);
    this.passesMask = true;
    if (config.mean !== undefined && config.mean !== null) {
      throw cannotGrade(`the Normalization ${pyRepr(this.name)} given its mean and variance as arguments`);
    }
    const axis = config.axis;
    this.axis = Array.isArray(axis) ? axis.slice() : axis === null || axis === undefined ? [] : [axis];
  }

  build(shape) {
    const ndim = shape.length;
    if (this.axis.some((a) => a < -ndim || a >= ndim)) {
      throw new LoadError(`All \`axis\` values must be in the range [-ndim, ndim). Received inputs with ndim=${ndim}, while axis=${pyTuple(this.axis)}`);
    }
    const keep = this.axis.map((a) => (a < 0 ? a + ndim : a)).sort((a, b) => a - b);
    for (const d of keep) requireKnown(this, shape[d], `axis ${d}`);
    this.broadcast = shape.map((n, d) => (keep.includes(d) ? n : 1));
    this.broadcast[0] = keep.includes(0) ? shape[0] : 1;
    const kept = keep.map((d) => shape[d]);
    this.expected = [
      { name: "mean", shape: kept },
      { name: "variance", shape: kept },
      { name: "count", shape: [], unused: true },
    ];
    return shape;
  }

  call(tf, x) {
    const [mean, variance] = this.weights;
    const m = tf.reshape(mean, this.broadcast);
    const std = tf.maximum(tf.sqrt(tf.reshape(variance, this.broadcast)), 1e-7);
    if (this.config.invert) return tf.add(m, tf.mul(x, std));
    return tf.div(tf.sub(x, m), std);
  }
}

class Activation extends Layer {
  constructor(config) {
    super("Activation", config);
    this.passesMask = true;
    this.act = activation(config.activation, `Activation ${pyRepr(this.name)}`);
  }

  call(tf, x) {
    return this.act(tf, x);
  }
}

// Layers that are the identity at inference; whether each passes a mask on (Keras'
// supports_masking) decides what a later masked layer sees.
const IDENTITY = {
  Dropout: true,
  SpatialDropout1D: true,
  SpatialDropout2D: true,
  GaussianDropout: true,
  GaussianNoise: true,
  AlphaDropout: true,
  ActivityRegularization: true,
  RandomFlip: false,
  RandomRotation: false,
  RandomZoom: false,
  RandomTranslation: false,
  RandomContrast: false,
  RandomBrightness: false,
};

/** The page's layer for one Keras layer config, or a refusal that names it. */
export function makeLayer(className, config, makeRecurrent) {
  if (className in IDENTITY) return new Identity(className, config, IDENTITY[className]);
  switch (className) {
    case "Dense":
      return new Dense(config);
    case "Conv1D":
      return new Conv(className, config, 1);
    case "Conv2D":
      return new Conv(className, config, 2);
    case "MaxPooling1D":
      return new Pool(className, config, 1, "max");
    case "MaxPooling2D":
      return new Pool(className, config, 2, "max");
    case "AveragePooling1D":
      return new Pool(className, config, 1, "avg");
    case "AveragePooling2D":
      return new Pool(className, config, 2, "avg");
    case "GlobalAveragePooling1D":
      return new GlobalPool(className, config, 1, "avg");
    case "GlobalAveragePooling2D":
      return new GlobalPool(className, config, 2, "avg");
    case "GlobalMaxPooling1D":
      return new GlobalPool(className, config, 1, "max");
    case "GlobalMaxPooling2D":
      return new GlobalPool(className, config, 2, "max");
    case "Flatten":
      if ((config.data_format ?? "channels_last") !== "channels_last") {
        throw cannotGrade(`Flatten with data_format=${config.data_format}`);
      }
      return new Flatten(className, config);
    case "Reshape":
      return new Reshape(className, config);
    case "Rescaling":
      return new Rescaling(config);
    case "Embedding":
      return new Embedding(config);
    case "BatchNormalization":
      return new BatchNormalization(config);
    case "Activation":
      return new Activation(config);
    case "Normalization":
      return new Normalization(config);
    default:
      return makeRecurrent(className, config);
  }
}
