// Shared by the in-browser grader's unit tests: where its modules are, the Python side
// (tests/js/oracle.py: the grader and the site's export run on the same inputs), and a
// fetch() that serves the export's files as the site does.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The Python that runs the oracle: TFCERT_PYTHON (tests/test_javascript.py sets it to
 * pytest's own), else the project's virtual environment, else python3. */
export function python() {
  if (process.env.TFCERT_PYTHON) return process.env.TFCERT_PYTHON;
  const venv = path.join(ROOT, ".venv", "bin", "python");
  return existsSync(venv) ? venv : "python3";
}

/** What the Python side answers to `command` (see tests/js/oracle.py). */
export function oracle(command, request = {}) {
  const proc = spawnSync(python(), [path.join(ROOT, "tests", "js", "oracle.py"), command], {
    input: JSON.stringify(request),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: "2" },
  });
  if (proc.error || proc.status !== 0) {
    throw new Error(
      `tests/js/oracle.py ${command} failed with ${python()} (set TFCERT_PYTHON to the ` +
        `project's virtual environment): ${proc.error ?? proc.stderr}`,
    );
  }
  return JSON.parse(proc.stdout);
}

/** A fetch() that serves `files` ({name: bytes}) under `${base}data/`, as the site serves the
 * export's files; every other address is a 404. Returns the requests it saw. */
export function serveData(t, base, files) {
  const seen = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (url, options) => {
    seen.push({ url: String(url), options });
    const name = String(url).startsWith(`${base}data/`) ? String(url).slice(base.length + 5) : null;
    if (name === null || !(name in files)) return new Response("not found", { status: 404 });
    return new Response(files[name]);
  };
  t.after(() => {
    globalThis.fetch = original;
  });
  return seen;
}

export function fromBase64(text) {
  return new Uint8Array(Buffer.from(text, "base64"));
}

/** a and b equal to a relative 1e-12 (the grader sums in another order than the page). */
export function close(a, b, tolerance = 1e-12) {
  if (a === null || b === null || Number.isNaN(a) || Number.isNaN(b)) {
    return (a === null || Number.isNaN(a)) && (b === null || Number.isNaN(b));
  }
  return Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
}
