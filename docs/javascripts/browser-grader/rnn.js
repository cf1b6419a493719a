// LSTM, GRU (reset_after=True, Keras' default, as well as False), SimpleRNN and Bidirectional,
// as keras/src/layers/rnn/* and the TensorFlow backend's rnn() compute them at inference:
// one step at a time, a masked step keeping the previous state and giving the previous
// output (or zeros where zero_output_for_mask is set, which Bidirectional sets when it
// returns sequences), go_backwards reading the sequence from its end.

import { LoadError, cannotGrade } from "./errors.js";
import { Layer, activation } from "./layers.js";
import { pyRepr, pyTuple } from "./pyformat.js";

const GATES = { LSTM: 4, GRU: 3, SimpleRNN: 1 };

class Recurrent extends Layer {
  constructor(className, config) {
    super(className, config);
    this.passesMask = false; // compute_mask: the mask goes on only with return_sequences
    this.units = config.units;
    this.returnSequences = Boolean(config.return_sequences);
    this.goBackwards = Boolean(config.go_backwards);
    this.zeroOutputForMask = Boolean(config.zero_output_for_mask);
    const where = `${className} ${pyRepr(this.name)}`;
    if (config.return_state) throw cannotGrade(`${where} with return_state=True`);
    if (config.stateful) throw cannotGrade(`the stateful ${where}`);
    this.act = activation(config.activation ?? "tanh", where);
    this.recurrentAct =
      className === "SimpleRNN" ? null : activation(config.recurrent_activation ?? "sigmoid", where);
    this.useBias = config.use_bias !== false;
    this.resetAfter = className === "GRU" && config.reset_after !== false;
  }

  build(shape) {
    if (shape.length !== 3) {
      throw new LoadError(
        `Input ${pyTuple(shape)} of layer ${pyRepr(this.name)} (${this.className}) has rank ` +
          `${shape.length}; it expects rank 3`,
      );
    }
    const features = shape[2];
    if (features === null) throw new LoadError(`layer ${pyRepr(this.name)}: the number of features is unknown`);
    const g = GATES[this.className] * this.units;
    this.expected = [
      { name: "kernel", shape: [features, g] },
      { name: "recurrent_kernel", shape: [this.units, g] },
    ];
    if (this.useBias) this.expected.push({ name: "bias", shape: this.resetAfter ? [2, g] : [g] });
    return this.returnSequences ? [shape[0], shape[1], this.units] : [shape[0], this.units];
  }

  variableGroups() {
    return ["cell/vars"];
  }

  step(tf, x, states) {
    const [kernel, recurrent, bias] = this.weights;
    const u = this.units;
    if (this.className === "LSTM") {
      // z = x W + h U + b; i, f, c, o = split(z); c = f c + i act(z_c); h = o act(c)
      const [h, c] = states;
      let z = tf.add(tf.matMul(x, kernel), tf.matMul(h, recurrent));
      if (bias) z = tf.add(z, bias);
      const [zi, zf, zc, zo] = tf.split(z, 4, 1);
      const i = this.recurrentAct(tf, zi);
      const f = this.recurrentAct(tf, zf);
      const cNew = tf.add(tf.mul(f, c), tf.mul(i, this.act(tf, zc)));
      const o = this.recurrentAct(tf, zo);
      const hNew = tf.mul(o, this.act(tf, cNew));
      return [hNew, [hNew, cNew]];
    }
    if (this.className === "GRU") {
      const [h] = states;
      let inputBias = null;
      let recurrentBias = null;
      if (bias) {
        if (this.resetAfter) [inputBias, recurrentBias] = tf.unstack(bias, 0);
        else inputBias = bias;
      }
      let matrixX = tf.matMul(x, kernel);
      if (inputBias) matrixX = tf.add(matrixX, inputBias);
      const [xz, xr, xh] = tf.split(matrixX, 3, 1);
      let hh;
      let z;
      if (this.resetAfter) {
        let inner = tf.matMul(h, recurrent);
        if (recurrentBias) inner = tf.add(inner, recurrentBias);
        const [rz, rr, rh] = tf.split(inner, 3, 1);
        z = this.recurrentAct(tf, tf.add(xz, rz));
        const r = this.recurrentAct(tf, tf.add(xr, rr));
        hh = this.act(tf, tf.add(xh, tf.mul(r, rh)));
      } else {
        const inner = tf.matMul(h, tf.slice(recurrent, [0, 0], [u, 2 * u]));
        const [rz, rr] = tf.split(inner, 2, 1);
        z = this.recurrentAct(tf, tf.add(xz, rz));
        const r = this.recurrentAct(tf, tf.add(xr, rr));
        const rh = tf.matMul(tf.mul(r, h), tf.slice(recurrent, [0, 2 * u], [u, u]));
        hh = this.act(tf, tf.add(xh, rh));
      }
      // h = z h_prev + (1 - z) hh
      const hNew = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh));
      return [hNew, [hNew]];
    }
    const [h] = states;
    let y = tf.matMul(x, kernel);
    if (bias) y = tf.add(y, bias);
    const out = this.act(tf, tf.add(y, tf.matMul(h, recurrent)));
    return [out, [out]];
  }

  /** The layer over a whole sequence: [output, the mask it passes on]. Each step runs in
   * its own tf.tidy and the states it replaces are freed, so memory stays flat over time. */
  apply(tf, x, mask) {
    const batch = x.shape[0];
    const zeros = tf.zeros([batch, this.units]);
    let states = this.className === "LSTM" ? [zeros, zeros] : [zeros];
    let previous = zeros;
    const steps = tf.unstack(x, 1);
    const masks = mask ? tf.unstack(tf.expandDims(tf.cast(mask, "bool"), 2), 1) : null;
    if (this.goBackwards) {
      steps.reverse();
      if (masks) masks.reverse();
    }
    const outputs = [];
    const made = new Set(); // tensors made by the steps, freed once nothing needs them
    steps.forEach((input, t) => {
      const [output, ...next] = tf.tidy(() => {
        let [out, nextStates] = this.step(tf, input, states);
        if (masks) {
          const m = tf.broadcastTo(masks[t], out.shape);
          out = tf.where(m, out, this.zeroOutputForMask ? zeros : previous);
          nextStates = nextStates.map((st, k) => tf.where(m, st, states[k]));
        }
        return [out, ...nextStates];
      });
      const replaced = [...states, previous];
      states = next;
      previous = output;
      if (this.returnSequences) outputs.push(output);
      const live = new Set([...outputs, ...next, output]);
      for (const tensor of replaced) {
        if (made.has(tensor) && !live.has(tensor)) {
          tensor.dispose();
          made.delete(tensor);
        }
      }
      for (const tensor of live) made.add(tensor);
    });
    tf.dispose(steps);
    if (masks) tf.dispose(masks);
    const result = this.returnSequences ? tf.stack(outputs, 1) : previous;
    for (const tensor of made) if (tensor !== result) tensor.dispose();
    return [result, this.returnSequences ? mask : null];
  }
}

