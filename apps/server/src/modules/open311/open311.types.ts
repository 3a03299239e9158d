import type { CategoryKind } from '../catalog/index.ts';

/**
 * What Doorstep publishes as Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) and why.
 *
 * Open311 is a public API: the service list, and every request of those services, can be read by
 * anyone. So only the 随手拍 kind is offered — things residents see in public space (manholes,
 * street lights, rubbish, noise), the issues GeoReport was made for. Disputes, complaints about a
 * unit, requests for help and the grid workers' own patrol items (rented rooms, people in
 * difficulty, suspected drug dens) are about persons and never leave the platform this way.
 */
export const OPEN311_KINDS: readonly CategoryKind[] = ['snapshot'];

export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
export const FORMATS = ['json', 'xml'] as const;
export type Format = (typeof FORMATS)[number];

export const CONTENT_TYPES: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

/** The spec's longest description ("free form text limited to 4,000 characters"). */
export const MAX_DESCRIPTION = 4000;
/** "Default query limit is a span of 90 days or first 1000 requests returned". */
export const WINDOW_DAYS = 90;
export const MAX_PAGE_SIZE = 1000;

/** One request as GET requests answers it (the spec's field order). */
export interface Open311Request {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string | null;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number | null;
  long: number | null;
  media_url: string | null;
  /** Only with extensions=true: the whole public timeline. */
  notes?: { datetime: string; type: string; description: string }[];
  extended_attributes?: { channel: string; detailed_status: string; detailed_status_label: string };
}

/** A validated POST Service Request, before it becomes an appeal. */
export interface NewServiceRequest {
  serviceCode: string;
  lat: number | null;
  long: number | null;
  addressString: string | null;
  addressId: string | null;
  description: string | null;
  mediaUrl: string | null;
  email: string | null;
  deviceId: string | null;
  accountId: string | null;
  firstName: string | null;
  lastName: string | null;
  phone: string | null;
  /** `public_consent=true`: the reporter agreed in the client app that the text may be published. */
  publicConsent: boolean;
  /** attribute[code]=value pairs, still as sent (checked against the service definition later). */
  attributes: Record<string, string[]>;
}

/** GET requests filters, parsed. */
export interface RequestQuery {
  ids: string[] | null;
  serviceCodes: string[] | null;
  status: ('open' | 'closed')[] | null;
  /** requested_datetime window; null with updated_after alone. */
  requested: { from: Date; to: Date } | null;
  updatedAfter: Date | null;
  page: number;
  pageSize: number;
  extensions: boolean;
}
