import { z } from "zod";

/** A storage location (库位) inside a warehouse. */
export const LocationSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1).optional(),
});
/** A parsed {@link LocationSchema}. */
export type Location = z.output<typeof LocationSchema>;

/** A warehouse (仓库) of a company, with its locations. */
export const WarehouseSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1).optional(),
  /** The legal entity owning the stock; the `company` valuation grain pools its warehouses. */
  company: z.string().min(1).default("default"),
  locations: z.array(LocationSchema).default([]),
});
/** A parsed {@link WarehouseSchema}. */
export type Warehouse = z.output<typeof WarehouseSchema>;
/** A warehouse as written on the wire. */
export type WarehouseInput = z.input<typeof WarehouseSchema>;
