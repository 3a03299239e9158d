// Names from the server's policy table (`permissions` of /auth/me) that more than one app checks.

/** The command-centre wall (stats.policy.ts): the console shows the link to the same users. */
export const SCREEN_PERMISSION = 'stats.screen';
