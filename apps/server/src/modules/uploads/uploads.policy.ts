import { definePolicies } from '../../platform/auth/policy.ts';
import { BUSINESS_ROLES } from '../../platform/auth/roles.ts';

export const uploadPolicies = definePolicies({
  // Once an appeal holds an upload, its photos are case material: working staff only. The three
  // admin roles handle configuration, accounts and the audit trail, never case content.
  'uploads.read': {
    roles: BUSINESS_ROLES,
    description: 'see the photos and documents attached to appeals',
  },
  // A PDF cannot be re-encoded like a photo, so only accountable staff may upload one (as evidence).
  'uploads.documents': {
    roles: BUSINESS_ROLES,
    description: 'upload PDF documents as evidence',
  },
});
