/**
 * Fixed-point widths of the learning engine, named once. Values follow Lava's fixed-point
 * learning (lava/magma/core/learning/constants.py) unless marked "aerie".
 *
 * A "width" below is a magnitude width: a factor of width W is saturated to [−2^W, 2^W − 1]
 * (Lava's convention), so a 7-bit trace is 0..127 and an 8-bit additive constant −256..255.
 */

/** Traces x1, x2, y1, y2, y3 are 7-bit unsigned: 0..127 (Davies 2018; Lava W_TRACE). */
export const TRACE_BITS = 7;
export const TRACE_MAX = (1 << TRACE_BITS) - 1;
/** Fractional bits of a trace impulse (Lava: impulse_frac = round(frac · 2^W_TRACE)). */
export const IMPULSE_FRAC_BITS = 7;

/** Additive constants inside a factor, `(x1 + C)`: 8-bit magnitude + sign (Lava W_CONST). */
export const CONST_BITS = 8;
export const CONST_MIN = -(1 << CONST_BITS);
export const CONST_MAX = (1 << CONST_BITS) - 1;

/** Scaling factor of a product: mantissa · 2^exp, mantissa 4-bit signed (Lava W_S_MANT). */
export const SCALE_MANT_BITS = 4;
export const SCALE_MANT_MIN = -8;
export const SCALE_MANT_MAX = 7;
/** Exponent range of the scaling factor (Lava: −7 ≤ exp < 9). */
export const SCALE_EXP_MIN = -7;
export const SCALE_EXP_MAX = 8;

/** Accumulator: 15 bits + sign (Lava W_ACCUMULATOR_U/S); aerie saturates to 16-bit two's complement. */
export const ACC_BITS_U = 15;
export const ACC_MIN = -(1 << ACC_BITS_U);
export const ACC_MAX = (1 << ACC_BITS_U) - 1;

/**
 * Signed widths of the synaptic variables (Lava W_WEIGHTS_S, W_TAG_2_S, W_TAG_1_S). A variable
 * enters the accumulator shifted left by ACC_BITS_U + 1 − its signed width, so one accumulator
 * unit is 2^-7 of a weight or tag unit and 2^-8 of a delay unit.
 */
export const WEIGHT_BITS_S = 9;
export const DELAY_BITS_S = 8;
export const TAG_BITS_S = 9;
export const WEIGHT_ACC_SHIFT = ACC_BITS_U + 1 - WEIGHT_BITS_S; // 7
export const DELAY_ACC_SHIFT = ACC_BITS_U + 1 - DELAY_BITS_S; // 8
export const TAG_ACC_SHIFT = ACC_BITS_U + 1 - TAG_BITS_S; // 7

/** Delay range of a plastic synapse: 6-bit delay, 0..62 (Davies 2018 Table 1: 6-bit delay; 63 kept free: aerie). */
export const DELAY_MIN = 0;
export const DELAY_MAX = 62;
/** Tag range: 9-bit signed (Davies 2018: 9-bit tag; Lava saturates tag_1 to ±2^8). */
export const TAG_MIN = -256;
export const TAG_MAX = 255;

/** Epoch length in steps: 6-bit, 1..63 (Davies 2018: epoch ≤ 63 steps). */
export const EPOCH_MIN = 1;
export const EPOCH_MAX = 63;

/** Trace decay multiplier resolution: x ← x · (4096 − decay) / 4096 (aerie, as the compartment's du/dv). */
export const DECAY_BITS = 12;
export const DECAY_ONE = 1 << DECAY_BITS;

/** Largest number of factors (besides the dependency) in one product: keeps products exact in doubles (aerie). */
export const MAX_FACTORS = 5;

/** Highest decimation exponent k of a `u<k>` dependency (aerie: u_k fires every 2^k epochs; 2^k ≤ 2^31). */
export const MAX_DECIMATE = 30;

/** Magnitude width of each factor kind (Lava FACTOR_TO_WIDTH_DICT). */
export const FACTOR_WIDTH = {
  x0: 1,
  y0: 1,
  x1: TRACE_BITS,
  x2: TRACE_BITS,
  y1: TRACE_BITS,
  y2: TRACE_BITS,
  y3: TRACE_BITS,
  w: WEIGHT_BITS_S,
  d: DELAY_BITS_S,
  t: TAG_BITS_S,
} as const;
