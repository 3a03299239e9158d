import path from 'node:path';
import type { Config } from './config.ts';
import type { Db } from './db/db.ts';
import { accountabilityPolicies, createAccountabilityService } from './modules/accountability/index.ts';
import {
  appealPolicies,
  type CategoryInfo,
  createAppealJobs,
  createAppealService,
} from './modules/appeals/index.ts';
import { auditPolicies } from './modules/audit/audit.policy.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { catalogPolicies, createCatalogService } from './modules/catalog/index.ts';
import { createAuthService } from './modules/identity/auth.service.ts';
import { identityPolicies } from './modules/identity/identity.policy.ts';
import { createSessionService } from './modules/identity/sessions.service.ts';
import { findStaffInUnit, listStaffInUnit } from './modules/identity/staff-lookup.ts';
import { createUserService } from './modules/identity/users.service.ts';
import {
  createLocalCourtGateway,
  createMediationJobs,
  createMediationService,
  mediationPolicies,
} from './modules/mediation/index.ts';
import { createApiKeys, createOpen311Service } from './modules/open311/index.ts';
import { orgPolicies } from './modules/orgs/orgs.policy.ts';
import { createOrgService } from './modules/orgs/orgs.service.ts';
import { createPatrolRepository, createPatrolService, patrolPolicies } from './modules/patrols/index.ts';
import { createPrivacyService, privacyPolicies } from './modules/privacy/index.ts';
import { createStatsService, type StatsOrgs, statsPolicies } from './modules/stats/index.ts';
import {
  createHotspotAlerts,
  createTriageService,
  TRIAGE_DEFAULTS,
  triagePolicies,
} from './modules/triage/index.ts';
import { claimForAppeal, createUploadService, uploadPolicies } from './modules/uploads/index.ts';
import { createHallQueue, createVisitService, visitPolicies } from './modules/visits/index.ts';
import { createAuthorizer } from './platform/auth/policy.ts';
import { createFileBlobStore } from './platform/blobs/index.ts';
import { createCalendar } from './platform/calendar/index.ts';
import type { Clock } from './platform/clock.ts';
import { createFieldCipher, hmacHex } from './platform/crypto.ts';
import { createEventBus, eventPolicies, SESSION_ENDED } from './platform/events/index.ts';
import { createProofOfWorkCheck } from './platform/human-check/index.ts';
import { createJobQueue, type JobHandlers } from './platform/jobs/index.ts';
import { createJournal } from './platform/journal/index.ts';
import {
  createLocalGateway,
  createResidentNotify,
  outboxPolicies,
  type ResidentTemplate,
} from './platform/notify/index.ts';
import type { Secrets } from './platform/secrets.ts';

export type ServiceSettings = Pick<
  Config,
  'sessionIdleMinutes' | 'sessionMaxHours' | 'lockoutThreshold' | 'lockoutMinutes'
> &
  Pick<Config, 'dataDir'> &
  Partial<
    Pick<
      Config,
      | 'uploadMaxBytes'
      | 'officeHours'
      | 'smsBudgetPerHour'
      | 'powNormalPerMinute'
      | 'smsFile'
      | 'triageThreshold'
      | 'autoDispatch'
      | 'duplicateRadiusM'
      | 'duplicateDays'
      | 'hotspotAlertGrowth'
      | 'hotspotAlertMinReports'
    >
  >;

/**
 * The composition root shared by the HTTP server, the CLI and the tests: every service built
 * from its visible dependencies (convention 3), so all three run the same rules.
 */
