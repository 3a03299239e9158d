export { LIMITS, type Limit, type LimitName, type LimitOverrides, parseLimitOverrides } from './limits.ts';
export { createNetworkMatcher, parseNetworkList } from './networks.ts';
export {
  type RateLimitDeps,
  type RateLimitOptions,
  registerRateLimits,
  type SharedLimiterStore,
} from './register.ts';
