// Layers that crop or repeat along time, and the merge layers that join tensors (Add,
// Concatenate...), as keras/src/layers/reshaping and keras/src/layers/merging compute them.
// A merge layer receives a list of tensors (`multi`); a masked input to one is refused.

import { LoadError, cannotGrade } from "./errors.js";
import { Layer } from "./layers.js";
import { pyRepr, pyTuple } from "./pyformat.js";

class Cropping1D extends Layer {
  constructor(config) {
    super("Cropping1D", config);
    const c = config.cropping ?? [1, 1];
    this.crop = Array.isArray(c) ? c.slice(0, 2) : [c, c];
  }

  build(shape) {
    if (shape.length !== 3) throw new LoadError(`Cropping1D expects rank 3, got ${pyTuple(shape)}`);
    const [a, b] = this.crop;
    if (shape[1] !== null && a + b >= shape[1]) {
      throw new LoadError("`cropping` parameter of `Cropping1D` layer must be smaller than the input length.");
    }
    return [shape[0], shape[1] === null ? null : shape[1] - a - b, shape[2]];
  }

  call(tf, x) {
    const [a, b] = this.crop;
    return tf.slice(x, [0, a, 0], [-1, x.shape[1] - a - b, -1]);
  }
}

class RepeatVector extends Layer {
  build(shape) {
    if (shape.length !== 2) throw new LoadError(`RepeatVector expects rank 2, got ${pyTuple(shape)}`);
    return [shape[0], this.config.n, shape[1]];
  }

  call(tf, x) {
    return tf.tile(tf.expandDims(x, 1), [1, this.config.n, 1]);
  }
}

// keras/src/layers/merging/base_merge.py: _compute_elemwise_op_output_shape
function broadcast(a, b, name) {
  if (a.length !== b.length) throw cannotGrade(`the merge layer ${pyRepr(name)} joining tensors of different ranks`);
  return a.map((i, k) => {
    const j = b[k];
    if (i === null || j === null) return null;
    if (i === 1) return j;
    if (j === 1) return i;
    if (i !== j) throw new LoadError(`Inputs have incompatible shapes. Received shapes ${pyTuple(a)} and ${pyTuple(b)}`);
    return i;
  });
}

const MERGES = {
  Add: (tf, xs) => xs.slice(1).reduce((out, x) => tf.add(out, x), xs[0]),
  Subtract: (tf, xs) => tf.sub(xs[0], xs[1]),
  Multiply: (tf, xs) => xs.slice(1).reduce((out, x) => tf.mul(out, x), xs[0]),
  Average: (tf, xs) => tf.div(xs.slice(1).reduce((out, x) => tf.add(out, x), xs[0]), xs.length),
  Maximum: (tf, xs) => xs.slice(1).reduce((out, x) => tf.maximum(out, x), xs[0]),
  Minimum: (tf, xs) => xs.slice(1).reduce((out, x) => tf.minimum(out, x), xs[0]),
};

class Merge extends Layer {
  constructor(className, config) {
    super(className, config);
    this.multi = true;
  }

  build(shapes) {
    if (!Array.isArray(shapes[0]) || shapes.length < 2) {
      throw new LoadError(`A merge layer should be called on a list of at least 2 inputs.`);
    }
    if (this.className === "Subtract" && shapes.length !== 2) {
      throw new LoadError("A `Subtract` layer should be called on exactly 2 inputs.");
    }
    if (this.className === "Concatenate") {
      const rank = shapes[0].length;
      const axis = (this.config.axis ?? -1) < 0 ? rank + (this.config.axis ?? -1) : this.config.axis;
      this.axis = axis;
      return shapes[0].map((d, k) => {
        if (k === axis) return shapes.some((s) => s[k] === null) ? null : shapes.reduce((n, s) => n + s[k], 0);
        return d;
      });
    }
    // Keras broadcasts the shapes without their batch dimension, then puts the batch back:
    // the one batch size the inputs agree on, else None (base_merge.compute_output_shape).
    const rest = shapes.slice(1).reduce((out, s) => broadcast(out, s.slice(1), this.name), shapes[0].slice(1));
    const batches = new Set(shapes.map((s) => s[0]).filter((b) => b !== null && b !== undefined));
    return [batches.size === 1 ? [...batches][0] : null, ...rest];
  }

  apply(tf, xs, masks) {
    if (masks.some((m) => m)) throw cannotGrade(`the merge layer ${pyRepr(this.name)} with masked inputs`);
    if (this.className === "Concatenate") return [tf.concat(xs, this.axis), null];
    return [MERGES[this.className](tf, xs), null];
  }
}

/** The layers of this module, or null for a class it does not know. */
export function makeMerging(className, config) {
  if (className === "Cropping1D") return new Cropping1D(config);
  if (className === "RepeatVector") return new RepeatVector(className, config);
  if (className === "Concatenate" || className in MERGES) return new Merge(className, config);
  return null;
}