export function createServices(deps: { db: Db; clock: Clock; secrets: Secrets; settings: ServiceSettings }) {
  const { db, clock, secrets, settings } = deps;
  const journal = createJournal({ clock });
  // A key being rotated out stays readable until `doorstep keys rotate` has re-encrypted everything.
  const cipher = createFieldCipher(secrets.dataKey, secrets.previousDataKey ? [secrets.previousDataKey] : []);
  const orgs = createOrgService({ db, journal, clock });
  const events = createEventBus({ db, clock });
  const auth = createAuthService({
    db,
    journal,
    clock,
    cipher,
    settings: { ...settings, sessionSecret: secrets.sessionSecret },
    sessionEnded: (tx, sessionId) => events.publish(tx, { type: SESSION_ENDED, orgPath: '/', sessionId }),
  });
  const users = createUserService({ db, journal, clock, cipher, orgs: orgs.directory() });
  const catalog = createCatalogService({ db, journal, clock });
  const authorizer = createAuthorizer({
    ...identityPolicies,
    ...orgPolicies,
    ...auditPolicies,
    ...catalogPolicies,
    ...uploadPolicies,
    ...eventPolicies,
    ...appealPolicies,
    ...statsPolicies,
    ...outboxPolicies,
    ...privacyPolicies,
    ...mediationPolicies,
    ...triagePolicies,
    ...visitPolicies,
    ...patrolPolicies,
    ...accountabilityPolicies,
  });
  const sessions = createSessionService({
    db,
    journal,
    clock,
    authorizer,
    sessionIdleMinutes: settings.sessionIdleMinutes,
  });
  const blobs = createFileBlobStore(path.join(settings.dataDir, 'blobs'));
  const uploads = createUploadService({
    db,
    blobs,
    clock,
    authorizer,
    addressSecret: secrets.sessionSecret,
    maxBytes: settings.uploadMaxBytes,
  });
  const jobs = createJobQueue({ db, clock });
  const calendar = createCalendar(settings.officeHours ? { officeHours: settings.officeHours } : {});
  // Messages to residents: written to the outbox in the caller's transaction, delivered by a job.
  const notify = createResidentNotify({
    db,
    cipher,
    clock,
    jobs,
    journal,
    gateway: createLocalGateway(settings.smsFile ?? null),
    smsBudgetPerHour: settings.smsBudgetPerHour,
  });
  // Triage: the shipped domain model, the units of a place and the open appeals a text may repeat.
  const triage = createTriageService({
    db,
    journal,
    clock,
    settings: {
      threshold: settings.triageThreshold ?? TRIAGE_DEFAULTS.threshold,
      duplicateRadiusM: settings.duplicateRadiusM ?? TRIAGE_DEFAULTS.duplicateRadiusM,
      duplicateDays: settings.duplicateDays ?? TRIAGE_DEFAULTS.duplicateDays,
    },
    places: {
      locate: (lng, lat) => orgs.places().locate(lng, lat),
      stationByCode: async (code) => {
        const station = await orgs.places().stationByCode(code);
        return station?.level === 'station' ? station : undefined;
      },
      ancestors: (path) => orgs.places().ancestors(path),
      stationsNear: (lng, lat, radiusM) => orgs.places().stationsNear(lng, lat, radiusM),
      departmentFor: (districtPath, competence) => catalog.departmentForCompetence(districtPath, competence),
    },
  });
  // 问责: overdue and repeatedly returned work, recorded in the appeal's transaction.
  const accountability = createAccountabilityService({ db, journal, clock });
  const appeals = createAppealService({
    autoDispatch: settings.autoDispatch ?? false,
    accountability,
    db,
    journal,
    clock,
    cipher,
    hmacKey: secrets.dataKey.toString('hex'),
    calendar,
    categories: categoryPort(catalog),
    places: orgs.places(),
    triage,
    uploads: {
      claimForAppeal: async (tx, ids, appealId) =>
        (await claimForAppeal(tx, ids, appealId, clock.now())).map((upload) => upload.id),
      openAttachedImage: (id, appealId) => uploads.openAttachedImage(id, appealId),
    },
    patrols: {
      openOf: async (userId) => (await createPatrolRepository(db).openOf(userId))?.id,
      track: async (patrolId) => createPatrolRepository(db).track(patrolId),
    },
    onDuty: async (scopePath) =>
      (await createPatrolRepository(db).onDuty(scopePath)).map((p) => ({
        userId: p.userId,
        orgId: p.orgId,
        lat: p.lastLat!,
        lng: p.lastLng!,
        at: p.lastAt!,
      })),
    staff: {
      findInUnit: (userId, unitPath) => findStaffInUnit(db, userId, unitPath),
      listInUnit: (unitPath) => listStaffInUnit(db, unitPath),
    },
    jobs,
    events,
    residents: {
      send: (tx, message) =>
        notify.notifier.send(tx, { ...message, template: message.template as ResidentTemplate }),
    },
  });
  // Dispute cases (矛盾纠纷调解) from the grid to the court, on the same workflow engine.
  const mediation = createMediationService({
    db,
    journal,
    clock,
    cipher,
    hmacKey: secrets.dataKey.toString('hex'),
    places: orgs.places(),
    calendar,
    jobs,
    events,
    parties: { send: (tx, message) => notify.notifier.send(tx, { ...message, channel: 'sms' }) },
    uploads: {
      claim: async (tx, ids, disputeId) =>
        (await claimForAppeal(tx, ids, disputeId, clock.now())).map((upload) => upload.id),
    },
    appeals: { forReferral: (orgPath, id) => appeals.forReferral(orgPath, id) },
    court: createLocalCourtGateway(),
  });
  // Early warning: a quarter-hourly sweep of the clusters, alerts journaled and pushed to the area.
  const hotspotAlerts = createHotspotAlerts({
    journal,
    events,
    jobs,
    settings: {
      alertGrowth: settings.hotspotAlertGrowth ?? TRIAGE_DEFAULTS.alertGrowth,
      alertMinReports: settings.hotspotAlertMinReports ?? TRIAGE_DEFAULTS.alertMinReports,
    },
  });
  // Background work run by the job runner (main.ts): each module adds its <name>.jobs.ts handlers here.
  const jobHandlers: JobHandlers = {
    ...createAppealJobs({ journal, calendar, jobs, events, accountability }),
    ...createMediationJobs({ journal, calendar, jobs, events }),
    ...hotspotAlerts.handlers,
  };
  Object.assign(jobHandlers, notify.jobHandlers);
  const stats = createStatsService({ db, clock, orgs: statsOrgPort(orgs) });
  // Open311 GeoReport v2: categories as services, appeals as requests, posted through the same intake.
  const open311 = createOpen311Service({
    db,
    clock,
    journal,
    cipher,
    hmacKey: secrets.dataKey.toString('hex'),
    catalog,
    appeals,
    jurisdiction: async () => {
      const district = await orgs.places().fallbackArea();
      return { id: district.code, name: district.name };
    },
  });
  const open311Keys = createApiKeys({ db, clock, journal });
  // PIPL: a person's data export and the retention run that erases old contacts.
  const privacy = createPrivacyService({
    db,
    journal,
    clock,
    cipher,
    hmacKey: secrets.dataKey.toString('hex'),
  });
  // The reception hall's desk: visits, each with its appeal taken in through intake.
  const visits = createVisitService({
    db,
    journal,
    clock,
    hmacKey: secrets.dataKey.toString('hex'),
    events,
    appeals: {
      submit: (input, options) => appeals.submit(input as never, options),
      earlierByPhone: (actor, phoneHmac) => appeals.earlierByPhone(actor, phoneHmac),
      brief: (id) => appeals.brief(id),
    },
    staff: { findInUnit: (userId, unitPath) => findStaffInUnit(db, userId, unitPath) },
    places: orgs.places(),
  });
  // Grid patrols: tracks, distance walked, the walkers' last positions.
  const patrols = createPatrolService({ db, journal, clock, places: orgs.places() });
  return {
    db,
    clock,
    calendar,
    journal,
    cipher,
    orgs,
    catalog,
    auth,
    users,
    sessions,
    authorizer,
    blobs,
    uploads,
    jobs,
    jobHandlers,
    events,
    appeals,
    visits,
    hallQueue: createHallQueue({ db, clock }),
    patrols,
    accountability,
    mediation,
    triage,
    hotspotAlerts,
    notifier: notify.notifier,
    outbox: notify.outbox,
    stats,
    open311,
    open311Keys,
    privacy,
    audit: createAuditService({ db, journal, clock }),
    // The rate limits' counters (platform/rate-limit): keyed by an HMAC, never a raw address or phone.
    rateLimiting: {
      db,
      clock,
      keySecret: hmacHex(secrets.sessionSecret, 'rate-limit-keys'),
      humanCheck: createProofOfWorkCheck({
        db,
        clock,
        secret: hmacHex(secrets.sessionSecret, 'human-check'),
        normalPerMinute: settings.powNormalPerMinute,
      }),
    },
  };
}
export type Services = ReturnType<typeof createServices>;

