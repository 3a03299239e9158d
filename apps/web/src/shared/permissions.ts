// Names from the server's policy table (`permissions` of /auth/me) that more than one app checks.

/** The command-centre wall (stats.policy.ts): the console shows the link to the same users. */
export const SCREEN_PERMISSION = 'stats.screen';

/** The mediation figures (mediation.policy.ts): the console's 调解成效 and the wall's panel. */
export const DISPUTE_STATS_PERMISSION = 'disputes.stats';
