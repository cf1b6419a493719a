// The evaluation arrays that tools/browser_grader_export.py published with the site: fetched
// from this site only, gunzipped, and decoded exactly as its decode() does (the build
// checked that decoding gives the grader's own arrays before it wrote the files).

const STORED = { uint8: Uint8Array, int32: Int32Array, float32: Float32Array, float64: Float64Array };

async function gunzip(bytes) {
  // The files are gzipped once at build time; a server that sends them with
  // Content-Encoding: gzip has already unpacked them.
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function product(shape) {
  return shape.reduce((a, b) => a * b, 1);
}

/** One array: {data: a typed array in row-major order, shape, dtype}. */
export async function loadArray(base, spec) {
  const response = await fetch(`${base}data/${spec.file}`, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`${spec.file}: HTTP ${response.status}`);
  const bytes = await gunzip(new Uint8Array(await response.arrayBuffer()));
  const Stored = STORED[spec.stored];
  const count = product(spec.stored_shape);
  if (bytes.byteLength !== count * Stored.BYTES_PER_ELEMENT) {
    throw new Error(`${spec.file}: ${bytes.byteLength} bytes, expected ${count * Stored.BYTES_PER_ELEMENT}`);
  }
  let body = new Stored(bytes.buffer, bytes.byteOffset, count);
  if (spec.divide) {
    // float32(k) / 255 in float32: the division of two floats, rounded once to float32.
    const scaled = new Float32Array(count);
    for (let i = 0; i < count; i += 1) scaled[i] = Math.fround(body[i] / spec.divide);
    body = scaled;
  }
  const rowSize = product(spec.shape.slice(1));
  const rows = spec.shape[0];
  if (spec.windows) {
    // Window i is rows i .. i + length of the series: a view, never a copy of every window.
    const { count: n, length } = spec.windows;
    const step = product(spec.stored_shape.slice(1));
    if (n !== rows || length * step !== rowSize || body.length !== (n + length - 1) * step) {
      throw new Error(`${spec.file}: inconsistent windows`);
    }
    return { rows, rowSize, shape: spec.shape.slice(), dtype: spec.dtype, body, step };
  }
  if (body.length !== rows * rowSize) throw new Error(`${spec.file}: wrong size`);
  return { rows, rowSize, shape: spec.shape.slice(), dtype: spec.dtype, body, step: rowSize };
}

/** Row i of an array (its values in row-major order): a view. */
export function row(array, i) {
  return array.body.subarray(i * array.step, i * array.step + array.rowSize);
}

/** Rows start .. end of an array, copied into one typed array of `Kind`. */
export function rowsOf(array, start, end, Kind = array.body.constructor) {
  const out = new Kind((end - start) * array.rowSize);
  for (let i = start; i < end; i += 1) out.set(row(array, i), (i - start) * array.rowSize);
  return out;
}
