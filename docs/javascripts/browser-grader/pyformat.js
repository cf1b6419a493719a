// Python's number formatting, digit for digit, so that the page prints what `tfcert grade`
// prints: '{:.4f}', '{:.4g}', '{:g}', round(x, 9). Python rounds the exact binary value of a
// float half to even; JavaScript's toFixed rounds ties up and toPrecision differs in its
// exponent rules, so both are written here on exact BigInt arithmetic.

function exact(x) {
  // |x| as a fraction num / den of BigInts (x finite).
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e;
  if (exp === 0) {
    e = -1074;
  } else {
    mant |= 1n << 52n;
    e = exp - 1075;
  }
  return e >= 0 ? [mant << BigInt(e), 1n] : [mant, 1n << BigInt(-e)];
}

function roundHalfEven(num, den) {
  const q = num / den;
  const twice = 2n * (num % den);
  if (twice > den || (twice === den && q % 2n === 1n)) return q + 1n;
  return q;
}

function special(x) {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  return null;
}

function sign(x) {
  return x < 0 || Object.is(x, -0) ? "-" : "";
}

/** Python's f'{x:.{digits}f}'. */
export function fixed(x, digits) {
  const s = special(x);
  if (s !== null) return s;
  const [num, den] = exact(x);
  const q = roundHalfEven(num * 10n ** BigInt(digits), den);
  let text = q.toString();
  if (digits > 0) {
    text = text.padStart(digits + 1, "0");
    text = `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  }
  return sign(x) + text;
}

/** Python's f'{x:.{precision}g}' (precision 6 is '{:g}'). */
export function general(x, precision = 6) {
  const s = special(x);
  if (s !== null) return s;
  const p = Math.max(precision, 1);
  if (x === 0) return `${sign(x)}0`;
  const [num, den] = exact(x);
  // The decimal exponent: 10**e <= |x| < 10**(e + 1).
  let e = Math.floor(Math.log10(Math.abs(x)));
  const below = (k) => (k >= 0 ? num < den * 10n ** BigInt(k) : num * 10n ** BigInt(-k) < den);
  while (below(e)) e -= 1;
  while (!below(e + 1)) e += 1;
  const shift = p - 1 - e;
  let q =
    shift >= 0
      ? roundHalfEven(num * 10n ** BigInt(shift), den)
      : roundHalfEven(num, den * 10n ** BigInt(-shift));
  if (q === 10n ** BigInt(p)) {
    q /= 10n;
    e += 1;
  }
  let digits = q.toString();
  if (e >= -4 && e < p) {
    const decimals = p - 1 - e;
    let text;
    if (decimals > 0) {
      digits = digits.padStart(decimals + 1, "0");
      text = `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
      text = text.replace(/0+$/, "").replace(/\.$/, "");
    } else {
      text = digits;
    }
    return sign(x) + text;
  }
  let mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  if (mantissa.includes(".")) mantissa = mantissa.replace(/0+$/, "").replace(/\.$/, "");
  const exp = `${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  return `${sign(x)}${mantissa}e${exp}`;
}

/** Python's round(x, digits) for a float. */
export function pyRound(x, digits) {
  if (!Number.isFinite(x)) return x;
  return Number(fixed(x, digits));
}

/** Python's repr() of a str. */
export function pyRepr(text) {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const code = ch.codePointAt(0);
    if (ch === "\\") out += "\\\\";
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch !== " " && /[\p{C}\p{Z}]/u.test(ch)) {
      // Python's str.isprintable(): other, separator and space characters but " " are escaped
      // as \xhh, \uhhhh or \Uhhhhhhhh by their code point.
      const hex = code.toString(16);
      if (code < 0x100) out += `\\x${hex.padStart(2, "0")}`;
      else if (code < 0x10000) out += `\\u${hex.padStart(4, "0")}`;
      else out += `\\U${hex.padStart(8, "0")}`;
    } else out += ch;
  }
  return out + quote;
}

/** Python's str() of a shape tuple such as (None, 28, 28) or (None,). */
export function pyTuple(items) {
  const parts = items.map((v) => (v === null || v === undefined ? "None" : String(v)));
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(", ")})`;
}

/** A grader reason as grader.modelfile.inspection.Rejected keeps it: one printable line. */
export function oneLine(text) {
  return Array.from(String(text), (ch) => (ch !== " " && /[\p{C}\p{Z}]/u.test(ch) ? " " : ch))
    .join("")
    .trim();
}
