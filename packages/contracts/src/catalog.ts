import { type Static, Type } from 'typebox';
import { Nullable, StringEnum } from './common.ts';
import {
  CATEGORY_CODE_PATTERN,
  CATEGORY_KINDS,
  COMPETENCE_PATTERN,
  FIELD_DATATYPES,
  URGENCIES,
} from './vocabulary.ts';

export const CategoryKindSchema = StringEnum(CATEGORY_KINDS, {
  description:
    'patrol 网格化巡查, snapshot 随手拍, dispute 矛盾纠纷, complaint, suggestion, help, consultation',
});
export const UrgencySchema = StringEnum(URGENCIES);

const Id = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const Code = Type.String({ pattern: CATEGORY_CODE_PATTERN, maxLength: 32, description: 'e.g. SP-SZ-001' });
const Competence = Type.String({
  pattern: COMPETENCE_PATTERN,
  maxLength: 40,
  description: 'a key of a department’s properties.competences, e.g. city_management',
});
const Days = (max: number, description: string) => Type.Integer({ minimum: 1, maximum: max, description });

export const ExtraFieldSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 40 }),
    datatype: StringEnum(FIELD_DATATYPES),
    required: Type.Boolean(),
    description: Type.String({ minLength: 1, maxLength: 200, description: 'prompt shown to the reporter' }),
    order: Type.Integer({ minimum: 1, maximum: 99, description: '1 is shown first' }),
    values: Type.Optional(
      Type.Array(
        Type.Object(
          {
            key: Type.String({ pattern: '^[a-z0-9_]+$', maxLength: 40 }),
            name: Type.String({ minLength: 1, maxLength: 100 }),
          },
          { additionalProperties: false },
        ),
        { minItems: 1, maxItems: 50 },
      ),
    ),
  },
  { additionalProperties: false, description: 'Open311 GeoReport v2 style attribute' },
);
const ExtraFields = Type.Array(ExtraFieldSchema, { maxItems: 20 });
const Keywords = Type.Array(Type.String({ minLength: 1, maxLength: 30 }), { maxItems: 30 });

export const CategorySchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  parentId: Nullable(Type.Integer()),
  isGroup: Type.Boolean({ description: 'groups organise the tree; only items are selectable' }),
  kind: CategoryKindSchema,
  competence: Nullable(Type.String()),
  urgency: Nullable(UrgencySchema),
  acceptDays: Nullable(Type.Integer()),
  finishDays: Nullable(Type.Integer()),
  complexFinishDays: Nullable(Type.Integer()),
  extraFields: ExtraFields,
  keywords: Type.Array(Type.String()),
  sortOrder: Type.Integer(),
  popularity: Type.Integer(),
  active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const OrgRef = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  level: Type.String(),
  shortName: Nullable(Type.String()),
});
export const ResponsibilityList = Type.Object({
  items: Type.Array(Type.Object({ area: OrgRef, department: OrgRef })),
});

export const CategoryDetailSchema = Type.Object({
  ...CategorySchema.properties,
  ancestors: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() }), {
    description: 'root first',
  }),
  childCount: Type.Integer(),
  responsibilities: ResponsibilityList.properties.items,
});

export const CategoryList = Type.Object({ items: Type.Array(CategorySchema) });

export const CategoryIdParams = Type.Object({ id: Id });

export const CategoryListQuery = Type.Object(
  {
    kind: Type.Optional(CategoryKindSchema),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'name, code prefix or keyword' }),
    ),
    active: Type.Optional(Type.Boolean()),
    leaf: Type.Optional(Type.Boolean({ description: 'true: items only; false: groups only' })),
  },
  { additionalProperties: false },
);

export const NewCategoryBody = Type.Object(
  {
    code: Code,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    parentId: Type.Optional(Nullable(Id)),
    kind: Type.Optional(CategoryKindSchema),
    isGroup: Type.Optional(Type.Boolean({ default: false })),
    competence: Type.Optional(Competence),
    urgency: Type.Optional(UrgencySchema),
    acceptDays: Type.Optional(Days(60, 'working days to accept')),
    finishDays: Type.Optional(Days(180, 'working days to finish')),
    complexFinishDays: Type.Optional(Days(365, 'working days to finish a complex case')),
    extraFields: Type.Optional(ExtraFields),
    keywords: Type.Optional(Keywords),
    sortOrder: Type.Optional(Type.Integer({ minimum: -100_000, maximum: 100_000 })),
    popularity: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type NewCategoryBody = Static<typeof NewCategoryBody>;

export const CategoryPatchBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    competence: Type.Optional(Competence),
    urgency: Type.Optional(UrgencySchema),
    acceptDays: Type.Optional(Days(60, 'working days to accept')),
    finishDays: Type.Optional(Days(180, 'working days to finish')),
    complexFinishDays: Type.Optional(Days(365, 'working days to finish a complex case')),
    extraFields: Type.Optional(ExtraFields),
    keywords: Type.Optional(Keywords),
    sortOrder: Type.Optional(Type.Integer({ minimum: -100_000, maximum: 100_000 })),
    popularity: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ResponsibilitiesBody = Type.Object(
  {
    items: Type.Array(Type.Object({ areaOrgId: Id, departmentOrgId: Id }, { additionalProperties: false }), {
      maxItems: 2000,
    }),
  },
  { additionalProperties: false },
);

const PublicItem = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  kind: CategoryKindSchema,
  urgency: UrgencySchema,
  sortOrder: Type.Integer(),
  popularity: Type.Integer(),
  keywords: Type.Array(Type.String()),
  extraFields: ExtraFields,
});
const PublicGroup = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  items: Type.Array(PublicItem),
});

export const PublicCatalogReply = Type.Object({
  kinds: Type.Array(
    Type.Object({
      id: Type.Integer(),
      code: Type.String(),
      name: Type.String(),
      kind: CategoryKindSchema,
      items: Type.Array(PublicItem, { description: 'items directly under the kind' }),
      groups: Type.Array(PublicGroup),
    }),
  ),
});

export const PublicCatalogQuery = Type.Object(
  { kind: Type.Optional(CategoryKindSchema) },
  { additionalProperties: false },
);

export type ExtraField = Static<typeof ExtraFieldSchema>;
export type Category = Static<typeof CategorySchema>;
export type CategoryDetail = Static<typeof CategoryDetailSchema>;
export type PublicCatalog = Static<typeof PublicCatalogReply>;
export type PublicCategory = Static<typeof PublicItem>;
