import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { Actor } from '../auth/actor.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the guard on every authenticated route; null on public routes without a session. */
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** The policy entry this route needs (see <module>.policy.ts). */
    permission?: string;
    /** Routes anyone may call. Every /api route declares either this or a permission. */
    public?: boolean;
  }
}

/** The app as routes see it after `withTypeProvider<TypeBoxTypeProvider>()`: schemas type the handlers. */
export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;
