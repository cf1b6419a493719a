// pyformat.js prints numbers and strings digit for digit as Python does: checked against
// Python itself (tests/js/oracle.py) on thousands of floats, ties and edge cases included.

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  fixed,
  general,
  oneLine,
  pyRepr,
  pyRound,
  pyTuple,
} from "../../docs/javascripts/browser-grader/pyformat.js";
import { oracle } from "./support.mjs";

// A seeded generator, so that a failure names the same numbers on every run.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function numbers() {
  const random = mulberry32(19);
  const out = [
    // ties in decimal that are not ties in binary, and exact binary ties (half to even)
    0.125, 0.375, 2.5, 3.5, 0.5, 1.5, 2.675, 1.005, 0.0005, 0.00015, 9.99995, 99999.5,
    0.1 + 0.2, 1 / 3, 2 / 3, 0.88, 0.9 - 0.88, 0.055, 0.095,
    // the edges of '{:g}' between fixed and exponent notation
    0.0001, 0.00009999995, 0.000099999, 123456, 999999.5, 1234567, 999999, 1e16, 1e-5,
    // extremes
    5e-324, 2.2250738585072014e-308, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53, 2 ** 53 + 2,
    0, 1, -1, 10, 100, 7, -20, -7.5, 12.5,
  ];
  for (let i = 0; i < 1500; i += 1) {
    // any magnitude from 1e-9 to 1e12, either sign
    const x = 10 ** (random() * 21 - 9) * (random() < 0.5 ? -1 : 1);
    out.push(x);
    // a metric's kind of value: a few decimals, often on a rounding edge
    out.push(Math.round(random() * 1e6) / 10 ** (1 + Math.floor(random() * 7)));
    // float32 values, as the models' outputs are
    out.push(Math.fround(random() * 2 - 1));
  }
  return out;
}

test("fixed, general and pyRound print what Python prints", () => {
  const answers = oracle("format", { numbers: numbers() });
  assert.ok(answers.length > 4000);
  const wrong = [];
  for (const a of answers) {
    const ours = {
      f0: fixed(a.x, 0),
      f2: fixed(a.x, 2),
      f3: fixed(a.x, 3),
      f4: fixed(a.x, 4),
      g: general(a.x),
      g4: general(a.x, 4),
      round9: pyRound(a.x, 9),
    };
    for (const [key, value] of Object.entries(ours)) {
      if (value !== a[key]) wrong.push(`${a.x} ${key}: page ${value}, Python ${a[key]}`);
    }
  }
  assert.deepEqual(wrong.slice(0, 20), []);
});

test("the values JSON cannot carry: NaN, infinities, negative zero", () => {
  // Python: format(float('nan'), '.4f') == 'nan', format(-0.0, 'g') == '-0', ...
  for (const f of [(x) => fixed(x, 4), (x) => general(x), (x) => general(x, 4)]) {
    assert.equal(f(NaN), "nan");
    assert.equal(f(Infinity), "inf");
    assert.equal(f(-Infinity), "-inf");
  }
  assert.equal(fixed(-0, 4), "-0.0000");
  assert.equal(fixed(-0.00001, 4), "-0.0000");
  assert.equal(general(-0), "-0");
  assert.equal(general(-0, 4), "-0");
  assert.ok(Number.isNaN(pyRound(NaN, 9)));
  assert.equal(pyRound(Infinity, 9), Infinity);
});

test("known cases: half to even on the exact binary value", () => {
  assert.equal(fixed(0.125, 2), "0.12"); // an exact tie: to even
  assert.equal(fixed(0.375, 2), "0.38");
  assert.equal(fixed(2.675, 2), "2.67"); // 2.67499999... in binary
  assert.equal(fixed(2.5, 0), "2");
  assert.equal(fixed(3.5, 0), "4");
  assert.equal(general(0.0001), "0.0001");
  assert.equal(general(0.00001), "1e-05");
  assert.equal(general(123456789), "1.23457e+08");
  assert.equal(general(999999.5), "1e+06");
  assert.equal(general(0.88, 4), "0.88");
  assert.equal(general(1e100, 4), "1e+100");
});

const TEXTS = [
  "dense",
  "it's",
  'say "hi"',
  `both ' and "`,
  "back\\slash",
  "tab\there\nnew line\rreturn",
  "\x00\x01\x1f\x7f",
  "한국어 레이어",
  "emoji 🙂",
  "",
];

test("pyRepr is Python's repr() of a str", () => {
  const answers = oracle("repr", { texts: TEXTS });
  assert.deepEqual(TEXTS.map(pyRepr), answers);
});

test(
  "pyRepr of characters Python does not print (U+0080-U+00A0, U+200B)",
  () => {
    const texts = ["a\x85b", "no\xa0break", "zero\u200bwidth", "\u2028"];
    assert.deepEqual(texts.map(pyRepr), oracle("repr", { texts }));
  },
);

test("pyTuple is str() of a shape tuple", () => {
  assert.equal(pyTuple([null, 28, 28]), "(None, 28, 28)");
  assert.equal(pyTuple([null]), "(None,)");
  assert.equal(pyTuple([undefined, 1]), "(None, 1)");
  assert.equal(pyTuple([]), "()");
});

test("oneLine keeps a reason as grader.Rejected keeps it: one printable line", () => {
  const random = mulberry32(23);
  const texts = [...TEXTS, "  two\nlines\tand\u00a0spaces \u200b ", "\u2028\u2029\ufeff\u00ad"];
  for (let i = 0; i < 200; i += 1) {
    // code points of the Basic Multilingual Plane and the next, private use included
    const top = i % 4 === 0 ? 0x20000 : 0x10000;
    const points = Array.from({ length: 6 }, () => Math.floor(random() * top));
    texts.push(String.fromCodePoint(...points.filter((p) => p < 0xd800 || p > 0xdfff)));
  }
  const python = oracle("oneline", { texts });
  const compared = texts.filter((_, i) => python[i] !== null);
  assert.ok(compared.length > 60, `${compared.length} texts compared`);
  assert.deepEqual(
    compared.map(oneLine),
    python.filter((reason) => reason !== null),
  );
});

test("oneLine: known cases", () => {
  assert.equal(oneLine("  two\nlines\tand\u00a0spaces \u200b "), "two lines and spaces");
  assert.equal(oneLine("한국어 이름"), "한국어 이름");
  assert.equal(oneLine(42), "42");
});
