/**
 * The partition tables of the EPC Tag Data Standard (TDS 2.x, §14.5): how the bits after the
 * header, filter and partition value are split between the GS1 Company Prefix and the field that
 * follows it (item reference, serial reference, location reference, asset type or individual
 * asset reference). The partition value (0–6) is chosen from the length of the company prefix
 * (12 down to 6 digits); 7 is not assigned.
 *
 * @module
 */

/** One row of a partition table: the split for one partition value. */
export interface EpcPartitionRow {
  /** The partition value, 0–6. */
  readonly partition: number;
  /** Bits of the GS1 Company Prefix field. */
  readonly companyPrefixBits: number;
  /** Digits of the GS1 Company Prefix (12 for partition 0 down to 6 for partition 6). */
  readonly companyPrefixDigits: number;
  /** Bits of the field after the company prefix. */
  readonly referenceBits: number;
  /**
   * Digits of the field after the company prefix for the numeric fields (item reference with
   * indicator, serial reference with extension digit, location reference, asset type); for the
   * individual asset reference of GIAI, the most digits (GIAI-96) or characters (GIAI-202).
   */
  readonly referenceDigits: number;
}

/** The partition tables by family, each indexed by partition value 0–6. */
export type EpcPartitionTable = readonly EpcPartitionRow[];

const COMPANY_PREFIX_BITS = [40, 37, 34, 30, 27, 24, 20] as const;

const table = (referenceBits: readonly number[], referenceDigitsOfPartition0: number): EpcPartitionTable =>
  COMPANY_PREFIX_BITS.map((companyPrefixBits, partition) => ({
    partition,
    companyPrefixBits,
    companyPrefixDigits: 12 - partition,
    referenceBits: referenceBits[partition] ?? 0,
    referenceDigits: referenceDigitsOfPartition0 + partition,
  }));

/** SGTIN-96 and SGTIN-198 (TDS Table 14-2): company prefix + indicator/item reference = 13 digits. */
export const SGTIN_PARTITIONS: EpcPartitionTable = table([4, 7, 10, 14, 17, 20, 24], 1);

/** SSCC-96 (TDS Table 14-5): company prefix + extension digit/serial reference = 17 digits. */
export const SSCC_PARTITIONS: EpcPartitionTable = table([18, 21, 24, 28, 31, 34, 38], 5);

/** SGLN-96 and SGLN-195 (TDS Table 14-8): company prefix + location reference = 12 digits. */
export const SGLN_PARTITIONS: EpcPartitionTable = table([1, 4, 7, 11, 14, 17, 21], 0);

/** GRAI-96 and GRAI-170 (TDS Table 14-11): company prefix + asset type = 12 digits. */
export const GRAI_PARTITIONS: EpcPartitionTable = table([4, 7, 10, 14, 17, 20, 24], 0);

/**
 * GIAI-96 (TDS Table 14-14): the individual asset reference is an integer of at most
 * 25 − company prefix digits digits.
 */
export const GIAI96_PARTITIONS: EpcPartitionTable = table([42, 45, 48, 52, 55, 58, 62], 13);

/**
 * GIAI-202 (TDS Table 14-15): the individual asset reference is a string of at most
 * 30 − company prefix digits characters, 7 bits each, the rest of its field zero.
 */
export const GIAI202_PARTITIONS: EpcPartitionTable = table([148, 151, 154, 158, 161, 164, 168], 18);

/** The partition value for a company prefix of `digits` digits (6–12), or `undefined`. */
export const partitionOfCompanyPrefixLength = (digits: number): number | undefined =>
  Number.isInteger(digits) && digits >= 6 && digits <= 12 ? 12 - digits : undefined;
