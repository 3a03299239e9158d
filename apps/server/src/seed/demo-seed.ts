import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as OTPAuth from 'otpauth';
import { seedDemoCatalog } from '../modules/catalog/demo/index.ts';
import { OTP_REQUIRED_ROLES } from '../modules/identity/index.ts';
import { generateDemoDistrict } from '../modules/orgs/demo/index.ts';
import { systemActor } from '../platform/auth/actor.ts';
import { generatePassword } from '../platform/auth/passwords.ts';
import type { Role } from '../platform/auth/roles.ts';
import type { Services } from '../services.ts';

interface DemoUserPlan {
  username: string;
  displayName: string;
  roles: Role[];
  orgCode: string;
}

export interface DemoSeedResult {
  seeded: boolean;
  units: number;
  users: string[];
  /** Set only when the password was generated here; it is shown once and written to a file. */
  generatedPassword: string | null;
  /** Set only when the TOTP secret of the admin desks was generated here (also in the file). */
  generatedTotpSecret: string | null;
  credentialsFile: string | null;
}

/** Staff for every role, placed as the README describes (street = 街道 = subdistrict). */
function planUsers(demo: ReturnType<typeof generateDemoDistrict>): DemoUserPlan[] {
  const district = demo.districtCode;
  const [street1, street2] = demo.subdistrictCodes;
  const community1 = demo.units.find((u) => u.level === 'community' && u.parentCode === street1)!.code;
  const station1 = demo.units.find((u) => u.level === 'station' && u.parentCode === community1)!.code;
  const grids = demo.units.filter((u) => u.level === 'grid' && u.code.startsWith(community1));
  const grid1 = grids[0]!.code;
  // A second grid of the same community (or the same grid, should a community have only one).
  const grid2 = (grids[1] ?? grids[0]!).code;
  const urbanManagement = demo.departmentCodes.urbanManagement!;
  return [
    { username: 'admin', displayName: '系统管理员', roles: ['system_admin'], orgCode: district },
    { username: 'security', displayName: '安全管理员', roles: ['security_admin'], orgCode: district },
    { username: 'auditor', displayName: '安全审计员', roles: ['auditor'], orgCode: district },
    {
      username: 'district-dispatcher',
      displayName: '区分拨中心 王敏',
      roles: ['district_dispatcher'],
      orgCode: district,
    },
    {
      username: 'street-dispatcher',
      displayName: '街道分拨 李强',
      roles: ['subdistrict_dispatcher'],
      orgCode: street1!,
    },
    {
      username: 'street2-dispatcher',
      displayName: '街道分拨 陈静',
      roles: ['subdistrict_dispatcher'],
      orgCode: street2!,
    },
    {
      username: 'community-worker',
      displayName: '社区工作人员 张丽',
      roles: ['community_staff'],
      orgCode: community1,
    },
    // The reception desk of 光明街道's service centre (一窗受理).
    { username: 'hall-clerk', displayName: '窗口受理员 林芳', roles: ['hall_clerk'], orgCode: street1! },
    { username: 'station-worker', displayName: '网格站 周洋', roles: ['station_staff'], orgCode: station1 },
    { username: 'grid-worker', displayName: '网格员 刘伟', roles: ['grid_worker'], orgCode: grid1 },
    // The community's second grid worker: the one the community did not name (指派) sees nothing.
    { username: 'grid-worker-2', displayName: '网格员 马丽', roles: ['grid_worker'], orgCode: grid2 },
    {
      username: 'dept-handler',
      displayName: '城管执法 赵刚',
      roles: ['department_handler'],
      orgCode: urbanManagement,
    },
    { username: 'mediator', displayName: '人民调解员 孙华', roles: ['mediator'], orgCode: community1 },
    {
      username: 'legal-adviser',
      displayName: '法律顾问 何静',
      roles: ['legal_adviser'],
      orgCode: community1,
    },
    // The court's liaison sits at the district's 矛调中心: the court itself is outside the org tree.
    {
      username: 'court-liaison',
      displayName: '法院联络员 郑律',
      roles: ['court_liaison'],
      orgCode: district,
    },
    { username: 'leader', displayName: '区领导 吴军', roles: ['leader'], orgCode: district },
  ];
}

/**
 * The register of mediators (the demo's mediator and legal adviser) and two rooms in each community:
 * a 调解室 on site and a 在线司法确认室 for remote sessions with the court.
 */
