// A .keras archive's members, read as Python's zipfile reads them for the grader
// (grader.modelfile.model_file._read_keras): the central directory at the end of the file,
// each member stored or deflated (deflate through the browser's own DecompressionStream).
// Anything this reader cannot follow is a ZipError, which the grader words as a corrupted
// archive.

export class ZipError extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function view(bytes) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The members of the archive: Map(name -> {method, size, compressed, offset}). */
export function members(bytes) {
  const v = view(bytes);
  const last = Math.max(0, bytes.length - 22 - 65535);
  let end = -1;
  for (let i = bytes.length - 22; i >= last; i -= 1) {
    if (v.getUint32(i, true) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ZipError("File is not a zip file");
  const count = v.getUint16(end + 10, true);
  let at = v.getUint32(end + 16, true);
  const found = new Map();
  for (let k = 0; k < count; k += 1) {
    if (at + 46 > bytes.length || v.getUint32(at, true) !== CENTRAL) throw new ZipError("Bad magic number for central directory");
    const method = v.getUint16(at + 10, true);
    const compressed = v.getUint32(at + 20, true);
    const size = v.getUint32(at + 24, true);
    const nameLength = v.getUint16(at + 28, true);
    const extra = v.getUint16(at + 30, true);
    const comment = v.getUint16(at + 32, true);
    const offset = v.getUint32(at + 42, true);
    if (compressed === 0xffffffff || size === 0xffffffff || offset === 0xffffffff) throw new ZipError("zip64");
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    found.set(name, { method, size, compressed, offset });
    at += 46 + nameLength + extra + comment;
  }
  return found;
}

/** The bytes of one member. */
export async function read(bytes, member) {
  const v = view(bytes);
  const at = member.offset;
  if (at + 30 > bytes.length || v.getUint32(at, true) !== LOCAL) throw new ZipError("Bad magic number for file header");
  const start = at + 30 + v.getUint16(at + 26, true) + v.getUint16(at + 28, true);
  if (start + member.compressed > bytes.length) throw new ZipError("truncated");
  const data = bytes.subarray(start, start + member.compressed);
  let out;
  if (member.method === 0) out = data;
  else if (member.method === 8 && typeof DecompressionStream === "function") {
    const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    try {
      out = new Uint8Array(await new Response(stream).arrayBuffer());
    } catch {
      throw new ZipError("Error -3 while decompressing data");
    }
  } else throw new ZipError(`compression method ${member.method}`);
  if (out.length !== member.size) throw new ZipError("Bad CRC-32 or size");
  return out;
}
