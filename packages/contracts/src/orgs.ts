import { type Static, type TSchema, Type } from 'typebox';
import { StringEnum } from './common.ts';
import { ORG_LEVELS } from './vocabulary.ts';

export const OrgLevelSchema = StringEnum(ORG_LEVELS);

const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });
const Ring = Type.Array(Position, { minItems: 4 });
export const BoundarySchema = Type.Union(
  [
    Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Ring, { minItems: 1 }) }),
    Type.Object({
      type: Type.Literal('MultiPolygon'),
      coordinates: Type.Array(Type.Array(Ring, { minItems: 1 }), { minItems: 1 }),
    }),
  ],
  { description: 'WGS-84 GeoJSON geometry, [lng, lat] order' },
);

export const LngLatSchema = Type.Object(
  { lng: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) },
  { additionalProperties: false },
);

/**
 * The tree node, unrolled to the deepest nesting the level rules allow (city → … → grid, and
 * departments under departments) instead of a $ref cycle, which the response serializer and
 * OpenAPI tools handle poorly.
 */
const MAX_TREE_DEPTH = 8;
function orgNode(depth: number): TSchema {
  return Type.Object({
    id: Type.Integer(),
    code: Type.String(),
    name: Type.String(),
    level: OrgLevelSchema,
    children:
      depth > 0
        ? Type.Array(orgNode(depth - 1))
        : Type.Array(Type.Never(), { maxItems: 0, description: 'nothing nests deeper' }),
  });
}
export const OrgNodeSchema = orgNode(MAX_TREE_DEPTH);

const LevelCounts = Type.Record(Type.String(), Type.Integer(), { description: 'number of units per level' });

export const OrgTreeReply = Type.Object({ root: OrgNodeSchema, counts: LevelCounts });

const OrgRef = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  level: OrgLevelSchema,
});

export const OrgDetailSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  level: OrgLevelSchema,
  parent: Type.Union([OrgRef, Type.Null()]),
  ancestors: Type.Array(OrgRef),
  boundary: Type.Union([BoundarySchema, Type.Null()]),
  location: Type.Union([LngLatSchema, Type.Null()]),
  serviceRadiusM: Type.Union([Type.Integer(), Type.Null()]),
  properties: Type.Record(Type.String(), Type.Unknown()),
  childCounts: LevelCounts,
});

export const OrgIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

export const OrgListQuery = Type.Object(
  {
    level: Type.Optional(OrgLevelSchema),
    parentId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    after: Type.Optional(
      Type.String({ maxLength: 32, description: 'cursor: the last code of the previous page' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export const OrgList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      code: Type.String(),
      name: Type.String(),
      level: OrgLevelSchema,
      parentId: Type.Union([Type.Integer(), Type.Null()]),
      location: Type.Union([LngLatSchema, Type.Null()]),
      serviceRadiusM: Type.Union([Type.Integer(), Type.Null()]),
    }),
  ),
  next: Type.Union([Type.String(), Type.Null()]),
});

export const NewOrgBody = Type.Object(
  {
    code: Type.String({ minLength: 2, maxLength: 32 }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    level: OrgLevelSchema,
    parentId: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
    boundary: Type.Optional(Type.Union([BoundarySchema, Type.Null()])),
    location: Type.Optional(Type.Union([LngLatSchema, Type.Null()])),
    serviceRadiusM: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
    properties: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type NewOrgBody = Static<typeof NewOrgBody>;

export const OrgPatchBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    boundary: Type.Optional(Type.Union([BoundarySchema, Type.Null()])),
    location: Type.Optional(Type.Union([LngLatSchema, Type.Null()])),
    serviceRadiusM: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 5000 }), Type.Null()])),
    properties: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const NearbyQuery = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lng: Type.Number({ minimum: -180, maximum: 180 }),
    radius: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500, description: 'metres' })),
  },
  { additionalProperties: false },
);

export const NearbyReply = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      location: LngLatSchema,
      distanceM: Type.Integer(),
      serviceRadiusM: Type.Integer(),
      openingHours: Type.Union([Type.String(), Type.Null()]),
      services: Type.Array(Type.String()),
      phone: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
});

export const PlaceSearchQuery = Type.Object(
  { q: Type.String({ minLength: 1, maxLength: 40, description: 'a community, station or road name' }) },
  { additionalProperties: false },
);
export const PlaceSearchReply = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      level: OrgLevelSchema,
      within: Type.Union([Type.String(), Type.Null()], { description: 'the unit above it' }),
      location: LngLatSchema,
    }),
    { maxItems: 10 },
  ),
});
export const AreasNearQuery = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lng: Type.Number({ minimum: -180, maximum: 180 }),
    radius: Type.Optional(Type.Integer({ minimum: 1, maximum: 3000, default: 1000, description: 'metres' })),
  },
  { additionalProperties: false },
);
export const AreasNearReply = Type.Object({
  items: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      level: OrgLevelSchema,
      boundary: BoundarySchema,
    }),
    { maxItems: 60 },
  ),
});
export type PlaceFound = Static<typeof PlaceSearchReply>['items'][number];
export type AreaNear = Static<typeof AreasNearReply>['items'][number];

/** The base map the web apps draw (DOORSTEP_TILE_URL …); null: no tile server, our own data only. */
export const MapConfigReply = Type.Object({
  tiles: Type.Union([
    Type.Object({
      url: Type.String({ description: 'Leaflet URL template with {z} {x} {y} (and {s})' }),
      crs: StringEnum(['WGS84', 'GCJ02'] as const, { description: 'the datum the tiles are drawn in' }),
      attribution: Type.String(),
      subdomains: Type.Optional(Type.String()),
      maxZoom: Type.Optional(Type.Integer()),
    }),
    Type.Null(),
  ]),
});
export type MapConfig = Static<typeof MapConfigReply>;
export type TileConfig = NonNullable<MapConfig['tiles']>;

/** A node of `GET /api/v1/orgs/tree`: the schema is unrolled, the type recursive. */
export type OrgNode = Omit<Static<typeof OrgRef>, never> & { children: OrgNode[] };
export type OrgTree = { root: OrgNode; counts: Record<string, number> };
export type OrgRef = Static<typeof OrgRef>;
export type OrgDetail = Static<typeof OrgDetailSchema>;
export type OrgPage = Static<typeof OrgList>;
export type OrgListItem = OrgPage['items'][number];
export type NearbyStation = Static<typeof NearbyReply>['items'][number];
export type Boundary = Static<typeof BoundarySchema>;
export type LngLat = Static<typeof LngLatSchema>;
