/**
 * CRC-32 (IEEE 802.3 / ISO-HDLC: reflected polynomial 0xEDB88320, initial value 0xFFFFFFFF,
 * final XOR 0xFFFFFFFF) — the checksum of zip, gzip and PNG. Every trace frame carries the
 * CRC-32 of its body so a torn or damaged frame is detected before it is decoded.
 *
 * Table-driven, "slicing by 8": eight 256-entry tables let the inner loop consume eight bytes
 * (two aligned 32-bit words) per round (tables built once at module load from the polynomial; check value
 * crc32("123456789") = 0xCBF43926, from the CRC catalogue's CRC-32/ISO-HDLC entry).
 */

/** Reflected IEEE polynomial (source: IEEE 802.3 clause 3.2.9; CRC catalogue CRC-32/ISO-HDLC). */
export const CRC32_POLYNOMIAL = 0xedb88320;

/** TABLES[k * 256 + b]: CRC contribution of byte b followed by k zero bytes. */
const TABLES = buildTables();

function buildTables(): Uint32Array {
  const t = new Uint32Array(8 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CRC32_POLYNOMIAL : c >>> 1;
    t[b] = c >>> 0;
  }
  for (let b = 0; b < 256; b++) {
    let c = t[b];
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff] ^ (c >>> 8);
      t[k * 256 + b] = c >>> 0;
    }
  }
  return t;
}

/** Word loads read bytes in host order; the word path is used only on little-endian hosts. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Continue a CRC-32 over `bytes[start, end)`. `crc` is a previous result (0 to begin), so
 * `crc32Update(crc32Update(0, a), b) === crc32(a ++ b)`.
 */
export function crc32Update(crc: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  const t = TABLES;
  let c = ~crc;
  let i = start;
  // bytes up to a 4-byte boundary, then 8 bytes per round as two aligned 32-bit words
  while (i < end && ((bytes.byteOffset + i) & 3) !== 0) c = t[(c ^ bytes[i++]) & 0xff] ^ (c >>> 8);
  const rounds = LITTLE_ENDIAN ? (end - i) >>> 3 : 0;
  if (rounds > 0) {
    const w = new Uint32Array(bytes.buffer, bytes.byteOffset + i, rounds * 2);
    for (let k = 0; k < w.length; k += 2) {
      const lo = c ^ w[k];
      const hi = w[k + 1];
      c =
        t[1792 + (lo & 0xff)] ^
        t[1536 + ((lo >>> 8) & 0xff)] ^
        t[1280 + ((lo >>> 16) & 0xff)] ^
        t[1024 + (lo >>> 24)] ^
        t[768 + (hi & 0xff)] ^
        t[512 + ((hi >>> 8) & 0xff)] ^
        t[256 + ((hi >>> 16) & 0xff)] ^
        t[hi >>> 24];
    }
    i += rounds * 8;
  }
  while (i < end) c = t[(c ^ bytes[i++]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC-32 of `bytes[start, end)` as an unsigned 32-bit number. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return crc32Update(0, bytes, start, end);
}
