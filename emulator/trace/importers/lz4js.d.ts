/** Types for the parts of lz4js (plain CommonJS, no bundled types) that aerie uses. */
declare module 'lz4js/xxh32.js' {
  /** xxHash32 of src[index .. index + len) with the given seed. */
  export function hash(seed: number, src: Uint8Array, index: number, len: number): number;
}
declare module 'lz4js' {
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array;
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
}