/** The appeals module's view of the catalogue: selectable, active items with their deadlines. */
function categoryPort(catalog: ReturnType<typeof createCatalogService>) {
  const info = (c: Awaited<ReturnType<typeof catalog.getByCode>>): CategoryInfo | undefined =>
    c && !c.isGroup && c.active
      ? {
          id: c.id,
          code: c.code,
          name: c.name,
          kind: c.kind,
          urgency: c.urgency ?? 'normal',
          acceptDays: c.acceptDays ?? 1,
          finishDays: c.finishDays ?? 3,
          complexFinishDays: c.complexFinishDays ?? 5,
          extraFields: c.extraFields,
        }
      : undefined;
  return {
    findByCode: async (code: string) => info(await catalog.getByCode(code)),
    findById: async (id: number) => info(await catalog.get(id).catch(() => null)),
    responsible: (categoryId: number, areaPath: string) =>
      catalog.responsibleCandidates(categoryId, areaPath),
  };
}

/** The stats module's view of the org tree: a unit, if it lies in the caller's subtree. */
function statsOrgPort(orgs: ReturnType<typeof createOrgService>): StatsOrgs {
  const places = orgs.places();
  return {
    async findInScope(id, scopePath) {
      const org = await places.byId(id);
      return org?.path.startsWith(scopePath) ? org : undefined;
    },
  };
}
