import type { PermissionDefinition } from '../modules.js';

/** The kernel's own permissions; modules add theirs in their manifests. */
export const kernelPermissions: PermissionDefinition[] = [
  { code: 'admin.units', description: 'Create and edit the units (departments, town halls) of the city' },
  { code: 'admin.roles', description: 'Define roles as sets of permissions' },
  { code: 'admin.agents', description: 'Create, deactivate agents and grant them roles within units' },
  { code: 'admin.audit', description: 'Search and export the audit log' },
  { code: 'admin.jobs', description: 'See failed background jobs and replay them' },
  { code: 'admin.notifications', description: 'See sent notifications and their failures, retry them, edit the templates' },
  { code: 'admin.webhooks', description: 'Configure the webhooks sent to partners, see their deliveries and send them again' },
  { code: 'citizens.view', description: 'See the 360° view of a resident: every demand and message' },
];
