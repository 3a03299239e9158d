import type { Db, Queryable } from '../../db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import { type FieldCipher, hmacHex } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import type { Journal } from '../../platform/journal/index.ts';
import type { AppealService } from '../appeals/index.ts';
import { type CatalogService, type ExtraField, KIND_NAMES } from '../catalog/index.ts';
import { checkAttributes, serviceAttribute } from './open311.attributes.ts';
import { chinaIso } from './open311.format.ts';
import {
  type Fields,
  invalid,
  readExtensions,
  readRequestQuery,
  readServiceRequest,
  single,
} from './open311.input.ts';
import type { ApiKeyIdentity } from './open311.keys.ts';
import { createOpen311Repository, type StepRow } from './open311.repository.ts';
import { type NewServiceRequest, OPEN311_KINDS, SPECIFICATION } from './open311.types.ts';
import { PUBLIC_ACTIONS, serviceNotice, toOpen311Request } from './open311.views.ts';

export interface Open311Deps {
  db: Db;
  clock: Clock;
  journal: Journal;
  cipher: FieldCipher;
  hmacKey: string;
  catalog: Pick<CatalogService, 'publicTree' | 'list'>;
  appeals: Pick<AppealService, 'submit'>;
  /** The one jurisdiction this server answers for (the district), by its org code. */
  jurisdiction(): Promise<{ id: string; name: string }>;
}

