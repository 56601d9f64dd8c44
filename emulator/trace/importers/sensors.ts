/**
 * Sensor sizes of known cameras, looked up from the names headers carry (jAER AEChip class,
 * cAER/DV source names, Prophesee plugin names). Sizes are the pixel arrays of each sensor as
 * given in the makers' data sheets (iniVation DVS128/DAVIS/DVXplorer, Prophesee Gen3/Gen4/IMX636/GenX320).
 */
const SENSOR_SIZES: readonly { pattern: RegExp; width: number; height: number }[] = [
  { pattern: /dvxplorer[\s_-]*lite/i, width: 320, height: 240 },
  { pattern: /dvxplorer/i, width: 640, height: 480 },
  { pattern: /dvs128|tmpdiff128/i, width: 128, height: 128 },
  { pattern: /davis[\s_-]*346/i, width: 346, height: 260 },
  { pattern: /davis[\s_-]*240/i, width: 240, height: 180 },
  { pattern: /davis[\s_-]*640/i, width: 640, height: 480 },
  { pattern: /davis[\s_-]*208/i, width: 208, height: 192 },
  { pattern: /imx636|gen4|imx646/i, width: 1280, height: 720 },
  { pattern: /genx320/i, width: 320, height: 320 },
  { pattern: /gen31|gen3\.1/i, width: 640, height: 480 },
];

/** Width and height of the camera a header names, or undefined when unknown. */
export function sensorSizeFromName(name: string): { width: number; height: number } | undefined {
  for (const s of SENSOR_SIZES) if (s.pattern.test(name)) return { width: s.width, height: s.height };
  return undefined;
}
