import { systemActor } from '../../../platform/auth/actor.ts';
import type { DemoDistrict } from '../../orgs/demo/index.ts';
import type { CatalogService } from '../catalog.service.ts';
import { demoCatalogRows, localPoliceItemCodes } from './catalog-data.ts';

/**
 * Per-subdistrict overrides for the items the local police station handles: each police station
 * (a department declaring `public_security` with a `jurisdiction` list of subdistrict codes)
 * takes those items in its subdistricts, instead of the district bureau the competence points to.
 */
export function demoResponsibilities(district: DemoDistrict) {
  const stations = district.units.filter((unit) => {
    const props = unit.properties ?? {};
    return (
      unit.level === 'department' &&
      Array.isArray(props.jurisdiction) &&
      Array.isArray(props.competences) &&
      props.competences.includes('public_security')
    );
  });
  const items = localPoliceItemCodes();
  return stations.flatMap((station) =>
    (station.properties!.jurisdiction as string[]).flatMap((areaCode) =>
      items.map((categoryCode) => ({ categoryCode, areaCode, departmentCode: station.code })),
    ),
  );
}

/**
 * Loads the demo catalogue (150 items in the three dispatch kinds plus the service kinds) and the
 * police overrides. Codes already present are kept, so it is safe to run at every start.
 */
export async function seedDemoCatalog(deps: { catalog: CatalogService }, district: DemoDistrict) {
  return deps.catalog.importCatalog(
    systemActor(['system_admin']),
    { categories: demoCatalogRows(), responsibilities: demoResponsibilities(district) },
    'demo:guangming',
  );
}
