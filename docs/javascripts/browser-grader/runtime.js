// The heavy libraries, loaded from this site only when a file is dropped: h5wasm (HDF5 in
// WebAssembly) as an ES module, TensorFlow.js core and its WebAssembly backend as scripts.
// tools/mkdocs_browser_grader.py copies them from node_modules at the versions that
// package.json pins.

let tfPromise = null;
let h5Promise = null;

function addScript(src) {
  return new Promise((resolve, reject) => {
    const element = document.createElement("script");
    element.src = src;
    element.onload = resolve;
    element.onerror = () => reject(new Error(`${src} did not load`));
    document.head.append(element);
  });
}

/** TensorFlow.js on its WebAssembly backend (one thread: no cross-origin isolation here). */
export function loadTf(base) {
  if (tfPromise === null) {
    tfPromise = (async () => {
      if (!globalThis.tf?.wasm) {
        await addScript(`${base}vendor/tfjs/tf-core.es2017.min.js`);
        await addScript(`${base}vendor/tfjs/tf-backend-wasm.es2017.min.js`);
      }
      const tf = globalThis.tf;
      tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
      tf.wasm.setWasmPaths(`${base}vendor/tfjs/`);
      if (!(await tf.setBackend("wasm"))) throw new Error("the WebAssembly backend did not start");
      await tf.ready();
      return tf;
    })();
    tfPromise.catch(() => {
      tfPromise = null;
    });
  }
  return tfPromise;
}

/** h5wasm, with HDF5's errors thrown as exceptions instead of printed to the console. */
export function loadH5(base) {
  if (h5Promise === null) {
    h5Promise = (async () => {
      const h5wasm = await import(`${base}vendor/h5wasm/hdf5_hl.js`);
      const Module = await h5wasm.ready;
      Module.activate_throwing_error_handler();
      return h5wasm;
    })();
    h5Promise.catch(() => {
      h5Promise = null;
    });
  }
  return h5Promise;
}

let counter = 0;

/** Open `bytes` as a read-only HDF5 file; call close() when done. */
export function openH5(h5wasm, bytes) {
  counter += 1;
  const path = `/model-${counter}.h5`;
  h5wasm.FS.writeFile(path, bytes);
  let file;
  try {
    file = new h5wasm.File(path, "r");
  } catch (error) {
    h5wasm.FS.unlink(path);
    throw error;
  }
  return {
    file,
    close() {
      try {
        file.close();
      } finally {
        h5wasm.FS.unlink(path);
      }
    },
  };
}
