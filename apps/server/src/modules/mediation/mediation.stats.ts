import type { DisputeStats } from '@doorstep/contracts';
import type { Actor } from '../../platform/auth/actor.ts';
import { chinaMidnightOf } from '../../platform/calendar/index.ts';
import { errors } from '../../platform/errors.ts';
import type { MediationDeps } from './mediation.ports.ts';
import { createDisputeStatsRepository } from './mediation.stats.repository.ts';

const DAY_MS = 86_400_000;

/**
 * The headline figures of mediation: cases received, resolved (化解: an agreement was reached),
 * failed, the 化解率, amounts agreed and paid, people involved, and judicial confirmations by
 * ruling. The rate counts concluded cases only (resolved / (resolved + failed)): a case still being
 * mediated is neither a success nor a failure yet.
 */
export function createDisputeStats(deps: Pick<MediationDeps, 'db' | 'places'>) {
  const repo = createDisputeStatsRepository(deps.db);
  return {
    async figures(
      actor: Actor,
      query: { from?: string; to?: string; orgId?: number },
    ): Promise<DisputeStats> {
      let scopePath = actor.orgPath;
      if (query.orgId) {
        const unit = await deps.places.byId(query.orgId);
        if (!unit || !unit.path.startsWith(actor.orgPath))
          throw errors.notFound('the unit', { orgId: query.orgId });
        scopePath = unit.path;
      }
      const from = query.from ? chinaMidnightOf(query.from) : null;
      // `to` is a calendar day, included whole.
      const to = query.to ? new Date(chinaMidnightOf(query.to).getTime() + DAY_MS) : null;
      if (from && to && from >= to) throw errors.validation('the period ends before it starts');
      const [totals, byUnit] = await Promise.all([
        repo.totals(scopePath, from, to),
        repo.byUnit(scopePath, from, to),
      ]);
      const concluded = totals.resolved + totals.failed;
      return {
        from: query.from ?? null,
        to: query.to ?? null,
        received: totals.received,
        resolved: totals.resolved,
        failed: totals.failed,
        open: totals.open,
        resolutionRate: concluded ? Math.round((totals.resolved / concluded) * 10_000) / 10_000 : null,
        amountAgreed: totals.amountAgreed,
        amountPaid: totals.amountPaid,
        peopleInvolved: totals.peopleInvolved,
        confirmations: {
          requested: totals.requested,
          confirmed: totals.confirmed,
          rejected: totals.rejected,
        },
        byUnit,
      };
    },
  };
}