class Bidirectional extends Layer {
  constructor(config, makeInner) {
    super("Bidirectional", config);
    const mode = config.merge_mode === undefined ? "concat" : config.merge_mode;
    if (!["concat", "sum", "ave", "mul"].includes(mode)) {
      throw cannotGrade(`Bidirectional ${pyRepr(this.name)} with merge_mode=${mode}`);
    }
    this.mode = mode;
    const inner = (spec) => {
      if (!spec || typeof spec !== "object" || !(spec.class_name in GATES)) {
        throw cannotGrade(`Bidirectional around ${spec && pyRepr(String(spec.class_name))}`);
      }
      return makeInner(spec.class_name, spec.config ?? {});
    };
    this.forward = inner(config.layer);
    if (config.backward_layer) {
      this.backward = inner(config.backward_layer);
    } else {
      this.backward = inner({
        class_name: config.layer.class_name,
        config: { ...config.layer.config, go_backwards: !config.layer.config?.go_backwards },
      });
    }
    if (this.forward.goBackwards === this.backward.goBackwards) {
      throw new LoadError("Forward layer and backward layer should have different `go_backwards` value.");
    }
    // Bidirectional forces zero_output_for_mask = return_sequences on both layers.
    for (const layer of [this.forward, this.backward]) layer.zeroOutputForMask = layer.returnSequences;
    this.returnSequences = this.forward.returnSequences;
  }

  build(shape) {
    const out = this.forward.build(shape);
    this.backward.build(shape);
    this.expected = [...this.forward.expected, ...this.backward.expected];
    const units = out[out.length - 1];
    return [...out.slice(0, -1), this.mode === "concat" ? 2 * units : units];
  }

  variableGroups() {
    return ["forward_layer/cell/vars", "backward_layer/cell/vars"];
  }

  apply(tf, x, mask) {
    const n = this.forward.expected.length;
    this.forward.weights = this.weights.slice(0, n);
    this.backward.weights = this.weights.slice(n);
    const [y] = this.forward.apply(tf, x, mask);
    let [yRev] = this.backward.apply(tf, x, mask);
    if (this.returnSequences) yRev = tf.reverse(yRev, 1);
    let out;
    if (this.mode === "concat") out = tf.concat([y, yRev], -1);
    else if (this.mode === "sum") out = tf.add(y, yRev);
    else if (this.mode === "ave") out = tf.div(tf.add(y, yRev), 2);
    else out = tf.mul(y, yRev);
    return [out, this.returnSequences ? mask : null];
  }
}

/** The recurrent layers (and a refusal for every other class the page does not compute). */
export function makeRecurrent(className, config) {
  if (className in GATES) return new Recurrent(className, config);
  if (className === "Bidirectional") return new Bidirectional(config, makeRecurrent);
  throw cannotGrade(`the layer class ${pyRepr(String(className))}`);
}