/** A catalogue item offered as an Open311 service. */
interface OfferedService {
  code: string;
  name: string;
  group: string;
  kindName: string;
  keywords: string[];
  extraFields: ExtraField[];
  acceptDays: number | null;
  finishDays: number | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function notFound(description: string) {
  return new AppError('open311_not_found', 404, description);
}

/**
 * Open311 GeoReport v2 over the catalogue and the appeal lifecycle: categories are services,
 * appeals are service requests. Posted requests go through the same intake as every other
 * channel (channel `open311`), so triage, dispatch, deadlines and notifications apply unchanged.
 */
export function createOpen311Service(deps: Open311Deps) {
  const { db, clock } = deps;
  const repo = createOpen311Repository(db);

  /**
   * The offered services, group by group as the resident app lists them, and the catalogue's last
   * change (discovery's changeset: a client refreshes its cached lists when it moves).
   */
  async function offered(): Promise<{ services: OfferedService[]; changeset: string }> {
    const services: OfferedService[] = [];
    let changeset = new Date(0).toISOString();
    for (const kind of OPEN311_KINDS) {
      const [tree, rows] = await Promise.all([
        deps.catalog.publicTree({ kind }),
        // Every row of the kind, groups and inactive ones too: hiding one is a change as well.
        deps.catalog.list({ kind }),
      ]);
      const details = new Map(rows.items.map((row) => [row.code, row]));
      for (const row of rows.items) if (row.updatedAt > changeset) changeset = row.updatedAt;
      for (const top of tree.kinds) {
        for (const group of [{ name: top.name, items: top.items }, ...top.groups]) {
          for (const item of group.items) {
            const detail = details.get(item.code);
            services.push({
              code: item.code,
              name: item.name,
              group: group.name,
              kindName: KIND_NAMES[kind],
              keywords: item.keywords,
              extraFields: item.extraFields,
              acceptDays: detail?.acceptDays ?? null,
              finishDays: detail?.finishDays ?? null,
            });
          }
        }
      }
    }
    return { services, changeset: chinaIso(new Date(changeset)) };
  }

  async function findService(code: string | null): Promise<OfferedService> {
    if (!code) throw invalid('service_code was not provided');
    const service = (await offered()).services.find((s) => s.code === code);
    if (!service) throw notFound(`service_code ${code.slice(0, 60)} was not found`);
    return service;
  }

  /** "Implementations can ignore this parameter … if [they] only serve one jurisdiction" — but a wrong one is a 404. */
  async function checkJurisdiction(fields: Fields) {
    const given = single(fields, 'jurisdiction_id', 100);
    if (given === null) return;
    const own = await deps.jurisdiction();
    if (given !== own.id)
      throw notFound(`jurisdiction_id ${given} was not found; this server serves ${own.id}`);
  }

  /** Latest public step of each request, or (extensions=true) the whole public timeline. */
  async function publish(rows: Awaited<ReturnType<typeof repo.feed>>, extensions: boolean) {
    const ids = rows.map((row) => row.id);
    const steps = await repo.steps(ids, PUBLIC_ACTIONS, !extensions);
    const byAppeal = new Map<string, StepRow[]>();
    for (const step of steps) {
      const own = byAppeal.get(step.appealId);
      if (own) own.push(step);
      else byAppeal.set(step.appealId, [step]);
    }
    return rows.map((row) => {
      const own = byAppeal.get(row.id) ?? [];
      return toOpen311Request(row, { latest: own.at(-1), all: extensions ? own : null });
    });
  }

  return {
    async discovery(baseUrl: string) {
      const [own, { changeset }] = await Promise.all([deps.jurisdiction(), offered()]);
      return {
        changeset,
        contact: `${own.name}家门口群众诉求服务平台（Doorstep）。本接口只服务一个辖区，jurisdiction_id 为 ${own.id}，可不填。`,
        key_service:
          '提交诉求（POST requests）需要 api_key：由平台运维人员在服务器上运行 npx doorstep apikey create --name 名称 签发，密钥只显示一次。',
        endpoints: [
          {
            specification: SPECIFICATION,
            url: baseUrl,
            changeset,
            type: 'production',
            formats: ['text/xml', 'application/json'],
          },
        ],
      };
    },

    async services(fields: Fields) {
      await checkJurisdiction(fields);
      return (await offered()).services.map((s) => ({
        service_code: s.code,
        service_name: s.name,
        description: `${s.kindName} · ${s.group}：${s.name}。${serviceNotice(s.acceptDays, s.finishDays) ?? ''}`,
        metadata: s.extraFields.length > 0,
        type: 'realtime' as const,
        keywords: s.keywords.join(', '),
        group: s.group,
      }));
    },

    async serviceDefinition(code: string, fields: Fields) {
      await checkJurisdiction(fields);
      const service = await findService(code);
      return {
        service_code: service.code,
        attributes: [...service.extraFields].sort((a, b) => a.order - b.order).map(serviceAttribute),
      };
    },

    async requests(fields: Fields) {
      await checkJurisdiction(fields);
      const query = readRequestQuery(fields, clock.now());
      const rows = await repo.feed({
        kinds: OPEN311_KINDS,
        // An id that is not a UUID names no request; leaving it out keeps the query valid.
        ids: query.ids ? query.ids.filter((id) => UUID.test(id)) : null,
        serviceCodes: query.serviceCodes,
        closed: query.status?.length === 1 ? query.status[0] === 'closed' : null,
        requested: query.requested,
        updatedAfter: query.updatedAfter,
        limit: query.pageSize,
        offset: (query.page - 1) * query.pageSize,
      });
      return publish(rows, query.extensions);
    },

    async request(id: string, fields: Fields) {
      await checkJurisdiction(fields);
      const extensions = readExtensions(fields);
      const rows = UUID.test(id)
        ? await repo.feed({
            kinds: OPEN311_KINDS,
            ids: [id],
            serviceCodes: null,
            closed: null,
            requested: null,
            updatedAfter: null,
            limit: 1,
            offset: 0,
          })
        : [];
      if (!rows.length) throw notFound(`service_request_id ${id.slice(0, 60)} was not found`);
      return publish(rows, extensions);
    },

    /**
     * Every service here is `realtime`: POST answers the service_request_id at once and never a
     * token, so no token exists to look up ("This call is only necessary if the response from POST
     * Service Request contains a token").
     */
    async token(token: string, fields: Fields): Promise<never> {
      await checkJurisdiction(fields);
      throw notFound(
        `token ${token.slice(0, 60)} was not found: requests here are answered with their service_request_id at once`,
      );
    },

    /** POST Service Request: checks the fields, then submits through the appeals intake. */
    async submit(key: ApiKeyIdentity, fields: Fields, options: { idempotencyKey?: string } = {}) {
      await checkJurisdiction(fields);
      const input = readServiceRequest(fields);
      const service = await findService(input.serviceCode);
      const attributes = checkAttributes(service.extraFields, input.attributes);
      const submitted = await deps.appeals
        .submit(
          {
            channel: 'open311',
            categoryCode: service.code,
            content: contentOf(input, service.name),
            ...(input.lat !== null && input.long !== null
              ? {
                  location: {
                    lat: input.lat,
                    lng: input.long,
                    ...(input.addressString ? { address: input.addressString } : {}),
                  },
                }
              : {}),
            ...(input.addressId ? { stationCode: input.addressId } : {}),
            ...contactOf(input),
            publicConsent: input.publicConsent,
            attributes,
          },
          {
            actor: null,
            // Scoped to the key, so two partners' retry keys never meet.
            idempotencyKey: options.idempotencyKey
              ? `open311:${key.id}:${options.idempotencyKey}`
              : undefined,
            viaOpen311: { record: (tx, appealId) => record(tx, appealId, key, input) },
          },
        )
        .catch((error: unknown) => {
          if (error instanceof AppError && error.code === 'unknown_station') {
            throw invalid(`address_id ${input.addressId} is not a known address (a grid station code)`);
          }
          throw error;
        });
      return [
        {
          service_request_id: submitted.id,
          service_notice: serviceNotice(service.acceptDays, service.finishDays),
        },
      ];
    },
  };

  /** The request's own row and who sent it, in the appeal's transaction. */
  async function record(tx: Queryable, appealId: string, key: ApiKeyIdentity, input: NewServiceRequest) {
    const now = clock.now();
    // Device and account ids are only ever compared, never shown: a keyed hash is enough.
    const digest = (kind: string, value: string | null) =>
      value ? hmacHex(deps.hmacKey, `open311:${kind}:${key.id}:${value}`) : null;
    await createOpen311Repository(tx).insertRequest({
      appealId,
      apiKeyId: key.id,
      addressString: input.addressString,
      addressId: input.addressId,
      mediaUrl: input.mediaUrl,
      emailEnc: input.email ? deps.cipher.encrypt(input.email) : null,
      deviceHmac: digest('device', input.deviceId),
      accountHmac: digest('account', input.accountId),
      now,
    });
    await deps.journal.append(tx, {
      stream: `appeal:${appealId}`,
      action: 'open311.received',
      subjectType: 'appeal',
      subjectId: appealId,
      data: { apiKeyId: key.id, apiKeyName: key.name },
    });
  }
}
export type Open311Service = ReturnType<typeof createOpen311Service>;

/**
 * The appeal's text. Without a pin, the address the reporter typed is the only place the handler
 * can go to, so it is kept in the text they read. The spec lets a request come without a
 * description; an appeal always has one.
 */
function contentOf(input: NewServiceRequest, serviceName: string): string {
  const text = input.description ?? `${serviceName}（经 Open311 上报，未附文字描述）`;
  return input.lat === null && input.addressString ? `${text}\n地址：${input.addressString}` : text;
}

/** Given and family names make one name; a Chinese name reads family name first, without a space. */
function contactOf(input: NewServiceRequest) {
  const parts = [input.lastName, input.firstName].filter((p): p is string => Boolean(p));
  const cjk = parts.every((p) => /^[\p{Script=Han}·]+$/u.test(p));
  const name = cjk ? parts.join('') : [input.firstName, input.lastName].filter(Boolean).join(' ');
  if (!name && !input.phone) return {};
  return {
    contact: {
      ...(name ? { name: [...name].slice(0, 50).join('') } : {}),
      ...(input.phone ? { phone: input.phone } : {}),
    },
  };
}