async function seedMediation(
  services: Services,
  demo: ReturnType<typeof generateDemoDistrict>,
  plans: DemoUserPlan[],
  userIds: Map<string, string>,
) {
  const directory = services.orgs.directory();
  for (const [username, kind, speciality] of [
    ['mediator', 'mediator', '劳动争议、邻里纠纷'],
    ['legal-adviser', 'legal_adviser', '合同、婚姻家庭'],
  ] as const) {
    const plan = plans.find((p) => p.username === username)!;
    const org = await directory.findByCode(plan.orgCode);
    await services.mediation.registerMediator({
      userId: userIds.get(username)!,
      orgId: org!.id,
      kind,
      speciality,
      certificateNumber: kind === 'mediator' ? 'GM-TJ-2024-0137' : undefined,
    });
  }
  for (const unit of demo.units.filter((u) => u.level === 'community')) {
    const org = await directory.findByCode(unit.code);
    await services.mediation.addRoom({ orgId: org!.id, name: '人民调解室', online: false });
    await services.mediation.addRoom({ orgId: org!.id, name: '在线司法确认室', online: true });
  }
}

/**
 * Loads the demo district ("1+6+31+N", modelled on Shenzhen Guangming) and its staff. Does nothing
 * when the database already holds an org tree, so it is safe to run at every start.
 */
export async function seedDemo(
  services: Services,
  options: {
    password: string | null;
    dataDir: string;
    open311Key?: string | null;
    totpSecret?: string | null;
    /**
     * The mediation register and rooms (tables of migration 0024). Off only for a database a test
     * migrated to an older schema on purpose.
     */
    mediation?: boolean;
  },
): Promise<DemoSeedResult> {
  if ((await services.orgs.countAll()) > 0) {
    return {
      seeded: false,
      units: 0,
      users: [],
      generatedPassword: null,
      generatedTotpSecret: null,
      credentialsFile: null,
    };
  }
  const demo = generateDemoDistrict();
  const operator = systemActor(['system_admin', 'security_admin']);
  await services.orgs.importDrafts(operator, demo.units, 'demo:guangming');
  await seedDemoCatalog(services, demo);
  const generatedPassword = options.password ? null : generatePassword();
  const password = options.password ?? (generatedPassword as string);
  const plans = planUsers(demo);
  const userIds = new Map<string, string>();
  for (const plan of plans) {
    const org = await services.orgs.directory().findByCode(plan.orgCode);
    const { user } = await services.users.create(operator, {
      username: plan.username,
      displayName: plan.displayName,
      orgId: org!.id,
      roles: plan.roles,
      password,
      mustChangePassword: false,
    });
    userIds.set(plan.username, user.id);
  }
  if (options.mediation ?? true) await seedMediation(services, demo, plans, userIds);
  // The admin desks must log in with a one-time code (OTP_REQUIRED_ROLES): all three share one
  // secret, DOORSTEP_DEMO_TOTP_SECRET or one generated here and written to the credentials file.
  const generatedTotpSecret = options.totpSecret ? null : new OTPAuth.Secret({ size: 20 }).base32;
  const totpSecret = options.totpSecret ?? (generatedTotpSecret as string);
  const needsOtp = plans.filter((plan) => plan.roles.some((role) => OTP_REQUIRED_ROLES.includes(role)));
  for (const plan of needsOtp) await services.auth.installOtpSecret(plan.username, totpSecret, 'demo-seed');
  // The demo's Open311 key, when the operator chose one (DOORSTEP_DEMO_OPEN311_KEY).
  if (options.open311Key) {
    await services.open311Keys.create(operator, { name: 'demo', value: options.open311Key });
  }
  let credentialsFile: string | null = null;
  if (generatedPassword || generatedTotpSecret) {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    credentialsFile = path.join(options.dataDir, 'demo-credentials.txt');
    const shownPassword = generatedPassword ?? '(DOORSTEP_DEMO_PASSWORD)';
    const lines = plans.map((plan) => `${plan.username}\t${shownPassword}\t${plan.roles.join(',')}`);
    const otpLines = generatedTotpSecret
      ? [
          '',
          `# One-time codes (TOTP, SHA-1, 6 digits, 30 s) for ${needsOtp.map((p) => p.username).join(', ')}:`,
          `totp-secret\t${generatedTotpSecret}`,
          `totp-uri\t${new OTPAuth.TOTP({ issuer: 'Doorstep', label: 'demo', secret: OTPAuth.Secret.fromBase32(generatedTotpSecret) }).toString()}`,
        ]
      : [];
    writeFileSync(
      credentialsFile,
      `# Doorstep demo accounts (username, password, roles)\n${[...lines, ...otpLines].join('\n')}\n`,
      { mode: 0o600 },
    );
    chmodSync(credentialsFile, 0o600);
  }
  return {
    seeded: true,
    units: demo.units.length,
    users: plans.map((p) => p.username),
    generatedPassword,
    generatedTotpSecret,
    credentialsFile,
  };
}
