/** An NXLink tag on a customer, as served; 64-bit integers are bigints. */
export interface NxlinkTag {
  id: bigint;
  user_id: number;
  tenant_id: bigint;
  group_id: number;
  group_name: string | null;
  tag_name: string;
  note: string | null;
  created_at: string;
  updated_at: string;
  customer_id: bigint;
}

/**
 * An NXLink customer exactly as the query serves it (fields in the API's order). `id`,
 * `tenant_id` and tag ids are bigints: they exceed 2^53 and are written as bare JSON numbers.
 */
export interface NxlinkCustomer {
  id: bigint;
  first_name: string | null;
  last_name: string | null;
  full_name: string | null;
  sms_phone: string | null;
  whatsApp_phone: string | null;
  viber_phone: string | null;
  line: string | null;
  messenger: string | null;
  instagram: string | null;
  email: string | null;
  country: string | null;
  birthday: string | null;
  remark: string | null;
  source_type: number | null;
  source_channel_key: string | null;
  gender: number | null;
  created_at: string;
  status: number | null;
  updated_at: string;
  web: string | null;
  tags: NxlinkTag[];
  whatApp_subscribe: string | null;
  sms_subscribe: string | null;
  customize_field: string | null;
  tenant_id: bigint;
  weight: number | null;
}

/** A tag of the tenant's small tag set. */
export interface TagDefinition {
  id: bigint;
  tag_name: string;
  group_id: number;
  group_name: string | null;
  createdAtMs: number;
}

/** Two ids exceed 2^53 (9007199254740993 rounds to ...992 as a double), so tag ids must stay exact too. */
export const TAG_SET: readonly TagDefinition[] = [
  { id: 27237n, tag_name: 'test', group_id: 0, group_name: null, createdAtMs: Date.UTC(2023, 1, 15, 16, 45, 30) },
  { id: 27301n, tag_name: 'VIP', group_id: 12, group_name: 'Segmento', createdAtMs: Date.UTC(2023, 3, 2, 10, 0, 0) },
  {
    id: 27302n,
    tag_name: 'Colegiatura',
    group_id: 12,
    group_name: 'Segmento',
    createdAtMs: Date.UTC(2023, 3, 2, 10, 0, 5),
  },
  {
    id: 27410n,
    tag_name: 'Prospecto',
    group_id: 13,
    group_name: 'Embudo',
    createdAtMs: Date.UTC(2023, 8, 21, 18, 12, 0),
  },
  {
    id: 27411n,
    tag_name: 'Moroso',
    group_id: 13,
    group_name: 'Embudo',
    createdAtMs: Date.UTC(2023, 8, 21, 18, 13, 44),
  },
  {
    id: 9007199254740993n,
    tag_name: 'Campaña Verano',
    group_id: 14,
    group_name: 'Campañas',
    createdAtMs: Date.UTC(2024, 5, 1, 9, 30, 0),
  },
  {
    id: 1021110718827690001n,
    tag_name: 'Recompra',
    group_id: 14,
    group_name: 'Campañas',
    createdAtMs: Date.UTC(2024, 9, 8, 14, 2, 11),
  },
];

/** The user who created every tag of the sandbox tenant. */
export const TAG_OWNER_ID = 195;
